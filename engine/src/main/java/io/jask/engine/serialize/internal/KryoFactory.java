package io.jask.engine.serialize.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Configured Kryo instances for one class loader, pooled because a {@link Kryo} is not
 * thread-safe.
 *
 * <p>Configuration: no registration required (any class travels, named in the stream);
 * references on (shared and cyclic graphs keep their shape); classes without a no-argument
 * constructor are created without calling one; serializable lambdas through {@link
 * ClosureSerializer}; JDK immutable, unmodifiable and {@code Arrays.asList} collections by content
 * ({@link JdkCollectionSerializers}); exceptions by {@link ThrowableSerializer}; threads, class
 * loaders and streams refused with an explanation ({@link RefusingSerializer}). Records, {@code
 * java.time}, {@code Optional}, enums, {@code BitSet}, {@code UUID}, big numbers and {@code Class}
 * objects use Kryo's own serializers.
 */
public final class KryoFactory {

  private static final int MAX_POOLED = 64;

  private final ClassLoader loader;
  private final Pool<Kryo> pool;

  public KryoFactory(ClassLoader loader) {
    this.loader = loader;
    this.pool =
        new Pool<>(true, false, MAX_POOLED) {
          @Override
          protected Kryo create() {
            return newKryo();
          }
        };
  }

  /** A new, configured Kryo; most callers want {@link #toBytes} / {@link #fromBytes}. */
  public Kryo newKryo() {
    Kryo kryo = new JaskKryo(this);
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    // reset() clears the whole reference table after every object: keep it small (it shrinks back
    // after a large graph), or every small message pays for the largest one seen (measured: with the
    // default table, clearing it was most of the scheduler's CPU time on 50,000 tiny tasks)
    kryo.setReferenceResolver(new com.esotericsoftware.kryo.util.MapReferenceResolver(64));
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    kryo.setClassLoader(loader);
    kryo.register(ClosureSerializer.Closure.class, new CheckedClosureSerializer());
    return kryo;
  }

  /** Writes one value (any class, or {@code null}) into a new array. */
  public byte[] toBytes(Object value) {
    Kryo kryo = pool.obtain();
    try (Output out = new Output(256, -1)) {
      kryo.writeClassAndObject(out, value);
      return out.toBytes();
    } catch (KryoException | IllegalArgumentException e) {
      throw NotSerializable.explain(value, e);
    } finally {
      kryo.reset();
      pool.free(kryo);
    }
  }

  /**
   * Writes one value into a buffer sized for {@code sizeHint} bytes (it grows if needed) and
   * returns the written part without copying it; for large values whose size is known roughly.
   */
  public java.nio.ByteBuffer toBuffer(Object value, long sizeHint) {
    Kryo kryo = pool.obtain();
    try {
      Output out = new Output((int) Math.max(256, Math.min(sizeHint + 64, Integer.MAX_VALUE - 16)), -1);
      kryo.writeClassAndObject(out, value);
      return java.nio.ByteBuffer.wrap(out.getBuffer(), 0, out.position());
    } catch (KryoException | IllegalArgumentException e) {
      throw NotSerializable.explain(value, e);
    } finally {
      kryo.reset();
      pool.free(kryo);
    }
  }

  /** Writes one value to a stream, with no array of the whole value in between. */
  public void toStream(Object value, java.io.OutputStream stream) {
    Kryo kryo = pool.obtain();
    try {
      Output out = new Output(stream, 1 << 16);
      kryo.writeClassAndObject(out, value);
      out.flush();
    } catch (KryoException | IllegalArgumentException e) {
      throw NotSerializable.explain(value, e);
    } finally {
      kryo.reset();
      pool.free(kryo);
    }
  }

  /** Reads a value written by {@link #toStream}. */
  public Object fromStream(java.io.InputStream stream) {
    Kryo kryo = pool.obtain();
    try {
      return kryo.readClassAndObject(new Input(stream, 1 << 16));
    } catch (KryoException e) {
      throw new IllegalArgumentException("cannot deserialize value: " + e.getMessage(), e);
    } finally {
      kryo.reset();
      pool.free(kryo);
    }
  }

  /** Reads a value written by {@link #toBytes}. */
  public Object fromBytes(byte[] bytes) {
    Kryo kryo = pool.obtain();
    try {
      return kryo.readClassAndObject(new Input(bytes));
    } catch (KryoException e) {
      String hint =
          String.valueOf(e.getMessage()).contains("Unable to find class")
              ? " (is the jar that defines it on this JVM's class path? a standalone cluster"
                  + " gets user code with client.uploadJar)"
              : "";
      throw new IllegalArgumentException("cannot deserialize value: " + e.getMessage() + hint, e);
    } finally {
      kryo.reset();
      pool.free(kryo);
    }
  }
}
