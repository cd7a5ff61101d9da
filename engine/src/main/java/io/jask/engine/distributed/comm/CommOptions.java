package io.jask.engine.distributed.comm;

/**
 * Settings of a listener or connection.
 *
 * <pre>{@code
 * Comms.listen("tcp://0.0.0.0:0", onAccept, codec, new CommOptions(64 << 20));
 * }</pre>
 *
 * @param maxMessageSize the largest message accepted or sent over TCP, in bytes, counting the
 *     frame table, the header and the buffers; a larger incoming message closes the connection, a
 *     larger outgoing one fails its {@code send}. Between 16 bytes and {@code Integer.MAX_VALUE -
 *     4} (frames are int-indexed Netty buffers).
 */
public record CommOptions(int maxMessageSize) {

  /** The default: a maximum message size of 1 GiB. */
  public static final CommOptions DEFAULTS = new CommOptions(1 << 30);

  public CommOptions {
    if (maxMessageSize < 16 || maxMessageSize > Integer.MAX_VALUE - 4) {
      throw new IllegalArgumentException(
          "maxMessageSize must be in [16, " + (Integer.MAX_VALUE - 4) + "]: " + maxMessageSize);
    }
  }
}
