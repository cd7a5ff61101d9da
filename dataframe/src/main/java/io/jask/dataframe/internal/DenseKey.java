package io.jask.dataframe.internal;

import io.jask.io.DType;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.columns.Column;

/**
 * A key column whose values map straight to array indexes ("slots"), so grouping needs no hash:
 * an INT or LONG column whose values span a small range ({@code value - min}), or a STRING column
 * through its Tablesaw dictionary keys ({@code key - smallest key}). Missing values get slot -1.
 * A string slot may belong to no real value (a key of the missing string ""): {@link #valid} says.
 *
 * <p>{@link #of} returns null when the range is too wide for arrays of that size to pay (more
 * than {@link #MAX_SLOTS}, or more slots than twice the rows past a small floor); the caller then
 * hashes ({@link Grouping}).
 *
 * @param slot the slot of each row, or -1 (a per-thread scratch array, at least as long as the rows:
 *     valid only until the next {@code of} on the same thread); null when not asked for (only the
 *     sizes were needed)
 * @param slots the number of slots
 * @param size the number of rows in each slot
 * @param keys the dictionary keys of a STRING column (null for integers)
 * @param base the key or value of slot 0
 */
record DenseKey(int[] slot, int slots, long[] size, Cols.Keys keys, long base) {
  private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[0]);
  static final int MAX_SLOTS = 1 << 20;

  private static boolean fits(long range, int n) {
    return range <= MAX_SLOTS && range <= Math.max(4096, 2L * n);
  }

  private static int[] scratch(int n) {
    int[] s = SCRATCH.get();
    if (s.length < n) {
      s = new int[Math.max(n, s.length + s.length / 2)];
      SCRATCH.set(s);
    }
    return s;
  }

  /**
   * The dense key of a column over its rows where {@code keep} is 1 (all when null; the others get
   * slot -1), or null when it has none. One pass for the range, one for the slots (only when
   * {@code slots}) and sizes.
   */
  static DenseKey of(Column<?> c, int n, byte[] keep, boolean slots) {
    DType type = DType.of(c);
    if (type == DType.INT && c instanceof IntColumn ic) {
      int[] x = Cols.ints(ic);
      long[] r = range(x, n, Integer.MIN_VALUE);
      return r == null ? null : fill(x, n, Integer.MIN_VALUE, keep, r, null, slots);
    }
    if (type == DType.LONG && c instanceof LongColumn lc) {
      long[] x = Cols.longs(lc);
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        long v = x[i];
        if (v != Long.MIN_VALUE) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
      long range = min > max ? 1 : max - min + 1; // negative when it overflows
      if (range <= 0 || !fits(range, n)) {
        return null;
      }
      long base = min > max ? 0 : min;
      int[] slot = scratch(n);
      long[] size = new long[(int) range];
      for (int i = 0; i < n; i++) {
        long v = x[i];
        int s = v == Long.MIN_VALUE || (keep != null && keep[i] != 1) ? -1 : (int) (v - base);
        if (slots) {
          slot[i] = s;
        }
        if (s >= 0) {
          size[s]++;
        }
      }
      return new DenseKey(slots ? slot : null, (int) range, size, null, base);
    }
    if (type == DType.STRING && c instanceof StringColumn sc) {
      Cols.Keys k = Cols.keys(sc);
      int missing = k.missingKey();
      if (k.bytes() != null) {
        byte[] b = k.bytes();
        int[] slot = scratch(n);
        long[] size = new long[256];
        for (int i = 0; i < n; i++) {
          int s = b[i] == missing || (keep != null && keep[i] != 1) ? -1 : b[i] - Byte.MIN_VALUE;
          if (slots) {
            slot[i] = s;
          }
          if (s >= 0) {
            size[s]++;
          }
        }
        return new DenseKey(slots ? slot : null, 256, size, k, Byte.MIN_VALUE);
      }
      if (k.shorts() != null) {
        short[] x = k.shorts();
        if (!slots) {
          return shortSizes(x, n, missing, keep, k);
        }
        long[] r = range(x, n, missing);
        return r == null ? null : fill(x, n, missing, keep, r, k, slots);
      }
      int[] x = k.ints();
      long[] r = range(x, n, missing);
      return r == null ? null : fill(x, n, missing, keep, r, k, slots);
    }
    return null;
  }

  /**
   * The sizes alone of a short-keyed string column, in one pass: a count per possible key (65,536,
   * a per-thread scratch array cleared again afterwards), then the range of the keys seen.
   */
  private static DenseKey shortSizes(short[] x, int n, int missing, byte[] keep, Cols.Keys k) {
    int[] h = HISTOGRAM.get();
    if (keep == null) {
      for (int i = 0; i < n; i++) {
        h[x[i] - Short.MIN_VALUE]++;
      }
    } else {
      for (int i = 0; i < n; i++) {
        h[x[i] - Short.MIN_VALUE] += keep[i] == 1 ? 1 : 0;
      }
    }
    h[missing - Short.MIN_VALUE] = 0;
    int lo = 0;
    while (lo < h.length && h[lo] == 0) {
      lo++;
    }
    if (lo == h.length) {
      return new DenseKey(null, 1, new long[1], k, 0);
    }
    int hi = h.length - 1;
    while (h[hi] == 0) {
      hi--;
    }
    long[] size = new long[hi - lo + 1];
    for (int j = lo; j <= hi; j++) {
      size[j - lo] = h[j];
      h[j] = 0;
    }
    return new DenseKey(null, size.length, size, k, lo + Short.MIN_VALUE);
  }

  private static final ThreadLocal<int[]> HISTOGRAM = ThreadLocal.withInitial(() -> new int[1 << 16]);

  /** {min, number of slots} of the values other than {@code missing}, or null when too wide. */
  private static long[] range(int[] x, int n, int missing) {
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      int v = x[i];
      if (v != missing) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return min > max ? new long[] {0, 1} : fits((long) max - min + 1, n) ? new long[] {min, (long) max - min + 1} : null;
  }

  private static long[] range(short[] x, int n, int missing) {
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      int v = x[i];
      if (v != missing) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return min > max ? new long[] {0, 1} : fits((long) max - min + 1, n) ? new long[] {min, (long) max - min + 1} : null;
  }

  private static DenseKey fill(int[] x, int n, int missing, byte[] keep, long[] range, Cols.Keys k, boolean slots) {
    int base = (int) range[0];
    int[] slot = scratch(n);
    long[] size = new long[(int) range[1]];
    for (int i = 0; i < n; i++) {
      int v = x[i];
      int s = v == missing || (keep != null && keep[i] != 1) ? -1 : v - base;
      if (slots) {
        slot[i] = s;
      }
      if (s >= 0) {
        size[s]++;
      }
    }
    return new DenseKey(slots ? slot : null, size.length, size, k, base);
  }

  private static DenseKey fill(short[] x, int n, int missing, byte[] keep, long[] range, Cols.Keys k, boolean slots) {
    int base = (int) range[0];
    int[] slot = scratch(n);
    long[] size = new long[(int) range[1]];
    for (int i = 0; i < n; i++) {
      int v = x[i];
      int s = v == missing || (keep != null && keep[i] != 1) ? -1 : v - base;
      if (slots) {
        slot[i] = s;
      }
      if (s >= 0) {
        size[s]++;
      }
    }
    return new DenseKey(slots ? slot : null, size.length, size, k, base);
  }

  /** A column named {@code name} of the same type with the key of each of {@code slots}. */
  Column<?> column(Column<?> like, String name, int[] slots) {
    int g = slots.length;
    if (keys != null) {
      // distinct non-empty values (slots of valid keys): built as a dictionary, not appended
      String[] v = new String[g];
      int[] codes = new int[g];
      for (int j = 0; j < g; j++) {
        v[j] = keys.value((int) (base + slots[j]));
        codes[j] = j;
      }
      return io.jask.io.internal.TablesawColumns.strings(name, codes, g, v, g);
    }
    if (like instanceof IntColumn) {
      int[] v = new int[g];
      for (int j = 0; j < g; j++) {
        v[j] = (int) (base + slots[j]);
      }
      return IntColumn.create(name, v);
    }
    long[] v = new long[g];
    for (int j = 0; j < g; j++) {
      v[j] = base + slots[j];
    }
    return LongColumn.create(name, v);
  }

  /** Whether a slot with rows is a real key (a string key may stand for the missing ""). */
  boolean valid(int s) {
    return keys == null || !keys.value((int) (base + s)).isEmpty();
  }
}
