package io.jask.dataframe;

import static io.jask.dataframe.Expr.col;
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
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Every operation against the same computation done directly on the whole Tablesaw table. */
class DFrameTest {
  private static final int CASES = 6;

  @AllSchedulers
  void compute_anyPartitioning_givesTheTableBack(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(seed);
        Table t = Frames.random(r, r.nextInt(200));
        DFrame df = Frames.partitioned(r, t);
        assertEquals(Schema.of(t), df.schema());
        Frames.assertTableEquals(t, df.compute(), "seed " + seed);
        Frames.assertTableEquals(t, DFrame.fromTable(t, 1 + r.nextInt(5)).compute(), "fromTable seed " + seed);
      }
    }
  }

  @AllSchedulers
  void rowWiseChain_matchesTheOracle(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(100 + seed);
        Table t = Frames.random(r, r.nextInt(300));
        DFrame df = Frames.partitioned(r, t)
            .filter(col("g").ge(2).and(col("b")).or(col("i").isNull()))
            .withColumn("z", col("x").mul(col("i")).add(1))
            .withColumn("w", col("g").add(col("i")))
            .withColumn("q", col("i").div(col("g")))
            .withColumn("ne", col("k").ne("k1"))
            .withColumn("nb", col("b").not())
            .select("k", "z", "w", "q", "ne", "nb", "x");
        assertEquals(List.of("k", "z", "w", "q", "ne", "nb", "x"), df.columns());
        assertEquals(List.of(DType.STRING, DType.DOUBLE, DType.LONG, DType.DOUBLE, DType.BOOLEAN, DType.BOOLEAN, DType.DOUBLE),
            df.schema().types());
        Frames.assertRowsEqual(oracleChain(t), Frames.rows(df.compute()), "seed " + seed);

        DFrame big = Frames.partitioned(r, t).filter(col("x").gt(0.1));
        List<List<Object>> expected = new ArrayList<>();
        for (List<Object> row : Frames.rows(t)) {
          if (row.get(3) != null && (Double) row.get(3) > 0.1) {
            expected.add(row);
          }
        }
        Frames.assertRowsEqual(expected, Frames.rows(big.compute()), "filter x > 0.1, seed " + seed);
      }
    }
  }

  /** The chain above, row by row with Java's own values (null = missing, three-valued logic). */
  private static List<List<Object>> oracleChain(Table t) {
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> row : Frames.rows(t)) {
      String k = (String) row.get(0);
      Long g = (Long) row.get(1);
      Integer i = (Integer) row.get(2);
      Double x = (Double) row.get(3);
      Boolean b = (Boolean) row.get(4);
      Boolean ge2 = g != null && g >= 2;
      Boolean and = !ge2 ? Boolean.FALSE : b; // true & b = b (null stays null)
      Boolean keep = i == null ? Boolean.TRUE : and;
      if (!Boolean.TRUE.equals(keep)) {
        continue;
      }
      Double z = x == null || i == null ? null : x * i + 1;
      Long w = g == null || i == null ? null : g + i;
      Double q = g == null || i == null ? null : (double) i / g;
      if (q != null && q.isNaN()) {
        q = null;
      }
      Boolean ne = k == null || !k.equals("k1");
      Boolean nb = b == null ? null : !b;
      List<Object> o = new ArrayList<>();
      o.add(k);
      o.add(z);
      o.add(w);
      o.add(q);
      o.add(ne);
      o.add(nb);
      o.add(x);
      out.add(o);
    }
    return out;
  }

  @AllSchedulers
  void groupBy_agg_matchesTheOracle_sortedByKey(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(200 + seed);
        Table t = Frames.random(r, r.nextInt(400));
        DFrame df = Frames.partitioned(r, t);
        DFrame byK = df.groupBy("k").agg(Agg.sum("x"), Agg.mean("x"), Agg.count("x"), Agg.min("i"), Agg.max("g"),
            Agg.sum("i"), Agg.size(), Agg.count("b"));
        assertEquals(List.of("k", "x_sum", "x_mean", "x_count", "i_min", "g_max", "i_sum", "size", "b_count"), byK.columns());
        assertEquals(1, byK.npartitions());
        Frames.assertRowsEqual(oracleGroupBy(t, List.of(0)), Frames.rows(byK.compute()), "by k, seed " + seed);

        DFrame byGb = df.groupBy("g", "b").agg(Agg.sum("x"), Agg.mean("x"), Agg.count("x"), Agg.min("i"), Agg.max("g"),
            Agg.sum("i"), Agg.size(), Agg.count("b"));
        Frames.assertRowsEqual(oracleGroupBy(t, List.of(1, 4)), Frames.rows(byGb.compute()), "by g, b, seed " + seed);

        Table means = df.groupBy("k").mean("x").compute();
        assertEquals(List.of("k", "x"), means.columnNames());
        List<List<Object>> full = oracleGroupBy(t, List.of(0));
        for (int row = 0; row < means.rowCount(); row++) {
          Frames.assertClose(full.get(row).get(2) == null ? Double.NaN : (Double) full.get(row).get(2),
              means.doubleColumn("x").getDouble(row), "mean, seed " + seed);
        }
      }
    }
  }

  /** Keys (columns at keyCols), then x sum, x mean, x count, i min, g max, i sum, size, b count. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<List<Object>> oracleGroupBy(Table t, List<Integer> keyCols) {
    Comparator<List<Object>> cmp = (a, b) -> {
      for (int j = 0; j < a.size(); j++) {
        int c = ((Comparable) a.get(j)).compareTo(b.get(j));
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
    Map<List<Object>, List<List<Object>>> groups = new TreeMap<>(cmp);
    for (List<Object> row : Frames.rows(t)) {
      List<Object> key = new ArrayList<>();
      for (int c : keyCols) {
        key.add(row.get(c));
      }
      if (!key.contains(null)) {
        groups.computeIfAbsent(key, x -> new ArrayList<>()).add(row);
      }
    }
    List<List<Object>> out = new ArrayList<>();
    groups.forEach((key, rows) -> {
      double xs = 0;
      long xn = 0;
      Integer imin = null;
      Long gmax = null;
      long isum = 0;
      long bn = 0;
      for (List<Object> row : rows) {
        if (row.get(3) != null) {
          xs += (Double) row.get(3);
          xn++;
        }
        if (row.get(2) != null) {
          imin = imin == null ? (Integer) row.get(2) : Math.min(imin, (Integer) row.get(2));
          isum += (Integer) row.get(2);
        }
        if (row.get(1) != null) {
          gmax = gmax == null ? (Long) row.get(1) : Math.max(gmax, (Long) row.get(1));
        }
        if (row.get(4) != null) {
          bn++;
        }
      }
      List<Object> o = new ArrayList<>(key);
      o.add(xs);
      o.add(xn == 0 ? null : xs / xn);
      o.add(xn);
      o.add(imin);
      o.add(gmax);
      o.add(isum);
      o.add((long) rows.size());
      o.add(bn);
      out.add(o);
    });
    return out;
  }

  @AllSchedulers
  void scalarReductions_matchTheOracle_andShareOneGraph(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(300 + seed);
        Table t = Frames.random(r, seed == 0 ? 0 : r.nextInt(300));
        DFrame df = Frames.partitioned(r, t);
        DoubleColumn x = t.doubleColumn("x");
        IntColumn i = t.intColumn("i");
        LongColumn g = t.longColumn("g");
        StringColumn k = t.stringColumn("k");
        double xs = 0;
        long xn = 0;
        double xmin = Double.NaN;
        for (int row = 0; row < t.rowCount(); row++) {
          if (!x.isMissing(row)) {
            xs += x.getDouble(row);
            xn++;
            xmin = Double.isNaN(xmin) ? x.getDouble(row) : Math.min(xmin, x.getDouble(row));
          }
        }
        double imean = i.removeMissing().size() == 0 ? Double.NaN : i.removeMissing().sum() / i.removeMissing().size();
        double gmax = g.removeMissing().size() == 0 ? Double.NaN : g.removeMissing().max();
        long kn = k.size() - k.countMissing();
        List<Object> got = Jask.compute(df.sum("x"), df.mean("i"), df.min("x"), df.max("g"), df.count("k"), df.count("x"));
        String c = "seed " + seed;
        Frames.assertClose(xs, (Double) got.get(0), c + " sum x");
        Frames.assertClose(imean, (Double) got.get(1), c + " mean i");
        Frames.assertClose(xmin, (Double) got.get(2), c + " min x");
        Frames.assertClose(gmax, (Double) got.get(3), c + " max g");
        assertEquals(kn, got.get(4), c + " count k");
        assertEquals(xn, got.get(5), c + " count x");
        Frames.assertClose(xs, df.sum("x").compute(), c);
      }
    }
  }

  @AllSchedulers
  void headPersistAndMapPartitions_matchTheOracle(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(400);
      Table t = Frames.random(r, 250);
      DFrame df = Frames.partitioned(r, t);
      for (int n : new int[] {0, 1, 7, 100, 250, 400}) {
        Frames.assertTableEquals(t.inRange(0, Math.min(n, t.rowCount())), df.head(n), "head " + n);
      }
      DFrame kept = df.filter(col("x").gt(0)).persist();
      assertEquals(df.npartitions(), kept.npartitions());
      Table positive = kept.compute();
      Frames.assertTableEquals(positive, kept.compute(), "persisted twice");
      Frames.assertTableEquals(positive.where(positive.doubleColumn("x").isGreaterThan(1)),
          kept.filter(col("x").gt(1)).compute(), "from persisted");

      Schema out = Schema.of(List.of("n"), List.of(DType.LONG));
      DFrame counts = df.mapPartitions(p -> Table.create("c", LongColumn.create("n", new long[] {p.rowCount()})), out);
      assertEquals((long) t.rowCount(), counts.sum("n").compute(), 0.0);
      assertEquals(df.npartitions(), counts.compute().rowCount());
    }
  }

  private static final AtomicInteger CALLS = new AtomicInteger();

  @Test
  void head_computesOnlyThePartitionsItNeeds() {
    try (Config.Scope s = Config.set("scheduler", "sync")) {
      Table t = Frames.random(new Random(5), 100);
      DFrame df = DFrame.fromTable(t, 10).mapPartitions(p -> {
        CALLS.incrementAndGet();
        return p;
      }, Schema.of(t));
      CALLS.set(0);
      assertEquals(5, df.head(5).rowCount());
      assertEquals(1, CALLS.get());
      CALLS.set(0);
      assertEquals(25, df.head(25).rowCount());
      assertEquals(3, CALLS.get()); // rounds of 1 and 2 partitions
    }
  }

  @Test
  void rowWiseOps_areOneTaskPerPartition_readingOnlyThatPartition() {
    Table t = Frames.random(new Random(6), 50);
    DFrame df = DFrame.fromTable(t, 4).filter(col("x").gt(0)).withColumn("y", col("x").mul(2)).select("y");
    var tasks = df.graph().materialize(df.keys());
    for (var k : df.keys()) {
      var deps = tasks.get(k).dependencies();
      assertEquals(1, deps.length);
      assertEquals(k.index(0), deps[0].index(0));
    }
  }

  @Test
  void badColumnsAndTypes_failWhenTheFrameIsBuilt_namingTheColumns() {
    DFrame df = DFrame.fromTable(Frames.random(new Random(1), 10), 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> df.select("nope"));
    assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("[k, g, i, x, b]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> df.filter(col("x").add(1)));
    assertThrows(IllegalArgumentException.class, () -> df.withColumn("s", col("k").add(1)));
    assertThrows(IllegalArgumentException.class, () -> df.groupBy("zz"));
    assertThrows(IllegalArgumentException.class, () -> df.groupBy("k").agg(Agg.sum("k")));
    assertThrows(IllegalArgumentException.class, () -> df.groupBy("k").agg(Agg.sum("x"), Agg.sum("x")));
    assertEquals(List.of(DType.STRING, DType.LONG, DType.INT, DType.DOUBLE, DType.BOOLEAN, DType.BOOLEAN),
        df.withColumn("flag", col("b").isNull()).schema().types());
  }

  @Test
  void booleanColumnsAreSupportedAsKeys() {
    BooleanColumn b = BooleanColumn.create("b", new boolean[] {true, false, true});
    Table t = Table.create("t", b, DoubleColumn.create("x", 1.0, 2.0, 3.0));
    Table got = DFrame.fromTable(t, 2).groupBy("b").sum("x").compute();
    assertEquals(List.of(false, true), got.booleanColumn("b").asList());
    assertEquals(List.of(2.0, 4.0), got.doubleColumn("x").asList());
  }
}
