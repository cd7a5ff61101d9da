package io.jask.engine.distributed.comm;

import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end of an in-JVM connection. {@link #send} puts the very {@link Message} object on the
 * peer's {@link SerialExecutor}, which delivers it to the peer's handler (or queues it until one
 * is set): on the sending thread itself when the peer's queue is idle, else after what is queued,
 * on the shared pool. Closing either end closes both; each side's {@code onClose} runs on its own executor
 * after the messages sent before the close.
 */
final class InprocConnection implements Connection {

  private static final Logger log = LoggerFactory.getLogger(InprocConnection.class);

  /** The state the two ends share; its monitor orders sends against the close. */
  private static final class Pair {
    boolean open = true;
  }

  private final String localAddress;
  private final String peerAddress;
  private final Pair pair;
  private final SerialExecutor inbox;
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private InprocConnection peer;

  // Confined to inbox.
  private MessageHandler handler;
  private final ArrayDeque<Message> pending = new ArrayDeque<>();
  private boolean closed;
  private boolean closeReported;
  private Throwable cause;

  private InprocConnection(String local, String peer, Pair pair, Executor pool) {
    this.localAddress = local;
    this.peerAddress = peer;
    this.pair = pair;
    this.inbox = new SerialExecutor(pool);
    Comms.OPEN.incrementAndGet();
  }

  /** Creates a connected pair; element 0 is the connecting end, 1 the accepted end. */
  static InprocConnection[] pair(String clientAddress, String serverAddress, Executor pool) {
    Pair p = new Pair();
    InprocConnection client = new InprocConnection(clientAddress, serverAddress, p, pool);
    InprocConnection server = new InprocConnection(serverAddress, clientAddress, p, pool);
    client.peer = server;
    server.peer = client;
    return new InprocConnection[] {client, server};
  }

  /** Runs a task on this end's delivery executor, after what is already queued. */
  void runInOrder(Runnable task) {
    inbox.execute(task);
  }

  @Override
  public String localAddress() {
    return localAddress;
  }

  @Override
  public String peerAddress() {
    return peerAddress;
  }

  @Override
  public CompletableFuture<Void> send(Message message) {
    Objects.requireNonNull(message, "message");
    boolean claimed;
    synchronized (pair) {
      if (!pair.open) {
        return CompletableFuture.failedFuture(new ClosedChannelException());
      }
      claimed = peer.inbox.claim(() -> peer.receive(message));
    }
    if (claimed) {
      // the peer's queue was idle: deliver on this thread, outside the pair's lock (no hand-off)
      peer.inbox.runClaimed();
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void setHandler(MessageHandler h) {
    Objects.requireNonNull(h, "handler");
    inbox.execute(
        () -> {
          handler = h;
          while (!pending.isEmpty()) {
            deliver(pending.poll());
          }
          if (closed) {
            reportClose();
          }
        });
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  @Override
  public boolean isOpen() {
    synchronized (pair) {
      return pair.open;
    }
  }

  @Override
  public void close() {
    closeWith(null);
  }

  @Override
  public String toString() {
    return "Connection[" + localAddress + " -> " + peerAddress + "]";
  }

  private void closeWith(Throwable why) {
    synchronized (pair) {
      if (!pair.open) {
        return;
      }
      pair.open = false;
      inbox.execute(() -> markClosed(why));
      peer.inbox.execute(() -> peer.markClosed(null));
    }
  }

  private void markClosed(Throwable why) {
    if (!closed) {
      Comms.OPEN.decrementAndGet();
    }
    closed = true;
    if (cause == null) {
      cause = why;
    }
    closeFuture.complete(null);
    if (handler != null) {
      reportClose();
    }
  }

  private void receive(Message m) {
    if (closed) {
      return;
    }
    if (handler == null) {
      pending.add(m);
    } else {
      deliver(m);
    }
  }

  private void deliver(Message m) {
    try {
      handler.onMessage(this, m);
    } catch (RuntimeException | Error e) {
      log.warn("Message handler failed on {}; closing it", this, e);
      pending.clear();
      cause = e;
      closed = true;
      closeWith(e);
    }
  }

  private void reportClose() {
    if (closeReported) {
      return;
    }
    closeReported = true;
    try {
      handler.onClose(this, cause);
    } catch (RuntimeException e) {
      log.warn("onClose handler failed on {}", this, e);
    }
  }
}
