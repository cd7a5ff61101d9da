package io.jask.dataframe;

import static io.jask.dataframe.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The fast kernel paths (dense-key aggregation over integer ranges and string dictionary keys, the
 * keyless masked aggregation of a fused filter, numeric filter masks) against plain loops over the
 * whole table, on seeded random frames whose keys sometimes fall off the dense path (wide or
 * extreme ranges, many strings), with missing keys and values, NaN, empty and single partitions.
 */
class KernelPathsTest {
  private static final int CASES = 4;

  /** The key kinds: each name says which path it takes. */
  private static final String[] KINDS = {"int-dense", "int-negative", "int-wide", "long-dense", "long-extreme",
      "string-few", "string-many", "string-all-missing"};

  /** Columns: k (the key, of {@code kind}), x DOUBLE (NaN), y DOUBLE in [0,1), i INT (missing). */
  static Table table(Random r, String kind, int rows) {
    Column<?> k = switch (kind) {
      case "int-dense", "int-negative", "int-wide" -> IntColumn.create("k");
      case "long-dense", "long-extreme" -> LongColumn.create("k");
      default -> StringColumn.create("k");
    };
    DoubleColumn x = DoubleColumn.create("x");
    DoubleColumn y = DoubleColumn.create("y");
    IntColumn i = IntColumn.create("i");
    for (int n = 0; n < rows; n++) {
      boolean missingKey = r.nextInt(9) == 0;
      switch (kind) {
        case "int-dense" -> { if (missingKey) ((IntColumn) k).appendMissing(); else ((IntColumn) k).append(r.nextInt(40)); }
        case "int-negative" -> { if (missingKey) ((IntColumn) k).appendMissing(); else ((IntColumn) k).append(-500 + r.nextInt(30)); }
        case "int-wide" -> { if (missingKey) ((IntColumn) k).appendMissing(); else ((IntColumn) k).append(r.nextInt(5) * 400_000_000 - 900_000_000); }
        case "long-dense" -> { if (missingKey) ((LongColumn) k).appendMissing(); else ((LongColumn) k).append(1_000_000_000_000L + r.nextInt(25)); }
        case "long-extreme" -> {
          long[] v = {Long.MAX_VALUE, Long.MIN_VALUE + 1, 0, -7, 1L << 40};
          if (missingKey) ((LongColumn) k).appendMissing(); else ((LongColumn) k).append(v[r.nextInt(v.length)]);
        }
        case "string-few" -> ((StringColumn) k).append(missingKey ? "" : "s" + r.nextInt(6));
        case "string-many" -> ((StringColumn) k).append(missingKey ? "" : "v" + r.nextInt(400));
        default -> ((StringColumn) k).append("");
      }
      x.append(r.nextInt(6) == 0 ? Double.NaN : Math.round(r.nextGaussian() * 1000) / 100.0);
      y.append(r.nextDouble());
      if (r.nextInt(7) == 0) i.appendMissing(); else i.append(r.nextInt(2000) - 1000);
    }
    return Table.create("t", k, x, y, i);
  }

  /** Per key (sorted): {sum x, count x, min x, max x, size, sum i, count i, min i, max i}. */
  private static TreeMap<Object, double[]> oracleGroups(Table t) {
    TreeMap<Object, double[]> m = new TreeMap<>();
    for (int row = 0; row < t.rowCount(); row++) {
      Column<?> k = t.column("k");
      if (k.isMissing(row)) {
        continue;
      }
      double[] a = m.computeIfAbsent(k.get(row), z -> new double[] {0, 0, Double.NaN, Double.NaN, 0, 0, 0, Double.NaN, Double.NaN});
      double x = t.doubleColumn("x").getDouble(row);
      if (!Double.isNaN(x)) {
        a[0] += x;
        a[1]++;
        a[2] = Double.isNaN(a[2]) ? x : Math.min(a[2], x);
        a[3] = Double.isNaN(a[3]) ? x : Math.max(a[3], x);
      }
      a[4]++;
      if (!t.intColumn("i").isMissing(row)) {
        int v = t.intColumn("i").getInt(row);
        a[5] += v;
        a[6]++;
        a[7] = Double.isNaN(a[7]) ? v : Math.min(a[7], v);
        a[8] = Double.isNaN(a[8]) ? v : Math.max(a[8], v);
      }
    }
    return m;
  }

