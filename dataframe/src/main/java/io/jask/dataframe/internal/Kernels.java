package io.jask.dataframe.internal;

import io.jask.dataframe.Expr;
import io.jask.io.DType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Fast paths for the commonest partition kernels, over the columns' own storage ({@link Cols}):
 *
 * <ul>
 *   <li>{@link #mask}: a filter condition made of numeric comparisons with literals joined by
 *       and/or/not, evaluated in one tight loop per comparison without copying a column;
 *   <li>{@link #filteredSums}: a filter of one DOUBLE comparison fused into a keyless sum, count
 *       and size of DOUBLE columns, one branch-free pass per column and no mask;
 *   <li>{@link #reduce}: a partial or combining aggregation (sum, count, min, max, size) with no
 *       key or one dense key ({@link DenseKey}: integers over a small range, or a string column's
 *       dictionary keys), every aggregated column reduced in one pass into arrays indexed by the
 *       key, and an optional row mask (a filter fused into the aggregation).
 * </ul>
 *
 * <p>Each returns {@code null} when it does not apply, and the caller takes the general path
 * ({@link ExprEval}, {@link Grouping}); both produce the same table (same columns, types and values;
 * groups may come in another order, which no caller relies on: {@link Aggregation#finish} sorts).
 */
final class Kernels {
  private Kernels() {}

  // ---- filter masks ----------------------------------------------------------------------------

  /** 1 where the condition is true, else 0; null when the condition is not of the supported form. */
  static byte[] mask(Expr e, Table t) {
    if (!supported(e, t)) {
      return null;
    }
    return eval(e, t, t.rowCount());
  }

  private static boolean supported(Expr e, Table t) {
    if (e instanceof Expr.Not not) {
      return supported(not.operand(), t);
    }
    if (!(e instanceof Expr.Binary b)) {
      return false;
    }
    if (b.op() == Expr.Op.AND || b.op() == Expr.Op.OR) {
      return supported(b.left(), t) && supported(b.right(), t);
    }
    if (b.op().ordinal() < Expr.Op.GT.ordinal() || b.op().ordinal() > Expr.Op.NE.ordinal()) {
      return false;
    }
    Expr c = b.left() instanceof Expr.Col ? b.left() : b.right();
    Expr l = b.left() instanceof Expr.Col ? b.right() : b.left();
    if (!(c instanceof Expr.Col col) || !(l instanceof Expr.Lit lit) || !(lit.value() instanceof Number)
        || lit.value() instanceof Float) {
      return false;
    }
    if (!t.columnNames().contains(col.name())) {
      return false; // the general path names the missing column
    }
    Column<?> column = t.column(col.name());
    DType type = DType.of(column);
    return (type == DType.DOUBLE && column instanceof DoubleColumn)
        || (type == DType.INT && column instanceof IntColumn)
        || (type == DType.LONG && column instanceof LongColumn);
  }

  private static byte[] eval(Expr e, Table t, int n) {
    if (e instanceof Expr.Not not) {
      byte[] a = eval(not.operand(), t, n);
      for (int i = 0; i < n; i++) {
        a[i] ^= 1; // comparisons are never missing (a missing operand compares false, != true)
      }
      return a;
    }
    Expr.Binary b = (Expr.Binary) e;
    if (b.op() == Expr.Op.AND || b.op() == Expr.Op.OR) {
      byte[] a = eval(b.left(), t, n);
      byte[] c = eval(b.right(), t, n);
      if (b.op() == Expr.Op.AND) {
        for (int i = 0; i < n; i++) {
          a[i] &= c[i];
        }
      } else {
        for (int i = 0; i < n; i++) {
          a[i] |= c[i];
        }
      }
      return a;
    }
    boolean colLeft = b.left() instanceof Expr.Col;
    Expr.Op op = colLeft ? b.op() : flip(b.op());
    Column<?> column = t.column(((Expr.Col) (colLeft ? b.left() : b.right())).name());
    Number lit = (Number) ((Expr.Lit) (colLeft ? b.right() : b.left())).value();
    byte[] out = new byte[n];
    if (column instanceof DoubleColumn d) {
      compare(op, Cols.doubles(d), lit.doubleValue(), out, n);
    } else if (lit instanceof Double) {
      // an integer column against a double: compared as doubles, missing compares false (!= true)
      double y = lit.doubleValue();
      byte whenMissing = op == Expr.Op.NE ? (byte) 1 : 0;
      if (column instanceof IntColumn ic) {
        int[] x = Cols.ints(ic);
        for (int i = 0; i < n; i++) {
          out[i] = x[i] == Integer.MIN_VALUE ? whenMissing : test(op, x[i], y);
        }
      } else {
        long[] x = Cols.longs((LongColumn) column);
        for (int i = 0; i < n; i++) {
          out[i] = x[i] == Long.MIN_VALUE ? whenMissing : test(op, x[i], y);
        }
      }
    } else if (column instanceof IntColumn ic) {
      compare(op, Cols.ints(ic), lit.longValue(), out, n);
    } else {
      compare(op, Cols.longs((LongColumn) column), lit.longValue(), out, n);
    }
    return out;
  }

  /** IEEE comparison as {@link ExprEval} does it for doubles (never true with NaN, except !=). */
  private static byte test(Expr.Op op, double x, double y) {
    boolean r = switch (op) {
      case GT -> x > y;
      case GE -> x >= y;
      case LT -> x < y;
      case LE -> x <= y;
      case EQ -> x == y;
      default -> x != y;
    };
    return r ? (byte) 1 : 0;
  }

  private static Expr.Op flip(Expr.Op op) {
    return switch (op) {
      case GT -> Expr.Op.LT;
      case GE -> Expr.Op.LE;
      case LT -> Expr.Op.GT;
      case LE -> Expr.Op.GE;
      default -> op;
    };
  }

  private static void compare(Expr.Op op, double[] x, double y, byte[] out, int n) {
    switch (op) {
      case GT -> { for (int i = 0; i < n; i++) out[i] = x[i] > y ? (byte) 1 : 0; }
      case GE -> { for (int i = 0; i < n; i++) out[i] = x[i] >= y ? (byte) 1 : 0; }
      case LT -> { for (int i = 0; i < n; i++) out[i] = x[i] < y ? (byte) 1 : 0; }
      case LE -> { for (int i = 0; i < n; i++) out[i] = x[i] <= y ? (byte) 1 : 0; }
      case EQ -> { for (int i = 0; i < n; i++) out[i] = x[i] == y ? (byte) 1 : 0; }
      default -> { for (int i = 0; i < n; i++) out[i] = x[i] != y ? (byte) 1 : 0; }
    }
  }

  private static void compare(Expr.Op op, int[] x, long y, byte[] out, int n) {
    byte whenMissing = op == Expr.Op.NE ? (byte) 1 : 0;
    for (int i = 0; i < n; i++) {
      out[i] = x[i] == Integer.MIN_VALUE ? whenMissing : ExprEval.test(op, Long.compare(x[i], y));
    }
  }

  private static void compare(Expr.Op op, long[] x, long y, byte[] out, int n) {
    byte whenMissing = op == Expr.Op.NE ? (byte) 1 : 0;
    for (int i = 0; i < n; i++) {
      out[i] = x[i] == Long.MIN_VALUE ? whenMissing : ExprEval.test(op, Long.compare(x[i], y));
    }
  }

  // ---- filter fused into a keyless sum ----------------------------------------------------------

  /**
   * The keyless partial aggregate ({@code reds}: counts, sums and the size, of DOUBLE columns) of
   * the rows where {@code cond} holds, when {@code cond} is one comparison of a DOUBLE column with
   * a number: one pass per aggregated column that tests and adds without a mask or a branch per
   * row. Null when the reductions or the condition are of another form.
   */
  static Table filteredSums(Table t, Expr cond, List<Aggregation.Red> reds) {
    if (!(cond instanceof Expr.Binary b) || b.op() == Expr.Op.AND || b.op() == Expr.Op.OR || !supported(cond, t)) {
      return null;
    }
    boolean colLeft = b.left() instanceof Expr.Col;
    Column<?> cc = t.column(((Expr.Col) (colLeft ? b.left() : b.right())).name());
    if (!(cc instanceof DoubleColumn cd)) {
      return null;
    }
    Expr.Op op = colLeft ? b.op() : flip(b.op());
    double lit = ((Number) ((Expr.Lit) (colLeft ? b.right() : b.left())).value()).doubleValue();
    for (Aggregation.Red r : reds) {
      if (r.op() != Aggregation.Op.SIZE && (r.op() != Aggregation.Op.SUM && r.op() != Aggregation.Op.COUNT
          || !(t.column(r.in()) instanceof DoubleColumn) || DType.of(t.column(r.in())) != DType.DOUBLE)) {
        return null;
      }
    }
    int n = t.rowCount();
    double[] y = Cols.doubles(cd);
    Map<String, double[]> done = new java.util.HashMap<>(); // column -> {sum, count}
    long size = -1;
    Table out = Table.create("partial");
    for (Aggregation.Red r : reds) {
      if (r.op() == Aggregation.Op.SIZE) {
        if (size < 0) {
          size = countWhere(y, op, lit, n);
        }
        out.addColumns(LongColumn.create(r.out(), new long[] {size}));
        continue;
      }
      double[] sc = done.computeIfAbsent(r.in(), c -> maskedSum(Cols.doubles(t.doubleColumn(c)), y, op, lit, n));
      out.addColumns(r.op() == Aggregation.Op.SUM ? DoubleColumn.create(r.out(), new double[] {sc[0]})
          : LongColumn.create(r.out(), new long[] {(long) sc[1]}));
    }
    return out;
  }

  /** The number of rows where {@code y[i] op lit} (IEEE: false with NaN except for !=). */
  private static long countWhere(double[] y, Expr.Op op, double lit, int n) {
    long c = 0;
    switch (op) {
      case GT -> { for (int i = 0; i < n; i++) c += y[i] > lit ? 1 : 0; }
      case GE -> { for (int i = 0; i < n; i++) c += y[i] >= lit ? 1 : 0; }
      case LT -> { for (int i = 0; i < n; i++) c += y[i] < lit ? 1 : 0; }
      case LE -> { for (int i = 0; i < n; i++) c += y[i] <= lit ? 1 : 0; }
      case EQ -> { for (int i = 0; i < n; i++) c += y[i] == lit ? 1 : 0; }
      default -> { for (int i = 0; i < n; i++) c += y[i] != lit ? 1 : 0; }
    }
    return c;
  }

  /** {sum, count} of the non-NaN {@code x[i]} where {@code y[i] op lit}. */
  private static double[] maskedSum(double[] x, double[] y, Expr.Op op, double lit, int n) {
    // y < lit is -y > -lit (negation is exact and keeps NaN): two loop shapes, strict or not
    return switch (op) {
      case GT -> sumWhereAbove(x, y, 1, lit, n);
      case LT -> sumWhereAbove(x, y, -1, -lit, n);
      case GE -> sumWhereAtLeast(x, y, 1, lit, n);
      case LE -> sumWhereAtLeast(x, y, -1, -lit, n);
      default -> sumWhereEqual(x, y, lit, n, op == Expr.Op.NE);
    };
  }

  /**
   * {sum, count} of the non-NaN {@code x[i]} where {@code sign * y[i] > lit}: a row that is not
   * kept adds +0.0 (its bits masked off, no branch), four running sums break the chain of
   * dependent additions.
   */
  private static double[] sumWhereAbove(double[] x, double[] y, double sign, double lit, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    long c = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      long k0 = (sign * y[i] > lit ? -1L : 0L) & (x[i] == x[i] ? -1L : 0L);
      long k1 = (sign * y[i + 1] > lit ? -1L : 0L) & (x[i + 1] == x[i + 1] ? -1L : 0L);
      long k2 = (sign * y[i + 2] > lit ? -1L : 0L) & (x[i + 2] == x[i + 2] ? -1L : 0L);
      long k3 = (sign * y[i + 3] > lit ? -1L : 0L) & (x[i + 3] == x[i + 3] ? -1L : 0L);
      s0 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i]) & k0);
      s1 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i + 1]) & k1);
      s2 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i + 2]) & k2);
      s3 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i + 3]) & k3);
      c -= k0 + k1 + k2 + k3;
    }
    for (; i < n; i++) {
      long k = (sign * y[i] > lit ? -1L : 0L) & (x[i] == x[i] ? -1L : 0L);
      s0 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i]) & k);
      c -= k;
    }
    return new double[] {(s0 + s1) + (s2 + s3), c};
  }

  /** {@link #sumWhereAbove} with {@code sign * y[i] >= lit}. */
  private static double[] sumWhereAtLeast(double[] x, double[] y, double sign, double lit, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    long c = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      long k0 = (sign * y[i] >= lit ? -1L : 0L) & (x[i] == x[i] ? -1L : 0L);
      long k1 = (sign * y[i + 1] >= lit ? -1L : 0L) & (x[i + 1] == x[i + 1] ? -1L : 0L);
      long k2 = (sign * y[i + 2] >= lit ? -1L : 0L) & (x[i + 2] == x[i + 2] ? -1L : 0L);
      long k3 = (sign * y[i + 3] >= lit ? -1L : 0L) & (x[i + 3] == x[i + 3] ? -1L : 0L);
      s0 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i]) & k0);
      s1 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i + 1]) & k1);
      s2 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i + 2]) & k2);
      s3 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i + 3]) & k3);
      c -= k0 + k1 + k2 + k3;
    }
    for (; i < n; i++) {
      long k = (sign * y[i] >= lit ? -1L : 0L) & (x[i] == x[i] ? -1L : 0L);
      s0 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i]) & k);
      c -= k;
    }
    return new double[] {(s0 + s1) + (s2 + s3), c};
  }

  private static double[] sumWhereEqual(double[] x, double[] y, double lit, int n, boolean not) {
    double s = 0;
    long c = 0;
    for (int i = 0; i < n; i++) {
      long k = ((y[i] == lit) != not ? -1L : 0L) & (x[i] == x[i] ? -1L : 0L);
      s += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i]) & k);
      c -= k;
    }
    return new double[] {s, c};
  }

  // ---- dense aggregation -----------------------------------------------------------------------

  /** Accumulators of one aggregated column, indexed by slot; min and max only when asked for. */
  private static final class Acc {
    final boolean integral;
    final boolean minMax;
    final long[] count;
    final double[] dsum;
    final double[] dmin;
    final double[] dmax;
    final long[] lsum;
    final long[] lmin;
    final long[] lmax;

    Acc(boolean integral, boolean minMax, int slots) {
      this.integral = integral;
      this.minMax = minMax;
      count = new long[slots];
      int m = minMax ? slots : 0;
      if (integral) {
        lsum = new long[slots];
        lmin = new long[m];
        lmax = new long[m];
        Arrays.fill(lmin, Long.MAX_VALUE);
        Arrays.fill(lmax, Long.MIN_VALUE);
        dsum = dmin = dmax = null;
      } else {
        dsum = new double[slots];
        dmin = new double[m];
        dmax = new double[m];
        Arrays.fill(dmin, Double.NaN);
        Arrays.fill(dmax, Double.NaN);
        lsum = lmin = lmax = null;
      }
    }
  }

  /**
   * The reduction of {@link Aggregation} (partial when {@code reds} read raw columns, combining
   * when they read partial columns) by at most one dense key, over the rows where {@code keep} is 1
   * (all when null); null when this kernel does not apply.
   */
  static Table reduce(Table t, List<String> keys, List<Aggregation.Red> reds, byte[] keep) {
    if (keys.size() > 1) {
      return null;
    }
    Map<String, Boolean> inputs = new LinkedHashMap<>(); // column -> integral
    java.util.Set<String> minMax = new java.util.HashSet<>();
    for (Aggregation.Red r : reds) {
      if (r.op() == Aggregation.Op.MIN || r.op() == Aggregation.Op.MAX) {
        minMax.add(r.in());
      }
      switch (r.op()) {
        case SIZE -> { }
        case SUM, COUNT, MIN, MAX -> {
          Column<?> c = t.column(r.in());
          DType type = DType.of(c);
          if (type == DType.DOUBLE && c instanceof DoubleColumn) {
            inputs.put(r.in(), false);
          } else if ((type == DType.INT && c instanceof IntColumn) || (type == DType.LONG && c instanceof LongColumn)) {
            inputs.put(r.in(), true);
          } else {
            return null;
          }
        }
        default -> {
          return null;
        }
      }
    }
    int n = t.rowCount();
    DenseKey key = keys.isEmpty() ? null : DenseKey.of(t.column(keys.get(0)), n, keep, !inputs.isEmpty()); // sizes alone need no slots
    if (!keys.isEmpty() && key == null) {
      return null;
    }
    int slots = key == null ? 1 : key.slots();
    int[] slot = key == null ? null : key.slot();
    if (key != null) {
      keep = null; // applied to the slots
    }
    long[] size = key == null ? new long[1] : key.size();
    if (key == null) {
      long s = n;
      if (keep != null) {
        s = 0;
        for (int i = 0; i < n; i++) {
          s += keep[i] == 1 ? 1 : 0;
        }
      }
      size[0] = s;
    }
    Map<String, Acc> accs = new LinkedHashMap<>();
    for (Map.Entry<String, Boolean> in : inputs.entrySet()) {
      Column<?> c = t.column(in.getKey());
      Acc a = new Acc(in.getValue(), minMax.contains(in.getKey()), slots);
      if (c instanceof DoubleColumn d) {
        accumulate(Cols.doubles(d), n, slot, keep, a);
      } else if (c instanceof IntColumn ic) {
        accumulate(Cols.ints(ic), n, slot, keep, a);
      } else {
        accumulate(Cols.longs((LongColumn) c), n, slot, keep, a);
      }
      accs.put(in.getKey(), a);
    }
    // the groups: slots with rows (and a valid key); with no key, always the one group
    int[] groups;
    if (key == null) {
      groups = new int[] {0};
    } else {
      int g = 0;
      groups = new int[slots];
      for (int s = 0; s < slots; s++) {
        if (size[s] > 0 && key.valid(s)) {
          groups[g++] = s;
        }
      }
      groups = Arrays.copyOf(groups, g);
    }
    Table out = Table.create("partial");
    if (key != null) {
      out.addColumns(key.column(t.column(keys.get(0)), keys.get(0), groups));
    }
    for (Aggregation.Red r : reds) {
      out.addColumns(column(r, r.op() == Aggregation.Op.SIZE ? null : accs.get(r.in()), size, groups));
    }
    return out;
  }

  private static Column<?> column(Aggregation.Red r, Acc a, long[] size, int[] groups) {
    int g = groups.length;
    switch (r.op()) {
      case SIZE, COUNT -> {
        long[] src = r.op() == Aggregation.Op.SIZE ? size : a.count;
        long[] v = new long[g];
        for (int j = 0; j < g; j++) {
          v[j] = src[groups[j]];
        }
        return LongColumn.create(r.out(), v);
      }
      default -> {
        if (a.integral) {
          long[] src = r.op() == Aggregation.Op.SUM ? a.lsum : r.op() == Aggregation.Op.MIN ? a.lmin : a.lmax;
          long[] v = new long[g];
          for (int j = 0; j < g; j++) {
            v[j] = r.op() != Aggregation.Op.SUM && a.count[groups[j]] == 0 ? Long.MIN_VALUE : src[groups[j]];
          }
          return LongColumn.create(r.out(), v);
        }
        double[] src = r.op() == Aggregation.Op.SUM ? a.dsum : r.op() == Aggregation.Op.MIN ? a.dmin : a.dmax;
        double[] v = new double[g];
        for (int j = 0; j < g; j++) {
          v[j] = src[groups[j]];
        }
        return DoubleColumn.create(r.out(), v);
      }
    }
  }

  private static void accumulate(double[] x, int n, int[] slot, byte[] keep, Acc a) {
    long[] count = a.count;
    double[] sum = a.dsum;
    if (slot == null) {
      // one group, branch-free (a random mask would mispredict half the time): a value that is
      // not kept adds +0.0; four running sums break the chain of dependent additions
      long c = 0;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      int i = 0;
      for (; i + 3 < n; i += 4) {
        long k0 = keep(keep, i, x[i]);
        long k1 = keep(keep, i + 1, x[i + 1]);
        long k2 = keep(keep, i + 2, x[i + 2]);
        long k3 = keep(keep, i + 3, x[i + 3]);
        s0 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i]) & k0);
        s1 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i + 1]) & k1);
        s2 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i + 2]) & k2);
        s3 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i + 3]) & k3);
        c -= k0 + k1 + k2 + k3;
      }
      for (; i < n; i++) {
        long k = keep(keep, i, x[i]);
        s0 += Double.longBitsToDouble(Double.doubleToRawLongBits(x[i]) & k);
        c -= k;
      }
      double s = (s0 + s1) + (s2 + s3);
      count[0] = c;
      sum[0] = s;
      if (a.minMax) {
        double lo = Double.NaN;
        double hi = Double.NaN;
        for (int j = 0; j < n; j++) {
          double v = x[j];
          if ((keep == null || keep[j] == 1) && v == v) {
            lo = lo != lo ? v : Math.min(lo, v);
            hi = hi != hi ? v : Math.max(hi, v);
          }
        }
        a.dmin[0] = lo;
        a.dmax[0] = hi;
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      int s = slot[i];
      double v = x[i];
      if (s >= 0 && v == v) {
        sum[s] += v;
        count[s]++;
      }
    }
    if (a.minMax) {
      double[] min = a.dmin;
      double[] max = a.dmax;
      for (int i = 0; i < n; i++) {
        int s = slot[i];
        double v = x[i];
        if (s >= 0 && v == v) {
          min[s] = min[s] != min[s] ? v : Math.min(min[s], v);
          max[s] = max[s] != max[s] ? v : Math.max(max[s], v);
        }
      }
    }
  }

  /** -1 (all bits) when row {@code i} is kept (mask 1 or no mask) and {@code v} is not NaN, else 0. */
  private static long keep(byte[] keep, int i, double v) {
    long notNaN = v == v ? -1L : 0L;
    if (keep == null) {
      return notNaN;
    }
    int k = keep[i];
    return -(long) (k & 1 & ~(k >>> 1)) & notNaN; // k is 1, 0 or -1 (missing)
  }

  private static void accumulate(int[] x, int n, int[] slot, byte[] keep, Acc a) {
    long[] count = a.count;
    long[] sum = a.lsum;
    for (int i = 0; i < n; i++) {
      int s = slot == null ? (keep == null || keep[i] == 1 ? 0 : -1) : slot[i];
      int v = x[i];
      if (s >= 0 && v != Integer.MIN_VALUE) {
        sum[s] += v;
        count[s]++;
        if (a.minMax) {
          a.lmin[s] = Math.min(a.lmin[s], v);
          a.lmax[s] = Math.max(a.lmax[s], v);
        }
      }
    }
  }

  private static void accumulate(long[] x, int n, int[] slot, byte[] keep, Acc a) {
    long[] count = a.count;
    long[] sum = a.lsum;
    for (int i = 0; i < n; i++) {
      int s = slot == null ? (keep == null || keep[i] == 1 ? 0 : -1) : slot[i];
      long v = x[i];
      if (s >= 0 && v != Long.MIN_VALUE) {
        sum[s] += v;
        count[s]++;
        if (a.minMax) {
          a.lmin[s] = Math.min(a.lmin[s], v);
          a.lmax[s] = Math.max(a.lmax[s], v);
        }
      }
    }
  }
}
