package io.jask.dataframe.internal;

import io.jask.dataframe.Agg;
import io.jask.io.DType;
import io.jask.io.Schema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A groupby as a tree reduction, in three steps that all produce Tablesaw tables (so partial
 * results travel between processes as Arrow, like partitions):
 *
 * <ol>
 *   <li>{@link #partial}: per partition and group, for each input column its sum and count of
 *       non-missing values, and its min and max when asked for (only the count for non-numeric
 *       columns), and the group's row count, in columns {@code c#sum}, {@code c#count}, {@code
 *       c#min}, {@code c#max}, {@code #size};
 *   <li>{@link #combine}: several partials concatenated and reduced again by key (sums and
 *       counts add up, mins and maxes of mins and maxes) — applied in a tree of fan-in 8;
 *   <li>{@link #finish}: the requested aggregations from one combined partial (mean = sum /
 *       count), sorted by key.
 * </ol>
 *
 * @param keys the key columns
 * @param aggs the aggregations
 * @param input the schema of the frame being grouped
 */
public record Aggregation(List<String> keys, List<Agg> aggs, Schema input) implements Serializable {

  public Aggregation {
    keys = List.copyOf(keys);
    aggs = List.copyOf(aggs);
  }

  enum Op { SUM, COUNT, MIN, MAX, SIZE, M2, FIRST, LAST }

  /** One reduction: {@code op} of column {@code in} into column {@code out}. */
  record Red(String in, Op op, String out) implements Serializable {}

  private List<String> inputs() {
    Set<String> cols = new LinkedHashSet<>();
    for (Agg a : aggs) {
      if (a.kind() != Agg.Kind.SIZE && a.kind() != Agg.Kind.NUNIQUE) {
        cols.add(a.column());
      }
    }
    return new ArrayList<>(cols);
  }

  private List<Red> partialReds(boolean combining) {
    List<Red> r = new ArrayList<>();
    for (String c : inputs()) {
      boolean numeric = input.type(c).isNumeric();
      r.add(new Red(combining ? c + "#count" : c, combining ? Op.SUM : Op.COUNT, c + "#count"));
      if (numeric) {
        r.add(new Red(combining ? c + "#sum" : c, Op.SUM, c + "#sum"));
        if (wants(c, Agg.Kind.MIN)) { // only what finish reads: a min or max costs a branch per row
          r.add(new Red(combining ? c + "#min" : c, Op.MIN, c + "#min"));
        }
        if (wants(c, Agg.Kind.MAX)) {
          r.add(new Red(combining ? c + "#max" : c, Op.MAX, c + "#max"));
        }
        if (wants(c, Agg.Kind.STD, Agg.Kind.VAR)) {
          r.add(new Red(c, Op.M2, c + "#m2"));
        }
      }
      if (input.type(c) == DType.DATETIME && wants(c, Agg.Kind.MIN, Agg.Kind.MAX)) {
        r.add(new Red(combining ? c + "#min" : c, Op.MIN, c + "#min"));
        r.add(new Red(combining ? c + "#max" : c, Op.MAX, c + "#max"));
      }
      if (wants(c, Agg.Kind.FIRST)) {
        r.add(new Red(combining ? c + "#first" : c, Op.FIRST, c + "#first"));
      }
      if (wants(c, Agg.Kind.LAST)) {
        r.add(new Red(combining ? c + "#last" : c, Op.LAST, c + "#last"));
      }
    }
    r.add(new Red(combining ? "#size" : "", combining ? Op.SUM : Op.SIZE, "#size"));
    return r;
  }

  private boolean wants(String column, Agg.Kind... kinds) {
    for (Agg a : aggs) {
      for (Agg.Kind k : kinds) {
        if (a.kind() == k && a.column().equals(column)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The output schema: keys, then one column per aggregation. */
  public Schema outputSchema() {
    List<String> names = new ArrayList<>(keys);
    List<DType> types = new ArrayList<>();
    for (String k : keys) {
      types.add(input.type(k));
    }
    for (Agg a : aggs) {
      names.add(a.name());
      types.add(a.type(input));
    }
    if (new java.util.HashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException("aggregation output names collide: " + names + "; rename with Agg.as(name)");
    }
    return Schema.of(names, types);
  }

  /** Step 1 on one partition. */
  public Table partial(Table partition) {
    return reduce(partition, partialReds(false), false, null);
  }

  /**
   * The partial aggregate of the rows where {@code keep[i] == 1}, without copying the others out
   * first (a filter fused into the aggregation); only without keys, where the one group exists
   * whether or not rows are left.
   */
  public Table partial(Table partition, byte[] keep) {
    if (!keys.isEmpty()) {
      throw new IllegalStateException("a masked partial aggregate needs no keys, got " + keys);
    }
    return reduce(partition, partialReds(false), false, keep);
  }

  /**
   * The partial aggregate of the rows where {@code condition} is true (no keys): fused into one
   * pass per column when the condition is one numeric comparison ({@link Kernels#filteredSums}),
   * otherwise through a row mask ({@link #partial(Table, byte[])}).
   */
  public Table partialWhere(Table partition, io.jask.dataframe.Expr condition) {
    if (!keys.isEmpty()) {
      throw new IllegalStateException("a filtered partial aggregate needs no keys, got " + keys);
    }
    Table fused = Kernels.filteredSums(partition, condition, partialReds(false));
    if (fused != null) {
      return fused;
    }
    byte[] keep = Kernels.mask(condition, partition);
    return partial(partition, keep != null ? keep : ((Vec.B) ExprEval.eval(condition, partition)).v());
  }

  /**
   * The partial aggregate (no keys) of one DOUBLE column {@code column} given its sum and count of
   * non-missing values over {@code size} rows, as {@link #partial} would give it; null when this
   * aggregation asks for more than sums, counts and sizes of that column.
   */
  public Table partialOfSum(String column, double sum, long count, long size) {
    if (!keys.isEmpty()) {
      return null;
    }
    Table out = Table.create("partial");
    for (Red r : partialReds(false)) {
      if (r.op() == Op.SIZE) {
        out.addColumns(LongColumn.create(r.out(), new long[] {size}));
      } else if (!r.in().equals(column) || (r.op() != Op.SUM && r.op() != Op.COUNT)) {
        return null;
      } else {
        out.addColumns(r.op() == Op.SUM ? DoubleColumn.create(r.out(), new double[] {sum})
            : LongColumn.create(r.out(), new long[] {count}));
      }
    }
    return out;
  }

  /** Step 2 on several partials. */
  public Table combine(List<Table> partials) {
    return reduce(Tables.concat(partials), partialReds(true), true, null);
  }

  /** Step 3: the final table from a combined partial (or from a single partial). */
  public Table finish(Table combined) {
    Table t = combined;
    Table out = Table.create("groupby");
    for (String k : keys) {
      out.addColumns(Tables.copy(t.column(k)));
    }
    for (Agg a : aggs) {
      Column<?> c = switch (a.kind()) {
        case SUM -> t.column(a.column() + "#sum").copy();
        case COUNT -> t.column(a.column() + "#count").copy();
        case SIZE -> t.column("#size").copy();
        case MEAN -> mean(t, a.column());
        case STD, VAR -> variance(t, a.column(), a.kind() == Agg.Kind.STD);
        case FIRST -> t.column(a.column() + "#first").copy();
        case LAST -> t.column(a.column() + "#last").copy();
        case NUNIQUE -> throw new IllegalStateException("nunique is computed apart (DFrame.aggregate)");
        case MIN, MAX -> {
          Column<?> m = t.column(a.column() + (a.kind() == Agg.Kind.MIN ? "#min" : "#max")).copy();
          yield input.type(a.column()) == DType.INT ? toInt((LongColumn) m) : m;
        }
      };
      out.addColumns(c.setName(a.name()));
    }
    return Tables.sortByKeys(out, keys);
  }

  private static Column<?> mean(Table t, String c) {
    Column<?> s = t.column(c + "#sum");
    long[] n = ((LongColumn) t.column(c + "#count")).asLongArray();
    double[] out = new double[n.length];
    for (int i = 0; i < n.length; i++) {
      double sum = s instanceof LongColumn l ? (double) l.getLong(i) : ((DoubleColumn) s).getDouble(i);
      out[i] = n[i] == 0 ? Double.NaN : sum / n[i];
    }
    return DoubleColumn.create(c, out);
  }

  private static Column<?> variance(Table t, String c, boolean sqrt) {
    long[] n = ((LongColumn) t.column(c + "#count")).asLongArray();
    double[] m2 = ((DoubleColumn) t.column(c + "#m2")).asDoubleArray();
    double[] out = new double[n.length];
    for (int i = 0; i < n.length; i++) {
      double v = n[i] < 2 ? Double.NaN : Math.max(0, m2[i]) / (n[i] - 1);
      out[i] = sqrt ? Math.sqrt(v) : v;
    }
    return DoubleColumn.create(c, out);
  }

  private static IntColumn toInt(LongColumn l) {
    long[] v = l.asLongArray();
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] == Long.MIN_VALUE ? Integer.MIN_VALUE : (int) v[i];
    }
    return IntColumn.create(l.name(), out);
  }

  private Table reduce(Table t, List<Red> reds, boolean combining, byte[] keep) {
    Table fast = Kernels.reduce(t, keys, reds, keep);
    if (fast != null) {
      return fast;
    }
    Grouping g = Grouping.of(t, keys);
    if (keep != null) {
      int[] ids = g.ids();
      for (int i = 0; i < ids.length; i++) {
        if (keep[i] != 1) {
          ids[i] = -1;
        }
      }
    }
    Table out = Table.create("partial");
    for (String k : keys) {
      out.addColumns(t.column(k).subset(g.firstRow()));
    }
    for (Red r : reds) {
      out.addColumns(r.op() == Op.M2 ? m2(t, r.in(), g, combining)
          : r.op() == Op.FIRST || r.op() == Op.LAST ? firstOrLast(t, r, g) : reduceColumn(t, r, g));
    }
    return out;
  }

  /** Per group, the first (or last) non-missing value, in order of the rows. */
  private static Column<?> firstOrLast(Table t, Red r, Grouping g) {
    int[] ids = g.ids();
    Column<?> c = t.column(r.in());
    int[] pick = new int[g.groups()];
    Arrays.fill(pick, -1);
    boolean first = r.op() == Op.FIRST;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] >= 0 && !c.isMissing(i) && (!first || pick[ids[i]] < 0)) {
        pick[ids[i]] = i;
      }
    }
    Column<?> withMissing = c.copy();
    withMissing.appendMissing();
    for (int j = 0; j < pick.length; j++) {
      if (pick[j] < 0) {
        pick[j] = c.size();
      }
    }
    return withMissing.subset(pick).setName(r.out());
  }

  /**
   * Per group, the sum of squared deviations from the group's mean (M2). On a partition: two
   * passes (mean, then squares); combining: Chan et al.'s pairwise update over the partials'
   * (count, sum, M2), exact up to rounding.
   */
  private static Column<?> m2(Table t, String c, Grouping g, boolean combining) {
    int[] ids = g.ids();
    int groups = g.groups();
    double[] m2 = new double[groups];
    if (!combining) {
      double[] x = ExprEval.doubles(Vec.of(t.column(c)));
      double[] sum = new double[groups];
      long[] cnt = new long[groups];
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] >= 0 && !Double.isNaN(x[i])) {
          sum[ids[i]] += x[i];
          cnt[ids[i]]++;
        }
      }
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] >= 0 && !Double.isNaN(x[i])) {
          double d = x[i] - sum[ids[i]] / cnt[ids[i]];
          m2[ids[i]] += d * d;
        }
      }
      return DoubleColumn.create(c + "#m2", m2);
    }
    long[] n = ((LongColumn) t.column(c + "#count")).asLongArray();
    double[] s = ExprEval.doubles(Vec.of(t.column(c + "#sum")));
    double[] m = ((DoubleColumn) t.column(c + "#m2")).asDoubleArray();
    long[] accN = new long[groups];
    double[] accMean = new double[groups];
    for (int i = 0; i < ids.length; i++) {
      int id = ids[i];
      if (id < 0 || n[i] == 0) {
        continue;
      }
      double meanB = s[i] / n[i];
      if (accN[id] == 0) {
        accN[id] = n[i];
        accMean[id] = meanB;
        m2[id] = m[i];
      } else {
        long total = accN[id] + n[i];
        double delta = meanB - accMean[id];
        m2[id] += m[i] + delta * delta * ((double) accN[id] * n[i] / total);
        accMean[id] += delta * n[i] / total;
        accN[id] = total;
      }
    }
    return DoubleColumn.create(c + "#m2", m2);
  }

  private static Column<?> reduceColumn(Table t, Red r, Grouping g) {
    int[] ids = g.ids();
    int n = ids.length;
    int groups = g.groups();
    if (r.op() == Op.SIZE) {
      long[] size = new long[groups];
      for (int i = 0; i < n; i++) {
        if (ids[i] >= 0) {
          size[ids[i]]++;
        }
      }
      return LongColumn.create(r.out(), size);
    }
    Vec v = Vec.of(t.column(r.in()));
    if (r.op() == Op.COUNT) {
      long[] count = new long[groups];
      for (int i = 0; i < n; i++) {
        if (ids[i] >= 0 && !v.missing(i)) {
          count[ids[i]]++;
        }
      }
      return LongColumn.create(r.out(), count);
    }
    if (v instanceof Vec.T dt) {
      Vec.L asLongs = (Vec.L) reduceLongs(new Vec.L(dt.v(), dt.miss()), r, ids, groups);
      return Vec.toColumn(r.out(), new Vec.T(asLongs.v(), null));
    }
    if (v instanceof Vec.L l) {
      return LongColumn.create(r.out(), ((Vec.L) reduceLongs(l, r, ids, groups)).v());
    }
    double[] x = ((Vec.D) v).v();
    double[] acc = new double[groups];
    if (r.op() != Op.SUM) {
      Arrays.fill(acc, Double.NaN);
    }
    for (int i = 0; i < n; i++) {
      int id = ids[i];
      double xi = x[i];
      if (id < 0 || Double.isNaN(xi)) {
        continue;
      }
      switch (r.op()) {
        case SUM -> acc[id] += xi;
        case MIN -> acc[id] = Double.isNaN(acc[id]) ? xi : Math.min(acc[id], xi);
        default -> acc[id] = Double.isNaN(acc[id]) ? xi : Math.max(acc[id], xi);
      }
    }
    return DoubleColumn.create(r.out(), acc);
  }

  /** SUM, MIN or MAX of integers per group; MIN and MAX are Long.MIN_VALUE (missing) for a group without values. */
  private static Vec reduceLongs(Vec.L l, Red r, int[] ids, int groups) {
    int n = ids.length;
    {
      long[] x = l.v();
      long[] acc = new long[groups];
      boolean[] has = new boolean[groups];
      for (int i = 0; i < n; i++) {
        int id = ids[i];
        if (id < 0 || l.missing(i)) {
          continue;
        }
        switch (r.op()) {
          case SUM -> acc[id] += x[i];
          case MIN -> acc[id] = has[id] ? Math.min(acc[id], x[i]) : x[i];
          default -> acc[id] = has[id] ? Math.max(acc[id], x[i]) : x[i];
        }
        has[id] = true;
      }
      if (r.op() != Op.SUM) {
        for (int j = 0; j < groups; j++) {
          if (!has[j]) {
            acc[j] = Long.MIN_VALUE;
          }
        }
      }
      return new Vec.L(acc, null);
    }
  }
}
