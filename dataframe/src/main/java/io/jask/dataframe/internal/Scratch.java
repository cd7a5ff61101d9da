package io.jask.dataframe.internal;

import java.lang.ref.SoftReference;

/**
 * Work arrays of one thread, kept from one task to the next so that a shuffle's output tasks and
 * piece encodings (hundreds of thousands of rows each, one after the other on a worker's task
 * thread) do not allocate the same temporary arrays again for every partition: on a worker of a
 * 2-worker sort of 10 million rows they were most of the garbage, so most of the young
 * collections and the promotions behind the full ones. An array is at least as long as asked
 * (callers use their row count, never its length), and its contents are whatever the last user
 * left. Held through a soft reference (the collector drops them before it runs out of memory), and
 * only for up to {@link #MAX_ROWS} rows: larger requests get a fresh array. Tasks of a local
 * computation (sync, threads) get fresh arrays too ({@link #local}): this is for workers.
 *
 * <p>Each use site has its own instance and slots, and a slot's array is used only until the
 * call that asked for it returns, so two uses never share an array. A slot past the instance's
 * count gets a fresh array.
 *
 * <pre>{@code
 * private static final Scratch SCRATCH = new Scratch(2);
 * long[] keys = SCRATCH.longs(0, n);   // n or more longs, this thread's
 * }</pre>
 */
final class Scratch {
  /** The largest request kept (rows): larger ones allocate, so a thread holds at most a few MiB per slot. */
  static final int MAX_ROWS = 1 << 21;

  private final int slots;
  private final ThreadLocal<SoftReference<Object[]>> local = new ThreadLocal<>();

  /** Work arrays in {@code slots} slots per thread. */
  Scratch(int slots) {
    this.slots = slots;
  }

  /** At least {@code n} longs for slot {@code slot} of this thread. */
  long[] longs(int slot, int n) {
    return array(slot, n, long[].class, long[]::new);
  }

  /** At least {@code n} ints for slot {@code slot} of this thread. */
  int[] ints(int slot, int n) {
    return array(slot, n, int[].class, int[]::new);
  }

  /** At least {@code n} doubles for slot {@code slot} of this thread. */
  double[] doubles(int slot, int n) {
    return array(slot, n, double[].class, double[]::new);
  }

  /** At least {@code n} elements of array type {@code type} for slot {@code slot} of this thread. */
  private <A> A array(int slot, int n, Class<A> type, java.util.function.IntFunction<A> make) {
    if (slot >= slots || local()) {
      return make.apply(n);
    }
    Object[] s = arrays();
    Object kept = s[slot];
    if (type.isInstance(kept) && java.lang.reflect.Array.getLength(kept) >= n) {
      return type.cast(kept);
    }
    A a = make.apply(grown(n));
    keep(s, slot, a, n);
    return a;
  }

  /**
   * Whether the calling task runs in a local computation ({@code sync}, {@code threads}): there no
   * array is kept. Those tasks run in the client's own JVM, whose heap (G1) did not give back the
   * memory around kept arrays of a few MiB each (humongous regions) when the computation ended:
   * D4's benchmark JVM held 0.82 instead of 0.34 GB resident after its threads cases.
   */
  private static boolean local() {
    return io.jask.engine.scheduler.local.LocalCompute.current().isPresent();
  }

  private Object[] arrays() {
    SoftReference<Object[]> ref = local.get();
    Object[] s = ref == null ? null : ref.get();
    if (s == null) {
      s = new Object[slots];
      local.set(new SoftReference<>(s));
    }
    return s;
  }

  /** Room for a little more than {@code n}, so partitions of nearly the same size share one array. */
  private static int grown(int n) {
    return n > MAX_ROWS ? n : Math.min(MAX_ROWS, n + (n >> 4));
  }

  private static void keep(Object[] s, int slot, Object a, int n) {
    s[slot] = n <= MAX_ROWS ? a : null;
  }
}
