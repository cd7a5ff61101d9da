package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Jask;
import io.jask.engine.config.Config;
import io.jask.io.DType;
import io.jask.io.Schema;
import io.jask.testing.AllSchedulers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** drop, rename, tail, repartition, concat, nlargest/nsmallest, nunique, describe, groupBy std/var/first/last. */
class DFrameMoreTest {
  private static final int CASES = 3;

  @AllSchedulers
  void reshapingOps_matchTheOracle(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(600 + seed);
        Table t = Frames.random(r, r.nextInt(250));
        DFrame df = Frames.partitioned(r, t);
        String c = "seed " + seed;

        DFrame dropped = df.drop("g", "b");
        assertEquals(List.of("k", "i", "x"), dropped.columns());
        Frames.assertTableEquals(t.selectColumns("k", "i", "x"), dropped.compute(), c + " drop");

        DFrame renamed = df.rename(Map.of("x", "price", "k", "key"));
        assertEquals(List.of("key", "g", "i", "price", "b"), renamed.columns());
        assertEquals(Frames.rows(t), Frames.rows(renamed.compute()), c + " rename");

        for (int n : new int[] {0, 3, 60, 1000}) {
          Frames.assertTableEquals(t.inRange(Math.max(0, t.rowCount() - n), t.rowCount()), df.tail(n), c + " tail " + n);
        }

        for (int n : new int[] {1, 3, 2 * df.npartitions() + 1}) {
          DFrame re = df.repartition(n);
          assertEquals(n, re.npartitions());
          Frames.assertTableEquals(t, re.compute(), c + " repartition " + n);
        }

        Table t2 = Frames.random(r, r.nextInt(50));
        DFrame both = DFrame.concat(df, Frames.partitioned(r, t2), df.repartition(2));
        List<List<Object>> expected = new ArrayList<>(Frames.rows(t));
        expected.addAll(Frames.rows(t2));
        expected.addAll(Frames.rows(t));
        Frames.assertRowsEqual(expected, Frames.rows(both.compute()), c + " concat");
      }
    }
  }

  @AllSchedulers
  void reductions_matchTheOracle(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(700 + seed);
        Table t = Frames.random(r, seed == 0 ? 0 : r.nextInt(300));
        DFrame df = Frames.partitioned(r, t);
        String c = "seed " + seed;
        List<List<Object>> rows = Frames.rows(t);

        for (String col : new String[] {"x", "i"}) {
          int ci = col.equals("x") ? 3 : 2;
          for (boolean largest : new boolean[] {true, false}) {
            List<List<Object>> sorted = new ArrayList<>();
            for (List<Object> row : rows) {
              if (row.get(ci) != null) {
                sorted.add(row);
              }
            }
            Comparator<List<Object>> cmp = Comparator.comparingDouble(row -> ((Number) row.get(ci)).doubleValue());
            sorted.sort(largest ? cmp.reversed() : cmp);
            List<List<Object>> want = sorted.subList(0, Math.min(7, sorted.size()));
            DFrame top = largest ? df.nlargest(7, col) : df.nsmallest(7, col);
            assertEquals(1, top.npartitions());
            Frames.assertRowsEqual(want, Frames.rows(top.compute()), c + (largest ? " nlargest " : " nsmallest ") + col);
          }
        }

        Set<Object> ks = new HashSet<>();
        Set<Object> is = new HashSet<>();
        for (List<Object> row : rows) {
          if (row.get(0) != null) {
            ks.add(row.get(0));
          }
          if (row.get(2) != null) {
            is.add(row.get(2));
          }
        }
        List<Object> nu = Jask.compute(df.nunique("k"), df.nunique("i"));
        assertEquals((long) ks.size(), nu.get(0), c + " nunique k");
        assertEquals((long) is.size(), nu.get(1), c + " nunique i");

        Table d = df.describe().compute();
        assertEquals(List.of("stat", "g", "i", "x"), d.columnNames());
        assertEquals(List.of("count", "mean", "std", "min", "max"), d.stringColumn("stat").asList());
        for (int ci : new int[] {1, 2, 3}) {
          double[] st = stats(rows, ci);
          String name = t.column(ci).name();
          for (int j = 0; j < 5; j++) {
            Frames.assertClose(st[j], d.doubleColumn(name).getDouble(j), c + " describe " + name + " " + d.stringColumn("stat").get(j));
          }
        }

        Table g = df.groupBy("k").agg(Agg.std("x"), Agg.var("i"), Agg.first("b"), Agg.last("x"), Agg.first("k"),
            Agg.last("i")).compute();
        assertEquals(List.of(DType.STRING, DType.DOUBLE, DType.DOUBLE, DType.BOOLEAN, DType.DOUBLE, DType.STRING, DType.INT),
            Schema.of(g).types());
        Frames.assertRowsEqual(oracleGroups(rows), Frames.rows(g), c + " groupBy std var first last");
        Table nu2 = df.groupBy("k", "g").agg(Agg.nunique("i"), Agg.sum("x"), Agg.nunique("b"), Agg.nunique("k")).compute();
        Frames.assertRowsEqual(oracleNunique(rows), Frames.rows(nu2), c + " groupBy nunique");
        assertEquals(List.of("g", "k"), df.groupBy("g").nunique("k").columns());

        Table gs = df.groupBy("g").std("x").compute();
        Table gv = df.groupBy("g").var("x").compute();
        for (int row = 0; row < gs.rowCount(); row++) {
          double sd = gs.doubleColumn("x").getDouble(row);
          Frames.assertClose(Double.isNaN(sd) ? Double.NaN : sd * sd, gv.doubleColumn("x").getDouble(row), c + " std^2 = var");
        }
      }
    }
  }

  /** count, mean, sample std, min, max of the non-missing values of column ci. */
  private static double[] stats(List<List<Object>> rows, int ci) {
    List<Double> v = new ArrayList<>();
    for (List<Object> row : rows) {
      if (row.get(ci) != null) {
        v.add(((Number) row.get(ci)).doubleValue());
      }
    }
    double sum = 0;
    double min = Double.NaN;
    double max = Double.NaN;
    for (double x : v) {
      sum += x;
      min = Double.isNaN(min) ? x : Math.min(min, x);
      max = Double.isNaN(max) ? x : Math.max(max, x);
    }
    double mean = v.isEmpty() ? Double.NaN : sum / v.size();
    double m2 = 0;
    for (double x : v) {
      m2 += (x - mean) * (x - mean);
    }
    return new double[] {v.size(), mean, v.size() < 2 ? Double.NaN : Math.sqrt(m2 / (v.size() - 1)), min, max};
  }

  /** By k: std x, var i, first b, last x, first k, last i. */
  private static List<List<Object>> oracleGroups(List<List<Object>> rows) {
    Map<String, List<List<Object>>> groups = new TreeMap<>();
    for (List<Object> row : rows) {
      if (row.get(0) != null) {
        groups.computeIfAbsent((String) row.get(0), x -> new ArrayList<>()).add(row);
      }
    }
    List<List<Object>> out = new ArrayList<>();
    groups.forEach((k, rs) -> {
      double[] sx = stats(rs, 3);
      double[] si = stats(rs, 2);
      List<Object> o = new ArrayList<>();
      o.add(k);
      o.add(Double.isNaN(sx[2]) ? null : sx[2]);
      o.add(Double.isNaN(si[2]) ? null : si[2] * si[2]);
      o.add(firstOrLast(rs, 4, true));
      o.add(firstOrLast(rs, 3, false));
      o.add(k);
      o.add(firstOrLast(rs, 2, false));
      out.add(o);
    });
    return out;
  }

  /** By k, g: nunique i, sum x, nunique b, nunique k. */
  private static List<List<Object>> oracleNunique(List<List<Object>> rows) {
    Map<List<Object>, List<List<Object>>> groups = new TreeMap<>((a, b) -> {
      int c = ((String) a.get(0)).compareTo((String) b.get(0));
      return c != 0 ? c : ((Long) a.get(1)).compareTo((Long) b.get(1));
    });
    for (List<Object> row : rows) {
      if (row.get(0) != null && row.get(1) != null) {
        groups.computeIfAbsent(List.of(row.get(0), row.get(1)), x -> new ArrayList<>()).add(row);
      }
    }
    List<List<Object>> out = new ArrayList<>();
    groups.forEach((k, rs) -> {
      Set<Object> is = new HashSet<>();
      Set<Object> bs = new HashSet<>();
      double xs = 0;
      for (List<Object> row : rs) {
        if (row.get(2) != null) {
          is.add(row.get(2));
        }
        if (row.get(4) != null) {
          bs.add(row.get(4));
        }
        if (row.get(3) != null) {
          xs += (Double) row.get(3);
        }
      }
      out.add(List.of(k.get(0), k.get(1), (long) is.size(), xs, (long) bs.size(), 1L));
    });
    return out;
  }

  private static Object firstOrLast(List<List<Object>> rows, int ci, boolean first) {
    Object got = null;
    for (List<Object> row : rows) {
      if (row.get(ci) != null && (!first || got == null)) {
        got = row.get(ci);
      }
    }
    return got;
  }

  private static final AtomicInteger CALLS = new AtomicInteger();

  @Test
  void tail_computesOnlyTheLastPartitionsItNeeds() {
    try (Config.Scope s = Config.set("scheduler", "sync")) {
      Table t = Frames.random(new Random(5), 100);
      DFrame df = DFrame.fromTable(t, 10).mapPartitions(p -> {
        CALLS.incrementAndGet();
        return p;
      }, Schema.of(t));
      CALLS.set(0);
      Frames.assertTableEquals(t.inRange(95, 100), df.tail(5), "tail 5");
      assertEquals(1, CALLS.get());
      CALLS.set(0);
      Frames.assertTableEquals(t.inRange(75, 100), df.tail(25), "tail 25");
      assertEquals(3, CALLS.get());
    }
  }

  @Test
  void badArguments_failNamingTheColumns() {
    DFrame df = DFrame.fromTable(Frames.random(new Random(1), 10), 2);
    DFrame other = df.drop("b");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DFrame.concat(df, other));
    assertTrue(e.getMessage().contains("[k: STRING, g: LONG, i: INT, x: DOUBLE]") && e.getMessage().contains("b: BOOLEAN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> df.drop("zz"));
    assertTrue(e.getMessage().contains("'zz'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> df.rename(Map.of("x", "k")));
    assertThrows(IllegalArgumentException.class, () -> df.nlargest(3, "k"));
    assertThrows(IllegalArgumentException.class, () -> df.groupBy("k").agg(Agg.std("b")));
    assertThrows(IllegalArgumentException.class, () -> df.repartition(0));
  }
}
