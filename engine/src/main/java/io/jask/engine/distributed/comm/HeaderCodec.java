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
}
