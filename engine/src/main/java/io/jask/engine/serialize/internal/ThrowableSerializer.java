package io.jask.engine.serialize.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.reflect.Field;
import java.util.List;

/**
 * Exceptions, so that a task's error reaches the client with its class, message, cause, stack
 * trace and suppressed exceptions.
 *
 * <p>First choice, Kryo field by field, written in a nested, self-contained Kryo stream so that a
 * failure halfway leaves the outer stream untouched; the stack trace is materialized first (a
 * fresh exception keeps it in a native form that no serializer sees). When Kryo cannot write the
 * exception (some field it cannot handle), Java serialization, which every {@link Throwable}
 * supports as long as its fields are {@link java.io.Serializable}. A one-byte tag says which.
 *
 * <p>On read, the Kryo form gets one repair: {@code Throwable} marks "no suppressed exceptions
 * yet" with an identity sentinel that no serializer can reproduce, and without it {@link
 * Throwable#addSuppressed} would fail on the copy.
 */
final class ThrowableSerializer extends Serializer<Throwable> {

  private static final byte KRYO = 1;
  private static final byte JAVA = 2;

  private static final Field SUPPRESSED = suppressedField();
  private static final Object SENTINEL = sentinel();

  private final KryoFactory factory;
  private final Class<?> type;

  ThrowableSerializer(KryoFactory factory, Class<?> type) {
    this.factory = factory;
    this.type = type;
  }

  @Override
  public void write(Kryo kryo, Output out, Throwable t) {
    t.getStackTrace();
    byte[] bytes;
    byte tag;
    RuntimeException kryoFailure;
    try {
      // a Kryo of its own (the one writing this stream is in use); one whose write failed is
      // dropped, not given back, whatever state the failure left it in
      Kryo nested = factory.obtain();
      try (Output o = new Output(512, -1)) {
        nested.writeObject(o, t, new FieldSerializer<>(nested, type));
        bytes = o.toBytes();
      }
      factory.free(nested);
      tag = KRYO;
      kryoFailure = null;
    } catch (RuntimeException e) {
      kryoFailure = e;
      bytes = null;
      tag = JAVA;
    }
    if (bytes == null) {
      try {
        bytes = javaSerialize(t);
      } catch (IOException | RuntimeException e) {
        NotSerializable err =
            new NotSerializable(
                "exception " + type.getName() + " cannot be serialized, neither by Kryo ("
                    + kryoFailure.getMessage() + ") nor by Java serialization (" + e
                    + "); make its fields serializable or mark them transient");
        err.addSuppressed(kryoFailure);
        throw err;
      }
    }
    out.writeByte(tag);
    out.writeVarInt(bytes.length, true);
    out.writeBytes(bytes);
  }

  @Override
  public Throwable read(Kryo kryo, Input in, Class<? extends Throwable> cls) {
    byte tag = in.readByte();
    byte[] bytes = in.readBytes(in.readVarInt(true));
    if (tag == KRYO) {
      Kryo nested = factory.obtain(); // dropped, not given back, if the read fails
      Throwable t = nested.readObject(new Input(bytes), cls, new FieldSerializer<>(nested, cls));
      factory.free(nested);
      repairSuppressed(t);
      return t;
    }
    if (tag == JAVA) {
      return javaDeserialize(bytes, kryo.getClassLoader());
    }
    throw new IllegalArgumentException("corrupt exception encoding: tag " + tag);
  }

  private static byte[] javaSerialize(Throwable t) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (ObjectOutputStream oos = new ObjectOutputStream(bos)) {
      oos.writeObject(t);
    }
    return bos.toByteArray();
  }

  private static Throwable javaDeserialize(byte[] bytes, ClassLoader loader) {
    try (ObjectInputStream ois = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), loader)) {
      return (Throwable) ois.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalArgumentException("cannot deserialize exception: " + e, e);
    }
  }

  /** Walks the cause chain and resets each empty suppressed list to the JDK's sentinel. */
  private static void repairSuppressed(Throwable root) {
    if (SUPPRESSED == null || SENTINEL == null) {
      return;
    }
    for (Throwable t = root; t != null; t = t.getCause() == t ? null : t.getCause()) {
      try {
        Object list = SUPPRESSED.get(t);
        if (list instanceof List<?> l && list != SENTINEL) {
          SUPPRESSED.set(t, SENTINEL);
          for (Object s : List.copyOf(l)) {
            t.addSuppressed((Throwable) s);
          }
        }
      } catch (IllegalAccessException | RuntimeException e) {
        return;
      }
    }
  }

  private static Field suppressedField() {
    try {
      Field f = Throwable.class.getDeclaredField("suppressedExceptions");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // without --add-opens java.base/java.lang: addSuppressed on copies may fail
    }
  }

  private static Object sentinel() {
    try {
      Field f = Throwable.class.getDeclaredField("SUPPRESSED_SENTINEL");
      f.setAccessible(true);
      return f.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Resolves classes in the given loader first. */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader loader;

    LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
      super(in);
      this.loader = loader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, loader);
      } catch (ClassNotFoundException e) {
        return super.resolveClass(desc);
      }
    }
  }
}
