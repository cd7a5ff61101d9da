package io.jask.engine.serialize;

import io.jask.engine.serialize.internal.CodecRegistry;
import io.jask.engine.serialize.internal.KryoCodec;
import io.jask.engine.serialize.internal.KryoFactory;
import java.util.List;
import java.util.Objects;

/**
 * Encodes and decodes Jask values: tasks, their arguments and results, message headers.
 *
 * <p>A value is encoded by the {@link ValueCodec} registered for the closest supertype of its class
 * (codecs are found with {@link java.util.ServiceLoader} in this instance's class loader), and by
 * Kryo otherwise. Kryo handles any object graph, including serializable lambdas and method
 * references, records, classes without a no-argument constructor, JDK immutable and unmodifiable
 * collections (read back as the same kind), {@code java.time}, {@code Optional} and exceptions
 * (with message, cause and stack trace). A value that cannot travel, such as a lambda whose
 * functional interface is not {@link java.io.Serializable} or a {@link Thread}, fails with an
 * {@link IllegalArgumentException} that says which class and what to do.
 *
 * <pre>{@code
 * Serialization s = Serialization.get();
 * Encoded e = s.encode(table);                 // "arrow-table" if the dataframe module is present
 * Object back = s.decode(e);
 * byte[] header = s.toBytes(new Ping(42));     // Kryo, for small objects
 * }</pre>
 *
 * <p>Instances are thread-safe.
 */
public final class Serialization {

  private static volatile Serialization defaultInstance;

  private final ClassLoader loader;
  private final KryoFactory kryo;
  private final CodecRegistry codecs;

  private Serialization(ClassLoader loader) {
    this.loader = loader;
    this.kryo = new KryoFactory(loader);
    this.codecs = CodecRegistry.load(loader, new KryoCodec(kryo));
  }

