package io.jask.engine.serialize;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A way to encode values of one type into frames, found with {@link java.util.ServiceLoader}.
 *
 * <p>A module adds a codec by listing its class in {@code
 * META-INF/services/io.jask.engine.serialize.ValueCodec}; the class needs a public no-argument
 * constructor. {@link Serialization#encode} uses the codec whose {@link #type()} is the closest
 * supertype of a value's class, and Kryo ({@code "kryo"}) when none matches. For example the
 * {@code dataframe} module encodes Tablesaw {@code Table}s as Arrow IPC streams and {@code array}
 * encodes ND4J {@code INDArray}s as a small header frame plus their raw data buffer.
 *
 * <pre>{@code
 * public final class PointCodec implements ValueCodec<Point> {
 *   public String name() { return "point"; }
 *   public Class<Point> type() { return Point.class; }
 *   public List<ByteBuffer> encode(Point p) {
 *     return List.of(ByteBuffer.allocate(16).putDouble(p.x()).putDouble(p.y()).flip());
 *   }
 *   public Point decode(List<ByteBuffer> frames) {
 *     ByteBuffer b = frames.get(0).duplicate();
 *     return new Point(b.getDouble(), b.getDouble());
 *   }
 *   public long sizeOf(Point p) { return 32; }
 * }
 * }</pre>
 *
 * <p>Implementations must be thread-safe: one instance serves every thread of a JVM.
 *
 * @param <T> the type of values this codec handles
 */
public interface ValueCodec<T> {

  /** A unique name that travels with every encoded value, e.g. {@code "arrow-table"}. */
  String name();

  /** The values this codec handles: every instance of this class or interface. */
  Class<T> type();

  /**
   * Encodes a value into one or more frames. Large data buffers should be frames of their own
   * (they are sent as they are, never copied into a Kryo header). The frames are read from their
   * position to their limit; callers do not modify them.
   */
  List<ByteBuffer> encode(T value);

  /**
   * Decodes the frames produced by {@link #encode}. Implementations must not change the frames'
   * positions (use {@link ByteBuffer#duplicate()}); the returned value may share their memory.
   */
  T decode(List<ByteBuffer> frames);

  /** The estimated bytes that the value occupies in memory, for worker memory accounting. */
  long sizeOf(T value);
}
