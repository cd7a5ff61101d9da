package io.jask.dataframe;

import static io.jask.dataframe.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.io.DType;
import io.jask.io.DateTimes;
import io.jask.testing.AllSchedulers;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * DATETIME columns through frames, against plain computations on one table, on every scheduler,
 * over seeded random partitionings (empty partitions, one partition) with missing times: the
 * transport between processes, filters with LocalDateTime/LocalDate literals, isNull, groupBy keys
 * and min/max/first/last/count of date-times, sortValues/setIndex divisions, toCsv/readCsv.
 */
class DateTimeFrameTest {
  @TempDir Path dir;

  static final LocalDateTime BASE = LocalDateTime.of(2024, 3, 30, 22, 0);

  /** t DATETIME (missing, within ~3 days, ms precision), d DATETIME (few midnights, missing), k STRING, x DOUBLE. */
  static Table table(Random r, int rows) {
    long[] t = new long[rows];
    long[] d = new long[rows];
    StringColumn k = StringColumn.create("k");
    DoubleColumn x = DoubleColumn.create("x");
    long base = DateTimes.millis(BASE);
    for (int i = 0; i < rows; i++) {
      t[i] = r.nextInt(9) == 0 ? DateTimes.MISSING : base + (long) (r.nextDouble() * 3 * 86_400_000L);
      d[i] = r.nextInt(7) == 0 ? DateTimes.MISSING : DateTimes.millis(LocalDate.of(2024, 4, 1 + r.nextInt(4)).atStartOfDay());
      k.append(r.nextInt(8) == 0 ? "" : "k" + r.nextInt(4));
      x.append(r.nextInt(7) == 0 ? Double.NaN : r.nextInt(1000) / 10.0);
    }
    return Table.create("t", DateTimes.column("t", t), DateTimes.column("d", d), k, x);
  }

  private static LocalDateTime time(Table t, String c, int row) {
    return t.column(c).isMissing(row) ? null : ((DateTimeColumn) t.column(c)).get(row);
  }

