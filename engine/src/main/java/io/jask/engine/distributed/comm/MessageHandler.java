package io.jask.engine.distributed.comm;

/**
 * Receives the messages of one {@link Connection}, one at a time and in arrival order, on the
 * connection's delivery thread (its Netty event loop for TCP, its serial executor for inproc). It
 * must not block that thread: hand long work to another executor.
 *
 * <p>An exception thrown by {@link #onMessage} is logged and closes the connection (the handler's
 * state may be inconsistent), with that exception as the close cause.
 *
 * <pre>{@code
 * conn.setHandler((c, m) -> events.add(new Received(c.peerAddress(), m.header())));
 * }</pre>
 */
@FunctionalInterface
public interface MessageHandler {

  /** Called for each message received on {@code connection}. */
  void onMessage(Connection connection, Message message);

  /**
   * Called once when the connection is closed, by either side or by an error, after every message
   * that arrived before the close has been delivered.
   *
   * @param causeOrNull the error that closed the connection (malformed frame, I/O error, handler
   *     exception), or null for an orderly close
   */
  default void onClose(Connection connection, Throwable causeOrNull) {}
}
