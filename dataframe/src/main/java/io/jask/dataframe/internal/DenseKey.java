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
 *     valid only until the next {@code of} on the same thread)
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
   * slot -1), or null when it has none.
   */
  static DenseKey of(Column<?> c, int n, byte[] keep) {
    DenseKey k = build(c, n);
    if (k == null) {
      return null;
    }
    int[] slot = k.slot;
    long[] size = k.size;
    if (keep != null) {
      for (int i = 0; i < n; i++) {
        if (keep[i] != 1) {
          slot[i] = -1;
        }
      }
    }
    for (int i = 0; i < n; i++) {
      int s = slot[i];
      if (s >= 0) {
        size[s]++;
      }
    }
    return k;
  }

  private static DenseKey build(Column<?> c, int n) {
    DType type = DType.of(c);
    if (type == DType.INT && c instanceof IntColumn ic) {
      int[] x = Cols.ints(ic);
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (int i = 0; i < n; i++) {
        int v = x[i];
        if (v != Integer.MIN_VALUE) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
      if (min > max) {
        return new DenseKey(filled(n), 1, new long[1], null, 0);
      }
      if (!fits(max - min + 1, n)) {
        return null;
      }
      int[] slot = scratch(n);
      int lo = (int) min;
      for (int i = 0; i < n; i++) {
        int v = x[i];
        slot[i] = v == Integer.MIN_VALUE ? -1 : v - lo;
      }
      return new DenseKey(slot, (int) (max - min + 1), new long[(int) (max - min + 1)], null, min);
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
      if (min > max) {
        return new DenseKey(filled(n), 1, new long[1], null, 0);
      }
      // max - min may overflow for keys at both ends of the range: then it is negative
      long range = max - min + 1;
      if (range <= 0 || !fits(range, n)) {
        return null;
      }
      int[] slot = scratch(n);
      for (int i = 0; i < n; i++) {
        long v = x[i];
        slot[i] = v == Long.MIN_VALUE ? -1 : (int) (v - min);
      }
      return new DenseKey(slot, (int) range, new long[(int) range], null, min);
    }
    if (type == DType.STRING && c instanceof StringColumn sc) {
      Cols.Keys k = Cols.keys(sc);
      int missing = k.missingKey();
      int[] slot = scratch(n);
      if (k.bytes() != null) {
        byte[] b = k.bytes();
        for (int i = 0; i < n; i++) {
          slot[i] = b[i] == missing ? -1 : b[i] - Byte.MIN_VALUE;
        }
        return new DenseKey(slot, 256, new long[256], k, Byte.MIN_VALUE);
      }
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      if (k.shorts() != null) {
        short[] s = k.shorts();
        for (int i = 0; i < n; i++) {
          if (s[i] != missing) {
            min = Math.min(min, s[i]);
            max = Math.max(max, s[i]);
          }
        }
      } else {
        int[] s = k.ints();
        for (int i = 0; i < n; i++) {
          if (s[i] != missing) {
            min = Math.min(min, s[i]);
            max = Math.max(max, s[i]);
          }
        }
      }
      if (min > max) {
        return new DenseKey(filled(n), 1, new long[1], k, 0);
      }
      if (!fits(max - min + 1, n)) {
        return null;
      }
      int lo = (int) min;
      if (k.shorts() != null) {
        short[] s = k.shorts();
        for (int i = 0; i < n; i++) {
          slot[i] = s[i] == missing ? -1 : s[i] - lo;
        }
      } else {
        int[] s = k.ints();
        for (int i = 0; i < n; i++) {
          slot[i] = s[i] == missing ? -1 : s[i] - lo;
        }
      }
      return new DenseKey(slot, (int) (max - min + 1), new long[(int) (max - min + 1)], k, min);
    }
    return null;
  }

  private static int[] filled(int n) {
    int[] slot = scratch(n);
    java.util.Arrays.fill(slot, -1);
    return slot;
  }

  /** A column named {@code name} of the same type with the key of each of {@code slots}. */
  Column<?> column(Column<?> like, String name, int[] slots) {
    int g = slots.length;
    if (keys != null) {
      String[] v = new String[g];
      for (int j = 0; j < g; j++) {
        v[j] = keys.value((int) (base + slots[j]));
      }
      return StringColumn.create(name, v);
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
