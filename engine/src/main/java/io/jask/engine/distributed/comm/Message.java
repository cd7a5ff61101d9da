package io.jask.engine.distributed.comm;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * One message: a header object (a record describing the operation, small) plus zero or more large
 * binary buffers (Arrow record batches, ND4J data) that travel as separate frames and are never
 * copied into the header.
 *
 * <p>Each buffer is sent from its position to its limit; its position is not changed. Over TCP the
 * buffers are written without copying them into the header, so the sender must not modify a buffer
 * until the future returned by {@link Connection#send} completes. A received message owns fresh
 * heap buffers (position 0, limit = length) that need no release. Over {@code inproc://} the
 * receiver gets this very object, buffers included.
 *
 * <pre>{@code
 * conn.send(Message.of(new PutData(key), arrowBatch, validity));
 * }</pre>
 *
 * @param header the operation, serialized by the connection's {@link HeaderCodec}; never null
 * @param buffers the binary payload, in order; an immutable copy of the given list
 */
public record Message(Object header, List<ByteBuffer> buffers) {

  public Message {
    Objects.requireNonNull(header, "header");
    buffers = List.copyOf(buffers);
  }

  /** A message with a header only. */
  public static Message of(Object header) {
    return new Message(header, List.of());
  }

  /** A message with a header and the given buffers, in order. */
  public static Message of(Object header, ByteBuffer... buffers) {
    return new Message(header, List.of(buffers));
  }

  /** The number of payload bytes, the sum of the buffers' remaining bytes. */
  public long bufferBytes() {
    long n = 0;
    for (ByteBuffer b : buffers) {
      n += b.remaining();
    }
    return n;
  }
}