  private static Table rowsWhere(Table t, Predicate<Integer> keep) {
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < t.rowCount(); i++) {
      if (keep.test(i)) {
        rows.add(i);
      }
    }
    return t.where(tech.tablesaw.selection.Selection.with(rows.stream().mapToInt(Integer::intValue).toArray()));
  }

  @AllSchedulers
  void compute_filters_andIsNull_matchOneTable(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 5; seed++) {
        Random r = new Random(100 + seed);
        Table t = table(r, seed == 0 ? 0 : r.nextInt(300));
        DFrame df = Frames.partitioned(r, t);
        String ctx = "seed " + seed + " over " + df.npartitions() + " partitions";
        assertEquals(DType.DATETIME, df.schema().type("t"));
        Frames.assertTableEquals(t, df.compute(), ctx + " round trip");

        LocalDateTime cut = BASE.plusMinutes(r.nextInt(3 * 24 * 60)).plusNanos(r.nextInt(1000) * 1_000_000L);
        Frames.assertTableEquals(rowsWhere(t, i -> time(t, "t", i) != null && !time(t, "t", i).isBefore(cut)),
            df.filter(col("t").ge(cut)).compute(), ctx + " t >= " + cut);
        Frames.assertTableEquals(rowsWhere(t, i -> time(t, "t", i) != null && time(t, "t", i).isBefore(cut)),
            df.filter(col("t").lt(cut)).compute(), ctx + " t < " + cut);
        LocalDate day = LocalDate.of(2024, 4, 1 + r.nextInt(4));
        Frames.assertTableEquals(rowsWhere(t, i -> Objects.equals(time(t, "d", i), day.atStartOfDay())),
            df.filter(col("d").eq(day)).compute(), ctx + " d == " + day);
        Frames.assertTableEquals(rowsWhere(t, i -> time(t, "d", i) == null || !time(t, "d", i).equals(day.atStartOfDay())),
            df.filter(col("d").ne(day)).compute(), ctx + " d != " + day);
        Frames.assertTableEquals(rowsWhere(t, i -> time(t, "t", i) != null && time(t, "d", i) != null
                && time(t, "t", i).isAfter(time(t, "d", i))),
            df.filter(col("t").gt(col("d"))).compute(), ctx + " t > d");
        Frames.assertTableEquals(rowsWhere(t, i -> time(t, "t", i) == null), df.filter(col("t").isNull()).compute(),
            ctx + " isNull");
      }
    }
  }

  @AllSchedulers
  void groupBy_datetimeKeys_andDatetimeAggregates_matchOneTable(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 5; seed++) {
        Random r = new Random(200 + seed);
        Table t = table(r, 1 + r.nextInt(300));
        DFrame df = Frames.partitioned(r, t);
        String ctx = "seed " + seed + " over " + df.npartitions() + " partitions";
        // oracle: per non-missing d, in key order
        TreeMap<LocalDateTime, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < t.rowCount(); i++) {
          if (time(t, "d", i) != null) {
            groups.computeIfAbsent(time(t, "d", i), x -> new ArrayList<>()).add(i);
          }
        }
        List<List<Object>> expected = new ArrayList<>();
        for (Map.Entry<LocalDateTime, List<Integer>> e : groups.entrySet()) {
          List<LocalDateTime> present = new ArrayList<>();
          for (int i : e.getValue()) {
            if (time(t, "t", i) != null) {
              present.add(time(t, "t", i));
            }
          }
          List<Object> row = new ArrayList<>();
          row.add(e.getKey());
          row.add(present.stream().min(Comparator.naturalOrder()).orElse(null));
          row.add(present.stream().max(Comparator.naturalOrder()).orElse(null));
          row.add(present.isEmpty() ? null : present.get(0));
          row.add(present.isEmpty() ? null : present.get(present.size() - 1));
          row.add((long) present.size());
          expected.add(row);
        }
        Table got = df.groupBy("d").agg(Agg.min("t"), Agg.max("t"), Agg.first("t"), Agg.last("t"), Agg.count("t")).compute();
        assertEquals(List.of("d", "t_min", "t_max", "t_first", "t_last", "t_count"), got.columnNames(), ctx);
        assertEquals(DType.DATETIME, DType.of(got.column("t_min")), ctx);
        Frames.assertRowsEqual(expected, Frames.rows(got), ctx);
      }
    }
  }

  @AllSchedulers
  void sortValues_andSetIndex_onDatetime_giveKnownDivisions(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 4; seed++) {
        Random r = new Random(300 + seed);
        Table t = table(r, 1 + r.nextInt(400));
        DFrame df = Frames.partitioned(r, t);
        String ctx = "seed " + seed + " over " + df.npartitions() + " partitions";
        boolean asc = seed % 2 == 0;
        DFrame sorted = df.sortValues(List.of("t", "x"), List.of(asc, true));
        Frames.assertRowsEqual(SortTest.oracle(t, List.of("t", "x"), List.of(asc, true)), Frames.rows(sorted.compute()), ctx);
        SortTest.checkDivisions(sorted, "t", ctx);
        DFrame indexed = df.setIndex("t");
        Frames.assertRowsEqual(SortTest.oracle(t, List.of("t"), List.of(true)), Frames.rows(indexed.compute()), ctx);
        SortTest.checkDivisions(indexed, "t", ctx);
        Divisions d = indexed.divisions().orElseThrow();
        assertTrue(d.bounds().get(0) instanceof LocalDateTime, ctx);
      }
    }
  }

  @Test
  void hashShuffle_dropDuplicates_onDatetime_matchesOneTable() {
    Random r = new Random(400);
    Table t = table(r, 500);
    DFrame df = Frames.partitioned(r, t);
    Table got = df.dropDuplicates("d").compute();
    java.util.Set<LocalDateTime> distinct = new java.util.HashSet<>();
    int missing = 0;
    for (int i = 0; i < t.rowCount(); i++) {
      if (time(t, "d", i) == null) {
        missing = 1;
      } else {
        distinct.add(time(t, "d", i));
      }
    }
    assertEquals(distinct.size() + missing, got.rowCount());
  }

  @Test
  void toCsv_writesIso_andReadCsvInfersDatetime() {
    Random r = new Random(500);
    Table t = table(r, 200);
    DFrame df = DFrame.fromPartitions(List.of(t.inRange(0, 70).copy(), t.inRange(70, 70).copy(), t.inRange(70, 200).copy()));
    List<Path> files = df.toCsv(dir.resolve("part-*.csv").toString());
    DFrame back = DFrame.readCsv(dir.resolve("part-*.csv").toString());
    assertEquals(DType.DATETIME, back.schema().type("t"), files.toString());
    assertEquals(DType.DATETIME, back.schema().type("d"));
    Frames.assertTableEquals(t, back.compute(), "csv round trip");
  }

  @AllSchedulers
  void toParquet_readParquet_withDatetimeFilter_matchesOneTable(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(600);
      Table t = table(r, 300);
      DFrame df = Frames.partitioned(r, t);
      Path out = dir.resolve("pq-" + scheduler);
      df.toParquet(out.toString(), io.jask.io.ParquetCompression.SNAPPY, 40);
      DFrame back = DFrame.readParquet(out.toString());
      assertEquals(DType.DATETIME, back.schema().type("t"));
      Frames.assertRowsEqual(Frames.rows(t), Frames.rows(back.compute()), "parquet round trip");
      LocalDateTime cut = BASE.plusHours(30);
      DFrame sel = DFrame.readParquet(out + "/*.parquet", List.of("t", "x"), col("t").le(cut));
      Frames.assertRowsEqual(Frames.rows(rowsWhere(t, i -> time(t, "t", i) != null && !time(t, "t", i).isAfter(cut))
          .selectColumns("t", "x")), Frames.rows(sel.compute()), "parquet t <= " + cut);
    }
  }

  @Test
  void badDatetimeUse_failsNamingTheColumn() {
    DFrame df = DFrame.fromTable(table(new Random(1), 10), 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> df.filter(col("t").gt(3L)).compute());
    assertTrue(e.getMessage().contains("DATETIME") && e.getMessage().contains("col(t)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> df.groupBy("k").sum("t"));
    assertTrue(e.getMessage().contains("'t'") && e.getMessage().contains("DATETIME"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> df.max("t"));
    assertTrue(e.getMessage().contains("'t' is DATETIME"), e.getMessage());
    RuntimeException cast = assertThrows(RuntimeException.class, () -> df.withColumn("y", col("k").cast(DType.DATETIME)).compute());
    assertTrue(cast.getMessage().contains("as DATETIME") && cast.getMessage().contains("col(k).cast(DATETIME)"), cast.getMessage());
  }
}
