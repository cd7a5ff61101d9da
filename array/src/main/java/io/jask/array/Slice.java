package io.jask.array;

/**
 * One axis of a selection for {@link DArray#get(Slice...)}: a Python-style {@code start:stop:step}
 * (negative positions count from the end, a missing bound means the end in the step's direction,
 * a negative step walks backwards) or an integer index that drops the axis.
 *
 * <pre>{@code
 * x.get(Slice.all(), Slice.of(10, 20));        // x[:, 10:20]
 * x.get(Slice.step(2));                        // x[::2]
 * x.get(Slice.of(-1, Slice.END, -1));          // x[-1::-1], the rows reversed
 * x.get(Slice.at(-1));                         // x[-1], the last row (axis dropped)
 * }</pre>
 */
public final class Slice {
  /** Stands for a missing bound in {@link #of(long, long, long)}. */
  public static final long END = Long.MIN_VALUE;

  private static final Slice ALL = new Slice(END, END, 1, false);

  private final long start;
  private final long stop;
  private final long step;
  private final boolean index;

  private Slice(long start, long stop, long step, boolean index) {
    if (step == 0) {
      throw new IllegalArgumentException("slice step cannot be zero");
    }
    this.start = start;
    this.stop = stop;
    this.step = step;
    this.index = index;
  }

  /** {@code :}, the whole axis. */
  public static Slice all() {
    return ALL;
  }

  /** {@code start:stop}. */
  public static Slice of(long start, long stop) {
    return new Slice(start, stop, 1, false);
  }

  /** {@code start:stop:step}; {@link #END} for a missing bound. */
  public static Slice of(long start, long stop, long step) {
    return new Slice(start, stop, step, false);
  }

  /** {@code start:}. */
  public static Slice from(long start) {
    return new Slice(start, END, 1, false);
  }

  /** {@code :stop}. */
  public static Slice to(long stop) {
    return new Slice(END, stop, 1, false);
  }

  /** {@code ::step}. */
  public static Slice step(long step) {
    return new Slice(END, END, step, false);
  }

  /** The integer index {@code i} (negative from the end); the axis is dropped. */
  public static Slice at(long i) {
    return new Slice(i, END, 1, true);
  }

  /** Whether this is an integer index. */
  public boolean isIndex() {
    return index;
  }

  /** The step. */
  public long step() {
    return step;
  }

  /** Whether this selects the whole axis in order. */
  public boolean isAll() {
    return !index && start == END && stop == END && step == 1;
  }

  /**
   * NumPy's normalization against an axis of size {@code n}: {start, step, count}. An index out of
   * bounds fails naming the axis size.
   */
  long[] resolve(long n, int axis) {
    if (index) {
      long i = start < 0 ? start + n : start;
      if (i < 0 || i >= n) {
        throw new IndexOutOfBoundsException("index " + start + " is out of bounds for axis " + axis + " with size " + n);
      }
      return new long[] {i, 1, 1};
    }
    long s;
    long e;
    if (step > 0) {
      s = start == END ? 0 : clamp(start < 0 ? start + n : start, 0, n);
      e = stop == END ? n : clamp(stop < 0 ? stop + n : stop, 0, n);
      long count = e > s ? (e - s + step - 1) / step : 0;
      return new long[] {s, step, count};
    }
    s = start == END ? n - 1 : clamp(start < 0 ? start + n : start, -1, n - 1);
    e = stop == END ? -1 : clamp(stop < 0 ? stop + n : stop, -1, n - 1);
    long count = s > e ? (s - e + (-step) - 1) / (-step) : 0;
    return new long[] {s, step, count};
  }

  private static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  @Override
  public String toString() {
    if (index) {
      return Long.toString(start);
    }
    return (start == END ? "" : Long.toString(start)) + ":" + (stop == END ? "" : Long.toString(stop))
        + (step == 1 ? "" : ":" + step);
  }
}
