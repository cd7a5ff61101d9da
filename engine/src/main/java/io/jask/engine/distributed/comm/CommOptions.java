package io.jask.engine.distributed.comm;

import io.jask.engine.config.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a listener or connection: limits, and who may connect ({@link CommSecurity}).
 * {@link Comms#listen(String, java.util.function.Consumer, HeaderCodec)} and {@link
 * Comms#connect(String, Duration, HeaderCodec)} use {@link #fromConfig()}.
 *
 * <pre>{@code
 * Comms.listen("tcp://0.0.0.0:0", onAccept, codec, new CommOptions(64 << 20));
 * }</pre>
 *
 * @param maxMessageSize the largest message accepted or sent over TCP, in bytes, counting the
 *     frame table, the header and the buffers; a larger incoming message closes the connection, a
 *     larger outgoing one fails its {@code send}. Between 16 bytes and {@code Integer.MAX_VALUE -
 *     4} (frames are int-indexed Netty buffers).
 * @param maxPendingMessages the most messages one TCP connection may hold unsent (written by this
 *     end, not yet handed to the operating system) or undelivered (received before a handler was
 *     set); one more closes the connection
 * @param handshakeTimeout the time a new TCP connection has to finish its TLS and token handshake
 *     before it is closed
 * @param security TLS material and token
 */
public record CommOptions(
    int maxMessageSize, int maxPendingMessages, Duration handshakeTimeout, CommSecurity security) {

  /** The defaults: 1 GiB messages, 1,000,000 pending messages, a 10 s handshake, no security. */
  public static final CommOptions DEFAULTS =
      new CommOptions(1 << 30, 1_000_000, Duration.ofSeconds(10), CommSecurity.NONE);

  public CommOptions {
    if (maxMessageSize < 16 || maxMessageSize > Integer.MAX_VALUE - 4) {
      throw new IllegalArgumentException(
          "maxMessageSize must be in [16, " + (Integer.MAX_VALUE - 4) + "]: " + maxMessageSize);
    }
    if (maxPendingMessages < 1) {
      throw new IllegalArgumentException("maxPendingMessages must be >= 1: " + maxPendingMessages);
    }
    Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
      throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
    }
    Objects.requireNonNull(security, "security");
  }

  /** The defaults with another maximum message size. */
  public CommOptions(int maxMessageSize) {
    this(maxMessageSize, DEFAULTS.maxPendingMessages, DEFAULTS.handshakeTimeout, CommSecurity.NONE);
  }

  /**
   * The options from configuration: {@code distributed.comm.limits.max-frame-size}, {@code
   * distributed.comm.limits.max-pending-messages}, {@code distributed.comm.timeouts.handshake} and
   * the security keys ({@link CommSecurity#fromConfig()}).
   *
   * @throws IllegalArgumentException naming the key when a value is out of range
   */
  public static CommOptions fromConfig() {
    long size = Config.getBytes("distributed.comm.limits.max-frame-size", DEFAULTS.maxMessageSize);
    if (size < 16 || size > Integer.MAX_VALUE - 4) {
      throw new IllegalArgumentException(
          "distributed.comm.limits.max-frame-size must be between 16 B and 2 GiB - 5 B: " + size);
    }
    int pending = Config.getInt("distributed.comm.limits.max-pending-messages", DEFAULTS.maxPendingMessages);
    if (pending < 1) {
      throw new IllegalArgumentException(
          "distributed.comm.limits.max-pending-messages must be >= 1: " + pending);
    }
    Duration handshake = Config.getDuration("distributed.comm.timeouts.handshake", DEFAULTS.handshakeTimeout);
    if (handshake.isNegative() || handshake.isZero()) {
      throw new IllegalArgumentException(
          "distributed.comm.timeouts.handshake must be positive: " + handshake);
    }
    return new CommOptions((int) size, pending, handshake, CommSecurity.fromConfig());
  }

  /** A copy with {@code security}. */
  public CommOptions withSecurity(CommSecurity security) {
    return new CommOptions(maxMessageSize, maxPendingMessages, handshakeTimeout, security);
  }

  /** A copy with other limits. */
  public CommOptions withLimits(int maxMessageSize, int maxPendingMessages, Duration handshakeTimeout) {
    return new CommOptions(maxMessageSize, maxPendingMessages, handshakeTimeout, security);
  }
}
