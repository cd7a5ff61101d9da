package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The hash-shuffle operations (groupBy agg with splitOut, valueCounts, dropDuplicates, merge of
 * two large frames, merge on known divisions) against plain computations on one table, on every
 * scheduler, over seeded random partitionings with nulls in keys, empty partitions and skewed keys
 * (half the rows share one key).
 */
class ShuffleOpsTest {
  /** Frames.random where, for skewed cases, every other row has k = "k1" and g = 1. */
  static Table table(Random r, int rows, boolean skewed) {
    Table t = Frames.random(r, rows);
    if (skewed) {
      StringColumn k = t.stringColumn("k");
      LongColumn g = t.longColumn("g");
      for (int i = 0; i < rows; i += 2) {
        k.set(i, "k1");
        g.set(i, 1L);
      }
    }
    return t;
  }

  /** Rows in a canonical order, to compare results whose row order is not defined. */
  static List<List<Object>> sorted(List<List<Object>> rows) {
    List<List<Object>> out = new ArrayList<>(rows);
    out.sort(Comparator.comparing(Object::toString));
    return out;
  }

  static List<Object> key(List<Object> row, List<Integer> at) {
    List<Object> k = new ArrayList<>();
    for (int i : at) {
      k.add(row.get(i));
    }
    return k;
  }

