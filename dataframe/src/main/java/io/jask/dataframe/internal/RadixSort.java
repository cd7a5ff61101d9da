package io.jask.dataframe.internal;

import io.jask.io.DType;
import java.util.Arrays;
import java.util.List;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A stable argsort of a table by one or more columns: every column becomes 64-bit keys whose
 * unsigned order is the column's order (a double's bits with the sign flipped, an integer with
 * its sign bit flipped, a string its rank among the partition's distinct values), and an LSD
 * radix sort over 11-bit digits orders the row numbers, skipping digits that are the same in
 * every key. Missing values sort last in either direction, as in pandas' {@code
 * na_position='last'}; equal keys keep their row order.
 */
public final class RadixSort {
  private RadixSort() {}

  /** The unsigned key of a missing value: after every present one. */
  public static final long MISSING = -1L;

  /** The sort keys of a numeric or boolean column (strings: see {@link #keys(Column, boolean)}). */
  public static long[] keys(Column<?> c, boolean ascending) {
    int n = c.size();
    long[] k = new long[n];
    switch (DType.of(c)) {
      case DOUBLE: {
        double[] v = ((DoubleColumn) c).asDoubleArray();
        for (int i = 0; i < n; i++) {
          k[i] = doubleKey(v[i]);
        }
        break;
      }
      case INT: {
        int[] v = ((IntColumn) c).asIntArray();
        for (int i = 0; i < n; i++) {
          k[i] = v[i] == Integer.MIN_VALUE ? MISSING : ((long) v[i]) ^ Long.MIN_VALUE;
        }
        break;
      }
      case LONG: {
        long[] v = ((LongColumn) c).asLongArray();
        for (int i = 0; i < n; i++) {
          k[i] = v[i] == Long.MIN_VALUE ? MISSING : v[i] ^ Long.MIN_VALUE;
        }
        break;
      }
      case DATETIME: {
        long[] v = io.jask.io.DateTimes.millis((tech.tablesaw.api.DateTimeColumn) c);
        for (int i = 0; i < n; i++) {
          k[i] = v[i] == io.jask.io.DateTimes.MISSING ? MISSING : v[i] ^ Long.MIN_VALUE;
        }
        break;
      }
      case BOOLEAN: {
        BooleanColumn b = (BooleanColumn) c;
        for (int i = 0; i < n; i++) {
          k[i] = b.isMissing(i) ? MISSING : (b.get(i) ? 1 : 0);
        }
        break;
      }
      default: {
        StringColumn s = (StringColumn) c;
        String[] distinct = s.unique().asObjectArray();
        Arrays.sort(distinct);
        java.util.HashMap<String, Integer> rank = new java.util.HashMap<>(distinct.length * 2);
        for (int r = 0; r < distinct.length; r++) {
          rank.put(distinct[r], r);
        }
        for (int i = 0; i < n; i++) {
          String v = s.get(i);
          k[i] = v.isEmpty() ? MISSING : rank.get(v);
        }
      }
    }
    if (!ascending) {
      for (int i = 0; i < n; i++) {
        if (k[i] != MISSING) {
          k[i] = ~k[i] - 1; // reversed, still below MISSING
        }
      }
    }
    return k;
  }

  /** The unsigned-order key of a double; NaN is {@link #MISSING}, -0.0 equals 0.0. */
  public static long doubleKey(double v) {
    if (Double.isNaN(v)) {
      return MISSING;
    }
    long bits = Double.doubleToRawLongBits(v + 0.0);
    return bits ^ ((bits >> 63) | Long.MIN_VALUE);
  }

  /** The double of a key made by {@link #doubleKey}. */
  public static double fromDoubleKey(long key) {
    long bits = key < 0 ? key ^ Long.MIN_VALUE : ~key;
    return Double.longBitsToDouble(bits);
  }