  /**
   * The default instance: codecs found in the thread's context class loader (or this library's
   * loader when there is none), plus Kryo. The instance is cached and replaced when a later call
   * sees a different context class loader.
   */
  public static Serialization get() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) {
      cl = Serialization.class.getClassLoader();
    }
    Serialization s = defaultInstance;
    if (s == null || s.loader != cl) {
      s = new Serialization(cl);
      defaultInstance = s;
    }
    return s;
  }

  /**
   * A new instance that finds codecs and resolves classes in {@code loader}, for example a
   * worker's loader over jars uploaded by a client.
   */
  public static Serialization create(ClassLoader loader) {
    return new Serialization(Objects.requireNonNull(loader, "loader"));
  }

  /** The class loader that codecs and classes are resolved in. */
  public ClassLoader classLoader() {
    return loader;
  }

  /** The names of the codecs this instance knows, {@code "kryo"} included. */
  public List<String> codecNames() {
    return codecs.names();
  }

  /**
   * Encodes a value with the most specific codec for its class, or Kryo. {@code null} is allowed.
   *
   * @throws IllegalArgumentException if the value cannot be serialized (the message says why)
   */
  public Encoded encode(Object value) {
    ValueCodec<Object> codec = codecs.codecFor(value);
    return new Encoded(codec.name(), codec.encode(value));
  }

  /**
   * Part {@code part} of a {@link io.jask.engine.Parted} value, encoded: by the value's {@link
   * PartedCodec} if it writes the part itself ({@link PartedCodec#encodePart}), else {@code
   * encode(value.part(part))}.
   *
   * @throws IllegalArgumentException if the value is not Parted or has no such part
   */
  @SuppressWarnings("unchecked")
  public Encoded encodePart(Object value, int part) {
    if (!(value instanceof io.jask.engine.Parted p)) {
      throw new IllegalArgumentException("part " + part + " asked of a value that is not Parted: "
          + (value == null ? "null" : value.getClass().getName()));
    }
    if (part < 0 || part >= p.parts()) {
      throw new IllegalArgumentException("the value has " + p.parts() + " parts; part " + part + " asked");
    }
    if (codecs.codecFor(value) instanceof PartedCodec<?> pc) {
      Encoded own = ((PartedCodec<Object>) pc).encodePart(value, part);
      if (own != null) {
        return own;
      }
    }
    return encode(p.part(part));
  }

  /**
   * Decodes a value encoded by {@link #encode} here or in another JVM with the same codecs.
   *
   * @throws IllegalArgumentException if the codec is unknown here
   */
  public Object decode(Encoded encoded) {
    return codecs.byName(encoded.codec()).decode(encoded.frames());
  }

  /**
   * The estimated bytes the value occupies in memory, from its codec; for values Kryo handles a
   * cheap estimate that samples large collections and never serializes. A {@link
   * io.jask.engine.Parted} value (a shuffle's split output) is the sum of its parts, each sized by
   * its own codec (an object walk would stop at the parts' first levels: a split output of Tablesaw
   * tables measured 64 bytes), unless a {@link PartedCodec} is registered for its class: that
   * codec sizes it (a value that builds its parts only when asked is not built just to be measured).
   */
  public long sizeOf(Object value) {
    if (value instanceof io.jask.engine.Parted p) {
      ValueCodec<Object> own = codecs.codecFor(value);
      if (own instanceof PartedCodec<?>) {
        return own.sizeOf(value);
      }
      long size = 64;
      for (int i = 0; i < p.parts(); i++) {
        size += sizeOf(p.part(i));
      }
      return size;
    }
    return codecs.codecFor(value).sizeOf(value);
  }

  /**
   * The codec named {@code name}.
   *
   * @throws IllegalArgumentException if the codec is unknown here
   */
  public ValueCodec<Object> codec(String name) {
    return codecs.byName(name);
  }

  /** The name of the codec {@link #encode} would use for {@code value}, e.g. {@code "kryo"}. */
  public String codecName(Object value) {
    return codecs.codecFor(value).name();
  }

  /**
   * Writes a value with Kryo straight to a stream, without an array of the whole value in
   * between (workers spill values to files this way); read it with {@link #readFrom}.
   *
   * @throws IllegalArgumentException if the value cannot be serialized (the message says why)
   */
  public void writeTo(Object value, java.io.OutputStream out) {
    kryo.toStream(value, out);
  }

  /**
   * Writes a small value with Kryo to a stream with one {@code write} call, serialized first into
   * a buffer this thread reuses (no array per value): for message headers. Read it with {@link
   * #fromBytes}.
   *
   * @throws IllegalArgumentException if the value cannot be serialized (the message says why)
   */
  public void writeSmallTo(Object value, java.io.OutputStream out) {
    kryo.toStreamOnce(value, out);
  }

  /** Reads a value written by {@link #writeTo}. */
  public Object readFrom(java.io.InputStream in) {
    return kryo.fromStream(in);
  }

  /**
   * Serializes a value with Kryo into one array, whatever codec {@link #encode} would choose; for
   * message headers and small objects.
   *
   * @throws IllegalArgumentException if the value cannot be serialized (the message says why)
   */
  public byte[] toBytes(Object value) {
    return kryo.toBytes(value);
  }

  /**
   * {@link #toBytes} of {@code value} with {@code head} before it, in one array (no second copy):
   * for many values sent after the same bytes, such as the tasks of one {@code map}.
   *
   * @throws IllegalArgumentException if the value cannot be serialized (the message says why)
   */
  public byte[] toBytesAfter(byte[] head, Object value) {
    return kryo.toBytesAfter(head, value);
  }

  /** Reads a value written by {@link #toBytes}. */
  public Object fromBytes(byte[] bytes) {
    return kryo.fromBytes(bytes);
  }

  /**
   * Reads a value written by {@link #toBytes} from the {@code length} bytes at {@code offset} of
   * {@code bytes} (a part of a larger array, without copying it out).
   */
  public Object fromBytes(byte[] bytes, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
    return kryo.fromBytes(bytes, offset, length);
  }

  /**
   * A deep copy made by writing the value with Kryo and reading it back, so it also checks that
   * the value can travel (the {@code sync} scheduler uses it to catch unserializable tasks early).
   */
  @SuppressWarnings("unchecked")
  public <T> T copy(T value) {
    return (T) kryo.fromBytes(kryo.toBytes(value));
  }
}
