package io.jask.engine.distributed.comm;

/**
 * A bound server endpoint that accepts {@link Connection}s, created by {@link Comms#listen}.
 *
 * <pre>{@code
 * try (Listener l = Comms.listen("tcp://0.0.0.0:0", conns::add, codec)) {
 *   System.out.println("listening at " + l.address()); // tcp://0.0.0.0:41873
 * }
 * }</pre>
 */
public interface Listener extends AutoCloseable {

  /** The actual bound address: a {@code tcp://…:0} request reports the real port here. */
  String address();

  /**
   * Stops accepting, releases the address (for TCP, the port is free when this returns) and
   * closes every connection this listener accepted, so their peers see {@code onClose}.
   * Idempotent.
   */
  @Override
  void close();
}
