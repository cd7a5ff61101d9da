package io.jask.dataframe;

import static io.jask.dataframe.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.io.CsvOptions;
import io.jask.io.DType;
import io.jask.testing.AllSchedulers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** valueCounts, divisions, toCsv options and readCsv of a list of paths. */
class MoreOpsTest {
  @TempDir Path dir;

  @AllSchedulers
  void valueCounts_matchTheOracle(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 3; seed++) {
        Random r = new Random(1200 + seed);
        Table t = Frames.random(r, seed == 0 ? 0 : r.nextInt(400));
        DFrame df = Frames.partitioned(r, t);
        for (String column : new String[] {"k", "g"}) {
          TreeMap<Object, Long> counts = new TreeMap<>();
          for (int row = 0; row < t.rowCount(); row++) {
            if (!t.column(column).isMissing(row)) {
              counts.merge(t.column(column).get(row), 1L, Long::sum);
            }
          }
          List<Map.Entry<Object, Long>> e = new ArrayList<>(counts.entrySet()); // by value, then stable by count
          e.sort(Comparator.comparing((Map.Entry<Object, Long> x) -> -x.getValue()));
          Table got = df.valueCounts(column).compute();
          assertEquals(List.of(column, "count"), got.columnNames());
          List<List<Object>> expected = new ArrayList<>();
          for (Map.Entry<Object, Long> x : e) {
            expected.add(List.of(x.getKey(), x.getValue()));
          }
          Frames.assertRowsEqual(expected, Frames.rows(got), "seed " + seed + " " + column + " " + scheduler);
        }
      }
    }
  }

  @AllSchedulers
  void divisions_knownFromASortedTable_andKeptByRowWiseOps(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(1300);
      Table t = Frames.random(r, 200);
      t.replaceColumn("g", LongColumn.create("g", java.util.stream.LongStream.range(0, 200).map(v -> v * 3).toArray()));
      DFrame df = DFrame.fromTable(t, 4, "g");
      Divisions d = df.divisions().orElseThrow();
      assertEquals("g", d.column());
      assertEquals(List.of(0L, 150L, 300L, 450L, 597L), d.bounds());
      // every partition's rows lie within its bounds
      DFrame mins = df.mapPartitions(p -> Table.create("m", LongColumn.create("lo", p.longColumn("g").min() >= 0
          ? new long[] {(long) p.longColumn("g").min(), (long) p.longColumn("g").max()} : new long[0])),
          io.jask.io.Schema.of(List.of("lo"), List.of(DType.LONG)));
      Table b = mins.compute();
      for (int i = 0; i < 4; i++) {
        assertTrue(b.longColumn("lo").get(2 * i) >= (Long) d.bounds().get(i));
        assertTrue(b.longColumn("lo").get(2 * i + 1) <= (Long) d.bounds().get(i + 1));
      }
      assertEquals(d, df.filter(col("x").gt(0)).divisions().orElseThrow());
      assertEquals(d, df.select("g", "x").divisions().orElseThrow());
      assertEquals("gg", df.rename(Map.of("g", "gg")).divisions().orElseThrow().column());
      assertFalse(df.select("x").divisions().isPresent());
      assertFalse(df.withColumn("g", col("g").add(1)).divisions().isPresent());
      assertFalse(DFrame.fromTable(t, 4).divisions().isPresent());
      assertFalse(DFrame.fromTable(t.inRange(0, 2), 4, "g").divisions().isPresent(), "empty partitions: unknown");
      assertThrows(IllegalArgumentException.class, () -> DFrame.fromTable(t, 4, "x")); // not sorted
      DFrame declared = DFrame.fromTable(t, 2).withDivisions(new Divisions("g", List.of(0L, 300L, 597L)));
      assertEquals(2, declared.divisions().orElseThrow().npartitions());
      assertThrows(IllegalArgumentException.class, () -> declared.withDivisions(new Divisions("g", List.of(0L, 1L))));
      assertThrows(IllegalArgumentException.class, () -> new Divisions("g", List.of(5L, 1L)));
      DFrame fromGraph = DFrame.fromGraph(df.graph(), df.name(), 4, df.schema(), d);
      assertEquals(d, fromGraph.divisions().orElseThrow());
      Frames.assertTableEquals(t, fromGraph.compute(), scheduler);
    }
  }

  @AllSchedulers
  void toCsvOptions_roundTripThroughReadCsvOfAList(String scheduler) throws IOException {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(1400);
      Table t = Frames.random(r, 120).selectColumns("k", "g", "x");
      StringColumn k = t.stringColumn("k");
      for (int row = 0; row < k.size(); row += 9) {
        k.set(row, "a|b \"q\" " + row);
      }
      DFrame df = Frames.partitioned(r, t);
      CsvOptions read = CsvOptions.defaults().withHeader(false).withNames("k", "g", "x").withDelimiter('|')
          .withNullValues("NA").withTypes(Map.of("k", DType.STRING, "g", DType.LONG, "x", DType.DOUBLE));
      Path sub = dir.resolve(scheduler);
      List<Path> one = df.toCsv(sub.resolve("all.csv.gz").toString(),
          CsvWriteOptions.defaults().withDelimiter('|').withHeader(false).withNa("NA").asSingleFile());
      assertEquals(List.of(sub.resolve("all.csv.gz").toAbsolutePath()), one);
      Frames.assertTableEquals(t, DFrame.readCsv(List.of(one.get(0).toString()), read).compute(), scheduler + " single gz");
      List<Path> many = df.toCsv(sub.resolve("p-*.csv").toString(),
          CsvWriteOptions.defaults().withDelimiter('|').withHeader(false).withNa("NA"));
      List<String> names = new ArrayList<>();
      for (Path p : many) {
        names.add(p.toString());
      }
      Frames.assertTableEquals(t, DFrame.readCsv(names, read).compute(), scheduler + " per partition");
      assertTrue(Files.readString(many.get(0)).indexOf(',') < 0 || t.rowCount() == 0);
    }
  }

  @AllSchedulers
  void filteredScalarReductions_fuseTheFilterIntoThePartialAggregate(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 3; seed++) {
        Random r = new Random(1500 + seed);
        Table t = Frames.random(r, seed == 0 ? 0 : r.nextInt(400));
        DFrame df = Frames.partitioned(r, t);
        String c = "seed " + seed + " " + scheduler;
        double threshold = seed == 2 ? 1e9 : 0.0; // seed 2: no row passes
        DFrame kept = df.filter(col("x").gt(threshold).or(col("g").eq(1)));
        double sum = 0;
        long count = 0;
        double min = Double.NaN;
        for (int row = 0; row < t.rowCount(); row++) {
          double x = t.doubleColumn("x").getDouble(row);
          boolean g1 = !t.longColumn("g").isMissing(row) && t.longColumn("g").get(row) == 1;
          if ((!Double.isNaN(x) && x > threshold) || g1) {
            if (!t.intColumn("i").isMissing(row)) {
              sum += t.intColumn("i").getInt(row);
              count++;
              min = Double.isNaN(min) ? t.intColumn("i").getInt(row) : Math.min(min, t.intColumn("i").getInt(row));
            }
          }
        }
        Frames.assertClose(sum, kept.sum("i").compute(), c + " sum");
        assertEquals(count, kept.count("i").compute(), c + " count");
        Frames.assertClose(count == 0 ? Double.NaN : sum / count, kept.mean("i").compute(), c + " mean");
        Frames.assertClose(min, kept.min("i").compute(), c + " min");
        DScalar<Double> fused = kept.sum("i");
        boolean sawFused = fused.graph().materialize(List.of(fused.key())).values().stream()
            .anyMatch(task -> task.fn().toString().contains("FilteredPartial"));
        assertTrue(sawFused, "the filter runs inside the partial aggregate");
      }
    }
  }
}
