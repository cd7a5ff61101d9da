package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MessageHandler} that records what it receives. Waits are bounded by a generous safety
 * timeout so a broken transport fails the test instead of hanging it; they assert nothing about
 * speed.
 */
class Recorder implements MessageHandler {

  static final long SAFETY_SECONDS = 60;

  final LinkedBlockingQueue<Message> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<Throwable> closed = new CompletableFuture<>();
  volatile int closeCalls;

  @Override
  public void onMessage(Connection connection, Message message) {
    messages.add(message);
  }

  @Override
  public void onClose(Connection connection, Throwable causeOrNull) {
    closeCalls++;
    closed.complete(causeOrNull);
  }

  Message take() throws InterruptedException {
    Message m = messages.poll(SAFETY_SECONDS, TimeUnit.SECONDS);
    assertNotNull(m, "no message within the safety timeout");
    return m;
  }

  /** Waits for onClose and returns its cause (null for an orderly close). */
  Throwable awaitClose() throws Exception {
    return closed.get(SAFETY_SECONDS, TimeUnit.SECONDS);
  }
}
