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
 * radix sort over 16-bit digits orders the row numbers, skipping digits that are the same in
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

  /** The stable ascending order of {@code keys} compared as unsigned; {@code keys} is reordered too. */
  public static int[] argsort(long[] keys) {
    int n = keys.length;
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    if (n < 2) {
      return idx;
    }
    long or = 0;
    long and = -1;
    for (long k : keys) {
      or |= k;
      and &= k;
    }
    long varying = or ^ and; // bits that differ between some keys
    long[] k2 = new long[n];
    int[] idx2 = new int[n];
    int[] count = new int[1 << 16];
    long[] src = keys;
    long[] dst = k2;
    int[] isrc = idx;
    int[] idst = idx2;
    for (int shift = 0; shift < 64; shift += 16) {
      if (((varying >>> shift) & 0xFFFF) == 0) {
        continue;
      }
      Arrays.fill(count, 0);
      for (int i = 0; i < n; i++) {
        count[(int) ((src[i] >>> shift) & 0xFFFF)]++;
      }
      int sum = 0;
      for (int d = 0; d < count.length; d++) {
        int c = count[d];
        count[d] = sum;
        sum += c;
      }
      for (int i = 0; i < n; i++) {
        int d = (int) ((src[i] >>> shift) & 0xFFFF);
        int at = count[d]++;
        dst[at] = src[i];
        idst[at] = isrc[i];
      }
      long[] t = src;
      src = dst;
      dst = t;
      int[] ti = isrc;
      isrc = idst;
      idst = ti;
    }
    if (src != keys) {
      System.arraycopy(src, 0, keys, 0, n);
    }
    return isrc;
  }
}
