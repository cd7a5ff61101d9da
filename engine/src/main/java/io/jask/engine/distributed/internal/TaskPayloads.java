package io.jask.engine.distributed.internal;

import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.serialize.Serialization;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A task's payload, the bytes a worker decodes to run it. Two forms:
 *
 * <pre>
 *   whole:  Kryo bytes of the Task                     (first byte: Kryo's id of Task, never 0)
 *   split:  byte 0, varint n, n bytes of the function (Kryo), then the arguments (Kryo Object[])
 * </pre>
 *
 * <p>Clients write the split form in two parts ({@link Encoder#headOf}, {@link Encoder#args}): the
 * head (byte 0, the length, the function) is serialized once per function object and shared by its
 * tasks ({@code Msg.TaskSpec.head}: for a {@code map} of 50,000 items, one array, not 50,000), and
 * each task's {@code payload} holds only its arguments; a literal travels whole, without a head. A
 * worker's {@link Decoder} keeps the functions it decoded by their bytes, like dask's {@code
 * cache_loads}: the tasks of one {@code map} (or the same lambda submitted again) decode the
 * function once per worker, and share that one function object, so a function must not rely on
 * state of its own that differs per task. A payload in one part (whole, or split with its head in
 * front) is still read (tasks written by other code).
 */
public final class TaskPayloads {
  private TaskPayloads() {}

  /** The first byte of the split form (Kryo's marker of null, which is no task). */
  static final byte SPLIT = 0;

  /** Functions a decoder keeps at most; beyond, it starts over (a workload with that many is rare). */
  static final int MAX_CACHED = 256;

  /**
   * Writes payloads, each distinct function object serialized once. Not thread-safe: one per
   * batch of tasks (one {@code map} or graph).
   */
  public static final class Encoder {
    private final Serialization serialization;
    private final Map<TaskFn, byte[]> heads = new IdentityHashMap<>();

    public Encoder(Serialization serialization) {
      this.serialization = serialization;
    }

    /**
     * The payload of {@code task} in one part (the whole form for a literal value, which a worker
     * must not share between tasks): what {@link #headOf} and {@link #args} give in two, written
     * another way (tests build one-part specs with it; clients send the two parts).
     *
     * @throws IllegalArgumentException if its function or an argument cannot be serialized
     */
    public byte[] encode(Task task) {
      if (task.isLiteral()) {
        return serialization.toBytes(task); // a value, not a function: never shared between tasks
      }
      return serialization.toBytesAfter(head(task.fn()), task.args());
    }

    /**
     * The shared head of {@code task}'s payload (its function, serialized once per function object),
     * or null for a literal: with {@link #args}, the two parts of a {@code TaskSpec} whose head is
     * shared (see {@code Msg.TaskSpec}); {@code head ++ args} equals {@link #encode}.
     *
     * @throws IllegalArgumentException if the function cannot be serialized
     */
    public byte[] headOf(Task task) {
      return task.isLiteral() ? null : head(task.fn());
    }

    /**
     * The rest of {@code task}'s payload after {@link #headOf}: its arguments, or the whole payload of
     * a literal.
     *
     * @throws IllegalArgumentException if an argument cannot be serialized
     */
    public byte[] args(Task task) {
      return task.isLiteral() ? serialization.toBytes(task) : serialization.toBytes(task.args());
    }

    private byte[] head(TaskFn fn) {
      byte[] head = heads.get(fn);
      if (head == null) {
        head = TaskPayloads.head(serialization, fn);
        heads.put(fn, head);
      }
      return head;
    }
  }

  /**
   * The function part of the payloads of {@code fn}'s tasks (a {@code TaskSpec}'s shared head; its
   * arguments follow as Kryo bytes of an {@code Object[]}): a caller that knows a function cannot
   * change (a lambda that captures nothing) keeps it for later tasks.
   *
   * @throws IllegalArgumentException if the function cannot be serialized
   */
  public static byte[] head(Serialization serialization, TaskFn fn) {
    return headOf(serialization.toBytes(fn));
  }

  private static byte[] headOf(byte[] fn) {
    byte[] varint = new byte[5];
    int n = 0;
    int v = fn.length;
    while ((v & ~0x7F) != 0) {
      varint[n++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    varint[n++] = (byte) v;
    byte[] head = new byte[1 + n + fn.length];
    head[0] = SPLIT;
    System.arraycopy(varint, 0, head, 1, n);
    System.arraycopy(fn, 0, head, 1 + n, fn.length);
    return head;
  }

  /** Reads payloads, keeping the functions it decoded by content. Thread-safe. */
  public static final class Decoder {
    private final Serialization serialization;
    private final Map<FnBytes, TaskFn> functions = new ConcurrentHashMap<>();

    public Decoder(Serialization serialization) {
      this.serialization = serialization;
    }

    /**
     * The task of a payload in two parts, {@code head} (shared by many tasks, or null) and {@code
     * payload} (see {@code Msg.TaskSpec}).
     *
     * @throws IllegalArgumentException if the bytes are not a task (the message says what is wrong)
     */
    public Task decode(byte[] head, byte[] payload) {
      try {
        if (head == null) {
          return read(payload);
        }
        return Task.of(sharedFunction(head), arguments(payload, 0, payload.length, head.length + payload.length));
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (RuntimeException e) { // a serializer tripped over corrupt bytes
        int length = (head == null ? 0 : head.length) + payload.length;
        throw new IllegalArgumentException("task payload of " + length + " bytes is corrupt: " + e, e);
      }
    }

    /** The function of a shared head: the tasks of one message share its array, so once per message. */
    private TaskFn sharedFunction(byte[] head) {
      Shared last = lastShared;
      if (last != null && last.head == head) {
        return last.fn;
      }
      if (head.length == 0 || head[0] != SPLIT) {
        throw new IllegalArgumentException("task payload head of " + head.length + " bytes does not start a function");
      }
      long range = functionRange(head);
      int pos = (int) ((range >>> 32) & Integer.MAX_VALUE);
      int n = (int) range;
      if (range == CORRUPT_LENGTH || range < 0 || pos + n != head.length) {
        throw new IllegalArgumentException("task payload head of " + head.length + " bytes: corrupt function length");
      }
      TaskFn fn = function(head, pos, n, head.length);
      lastShared = new Shared(head, fn);
      return fn;
    }

    /** The head {@link #sharedFunction} read last, and its function. */
    private record Shared(byte[] head, TaskFn fn) {}

    private volatile Shared lastShared;

    /**
     * The task of {@code payload}.
     *
     * @throws IllegalArgumentException if the payload is not a task (the message says what is wrong)
     */
    public Task decode(byte[] payload) {
      return decode(null, payload);
    }

    private Task read(byte[] payload) {
      if (payload.length == 0) {
        throw new IllegalArgumentException("empty task payload");
      }
      if (payload[0] != SPLIT) {
        Object whole = serialization.fromBytes(payload);
        if (!(whole instanceof Task t)) {
          throw new IllegalArgumentException("task payload of " + payload.length + " bytes holds a "
              + (whole == null ? "null" : whole.getClass().getName()) + ", not a task");
        }
        return t;
      }
      long range = functionRange(payload);
      if (range == CORRUPT_LENGTH) {
        throw new IllegalArgumentException("task payload of " + payload.length + " bytes: corrupt function length");
      }
      int pos = (int) ((range >>> 32) & Integer.MAX_VALUE);
      int n = (int) range;
      if (range < 0) {
        throw new IllegalArgumentException(
            "task payload of " + payload.length + " bytes announces a function of " + n + " bytes at offset " + pos);
      }
      TaskFn fn = function(payload, pos, n, payload.length);
      int at = pos + n;
      return Task.of(fn, arguments(payload, at, payload.length - at, payload.length));
    }

    /** The function serialized in {@code n} bytes of {@code bytes} at {@code pos}, decoded once per content. */
    private TaskFn function(byte[] bytes, int pos, int n, int payloadLength) {
      FnBytes probe = new FnBytes(bytes, pos, n);
      TaskFn fn = functions.get(probe);
      if (fn == null) {
        Object f = serialization.fromBytes(bytes, pos, n);
        if (!(f instanceof TaskFn tf)) {
          throw new IllegalArgumentException("task payload of " + payloadLength + " bytes holds a "
              + (f == null ? "null" : f.getClass().getName()) + " where its function should be");
        }
        fn = tf;
        if (functions.size() >= MAX_CACHED) {
          functions.clear();
        }
        functions.put(probe.copy(), fn);
      }
      return fn;
    }

    private Object[] arguments(byte[] bytes, int at, int length, int payloadLength) {
      Object args = serialization.fromBytes(bytes, at, length);
      if (!(args instanceof Object[] a)) {
        throw new IllegalArgumentException("task payload of " + payloadLength + " bytes holds a "
            + (args == null ? "null" : args.getClass().getName()) + " where its arguments should be");
      }
      return a;
    }

    /** How many functions are kept (for tests). */
    int cached() {
      return functions.size();
    }
  }

  /** {@link #functionRange} of a payload whose function length does not parse. */
  private static final long CORRUPT_LENGTH = Long.MIN_VALUE;

  /**
   * Where a split payload's function bytes are: offset in the high 32 bits, length in the low;
   * {@link #CORRUPT_LENGTH} if the length does not parse, or the sign bit set (with offset and
   * announced length) if it does not fit the payload.
   */
  private static long functionRange(byte[] payload) {
    int pos = 1;
    int n = 0;
    for (int shift = 0; ; shift += 7) {
      if (pos >= payload.length || shift > 28) {
        return CORRUPT_LENGTH;
      }
      byte b = payload[pos++];
      n |= (b & 0x7F) << shift;
      if (b >= 0) {
        break;
      }
    }
    long range = ((long) pos << 32) | (n & 0xFFFFFFFFL);
    return n <= 0 || n > payload.length - pos ? range | Long.MIN_VALUE : range;
  }

  /**
   * A hash of the function of a split payload ({@code 0} for the whole form or a payload that does
   * not parse): the tasks of one function object (a {@code map}, the same lambda submitted again)
   * share it, two functions with the same key prefix (every lambda's is {@code lambda}) almost
   * never do. A worker keeps its record of how long tasks take by it.
   */
  public static long functionHash(byte[] head, byte[] payload) {
    return functionHash(head != null ? head : payload);
  }

  /** {@link #functionHash(byte[], byte[])} of a payload in one part. */
  public static long functionHash(byte[] payload) {
    if (payload.length == 0 || payload[0] != SPLIT) {
      return 0;
    }
    long range = functionRange(payload);
    if (range < 0) {
      return 0;
    }
    long h = hash(payload, (int) (range >>> 32), (int) range);
    return h == 0 ? 1 : h;
  }

  /** A 64-bit hash of {@code length} bytes from {@code offset}, eight bytes a step (it runs for every task). */
  private static long hash(byte[] bytes, int offset, int length) {
    long h = 1125899906842597L + length;
    int i = offset;
    int end = offset + length;
    for (; i + 8 <= end; i += 8) {
      h = 31 * h + (long) FnBytes.LONGS.get(bytes, i);
    }
    for (; i < end; i++) {
      h = 31 * h + bytes[i];
    }
    return h;
  }

  /** A range of bytes compared by content; the hash is computed once. */
  private static final class FnBytes {
    private static final java.lang.invoke.VarHandle LONGS =
        java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final int hash;

    FnBytes(byte[] bytes, int offset, int length) {
      this.bytes = bytes;
      this.offset = offset;
      this.length = length;
      this.hash = Long.hashCode(TaskPayloads.hash(bytes, offset, length));
    }

    FnBytes copy() {
      return new FnBytes(Arrays.copyOfRange(bytes, offset, offset + length), 0, length);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FnBytes f && f.hash == hash && f.length == length
          && Arrays.equals(bytes, offset, offset + length, f.bytes, f.offset, f.offset + length);
    }
  }
}