  private static double num(Column<?> c, int row) {
    return c.isMissing(row) ? Double.NaN : ((Number) c.get(row)).doubleValue();
  }

  @AllSchedulers
  void groupByAgg_everyKeyKind_matchesPlainLoops(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (String kind : KINDS) {
        for (int seed = 0; seed < CASES; seed++) {
          Random r = new Random(9100 + seed * 31 + kind.hashCode());
          Table t = table(r, kind, r.nextInt(4) == 0 ? 0 : r.nextInt(600));
          DFrame df = Frames.partitioned(r, t);
          Table got = df.groupBy("k").agg(Agg.sum("x").as("sx"), Agg.mean("x").as("mx"), Agg.count("x").as("cx"), Agg.min("x").as("lo"),
              Agg.max("x").as("hi"), Agg.size(), Agg.sum("i").as("si"), Agg.min("i").as("li"), Agg.max("i").as("hi_i")).compute();
          TreeMap<Object, double[]> want = oracleGroups(t);
          String ctx = kind + " seed " + seed + " on " + scheduler;
          assertEquals(want.size(), got.rowCount(), ctx + ": groups");
          assertEquals(t.column("k").type(), got.column("k").type(), ctx);
          assertEquals(tech.tablesaw.api.ColumnType.INTEGER, got.column("li").type(), ctx + ": min of INT stays INT");
          int row = 0;
          for (Map.Entry<Object, double[]> e : want.entrySet()) {
            double[] a = e.getValue();
            assertEquals(e.getKey(), got.column("k").get(row), ctx + " row " + row);
            Frames.assertClose(a[0], num(got.column("sx"), row), ctx + " sum");
            Frames.assertClose(a[1] == 0 ? Double.NaN : a[0] / a[1], num(got.column("mx"), row), ctx + " mean");
            Frames.assertClose(a[1], num(got.column("cx"), row), ctx + " count");
            Frames.assertClose(a[2], num(got.column("lo"), row), ctx + " min");
            Frames.assertClose(a[3], num(got.column("hi"), row), ctx + " max");
            Frames.assertClose(a[4], num(got.column("size"), row), ctx + " size");
            Frames.assertClose(a[5], num(got.column("si"), row), ctx + " sum i");
            Frames.assertClose(a[7], num(got.column("li"), row), ctx + " min i");
            Frames.assertClose(a[8], num(got.column("hi_i"), row), ctx + " max i");
            row++;
          }
        }
      }
    }
  }

  @AllSchedulers
  void valueCounts_everyKeyKind_matchesPlainCounts(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (String kind : KINDS) {
        for (int seed = 0; seed < CASES; seed++) {
          Random r = new Random(9300 + seed * 17 + kind.hashCode());
          Table t = table(r, kind, r.nextInt(4) == 0 ? 0 : r.nextInt(800));
          Table got = Frames.partitioned(r, t).valueCounts("k").compute();
          TreeMap<Object, double[]> groups = oracleGroups(t);
          List<Map.Entry<Object, double[]>> want = new ArrayList<>(groups.entrySet());
          want.sort((a, b) -> Double.compare(b.getValue()[4], a.getValue()[4])); // stable: ties by value
          String ctx = kind + " seed " + seed + " on " + scheduler;
          assertEquals(want.size(), got.rowCount(), ctx);
          for (int row = 0; row < want.size(); row++) {
            assertEquals(want.get(row).getKey(), got.column("k").get(row), ctx + " row " + row);
            assertEquals((long) want.get(row).getValue()[4], got.longColumn("count").get(row), ctx + " row " + row);
          }
        }
      }
    }
  }

  /** Conditions the fast mask handles (numeric column vs literal, and/or/not), one it does not. */
  private static final List<Expr> CONDITIONS = List.of(
      col("y").gt(0.5),
      col("x").le(-1.0).or(col("i").ge(100)),
      col("i").lt(0).and(col("y").ne(0.25)).not(),
      col("i").ne(3),
      col("x").eq(0.5).or(col("i").gt(10.5)),
      col("i").isNull().or(col("x").lt(0)));

  private static boolean holds(int c, Table t, int row) {
    double x = t.doubleColumn("x").getDouble(row);
    double y = t.doubleColumn("y").getDouble(row);
    boolean im = t.intColumn("i").isMissing(row);
    int i = t.intColumn("i").getInt(row);
    return switch (c) {
      case 0 -> y > 0.5;
      case 1 -> x <= -1.0 || (!im && i >= 100);
      case 2 -> !((!im && i < 0) && y != 0.25);
      case 3 -> im || i != 3;
      case 4 -> x == 0.5 || (!im && i > 10.5);
      default -> im || x < 0;
    };
  }

  @AllSchedulers
  void filterThenReduceOrRows_matchPlainLoops(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(9500 + seed);
        Table t = table(r, "int-dense", seed == 0 ? 0 : r.nextInt(700));
        DFrame df = Frames.partitioned(r, t);
        for (int c = 0; c < CONDITIONS.size(); c++) {
          double sum = 0;
          long count = 0;
          double lo = Double.NaN;
          long sumI = 0;
          List<Integer> rows = new ArrayList<>();
          for (int row = 0; row < t.rowCount(); row++) {
            if (!holds(c, t, row)) {
              continue;
            }
            rows.add(row);
            double x = t.doubleColumn("x").getDouble(row);
            if (!Double.isNaN(x)) {
              sum += x;
              count++;
              lo = Double.isNaN(lo) ? x : Math.min(lo, x);
            }
            if (!t.intColumn("i").isMissing(row)) {
              sumI += t.intColumn("i").getInt(row);
            }
          }
          String ctx = CONDITIONS.get(c) + " seed " + seed + " on " + scheduler;
          DFrame f = df.filter(CONDITIONS.get(c));
          Frames.assertClose(sum, f.sum("x").compute(), ctx + " sum");
          assertEquals(count, f.count("x").compute(), ctx + " count");
          Frames.assertClose(lo, f.min("x").compute(), ctx + " min");
          Frames.assertClose(sumI, f.sum("i").compute(), ctx + " sum i");
          Table kept = f.compute();
          assertEquals(rows.size(), kept.rowCount(), ctx + " rows");
          for (int j = 0; j < rows.size(); j++) {
            Frames.assertClose(t.doubleColumn("y").getDouble(rows.get(j)), kept.doubleColumn("y").getDouble(j), ctx + " row " + j);
          }
        }
      }
    }
  }

  /** A right table keyed like {@code kind} (some keys repeated, some missing), with w DOUBLE. */
  private static Table right(Random r, Table left, String kind) {
    Table keys = table(r, kind, 1 + r.nextInt(30));
    DoubleColumn w = DoubleColumn.create("w");
    for (int i = 0; i < keys.rowCount(); i++) {
      w.append(r.nextInt(8) == 0 ? Double.NaN : r.nextInt(100) / 10.0);
    }
    return Table.create("r", keys.column("k"), w);
  }

  @AllSchedulers
  void mergeThenProject_innerAndLeft_matchNestedLoops(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (String kind : new String[] {"int-dense", "int-wide", "long-extreme", "string-few"}) {
        for (int seed = 0; seed < 3; seed++) {
          Random r = new Random(9700 + seed * 13 + kind.hashCode());
          Table lt = table(r, kind, seed == 0 ? 0 : r.nextInt(400));
          Table rt = right(r, lt, kind);
          DFrame left = Frames.partitioned(r, lt);
          DFrame small = Frames.partitioned(r, rt);
          for (DFrame.How how : new DFrame.How[] {DFrame.How.INNER, DFrame.How.LEFT}) {
            double sum = 0;
            long pairs = 0;
            List<List<Object>> rows = new ArrayList<>();
            for (int i = 0; i < lt.rowCount(); i++) {
              boolean hit = false;
              for (int j = 0; j < rt.rowCount(); j++) {
                if (!lt.column("k").isMissing(i) && !rt.column("k").isMissing(j) && lt.column("k").get(i).equals(rt.column("k").get(j))) {
                  hit = true;
                  double xw = lt.doubleColumn("x").getDouble(i) * rt.doubleColumn("w").getDouble(j);
                  sum += Double.isNaN(xw) ? 0 : xw;
                  pairs++;
                  rows.add(new ArrayList<>(List.of(lt.doubleColumn("y").getDouble(i), rt.doubleColumn("w").getDouble(j))));
                }
              }
              if (!hit && how == DFrame.How.LEFT) {
                pairs++;
                List<Object> row = new ArrayList<>();
                row.add(lt.doubleColumn("y").getDouble(i));
                row.add(null);
                rows.add(row);
              }
            }
            String ctx = kind + " " + how + " seed " + seed + " on " + scheduler;
            DFrame m = left.merge(small, how, "k");
            Frames.assertClose(sum, m.withColumn("xw", col("x").mul(col("w"))).sum("xw").compute(), ctx + " sum of x*w");
            assertEquals(pairs, m.count("y").compute(), ctx + " rows");
            Table yw = m.select("y", "w").compute();
            assertEquals(List.of("y", "w"), yw.columnNames(), ctx);
            List<List<Object>> got = Frames.rows(yw);
            for (List<Object> row : got) {
              if (row.get(1) instanceof Double d && d.isNaN()) {
                row.set(1, null);
              }
            }
            for (List<Object> row : rows) {
              if (row.get(1) instanceof Double d && d.isNaN()) {
                row.set(1, null);
              }
            }
            Frames.assertRowsEqual(rows, got, ctx + " select y, w");
          }
        }
      }
    }
  }

  /** One comparison of a DOUBLE column with a number (the fused masked sum), every operator, NaN on both sides. */
  private static final List<Expr> ONE_COMPARISON = List.of(
      col("y").gt(0.5), col("y").ge(0.25), col("x").lt(0.0), col("x").le(1.5), col("x").eq(0.5), col("x").ne(0.5),
      Expr.lit(0.75).lt(col("y")), Expr.lit(2).ge(col("x")), col("x").gt(1L), col("y").lt(0.5f));

  private static boolean holdsOne(int c, double x, double y) {
    return switch (c) {
      case 0 -> y > 0.5;
      case 1 -> y >= 0.25;
      case 2 -> x < 0.0;
      case 3 -> x <= 1.5;
      case 4 -> x == 0.5;
      case 5 -> x != 0.5;
      case 6 -> 0.75 < y;
      case 7 -> 2 >= x;
      case 8 -> x > 1;
      default -> y < 0.5f;
    };
  }

  @AllSchedulers
  void filterOneComparisonThenSumCountMean_everyOperator_matchPlainLoops(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(9600 + seed);
        Table t = table(r, "int-dense", seed == 0 ? 0 : r.nextInt(900));
        for (int row = 0; row < t.rowCount(); row++) {
          if (r.nextInt(11) == 0) {
            t.doubleColumn("y").set(row, Double.NaN); // NaN in the compared column too
          }
        }
        DFrame df = Frames.partitioned(r, t);
        for (int c = 0; c < ONE_COMPARISON.size(); c++) {
          double sumX = 0;
          double sumY = 0;
          long countX = 0;
          long rows = 0;
          for (int row = 0; row < t.rowCount(); row++) {
            double x = t.doubleColumn("x").getDouble(row);
            double y = t.doubleColumn("y").getDouble(row);
            if (!holdsOne(c, x, y)) {
              continue;
            }
            rows++;
            if (!Double.isNaN(x)) {
              sumX += x;
              countX++;
            }
            sumY += Double.isNaN(y) ? 0 : y;
          }
          String ctx = ONE_COMPARISON.get(c) + " seed " + seed + " on " + scheduler;
          DFrame f = df.filter(ONE_COMPARISON.get(c));
          Frames.assertClose(sumX, f.sum("x").compute(), ctx + " sum x");
          Frames.assertClose(sumY, f.sum("y").compute(), ctx + " sum y");
          assertEquals(countX, f.count("x").compute(), ctx + " count x");
          Frames.assertClose(countX == 0 ? Double.NaN : sumX / countX, f.mean("x").compute(), ctx + " mean x");
          Table g = f.groupBy("k").agg(Agg.size()).compute(); // keyed: not the keyless fused path
          long total = 0;
          for (int row = 0; row < g.rowCount(); row++) {
            total += g.longColumn("size").get(row);
          }
          long keyed = 0;
          for (int row = 0; row < t.rowCount(); row++) {
            keyed += !t.column("k").isMissing(row) && holdsOne(c, t.doubleColumn("x").getDouble(row), t.doubleColumn("y").getDouble(row)) ? 1 : 0;
          }
          assertEquals(keyed, total, ctx + " sizes");
          assertEquals(rows, f.compute().rowCount(), ctx + " rows");
        }
      }
    }
  }

  /** merge + withColumn(a op b) + sum, each operator, operands from either side, keys that do and do not take the dense path. */
  @AllSchedulers
  void mergeArithmeticSum_everyOperatorAndKeyKind_matchesNestedLoops(String scheduler) {
    String[][] shapes = {{"x", "MUL", "w"}, {"w", "SUB", "x"}, {"x", "DIV", "w"}, {"w", "ADD", "x"}, {"x", "ADD", "y"}};
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (String kind : new String[] {"int-dense", "int-negative", "int-wide", "long-dense", "long-extreme", "string-few"}) {
        for (int seed = 0; seed < 3; seed++) {
          Random r = new Random(9800 + seed * 7 + kind.hashCode());
          Table lt = table(r, kind, seed == 0 ? 0 : r.nextInt(500));
          Table rt = right(r, lt, kind);
          if (seed == 2) {
            rt = uniqueKeys(rt); // unique right keys: the direct-index path for dense integer keys
          }
          DFrame left = Frames.partitioned(r, lt);
          DFrame small = Frames.partitioned(r, rt);
          for (String[] sh : shapes) {
            double want = 0;
            for (int i = 0; i < lt.rowCount(); i++) {
              for (int j = 0; j < rt.rowCount(); j++) {
                if (!lt.column("k").isMissing(i) && !rt.column("k").isMissing(j) && lt.column("k").get(i).equals(rt.column("k").get(j))) {
                  double a = operand(sh[0], lt, rt, i, j);
                  double b = operand(sh[2], lt, rt, i, j);
                  double v = switch (sh[1]) {
                    case "MUL" -> a * b;
                    case "SUB" -> a - b;
                    case "DIV" -> a / b;
                    default -> a + b;
                  };
                  want += Double.isNaN(v) ? 0 : v;
                }
              }
            }
            Expr e = switch (sh[1]) {
              case "MUL" -> col(sh[0]).mul(col(sh[2]));
              case "SUB" -> col(sh[0]).sub(col(sh[2]));
              case "DIV" -> col(sh[0]).div(col(sh[2]));
              default -> col(sh[0]).add(col(sh[2]));
            };
            String ctx = kind + " " + String.join(" ", sh) + " seed " + seed + " on " + scheduler;
            Frames.assertClose(want, left.merge(small, "k").withColumn("v", e).sum("v").compute(), ctx);
          }
        }
      }
    }
  }

  private static double operand(String name, Table lt, Table rt, int i, int j) {
    return name.equals("w") ? rt.doubleColumn("w").getDouble(j) : lt.doubleColumn(name).getDouble(i);
  }

  /** The first row of each key of {@code t}. */
  private static Table uniqueKeys(Table t) {
    java.util.Set<Object> seen = new java.util.HashSet<>();
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < t.rowCount(); i++) {
      if (t.column("k").isMissing(i) || seen.add(t.column("k").get(i))) {
        rows.add(i);
      }
    }
    return t.rows(rows.stream().mapToInt(Integer::intValue).toArray());
  }

  @AllSchedulers
  void twoMergesWithDifferentRightTables_inOneGraph_stayApart(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(9900);
      Table lt = table(r, "int-dense", 300);
      DFrame left = Frames.partitioned(r, lt);
      double want = 0;
      List<DFrame> merged = new ArrayList<>();
      for (int side = 0; side < 2; side++) {
        Table rt = right(r, lt, "int-dense");
        for (int i = 0; i < lt.rowCount(); i++) {
          for (int j = 0; j < rt.rowCount(); j++) {
            if (!lt.column("k").isMissing(i) && !rt.column("k").isMissing(j) && lt.column("k").get(i).equals(rt.column("k").get(j))) {
              double xw = lt.doubleColumn("x").getDouble(i) * rt.doubleColumn("w").getDouble(j);
              want += Double.isNaN(xw) ? 0 : xw;
            }
          }
        }
        merged.add(left.merge(DFrame.fromTable(rt, 1), "k").withColumn("xw", col("x").mul(col("w"))).select("xw"));
      }
      Frames.assertClose(want, DFrame.concat(merged.get(0), merged.get(1)).sum("xw").compute(), "on " + scheduler);
    }
  }
}
