package io.jask.dataframe.internal;

import io.jask.engine.TaskFn;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The kernels of a broadcast hash join: the small (right) table is hashed by its key columns and
 * every partition of the large (left) one probes it. Rows with a missing key never match (SQL
 * semantics).
 *
 * @param keys the key columns (same names and types on both sides)
 * @param leftOut the output names of the left columns, in order
 * @param rightCols the right's non-key columns, in order
 * @param rightOut their output names
 */
public record Join(List<String> keys, List<String> leftOut, List<String> rightCols, List<String> rightOut)
    implements Serializable {

  private Map<List<Object>, List<Integer>> index(Table right) {
    Map<List<Object>, List<Integer>> m = new HashMap<>();
    for (int i = 0; i < right.rowCount(); i++) {
      List<Object> k = key(right, i);
      if (k != null) {
        m.computeIfAbsent(k, x -> new ArrayList<>()).add(i);
      }
    }
    return m;
  }

  private List<Object> key(Table t, int row) {
    List<Object> k = new ArrayList<>(keys.size());
    for (String c : keys) {
      Column<?> col = t.column(c);
      if (col.isMissing(row)) {
        return null;
      }
      k.add(col.get(row));
    }
    return k;
  }

  /** Matching (left row, right row) pairs in left order, then right order; -1 right when {@code keepLeft} and none. */
  private int[][] pairs(Table left, Table right, boolean keepLeft) {
    if (keys.size() == 1 && integral(left.column(keys.get(0))) && integral(right.column(keys.get(0)))) {
      return integralPairs(left.column(keys.get(0)), right.column(keys.get(0)), keepLeft);
    }
    Map<List<Object>, List<Integer>> idx = index(right);
    IntColumn ls = IntColumn.create("l");
    IntColumn rs = IntColumn.create("r");
    for (int i = 0; i < left.rowCount(); i++) {
      List<Object> k = key(left, i);
      List<Integer> hits = k == null ? null : idx.get(k);
      if (hits == null) {
        if (keepLeft) {
          ls.append(i);
          rs.append(-1);
        }
      } else {
        for (int r : hits) {
          ls.append(i);
          rs.append(r);
        }
      }
    }
    return new int[][] {ls.asIntArray(), rs.asIntArray()};
  }

  private static boolean integral(Column<?> c) {
    return c instanceof IntColumn || c instanceof tech.tablesaw.api.LongColumn;
  }

  /** Missing is the MIN_VALUE sentinel of either type. */
  private static long[] longs(Column<?> c) {
    if (c instanceof IntColumn i) {
      int[] a = Cols.ints(i);
      long[] out = new long[i.size()];
      for (int k = 0; k < out.length; k++) {
        out[k] = a[k] == Integer.MIN_VALUE ? Long.MIN_VALUE : a[k];
      }
      return out;
    }
    return ((tech.tablesaw.api.LongColumn) c).asLongArray();
  }

  /**
   * The dense id of each right key value as an array indexed by {@code value - min} (-1 for none),
   * or null when the keys span too wide a range for that (then the primitive hash map serves).
   */
  private static int[] denseIds(long[] rk, LongIntMap ids, long[] minOut) {
    int[] dense = denseTable(rk, minOut);
    if (dense == null) {
      return null;
    }
    long min = minOut[0];
    for (long v : rk) {
      if (v != Long.MIN_VALUE) {
        dense[(int) (v - min)] = ids.get(v);
      }
    }
    return dense;
  }

  /**
   * An array of -1 indexed by {@code value - minOut[0]} over the range of the non-missing right keys
   * (the smallest goes to {@code minOut[0]}), or null when the range is empty or too wide for it.
   */
  private static int[] denseTable(long[] rk, long[] minOut) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long v : rk) {
      if (v != Long.MIN_VALUE) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    long range = max - min + 1;
    if (min > max || range <= 0 || range > Math.max(4096, 4L * rk.length)) {
      return null;
    }
    int[] table = new int[(int) range];
    java.util.Arrays.fill(table, -1);
    minOut[0] = min;
    return table;
  }

  /** {@link #pairs} for one INT or LONG key: a primitive hash of the right keys, rows chained in order. */
  private static int[][] integralPairs(Column<?> leftKey, Column<?> rightKey, boolean keepLeft) {
    long[] rk = longs(rightKey);
    LongIntMap ids = new LongIntMap(rk.length);
    int[] head = new int[rk.length];
    int[] tail = new int[rk.length];
    int[] next = new int[rk.length];
    java.util.Arrays.fill(next, -1);
    for (int r = 0; r < rk.length; r++) {
      if (rk[r] == Long.MIN_VALUE) {
        continue;
      }
      int before = ids.size();
      int id = ids.idOf(rk[r]);
      if (id == before) {
        head[id] = r;
      } else {
        next[tail[id]] = r;
      }
      tail[id] = r;
    }
    long[] minOut = new long[1];
    int[] dense = denseIds(rk, ids, minOut);
    long min = minOut[0];
    int m = leftKey.size();
    long[] lk = leftKey instanceof tech.tablesaw.api.LongColumn lc ? Cols.longs(lc) : null; // zero-copy
    int[] ik = lk == null ? Cols.ints((IntColumn) leftKey) : null;
    int[] ls = new int[m];
    int[] rs = new int[m];
    int n = 0;
    int keyed = 0;
    for (long v : rk) {
      keyed += v == Long.MIN_VALUE ? 0 : 1;
    }
    if (dense != null && ids.size() == keyed) {
      // unique right keys over a small range: at most one match per left row, no chains
      int[] row = new int[dense.length];
      for (int d = 0; d < dense.length; d++) {
        row[d] = dense[d] < 0 ? -1 : head[dense[d]];
      }
      for (int i = 0; i < m; i++) {
        long key = lk != null ? lk[i] : ik[i] == Integer.MIN_VALUE ? Long.MIN_VALUE : ik[i];
        long at = key - min;
        int r = key != Long.MIN_VALUE && at >= 0 && at < row.length ? row[(int) at] : -1;
        ls[n] = i;
        rs[n] = r;
        n += keepLeft || r >= 0 ? 1 : 0;
      }
      return new int[][] {n == m ? ls : java.util.Arrays.copyOf(ls, n), n == m ? rs : java.util.Arrays.copyOf(rs, n)};
    }
    for (int i = 0; i < m; i++) {
      long key = lk != null ? lk[i] : ik[i] == Integer.MIN_VALUE ? Long.MIN_VALUE : ik[i];
      int id;
      if (key == Long.MIN_VALUE) {
        id = -1;
      } else if (dense != null) {
        long at = key - min; // may overflow for far keys: then out of range either way
        id = at >= 0 && at < dense.length ? dense[(int) at] : -1;
      } else {
        id = ids.get(key);
      }
      if (id < 0) {
        if (keepLeft) {
          if (n == ls.length) {
            ls = java.util.Arrays.copyOf(ls, 2 * n + 16);
            rs = java.util.Arrays.copyOf(rs, 2 * n + 16);
          }
          ls[n] = i;
          rs[n++] = -1;
        }
        continue;
      }
      for (int r = head[id]; r >= 0; r = next[r]) {
        if (n == ls.length) {
          ls = java.util.Arrays.copyOf(ls, 2 * n + 16);
          rs = java.util.Arrays.copyOf(rs, 2 * n + 16);
        }
        ls[n] = i;
        rs[n++] = r;
      }
    }
    return new int[][] {java.util.Arrays.copyOf(ls, n), java.util.Arrays.copyOf(rs, n)};
  }

  /** The rows of {@code c} at {@code rows}, missing where the row is -1. */
  private static Column<?> take(Column<?> c, int[] rows, String name) {
    boolean anyMissing = false;
    for (int r : rows) {
      if (r < 0) {
        anyMissing = true;
        break;
      }
    }
    if (!anyMissing) {
      return Tables.take(c, rows).setName(name);
    }
    Column<?> src = c.copy();
    src.appendMissing();
    int[] at = rows.clone();
    for (int i = 0; i < at.length; i++) {
      if (at[i] < 0) {
        at[i] = c.size();
      }
    }
    return src.subset(at).setName(name);
  }

  private Table assemble(Table left, Table right, int[] l, int[] r, boolean keysFromRight) {
    Table out = Table.create("merge");
    for (int c = 0; c < left.columnCount(); c++) {
      Column<?> col = left.column(c);
      boolean isKey = keys.contains(col.name());
      out.addColumns(keysFromRight && isKey ? take(right.column(col.name()), r, leftOut.get(c)) : take(col, l, leftOut.get(c)));
    }
    for (int c = 0; c < rightCols.size(); c++) {
      out.addColumns(take(right.column(rightCols.get(c)), r, rightOut.get(c)));
    }
    return out;
  }

  /** One left partition joined with the right table: inner, or left when {@code keepLeft}. */
  public record Probe(Join join, boolean keepLeft) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table left = (Table) args[0];
      Table right = (Table) args[1];
      int[][] p = join.pairs(left, right, keepLeft);
      return join.assemble(left, right, p[0], p[1], false);
    }
  }

  /**
   * An inner probe fused with {@code withColumn(column, a op b)} and a select of that column alone:
   * the output is the one DOUBLE column computed straight from the matching (left row, right row)
   * pairs, so the joined columns are never gathered. {@code a} and {@code b} are output names of
   * the join; when they are not both DOUBLE columns, the three steps run one after the other.
   */
  public record ProbeArith(Join join, String column, io.jask.dataframe.Expr.Op op, String a, String b) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table left = (Table) args[0];
      Table right = (Table) args[1];
      Column<?> ca = join.outputColumn(left, right, a);
      Column<?> cb = join.outputColumn(left, right, b);
      if (!(ca instanceof tech.tablesaw.api.DoubleColumn da) || !(cb instanceof tech.tablesaw.api.DoubleColumn db)) {
        Table joined = (Table) new Probe(join, false).apply(args);
        io.jask.dataframe.Expr e = new io.jask.dataframe.Expr.Binary(op, new io.jask.dataframe.Expr.Col(a), new io.jask.dataframe.Expr.Col(b));
        Table with = (Table) new PartitionFns.WithColumn(column, e).apply(new Object[] {joined});
        return new PartitionFns.Select(List.of(column)).apply(new Object[] {with});
      }
      int[][] p = join.pairs(left, right, false);
      boolean aLeft = join.leftOut.contains(a);
      boolean bLeft = join.leftOut.contains(b);
      int[] ra = aLeft ? p[0] : p[1];
      int[] rb = bLeft ? p[0] : p[1];
      double[] x = Cols.doubles(da);
      double[] y = Cols.doubles(db);
      int n = ra.length;
      double[] out = new double[n];
      switch (op) {
        case ADD -> { for (int i = 0; i < n; i++) out[i] = x[ra[i]] + y[rb[i]]; }
        case SUB -> { for (int i = 0; i < n; i++) out[i] = x[ra[i]] - y[rb[i]]; }
        case MUL -> { for (int i = 0; i < n; i++) out[i] = x[ra[i]] * y[rb[i]]; }
        default -> { for (int i = 0; i < n; i++) out[i] = x[ra[i]] / y[rb[i]]; }
      }
      return Table.create("merge", tech.tablesaw.api.DoubleColumn.create(column, out));
    }
  }

  /**
   * {@link ProbeArith} followed by a keyless partial aggregate of its column ({@code agg}: sums,
   * counts, size): the pairs are found and the arithmetic summed a block of left rows at a time,
   * so no pair arrays and no column of the partition's length are made. Takes that path for one
   * INT or LONG key whose right values are unique over a small range ({@link Join#denseRows}) and
   * DOUBLE operands; otherwise the probe's table is aggregated as usual.
   */
  public record ProbeArithPartial(ProbeArith probe, Aggregation agg) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table fast = probe.join().sumOfArith((Table) args[0], (Table) args[1], probe, agg);
      return fast != null ? fast : agg.partial((Table) probe.apply(args));
    }
  }

  private static final int BLOCK = 1024;

  private Table sumOfArith(Table left, Table right, ProbeArith p, Aggregation agg) {
    if (keys.size() != 1 || !integral(left.column(keys.get(0))) || !integral(right.column(keys.get(0)))) {
      return null;
    }
    Column<?> ca = outputColumn(left, right, p.a());
    Column<?> cb = outputColumn(left, right, p.b());
    if (!(ca instanceof tech.tablesaw.api.DoubleColumn da) || !(cb instanceof tech.tablesaw.api.DoubleColumn db)) {
      return null;
    }
    long[] minOut = new long[1];
    int[] row = denseRows(longs(right.column(keys.get(0))), minOut);
    if (row == null) {
      return null;
    }
    long min = minOut[0];
    int len = row.length;
    // per key slot (plus a last slot for keys that match nothing): -1 when matched, the right
    // operands of the matched row
    long[] hit = new long[len + 1];
    boolean aLeft = leftOut.contains(p.a());
    boolean bLeft = leftOut.contains(p.b());
    double[] x = Cols.doubles(da);
    double[] y = Cols.doubles(db);
    double[] ra = aLeft ? null : new double[len + 1];
    double[] rb = bLeft ? null : new double[len + 1];
    for (int at = 0; at < len; at++) {
      int r = row[at];
      if (r >= 0) {
        hit[at] = -1L;
        if (ra != null) {
          ra[at] = x[r];
        }
        if (rb != null) {
          rb[at] = y[r];
        }
      }
    }
    Column<?> leftKey = left.column(keys.get(0));
    long[] lk = leftKey instanceof tech.tablesaw.api.LongColumn lc ? Cols.longs(lc) : null;
    int[] ik = lk == null ? Cols.ints((IntColumn) leftKey) : null;
    int m = left.rowCount();
    int[] slot = new int[BLOCK];
    double[] va = new double[BLOCK];
    double[] vb = new double[BLOCK];
    double s0 = 0;
    double s1 = 0;
    long count = 0;
    long size = 0;
    for (int from = 0; from < m; from += BLOCK) {
      int k = Math.min(m, from + BLOCK) - from;
      if (ik != null) {
        for (int j = 0; j < k; j++) {
          long at = (long) ik[from + j] - min; // a missing key (MIN_VALUE) falls outside
          slot[j] = at >= 0 && at < len && ik[from + j] != Integer.MIN_VALUE ? (int) at : len;
        }
      } else {
        for (int j = 0; j < k; j++) {
          long key = lk[from + j];
          long at = key - min; // far keys (even overflowing) fall outside either way
          slot[j] = at >= 0 && at < len && key != Long.MIN_VALUE ? (int) at : len;
        }
      }
      gather(aLeft, x, ra, from, slot, va, k);
      gather(bLeft, y, rb, from, slot, vb, k);
      switch (p.op()) {
        case ADD -> { for (int j = 0; j < k; j++) va[j] += vb[j]; }
        case SUB -> { for (int j = 0; j < k; j++) va[j] -= vb[j]; }
        case MUL -> { for (int j = 0; j < k; j++) va[j] *= vb[j]; }
        default -> { for (int j = 0; j < k; j++) va[j] /= vb[j]; }
      }
      // branch-free: a row without a match or with a NaN result adds +0.0
      int j = 0;
      for (; j + 1 < k; j += 2) {
        long h0 = hit[slot[j]];
        long h1 = hit[slot[j + 1]];
        long m0 = h0 & (va[j] == va[j] ? -1L : 0L);
        long m1 = h1 & (va[j + 1] == va[j + 1] ? -1L : 0L);
        s0 += Double.longBitsToDouble(Double.doubleToRawLongBits(va[j]) & m0);
        s1 += Double.longBitsToDouble(Double.doubleToRawLongBits(va[j + 1]) & m1);
        count -= m0 + m1;
        size -= h0 + h1;
      }
      for (; j < k; j++) {
        long h = hit[slot[j]];
        long mk = h & (va[j] == va[j] ? -1L : 0L);
        s0 += Double.longBitsToDouble(Double.doubleToRawLongBits(va[j]) & mk);
        count -= mk;
        size -= h;
      }
    }
    double sum = s0 + s1;
    return agg.partialOfSum(p.column(), sum, count, size);
  }

  /** Block values of an operand: the left column's rows {@code from..}, or the right's by key slot. */
  private static void gather(boolean left, double[] column, double[] bySlot, int from, int[] slot, double[] out, int k) {
    if (left) {
      System.arraycopy(column, from, out, 0, k);
    } else {
      for (int j = 0; j < k; j++) {
        out[j] = bySlot[slot[j]];
      }
    }
  }

  /**
   * The right row of each key value {@code v} at {@code v - minOut[0]} (-1 for none), when the
   * non-missing right keys are unique and span a small range; null otherwise.
   */
  private static int[] denseRows(long[] rk, long[] minOut) {
    int[] row = denseTable(rk, minOut);
    if (row == null) {
      return null;
    }
    long min = minOut[0];
    for (int r = 0; r < rk.length; r++) {
      if (rk[r] != Long.MIN_VALUE) {
        int at = (int) (rk[r] - min);
        if (row[at] >= 0) {
          return null; // a repeated key: rows have several matches
        }
        row[at] = r;
      }
    }
    return row;
  }

  /** The column of the left or right table that becomes output column {@code name}. */
  private Column<?> outputColumn(Table left, Table right, String name) {
    int at = leftOut.indexOf(name);
    if (at >= 0) {
      return left.column(at);
    }
    return right.column(rightCols.get(rightOut.indexOf(name)));
  }

  /** The right rows that one left partition matches, as a one-column table {@code row}. */
  public record Matched(Join join) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      int[][] p = join.pairs((Table) args[0], (Table) args[1], false);
      return Table.create("matched", IntColumn.create("row", p[1]));
    }
  }

  /**
   * The right rows no left partition matched (args: the right table, the distinct matched right
   * rows), with missing left columns except the keys, which come from the right.
   */
  public record Unmatched(Join join, io.jask.io.Schema leftSchema) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table right = (Table) args[0];
      Table matched = (Table) args[1];
      boolean[] hit = new boolean[right.rowCount()];
      for (int r : ((IntColumn) matched.column("row")).asIntArray()) {
        hit[r] = true;
      }
      IntColumn rs = IntColumn.create("r");
      for (int i = 0; i < hit.length; i++) {
        if (!hit[i]) {
          rs.append(i);
        }
      }
      int[] r = rs.asIntArray();
      int[] l = new int[r.length];
      java.util.Arrays.fill(l, -1);
      return join.assemble(leftSchema.emptyTable(), right, l, r, true);
    }
  }
}
