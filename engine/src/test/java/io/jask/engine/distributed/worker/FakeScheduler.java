package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.fail;

import io.jask.engine.distributed.comm.Comms;
import io.jask.engine.distributed.comm.Connection;
import io.jask.engine.distributed.comm.Listener;
import io.jask.engine.distributed.comm.Message;
import io.jask.engine.distributed.comm.MessageHandler;
import io.jask.engine.distributed.internal.KryoHeaderCodec;
import io.jask.engine.distributed.protocol.Msg;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A scheduler stand-in: accepts workers, answers RegisterWorker with a WorkerWelcome, records
 * everything workers send and lets the test send them scheduler messages.
 */
final class FakeScheduler implements AutoCloseable {

  static final long SAFETY_MILLIS = 60_000;

  record Received(String worker, Msg msg) {}

  private final Listener listener;
  private final long heartbeatMillis;
  private final Map<String, Connection> workers = new ConcurrentHashMap<>();
  private final List<Received> received = new ArrayList<>();
  private int consumed;

  FakeScheduler(String listenAddress, long heartbeatMillis) throws IOException {
    this.heartbeatMillis = heartbeatMillis;
    this.listener = Comms.listen(listenAddress, c -> c.setHandler(new Handler()), new KryoHeaderCodec());
  }

  String address() {
    return listener.address();
  }

  void send(String worker, Msg msg) {
    Connection c = workers.get(worker);
    if (c == null) {
      fail("no worker registered at " + worker);
    }
    c.send(Message.of(msg)).join();
  }

  /** Closes the connections to workers (not the listener): workers see the scheduler vanish. */
  void dropConnections() {
    workers.values().forEach(Connection::close);
    workers.clear();
  }

  /** The next not yet awaited message of this type that matches, waiting for it. */
  <T extends Msg> T await(Class<T> type, Predicate<T> match) throws InterruptedException {
    long deadline = System.currentTimeMillis() + SAFETY_MILLIS;
    synchronized (received) {
      while (true) {
        for (int i = 0; i < received.size(); i++) {
          Msg m = received.get(i).msg();
          if (type.isInstance(m) && match.test(type.cast(m))) {
            received.remove(i);
            return type.cast(m);
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          fail("no " + type.getSimpleName() + " within the safety timeout; got " + received);
        }
        received.wait(left);
      }
    }
  }

  <T extends Msg> T await(Class<T> type) throws InterruptedException {
    return await(type, m -> true);
  }

  /** Every message of this type received and not awaited yet (no waiting). */
  <T extends Msg> List<T> pending(Class<T> type) {
    synchronized (received) {
      return received.stream().map(Received::msg).filter(type::isInstance).map(type::cast).toList();
    }
  }

  @Override
  public void close() {
    listener.close();
    workers.values().forEach(Connection::close);
  }

  private final class Handler implements MessageHandler {
    private String worker = "?";

    @Override
    public void onMessage(Connection c, Message m) {
      Msg msg = (Msg) m.header();
      if (msg instanceof Msg.RegisterWorker r) {
        worker = r.address();
        workers.put(worker, c);
        c.send(Message.of(new Msg.WorkerWelcome("id-" + r.name(), heartbeatMillis)));
      }
      synchronized (received) {
        // a worker batches messages that are ready together (Msg.Batch): record each one
        for (Msg one : msg instanceof Msg.Batch b ? b.messages() : java.util.List.of(msg)) {
          received.add(new Received(worker, one));
        }
        received.notifyAll();
      }
    }
  }
}
