package io.jask.dataframe.internal;

import io.jask.engine.TaskFn;
import io.jask.io.DType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** The task functions of shuffles: sampling, splitting by range or hash, and the output side. */
public final class ShuffleFns {
  private ShuffleFns() {}

  /**
   * A sample of one partition's sort column, for range boundaries.
   *
   * @param min the smallest present value in sort order (a {@code Long} sort key or a String), null if none
   * @param max the largest, null if none
   * @param values up to the requested number of random present values ({@code long[]} keys or {@code String[]})
   * @param rows the partition's rows with a present value (each sampled value stands for rows / values.length)
   */
  public record SampleOut(Object min, Object max, Object values, int rows) implements java.io.Serializable {}

  /**
   * Samples one partition's sort column ({@link SampleOut}): up to {@code size} random present
   * values (seeded by the partition), as sort keys ({@link RadixSort#keys}) or, for a string
   * column, as strings.
   */
  public record Sample(String column, boolean ascending, int size, int partition) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      Column<?> c = t.column(column);
      Random r = new Random(31L * partition + 7);
      int n = t.rowCount();
      if (DType.of(c) == DType.STRING) {
        StringColumn s = (StringColumn) c;
        List<String> present = new ArrayList<>();
        String min = null;
        String max = null;
        for (int i = 0; i < n; i++) {
          String v = s.get(i);
          if (!v.isEmpty()) {
            present.add(v);
            boolean before = min == null || (ascending ? v.compareTo(min) < 0 : v.compareTo(min) > 0);
            boolean after = max == null || (ascending ? v.compareTo(max) > 0 : v.compareTo(max) < 0);
            min = before ? v : min;
            max = after ? v : max;
          }
        }
        String[] out = new String[Math.min(size, present.size())];
        for (int k = 0; k < out.length; k++) {
          out[k] = present.get(present.size() <= size ? k : r.nextInt(present.size()));
        }
        return new SampleOut(min, max, out, present.size());
      }
      if (DType.of(c) == DType.DOUBLE) {
        return sampleDoubles(Cols.doubles((DoubleColumn) c), n, r);
      }
      long[] keys = RadixSort.keys(c, ascending);
      int present = 0;
      long min = RadixSort.MISSING;
      long max = 0;
      for (long k : keys) {
        if (k != RadixSort.MISSING) {
          present++;
          min = Long.compareUnsigned(k, min) < 0 ? k : min;
          max = Long.compareUnsigned(k, max) > 0 ? k : max;
        }
      }
      if (present == 0) {
        return new SampleOut(null, null, new long[0], 0);
      }
      long[] out = new long[Math.min(size, present)];
      int at = 0;
      if (present <= size) {
        for (long k : keys) {
          if (k != RadixSort.MISSING) {
            out[at++] = k;
          }
        }
      } else {
        while (at < out.length) {
          long k = keys[r.nextInt(n)];
          if (k != RadixSort.MISSING) {
            out[at++] = k;
          }
        }
      }
      return new SampleOut(min, max, out, present);
    }

    private long key(double x) {
      long k = RadixSort.doubleKey(x);
      return ascending || k == RadixSort.MISSING ? k : ~k - 1;
    }

    /** As the general path, the keys made only for the sampled values and the min and max (no key array). */
    private SampleOut sampleDoubles(double[] v, int n, Random r) {
      int present = 0;
      long min = RadixSort.MISSING;
      long max = 0;
      for (int i = 0; i < n; i++) {
        double x = v[i];
        if (x == x) {
          present++;
          long k = key(x);
          min = Long.compareUnsigned(k, min) < 0 ? k : min;
          max = Long.compareUnsigned(k, max) > 0 ? k : max;
        }
      }
      if (present == 0) {
        return new SampleOut(null, null, new long[0], 0);
      }
      long[] out = new long[Math.min(size, present)];
      int at = 0;
      if (present <= size) {
        for (int i = 0; i < n; i++) {
          if (v[i] == v[i]) {
            out[at++] = key(v[i]);
          }
        }
      } else {
        while (at < out.length) {
          double x = v[r.nextInt(n)];
          if (x == x) {
            out[at++] = key(x);
          }
        }
      }
      return new SampleOut(min, max, out, present);
    }
  }

  /**
   * Cuts a partition by the range of its sort column into {@code bounds.length + 1} pieces: piece
   * {@code j} holds the rows whose value is at or after bound {@code j - 1} and before bound
   * {@code j} in sort order; missing values go to the last piece. Bounds are sort keys ({@code
   * long[]}) or, for a string column, strings in sort order.
   */
  public record RangeSplit(String column, boolean ascending, Object bounds) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      Column<?> c = t.column(column);
      int n = t.rowCount();
      int[] part = SPLIT_SCRATCH.ints(0, n); // read by Take.split only, before this returns
      if (bounds instanceof String[] sb) {
        int m = sb.length + 1;
        StringColumn s = (StringColumn) c;
        java.util.HashMap<String, Integer> memo = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
          String v = s.get(i);
          part[i] = v.isEmpty() ? m - 1 : memo.computeIfAbsent(v, x -> {
            int lo = 0;
            int hi = sb.length;
            while (lo < hi) { // the number of bounds at or before x
              int mid = (lo + hi) >>> 1;
              int cmp = sb[mid].compareTo(x);
              if (ascending ? cmp <= 0 : cmp >= 0) {
                lo = mid + 1;
              } else {
                hi = mid;
              }
            }
            return lo;
          });
        }
        return Take.split(t, part, m);
      }
      long[] b = (long[]) bounds;
      int m = b.length + 1;
      // bounds in signed order (unsigned keys with the top bit flipped), padded to 2^j - 1 entries with
      // the largest value, so that a fixed number of halving steps finds the piece without branches
      int size = Integer.highestOneBit(Math.max(1, b.length)) << 1;
      long[] sb = new long[size];
      Arrays.fill(sb, Long.MAX_VALUE);
      for (int j = 0; j < b.length; j++) {
        sb[j] = b[j] ^ Long.MIN_VALUE;
      }
      if (DType.of(c) == DType.DOUBLE && ascending) { // the key from the value, no key array
        double[] v = Cols.doubles((DoubleColumn) c);
        for (int i = 0; i < n; i++) {
          double x = v[i];
          long bits = Double.doubleToRawLongBits(x + 0.0);
          long k = bits ^ ((bits >> 63) >>> 1); // RadixSort.doubleKey(x) ^ Long.MIN_VALUE
          int lo = 0;
          for (int half = size >>> 1; half > 0; half >>>= 1) {
            lo = sb[lo + half - 1] <= k ? lo + half : lo;
          }
          part[i] = x != x ? m - 1 : lo; // NaN: missing, last
        }
        return Take.split(t, part, m);
      }
      long[] keys = RadixSort.keys(c, ascending);
      for (int i = 0; i < n; i++) {
        long k = keys[i];
        long sk = k ^ Long.MIN_VALUE;
        int lo = 0;
        for (int half = size >>> 1; half > 0; half >>>= 1) {
          lo = sb[lo + half - 1] <= sk ? lo + half : lo;
        }
        part[i] = k == RadixSort.MISSING ? m - 1 : lo;
      }
      return Take.split(t, part, m);
    }
  }

  /** Cuts a partition into {@code m} pieces by a hash of the key columns (missing keys hash alike). */
  public record HashSplit(List<String> keys, int m) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      long[] h = rowHashes(t, keys);
      int[] part = SPLIT_SCRATCH.ints(0, h.length); // read by Take.split only, before this returns
      for (int i = 0; i < h.length; i++) {
        part[i] = (int) Long.remainderUnsigned(mix(h[i]), m);
      }
      return Take.split(t, part, m);
    }
  }

  /** A hash per row of the key columns, the same in every JVM for equal values. */
  public static long[] rowHashes(Table t, List<String> keys) {
    int n = t.rowCount();
    long[] h = new long[n];
    for (String k : keys) {
      Column<?> c = t.column(k);
      switch (DType.of(c)) {
        case INT: {
          int[] v = ((IntColumn) c).asIntArray();
          for (int i = 0; i < n; i++) {
            h[i] = h[i] * 0x9E3779B97F4A7C15L + mix(v[i]);
          }
          break;
        }
        case LONG: {
          long[] v = ((LongColumn) c).asLongArray();
          for (int i = 0; i < n; i++) {
            h[i] = h[i] * 0x9E3779B97F4A7C15L + mix(v[i]);
          }
          break;
        }
        case DOUBLE: {
          double[] v = ((DoubleColumn) c).asDoubleArray();
          for (int i = 0; i < n; i++) {
            h[i] = h[i] * 0x9E3779B97F4A7C15L + mix(Double.doubleToLongBits(v[i] + 0.0));
          }
          break;
        }
        case DATETIME: {
          tech.tablesaw.api.DateTimeColumn d = (tech.tablesaw.api.DateTimeColumn) c;
          for (int i = 0; i < n; i++) {
            h[i] = h[i] * 0x9E3779B97F4A7C15L + mix(d.getLongInternal(i));
          }
          break;
        }
        case BOOLEAN: {
          BooleanColumn b = (BooleanColumn) c;
          for (int i = 0; i < n; i++) {
            h[i] = h[i] * 0x9E3779B97F4A7C15L + mix(b.isMissing(i) ? 2 : b.get(i) ? 1 : 0);
          }
          break;
        }
        default: {
          StringColumn s = (StringColumn) c;
          for (int i = 0; i < n; i++) {
            h[i] = h[i] * 0x9E3779B97F4A7C15L + mix(s.get(i).hashCode());
          }
        }
      }
    }
    return h;
  }

  /** The splits' piece numbers per row: this thread's work array ({@link Scratch}). */
  private static final Scratch SPLIT_SCRATCH = new Scratch(1);

  /** A 64-bit finalizer (SplitMix64). */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * The output side of a sort: the received pieces (tables, or on the local schedulers slices of
   * the splits' cuts) concatenated and sorted (stable), every column gathered once, by the order.
   */
  public record SortPieces(List<String> columns, List<Boolean> ascending) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return Take.sortedConcat((List<?>) args[0], columns, ascending);
    }
  }

  /** The output side of a plain exchange: the received pieces concatenated in input order. */
  public record ConcatPieces() implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return concat(args[0]);
    }
  }

  /** The tables of a list argument, concatenated. */
  public static Table concat(Object list) {
    List<Table> tables = tables(list);
    return tables.size() == 1 ? tables.get(0) : Take.concat(tables, null);
  }

  static List<Table> tables(Object list) {
    List<Table> tables = new ArrayList<>();
    for (Object o : (List<?>) list) {
      tables.add(o instanceof Take.Slice s ? s.cut().piece(s.j()) : o instanceof Take.Decoded d ? d.table() : (Table) o);
    }
    return tables;
  }

  /** {@code second} applied to the result of {@code first} (for example combine, then finish). */
  public record Then(TaskFn first, TaskFn second) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      return second.apply(new Object[] {first.apply(args)});
    }
  }

  /**
   * The first row of every distinct combination of the {@code subset} columns among the received
   * pieces (in input order); missing values equal each other, as in pandas' {@code
   * drop_duplicates}.
   */
  public record DropDuplicates(List<String> subset) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = args[0] instanceof Table one ? one : concat(args[0]);
      List<Column<?>> cols = new ArrayList<>();
      for (String c : subset) {
        cols.add(t.column(c));
      }
      java.util.Set<List<Object>> seen = new java.util.HashSet<>();
      int[] keep = new int[t.rowCount()];
      int k = 0;
      for (int i = 0; i < t.rowCount(); i++) {
        List<Object> row = new ArrayList<>(cols.size());
        for (Column<?> c : cols) {
          Object v = c.isMissing(i) ? null : c.get(i);
          row.add(v instanceof Double d && d == 0.0 ? 0.0 : v);
        }
        if (seen.add(row)) {
          keep[k++] = i;
        }
      }
      return k == t.rowCount() ? t : Take.rows(t, keep, 0, k);
    }
  }

  /**
   * A join of the rows both sides sent to one partition (args: the left pieces, the right pieces,
   * or one table each): matching rows as {@link Join.Probe}; for RIGHT and OUTER then the right
   * rows that matched nothing, with missing left columns except the keys.
   */
  public record PartitionJoin(Join join, boolean keepLeft, boolean keepRight, io.jask.io.Schema leftSchema)
      implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table left = args[0] instanceof Table l ? l : concat(args[0]);
      Table right = args[1] instanceof Table r ? r : concat(args[1]);
      Table out = (Table) new Join.Probe(join, keepLeft).apply(new Object[] {left, right});
      if (!keepRight) {
        return out;
      }
      Table matched = (Table) new Join.Matched(join).apply(new Object[] {left, right});
      Table unmatched = (Table) new Join.Unmatched(join, leftSchema).apply(new Object[] {right, matched});
      return Take.concat(List.of(out, unmatched), null);
    }
  }

  /** Rows sorted by one column, descending, stable (value counts: the most frequent first). */
  public record SortDescending(String column) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      return Take.rows(t, RadixSort.argsort(t, List.of(column), List.of(false)), 0, t.rowCount());
    }
  }
}