  @AllSchedulers
  void groupByAggSplitOut_matchesPlainSums(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 4; seed++) {
        Random r = new Random(900 + seed);
        Table t = table(r, seed == 0 ? 0 : r.nextInt(300), seed % 2 == 1);
        DFrame df = Frames.partitioned(r, t);
        List<String> keys = seed < 2 ? List.of("k") : List.of("k", "g");
        int splitOut = 1 + r.nextInt(5);
        DFrame got = df.groupBy(keys.toArray(new String[0])).agg(splitOut, Agg.sum("x").as("sx"), Agg.count("x").as("cx"),
            Agg.size().as("n"));
        assertEquals(splitOut, got.npartitions());
        List<Integer> at = new ArrayList<>();
        for (String k : keys) {
          at.add(t.columnNames().indexOf(k));
        }
        int xi = t.columnNames().indexOf("x");
        Map<List<Object>, double[]> acc = new LinkedHashMap<>();
        for (List<Object> row : Frames.rows(t)) {
          List<Object> k = key(row, at);
          if (k.contains(null)) {
            continue; // missing keys are dropped, like pandas' dropna=True
          }
          double[] a = acc.computeIfAbsent(k, x -> new double[3]);
          if (row.get(xi) != null) {
            a[0] += (Double) row.get(xi);
            a[1]++;
          }
          a[2]++;
        }
        List<List<Object>> expected = new ArrayList<>();
        acc.forEach((k, a) -> {
          List<Object> row = new ArrayList<>(k);
          row.add(a[0]);
          row.add((long) a[1]);
          row.add((long) a[2]);
          expected.add(row);
        });
        String context = "seed " + seed + " keys " + keys + " splitOut " + splitOut;
        Frames.assertRowsEqual(sorted(expected), sorted(Frames.rows(got.compute())), context);
      }
    }
  }

  @AllSchedulers
  void valueCounts_splitOut_matchesPlainCounts_largestFirstInEachPartition(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 3; seed++) {
        Random r = new Random(950 + seed);
        Table t = table(r, r.nextInt(400), seed != 0);
        DFrame df = Frames.partitioned(r, t);
        Map<String, Long> counts = new HashMap<>();
        for (String k : t.stringColumn("k")) {
          if (!k.isEmpty()) {
            counts.merge(k, 1L, Long::sum);
          }
        }
        List<List<Object>> expected = new ArrayList<>();
        counts.forEach((k, c) -> expected.add(List.of(k, c)));
        DFrame got = df.valueCounts("k", 3);
        Frames.assertRowsEqual(sorted(expected), sorted(Frames.rows(got.compute())), "seed " + seed);
        @SuppressWarnings("unchecked")
        List<Object> parts = (List<Object>) io.jask.engine.Jask.compute(io.jask.dataframe.shuffle.ShuffleTesting.partitions(got)).get(0);
        for (Object p : parts) {
          long[] c = ((LongColumn) ((Table) p).column("count")).asLongArray();
          for (int i = 1; i < c.length; i++) {
            assertTrue(c[i - 1] >= c[i], "seed " + seed + ": counts not largest first " + java.util.Arrays.toString(c));
          }
        }
      }
    }
  }

  @AllSchedulers
  void dropDuplicates_keepsTheFirstRowOfEachCombination(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 4; seed++) {
        Random r = new Random(980 + seed);
        Table t = table(r, seed == 0 ? 0 : r.nextInt(300), seed == 3);
        DFrame df = Frames.partitioned(r, t);
        List<String> subset = switch (seed % 3) {
          case 0 -> List.of("k");
          case 1 -> List.of("k", "g");
          default -> List.of("g", "b");
        };
        List<Integer> at = new ArrayList<>();
        for (String c : subset) {
          at.add(t.columnNames().indexOf(c));
        }
        java.util.Set<List<Object>> seen = new java.util.HashSet<>();
        List<List<Object>> expected = new ArrayList<>();
        for (List<Object> row : Frames.rows(t)) {
          if (seen.add(key(row, at))) {
            expected.add(row);
          }
        }
        DFrame got = df.dropDuplicates(subset.toArray(new String[0]));
        Frames.assertRowsEqual(sorted(expected), sorted(Frames.rows(got.compute())), "seed " + seed + " subset " + subset);
      }
    }
  }

  @AllSchedulers
  void mergeLarge_everyHow_matchesANestedLoopJoin(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 3; seed++) {
        Random r = new Random(1100 + seed);
        Table lt = table(r, seed == 0 ? 0 : r.nextInt(150), seed == 2);
        Table rt = MergeTest.right(r, r.nextInt(60));
        DFrame left = Frames.partitioned(r, lt);
        DFrame right = Frames.partitioned(r, rt);
        for (List<String> on : List.of(List.of("k"), List.of("k", "g"))) {
          for (DFrame.How how : DFrame.How.values()) {
            int np = 1 + r.nextInt(6);
            DFrame m = left.merge(right, how, np, on.toArray(new String[0]));
            assertEquals(left.merge(right, how, on.toArray(new String[0])).columns(), m.columns());
            String context = "seed " + seed + " " + how + " on " + on + " into " + np;
            Frames.assertRowsEqual(sorted(MergeTest.oracle(lt, rt, on, how)), sorted(Frames.rows(m.compute())), context);
          }
        }
      }
    }
  }

  @AllSchedulers
  void mergeOnKnownDivisions_doesNotShuffleTheLeft_andMatchesTheJoin(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 2; seed++) {
        Random r = new Random(1200 + seed);
        Table lt = table(r, 1 + r.nextInt(200), seed == 1);
        Table rt = MergeTest.right(r, 1 + r.nextInt(60));
        DFrame left = Frames.partitioned(r, lt).sortValues("g");
        DFrame right = Frames.partitioned(r, rt);
        for (DFrame.How how : DFrame.How.values()) {
          DFrame m = left.merge(right, how, 4, "g");
          String context = "seed " + seed + " " + how;
          assertEquals(left.npartitions(), m.npartitions(), context);
          assertFalse(m.graph().layers().keySet().stream().anyMatch(n -> n.startsWith("merge-split-left")), context);
          Frames.assertRowsEqual(sorted(MergeTest.oracle(lt, rt, List.of("g"), how)), sorted(Frames.rows(m.compute())), context);
          // the same divisions on both sides: a partition-wise join, no split task at all
          DFrame self = left.merge(left, how, 4, "g");
          assertFalse(self.graph().layers().keySet().stream().anyMatch(n -> n.startsWith("merge-") && n.contains("split")), context);
          Frames.assertRowsEqual(sorted(MergeTest.oracle(lt, lt, List.of("g"), how)), sorted(Frames.rows(self.compute())),
              context + " self");
        }
      }
    }
  }
}
