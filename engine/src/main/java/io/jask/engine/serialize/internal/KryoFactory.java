package io.jask.engine.serialize.internal;

import java.util.ArrayList;
import java.util.List;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import io.jask.engine.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
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

  private final ClassLoader loader;

  public KryoFactory(ClassLoader loader) {
    this.loader = loader;
  }

  /**
   * Idle Kryo instances of this factory, at most one per slot; a thread looks first in the slot its
   * id hashes to, so a thread that serializes again and again mostly gets its own instance back.
   * Lock-free: every message header and task payload is read and written through here, on the
   * transport's threads and the task threads at once. Kryo's thread-safe {@code Pool} (a {@code
   * LinkedBlockingQueue}) took two lock round trips per value, and when the threads met on the
   * lock its slow path made the methods that had it compiled in deoptimize and compile again. A
   * Kryo per thread instead would cost every new thread a new instance (about 2 ms: each
   * registration builds its serializer by reflection) inside whatever it was doing.
   */
  private final AtomicReferenceArray<Kryo> idle = new AtomicReferenceArray<>(SLOTS);

  /** Idle instances kept, a power of two; more in use at once are made and dropped when freed. */
  private static final int SLOTS = 64;

  /** The slot this thread looks in first. */
  private static int home() {
    return (int) (Thread.currentThread().getId() * 0x9E3779B97F4A7C15L >>> 58); // 6 bits: SLOTS
  }

  /** An idle Kryo (this thread's usual one if it is there), or a new one; give it back with {@link #free}. */
  Kryo obtain() {
    int h = home();
    for (int i = 0; i < SLOTS; i++) {
      int j = (h + i) & (SLOTS - 1);
      Kryo k = idle.get(j);
      if (k != null && idle.compareAndSet(j, k, null)) {
        return k;
      }
    }
    return newKryo();
  }

  /** Resets {@code kryo} and keeps it for the next {@link #obtain} (in this thread's slot if free). */
  void free(Kryo kryo) {
    kryo.reset();
    int h = home();
    for (int i = 0; i < SLOTS; i++) {
      int j = (h + i) & (SLOTS - 1);
      if (idle.get(j) == null && idle.compareAndSet(j, null, kryo)) {
        return;
      }
    }
  }

  /** A new, configured Kryo; most callers want {@link #toBytes} / {@link #fromBytes}. */
  public Kryo newKryo() {
    Kryo kryo = new JaskKryo(this);
    kryo.setRegistrationRequired(false);
    kryo.setReferences(true);
    // reset() clears the whole reference table after every object: keep it small (it shrinks back
    // after a large graph), or every small message pays for the largest one seen (measured: with the
    // default table, clearing it was most of the scheduler's CPU time on 50,000 tiny tasks)
    kryo.setReferenceResolver(new com.esotericsoftware.kryo.util.MapReferenceResolver(64) {
      @Override
      public boolean useReferences(Class type) {
        // keys travel by value (KeySerializer), and so do the messages of every task's path
        return type != Key.class && !ProtocolSerializers.CLASSES.contains(type) && super.useReferences(type);
      }
    });
    kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
    kryo.setClassLoader(loader);
    kryo.register(ClosureSerializer.Closure.class, new CheckedClosureSerializer());
    for (int i = 0; i < WELL_KNOWN.size(); i++) {
      kryo.register(WELL_KNOWN.get(i), FIRST_WELL_KNOWN_ID + i);
    }
    kryo.getRegistration(Key.class).setSerializer(new KeySerializer());
    ProtocolSerializers.install(kryo);
    return kryo;
  }

  /** The id of the first of {@link #WELL_KNOWN}, above Kryo's own registrations. */
  private static final int FIRST_WELL_KNOWN_ID = 64;

  /**
   * Classes in nearly every message between Jask processes (the protocol's messages, keys, the
   * JDK collections they hold), registered with fixed ids so that the stream names each by a
   * small number instead of its class name. Every JVM of a cluster runs the same Jask build, so
   * the list, in this order, is the same everywhere; nothing else changes (each class keeps the
   * serializer it would get unregistered). Measured: the class names were a large part of the
   * bytes and the Kryo time of a small message.
   */
  private static final List<Class<?>> WELL_KNOWN = wellKnown();

  private static List<Class<?>> wellKnown() {
    List<Class<?>> out = new ArrayList<>();
    List<String> names = new ArrayList<>(List.of(
        "io.jask.engine.Key", "io.jask.engine.KeyPart", "io.jask.engine.Task", "io.jask.engine.Task$Literal",
        "io.jask.engine.Fn$Call0", "io.jask.engine.Fn$Call1", "io.jask.engine.Fn$Call2", "io.jask.engine.Fn$Call3",
        "io.jask.engine.Fn$Call4", "io.jask.engine.Fn$CallN", "java.lang.Class", "java.lang.invoke.SerializedLambda",
        "java.util.ArrayList", "java.util.LinkedList", "java.util.HashMap", "java.util.LinkedHashMap",
        "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
        "java.util.ImmutableCollections$ListN", "java.util.ImmutableCollections$List12",
        "java.util.ImmutableCollections$SetN", "java.util.ImmutableCollections$Set12",
        "java.util.ImmutableCollections$MapN", "java.util.ImmutableCollections$Map1",
        "java.util.Collections$EmptyList", "java.util.Collections$EmptyMap", "java.util.Collections$EmptySet",
        "java.util.Collections$SingletonList", "java.util.Collections$UnmodifiableRandomAccessList",
        "java.util.Collections$UnmodifiableMap", "java.util.Collections$UnmodifiableSet",
        "java.util.Arrays$ArrayList", "java.util.Optional",
        "[B", "[I", "[J", "[D", "[Ljava.lang.Object;", "[Ljava.lang.String;"));
    try {
      Class<?> msg = Class.forName("io.jask.engine.distributed.protocol.Msg", false, KryoFactory.class.getClassLoader());
      List<String> messages = new ArrayList<>();
      for (Class<?> c : msg.getDeclaredClasses()) {
        messages.add(c.getName());
      }
      java.util.Collections.sort(messages); // reflection's order is unspecified; names are not
      names.addAll(messages);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("the protocol classes are missing from the engine", e);
    }
    for (String n : names) {
      try {
        out.add(Class.forName(n, false, KryoFactory.class.getClassLoader()));
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("well-known class " + n + " is missing", e);
      }
    }
    return List.copyOf(out);
  }

  /** Writes one value (any class, or {@code null}) into a new array. */
  public byte[] toBytes(Object value) {
    return toBytesAfter(NO_BYTES, value);
  }

  private static final byte[] NO_BYTES = new byte[0];

  /** Per thread, the output small values are written into before one copy to their stream. */
  private static final ThreadLocal<Output> SCRATCH = ThreadLocal.withInitial(() -> new Output(1024, -1));

  /**
   * This thread's scratch output, or a fresh one if it is in use (a serializer that writes a value
   * of its own while another is being written here); give it back with {@link #release}.
   */
  private static Output scratch() {
    Output out = SCRATCH.get();
    if (out == null) {
      return new Output(4096, -1);
    }
    SCRATCH.set(null);
    out.reset();
    return out;
  }

  private static void release(Output out) {
    if (out.getBuffer().length <= MAX_SCRATCH) {
      SCRATCH.set(out);
    } else {
      SCRATCH.remove(); // a new small one next time
    }
  }

  /** Scratch outputs that grew beyond this are not kept (a large header once is no reason to hold it). */
  private static final int MAX_SCRATCH = 1 << 16;

  /**
   * Writes one value to {@code stream} through this thread's scratch buffer (one write for a small
   * value, one per buffer-full for a large one): no array of its own per value (message headers).
   */
  public void toStreamOnce(Object value, java.io.OutputStream stream) {
    Output out = scratch();
    Kryo kryo = obtain();
    // a value larger than the scratch array goes to the stream in pieces as the array fills, instead
    // of into ever larger copies (a scheduler's batch of 25,000 tasks: megabytes of garbage per batch)
    out.setOutputStream(stream);
    try {
      kryo.writeClassAndObject(out, value);
      out.flush();
    } catch (KryoException e) {
      if (e.getCause() instanceof java.io.IOException io) {
        throw new java.io.UncheckedIOException(io);
      }
      throw NotSerializable.explain(value, e);
    } catch (IllegalArgumentException e) {
      throw NotSerializable.explain(value, e);
    } finally {
      out.setOutputStream(null);
      free(kryo);
      release(out);
    }
  }

  /**
   * Writes {@code head} and then one value into a new array: a caller that sends many values after
   * the same bytes (a function serialized once, then each task's arguments) pays one copy of the
   * head, not a second array.
   */
  public byte[] toBytesAfter(byte[] head, Object value) {
    Output out = scratch(); // written there, then copied once into an array of the exact size
    Kryo kryo = obtain();
    try {
      out.writeBytes(head);
      kryo.writeClassAndObject(out, value);
      return out.toBytes();
    } catch (KryoException | IllegalArgumentException e) {
      throw NotSerializable.explain(value, e);
    } finally {
      free(kryo);
      release(out);
    }
  }

  /**
   * Writes one value into a buffer sized for {@code sizeHint} bytes (it grows if needed) and
   * returns the written part without copying it; for large values whose size is known roughly.
   */
  public java.nio.ByteBuffer toBuffer(Object value, long sizeHint) {
    Kryo kryo = obtain();
    try {
      Output out = new Output((int) Math.max(256, Math.min(sizeHint + 64, Integer.MAX_VALUE - 16)), -1);
      kryo.writeClassAndObject(out, value);
      return java.nio.ByteBuffer.wrap(out.getBuffer(), 0, out.position());
    } catch (KryoException | IllegalArgumentException e) {
      throw NotSerializable.explain(value, e);
    } finally {
      free(kryo);
    }
  }

  /** Writes one value to a stream, with no array of the whole value in between. */
  public void toStream(Object value, java.io.OutputStream stream) {
    Kryo kryo = obtain();
    try {
      Output out = new Output(stream, 1 << 16);
      kryo.writeClassAndObject(out, value);
      out.flush();
    } catch (KryoException | IllegalArgumentException e) {
      throw NotSerializable.explain(value, e);
    } finally {
      free(kryo);
    }
  }

  /** Reads a value written by {@link #toStream}. */
  public Object fromStream(java.io.InputStream stream) {
    Kryo kryo = obtain();
    try {
      return kryo.readClassAndObject(new Input(stream, 1 << 16));
    } catch (KryoException e) {
      throw new IllegalArgumentException("cannot deserialize value: " + e.getMessage(), e);
    } finally {
      free(kryo);
    }
  }

  /** Reads a value written by {@link #toBytes}. */
  public Object fromBytes(byte[] bytes) {
    return fromBytes(bytes, 0, bytes.length);
  }

  /** Reads a value written by {@link #toBytes} from {@code length} bytes at {@code offset}. */
  public Object fromBytes(byte[] bytes, int offset, int length) {
    Kryo kryo = obtain();
    ReusedInput in = INPUT.get();
    if (in == null) {
      in = new ReusedInput(); // this thread's is in use further up the stack
    } else {
      INPUT.set(null);
    }
    in.setBuffer(bytes, offset, length);
    try {
      return kryo.readClassAndObject(in);
    } catch (KryoException e) {
      String hint =
          String.valueOf(e.getMessage()).contains("Unable to find class")
              ? " (is the jar that defines it on this JVM's class path? a standalone cluster"
                  + " gets user code with client.uploadJar)"
              : "";
      throw new IllegalArgumentException("cannot deserialize value: " + e.getMessage() + hint, e);
    } finally {
      free(kryo);
      in.setBuffer(NO_BYTES); // holds no message
      if (!in.bloated()) {
        INPUT.set(in);
      }
    }
  }

  /**
   * Per thread, an {@code Input} for {@link #fromBytes} (taken while in use): a new one per value
   * cost an object and its 32-char string buffer for every message header and task read.
   */
  private static final ThreadLocal<ReusedInput> INPUT = ThreadLocal.withInitial(ReusedInput::new);

  /** An {@code Input} kept per thread, unless reading a long string grew its char buffer. */
  private static final class ReusedInput extends Input {
    ReusedInput() {
      super(NO_BYTES);
    }

    boolean bloated() {
      return chars.length > 1024;
    }
  }
}
