package io.jask.engine.distributed.comm;

/**
 * Turns a message header into bytes and back. The transport knows nothing of the header's type;
 * the distributed layer plugs in its Kryo codec, tests a plain Java-serialization one.
 *
 * <p>Implementations must be thread-safe: one codec serves every connection of a listener, on
 * several event-loop threads at once.
 *
 * <pre>{@code
 * HeaderCodec codec = new HeaderCodec() {
 *   public byte[] encode(Object header) { return ((String) header).getBytes(UTF_8); }
 *   public Object decode(byte[] bytes) { return new String(bytes, UTF_8); }
 * };
 * }</pre>
 */
public interface HeaderCodec {

  /**
   * Serializes a header. An exception fails that {@link Connection#send} and nothing else.
   *
   * @return the bytes, never null
   */
  byte[] encode(Object header);

  /**
   * Deserializes a header. An exception (or a null result) marks the frame malformed: the
   * connection that received it is closed with a logged warning.
   *
   * @return the header, never null
   */
  Object decode(byte[] bytes);

  /**
   * Writes a header's bytes at the writer index of {@code out} (which grows as needed). The
   * default copies {@link #encode(Object)}; a codec that can write there directly (no array of its
   * own per message) overrides it. An exception fails that {@link Connection#send} and nothing
   * else.
   */
  default void encode(Object header, io.netty.buffer.ByteBuf out) {
    byte[] bytes = encode(header);
    if (bytes == null) {
      throw new IllegalStateException("HeaderCodec returned null for " + header.getClass());
    }
    out.writeBytes(bytes);
  }

  /**
   * Reads a header from the next {@code length} readable bytes of {@code in}, consuming them. The
   * default copies them into an array for {@link #decode(byte[])}; a codec that can read them in
   * place overrides it. Exceptions and null as for {@link #decode(byte[])}.
   */
  default Object decode(io.netty.buffer.ByteBuf in, int length) {
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    return decode(bytes);
  }
}
