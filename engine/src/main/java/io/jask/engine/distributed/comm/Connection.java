package io.jask.engine.distributed.comm;

import java.util.concurrent.CompletableFuture;

/**
 * A two-way, ordered message channel to one peer, like a {@code distributed.comm.Comm}. Obtained
 * from {@link Comms#connect} or from a {@link Listener}'s accept callback.
 *
 * <pre>{@code
 * Connection c = Comms.connect("tcp://127.0.0.1:8786", Duration.ofSeconds(10), codec);
 * c.setHandler((conn, m) -> log.info("got {}", m.header()));
 * c.send(Message.of(new Register("worker-1"))).join();
 * c.close();
 * }</pre>
 */
public interface Connection extends AutoCloseable {

  /** This end's address, e.g. {@code tcp://127.0.0.1:53412} or {@code inproc://scheduler/3}. */
  String localAddress();

  /** The other end's address, e.g. {@code tcp://127.0.0.1:8786} or {@code inproc://scheduler}. */
  String peerAddress();

  /**
   * Queues a message for the peer. Thread-safe; messages sent from one thread arrive in the order
   * sent. Writes are batched (flush consolidation), so many small messages are cheap. There is no
   * back-pressure: a sender of bulk data should wait for the returned futures.
   *
   * @return completes when the message has been handed to the operating system (TCP) or to the
   *     peer's queue (inproc); fails if the header cannot be encoded, the message exceeds the
   *     maximum message size, or the connection is closed
   */
  CompletableFuture<Void> send(Message message);

  /**
   * Sets the receiver of this connection's messages. Messages that arrived before a handler was
   * set are queued and delivered to it first, in order; a close that happened before is reported
   * after them. May be called again to replace the handler.
   */
  void setHandler(MessageHandler handler);

  /** Completes when the connection is closed, by either side or by an error. */
  CompletableFuture<Void> closeFuture();

  /** True until the connection is closed. */
  boolean isOpen();

  /**
   * Closes the connection without blocking: messages already sent are flushed first, then the
   * connection closes and both sides' handlers get {@code onClose}. Idempotent.
   */
  @Override
  void close();
}