  /** Row order of {@code t} sorted by {@code columns}, first column first. */
  public static int[] argsort(Table t, List<String> columns, List<Boolean> ascending) {
    int n = t.rowCount();
    int[] perm = null;
    for (int c = columns.size() - 1; c >= 0; c--) {
      long[] k = keys(t.column(columns.get(c)), ascending.get(c));
      if (perm != null) {
        long[] permuted = new long[n];
        for (int i = 0; i < n; i++) {
          permuted[i] = k[perm[i]];
        }
        k = permuted;
      }
      int[] p = argsort(k);
      if (perm == null) {
        perm = p;
      } else {
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
          next[i] = perm[p[i]];
        }
        perm = next;
      }
    }
    if (perm == null) {
      perm = new int[n];
      for (int i = 0; i < n; i++) {
        perm[i] = i;
      }
    }
    return perm;
  }

  /** Bits per radix digit: 2,048 buckets, whose write positions stay in the caches while scattering. */
  private static final int BITS = 11;
  private static final int RADIX = 1 << BITS;
  private static final int MASK = RADIX - 1;
  private static final int DIGITS = (64 + BITS - 1) / BITS;

  /**
   * The stable ascending order of {@code keys} compared as unsigned; {@code keys} is reordered too.
   * LSD radix over 11-bit digits: one pass counts every digit, then one scatter per digit that is
   * not the same in every key.
   */
  public static int[] argsort(long[] keys) {
    int n = keys.length;
    if (n < 2) {
      return n == 0 ? new int[0] : new int[] {0};
    }
    int[] count = new int[DIGITS * RADIX];
    for (int i = 0; i < n; i++) {
      long k = keys[i];
      count[(int) (k & MASK)]++;
      count[RADIX + (int) ((k >>> BITS) & MASK)]++;
      count[2 * RADIX + (int) ((k >>> (2 * BITS)) & MASK)]++;
      count[3 * RADIX + (int) ((k >>> (3 * BITS)) & MASK)]++;
      count[4 * RADIX + (int) ((k >>> (4 * BITS)) & MASK)]++;
      count[5 * RADIX + (int) (k >>> (5 * BITS))]++;
    }
    long[] src = keys;
    long[] dst = null;
    int[] isrc = null;
    int[] idst = null;
    for (int d = 0; d < DIGITS; d++) {
      int shift = d * BITS;
      int base = d * RADIX;
      if (count[base + (int) ((src[0] >>> shift) & MASK)] == n) {
        continue; // this digit is the same in every key
      }
      int sum = 0;
      for (int b = base; b < base + RADIX; b++) {
        int c = count[b];
        count[b] = sum;
        sum += c;
      }
      if (dst == null) {
        dst = new long[n];
      }
      if (idst == null) {
        idst = new int[n];
      }
      if (isrc == null) { // the first pass: rows in their own order
        for (int i = 0; i < n; i++) {
          long k = src[i];
          int at = count[base + (int) ((k >>> shift) & MASK)]++;
          dst[at] = k;
          idst[at] = i;
        }
      } else {
        for (int i = 0; i < n; i++) {
          long k = src[i];
          int at = count[base + (int) ((k >>> shift) & MASK)]++;
          dst[at] = k;
          idst[at] = isrc[i];
        }
      }
      long[] t = src;
      src = dst;
      dst = t; // keys too: they are reordered anyway
      int[] ti = isrc;
      isrc = idst;
      idst = ti;
    }
    if (isrc == null) { // every key equal
      isrc = new int[n];
      for (int i = 0; i < n; i++) {
        isrc[i] = i;
      }
      return isrc;
    }
    if (src != keys) {
      System.arraycopy(src, 0, keys, 0, n);
    }
    return isrc;
  }

  /**
   * The stable ascending order of {@code keys} compared as unsigned, as {@link #argsort(long[])}
   * ({@code keys} is not changed), in fewer and lighter passes for many distinct keys: each key
   * less the smallest is cut to its top significant bits, as many 11-bit digits as it takes to
   * give about 2,048 prefixes per row (three for 500,000 rows) and at most as many as leave room
   * for a row number below them in one long; an LSD radix sort over those bits alone moves these
   * longs (8 bytes a row, no separate row array), and is stable, so rows whose prefixes are equal
   * stay in row order. Then each run of equal prefixes whose full keys differ (rare unless the
   * keys crowd together) is sorted stably by the full keys. 500,000 doubles of one output
   * partition: three passes instead of five or six over 12 bytes a row.
   */
  public static int[] argsortByPrefix(long[] keys) {
    int n = keys.length;
    return argsortByPrefix(keys, n, new int[n], null, null);
  }

  /**
   * {@link #argsortByPrefix(long[])} of {@code keys[0..n)}, written to {@code order[0..n)}, which
   * it returns; {@code a} and {@code b} are work arrays of at least {@code n} longs (or null: made
   * here), so that a caller sorting many partitions can reuse its arrays.
   */
  static int[] argsortByPrefix(long[] keys, int n, int[] order, long[] a, long[] b) {
    if (n < 2) {
      if (n == 1) {
        order[0] = 0;
      }
      return order;
    }
    long min = -1L;
    long max = 0;
    for (int i = 0; i < n; i++) {
      long k = keys[i];
      min = Long.compareUnsigned(k, min) < 0 ? k : min;
      max = Long.compareUnsigned(k, max) > 0 ? k : max;
    }
    int sig = 64 - Long.numberOfLeadingZeros(max - min); // significant bits of (key - min)
    if (sig == 0) { // every key equal
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      return order;
    }
    int rowBits = 32 - Integer.numberOfLeadingZeros(n - 1);
    // rowBits + 11 bits (rounded up to whole digits) leave a row's prefix alone in its run but for
    // about one row in 2,048 when the keys spread evenly; ties are settled by the full keys below
    int wanted = (rowBits + BITS + BITS - 1) / BITS * BITS;
    int keyBits = Math.min(sig, Math.min(wanted, (64 - rowBits) / BITS * BITS));
    int drop = sig - keyBits;
    long rowMask = (1L << rowBits) - 1;
    long[] src = a != null && a.length >= n ? a : new long[n];
    int digits = (keyBits + BITS - 1) / BITS;
    int[] count = new int[digits * RADIX];
    for (int i = 0; i < n; i++) {
      long prefix = (keys[i] - min) >>> drop;
      src[i] = prefix << rowBits | i;
      for (int d = 0; d < digits; d++) {
        count[d * RADIX + (int) ((prefix >>> (d * BITS)) & MASK)]++;
      }
    }
    long[] dst = b != null && b.length >= n ? b : new long[n];
    for (int d = 0; d < digits; d++) {
      int shift = rowBits + d * BITS;
      int base = d * RADIX;
      if (count[base + (int) ((src[0] >>> shift) & MASK)] == n) {
        continue; // this digit is the same in every key
      }
      int sum = 0;
      for (int at = base; at < base + RADIX; at++) {
        int c = count[at];
        count[at] = sum;
        sum += c;
      }
      for (int i = 0; i < n; i++) {
        long v = src[i];
        dst[count[base + (int) ((v >>> shift) & MASK)]++] = v;
      }
      long[] t = src;
      src = dst;
      dst = t;
    }
    dst = null;
    for (int i = 0; i < n; i++) {
      order[i] = (int) (src[i] & rowMask);
    }
    if (drop == 0) {
      return order; // the prefixes are the keys
    }
    // runs of equal prefixes: sorted by the full keys where they differ (row order kept among equal keys)
    for (int s = 0; s < n; ) {
      long prefix = src[s] >>> rowBits;
      int e = s + 1;
      while (e < n && (src[e] >>> rowBits) == prefix) {
        e++;
      }
      if (e - s > 1) {
        sortRun(keys, order, s, e);
      }
      s = e;
    }
    return order;
  }

  /** Sorts {@code order[from..to)} (rows in ascending order) stably by their keys, unsigned. */
  private static void sortRun(long[] keys, int[] order, int from, int to) {
    int len = to - from;
    long[] k = new long[len];
    boolean same = true;
    for (int i = 0; i < len; i++) {
      k[i] = keys[order[from + i]];
      same &= k[i] == k[0];
    }
    if (same) {
      return;
    }
    if (len <= 32) { // insertion sort: stable, moves a row only past larger keys
      for (int i = 1; i < len; i++) {
        long key = k[i];
        int row = order[from + i];
        int j = i - 1;
        while (j >= 0 && Long.compareUnsigned(k[j], key) > 0) {
          k[j + 1] = k[j];
          order[from + j + 1] = order[from + j];
          j--;
        }
        k[j + 1] = key;
        order[from + j + 1] = row;
      }
      return;
    }
    int[] rows = java.util.Arrays.copyOfRange(order, from, to);
    int[] sub = argsort(k);
    for (int i = 0; i < len; i++) {
      order[from + i] = rows[sub[i]];
    }
  }

  /**
   * The sort keys of one column over several tables (not strings: their keys are ranks within
   * one column), as {@link #keys(Column, boolean)} of the tables' concatenation, without making it.
   */
  public static long[] keys(List<Table> tables, String column, boolean ascending) {
    int n = 0;
    for (Table t : tables) {
      n += t.rowCount();
    }
    long[] k = new long[n];
    int at = 0;
    for (Table t : tables) {
      Column<?> c = t.column(column);
      int rows = c.size();
      if (DType.of(c) == DType.STRING) {
        throw new IllegalArgumentException("string keys are ranks within one column; concatenate '" + column + "' first");
      }
      if (DType.of(c) == DType.DOUBLE && ascending) {
        double[] v = Cols.doubles((DoubleColumn) c);
        for (int i = 0; i < rows; i++) {
          k[at + i] = doubleKey(v[i]);
        }
      } else {
        System.arraycopy(keys(c, ascending), 0, k, at, rows);
      }
      at += rows;
    }
    return k;
  }
}
