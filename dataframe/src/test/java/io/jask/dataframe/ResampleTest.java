package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.io.DType;
import io.jask.io.DateTimes;
import io.jask.testing.AllSchedulers;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * resample against plain bucketing of one table (bins {@code origin + k * step}, origin =
 * midnight of the first row's day, closed and labelled left, every bin from the first to the
 * last present), on every scheduler, over seeded random partitionings (empty partitions, one
 * partition, many partitions per bin so bins straddle partition boundaries), missing times,
 * NaN values and missing integers.
 */
class ResampleTest {
  static final long DAY = 86_400_000L;
  static final List<String> RULES = List.of("250ms", "1s", "7s", "T", "15min", "90min", "1h", "2H", "7h", "1D", "2D");
  static final long[] STEPS = {250, 1000, 7000, 60_000, 900_000, 5_400_000, 3_600_000, 7_200_000, 25_200_000, DAY, 2 * DAY};

  /** t DATETIME (some missing), x DOUBLE (NaN), i INT (missing), u DATETIME (missing), within {@code bins} steps. */
  static Table table(Random r, int rows, long step, int bins) {
    long start = DateTimes.millis(LocalDateTime.of(2023, 1, 1, 0, 0)) + (long) (r.nextDouble() * 400 * DAY);
    long[] t = new long[rows];
    long[] u = new long[rows];
    DoubleColumn x = DoubleColumn.create("x");
    IntColumn i = IntColumn.create("i");
    for (int n = 0; n < rows; n++) {
      t[n] = r.nextInt(10) == 0 ? DateTimes.MISSING : start + (long) (r.nextDouble() * step * bins);
      u[n] = r.nextInt(5) == 0 ? DateTimes.MISSING : start + r.nextInt(1_000_000_000);
      x.append(r.nextInt(6) == 0 ? Double.NaN : r.nextInt(2000) / 10.0 - 100);
      if (r.nextInt(6) == 0) {
        i.appendMissing();
      } else {
        i.append(r.nextInt(100));
      }
    }
    return Table.create("t", DateTimes.column("t", t), x, i, DateTimes.column("u", u));
  }

  static final Agg[] AGGS = {Agg.sum("x"), Agg.mean("x"), Agg.min("x"), Agg.max("x"), Agg.count("x"), Agg.first("x"),
      Agg.last("x"), Agg.size(), Agg.sum("i"), Agg.max("i"), Agg.max("u"), Agg.first("u")};

  /** The rows of {@code AGGS} per bin, computed directly on the one table. */
  static List<List<Object>> oracle(Table t, long step) {
    long[] ts = DateTimes.millis((DateTimeColumn) t.column("t"));
    long[] us = DateTimes.millis((DateTimeColumn) t.column("u"));
    double[] xs = ((DoubleColumn) t.column("x")).asDoubleArray();
    IntColumn is = (IntColumn) t.column("i");
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long v : ts) {
      if (v != DateTimes.MISSING) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    List<List<Object>> out = new ArrayList<>();
    if (min > max) {
      return out;
    }
    Integer[] order = new Integer[ts.length];
    for (int r = 0; r < order.length; r++) {
      order[r] = r;
    }
    Arrays.sort(order, (a, b) -> Long.compare(ts[a], ts[b])); // stable
    long origin = Math.floorDiv(min, DAY) * DAY;
    long first = origin + Math.floorDiv(min - origin, step) * step;
    for (long b = first; b <= max; b += step) {
      List<Double> x = new ArrayList<>();
      long size = 0;
      long sumI = 0;
      Long maxI = null;
      Long maxU = null;
      Long firstU = null;
      for (int r : order) { // time order, ties in table order (as setIndex sorts): first/last follow it
        if (ts[r] == DateTimes.MISSING || ts[r] < b || ts[r] >= b + step) {
          continue;
        }
        size++;
        if (!Double.isNaN(xs[r])) {
          x.add(xs[r]);
        }
        if (!is.isMissing(r)) {
          sumI += is.getInt(r);
          maxI = maxI == null ? is.getInt(r) : Math.max(maxI, is.getInt(r));
        }
        if (us[r] != DateTimes.MISSING) {
          maxU = maxU == null ? us[r] : Math.max(maxU, us[r]);
          firstU = firstU == null ? us[r] : firstU;
        }
      }
      double sum = 0;
      for (double v : x) {
        sum += v;
      }
      List<Object> row = new ArrayList<>();
      row.add(DateTimes.of(b));
      row.add(sum);
      row.add(x.isEmpty() ? null : sum / x.size());
      row.add(x.isEmpty() ? null : x.stream().min(Double::compare).get());
      row.add(x.isEmpty() ? null : x.stream().max(Double::compare).get());
      row.add((long) x.size());
      row.add(x.isEmpty() ? null : x.get(0));
      row.add(x.isEmpty() ? null : x.get(x.size() - 1));
      row.add(size);
      row.add(sumI);
      row.add(maxI == null ? null : maxI.intValue());
      row.add(maxU == null ? null : DateTimes.of(maxU));
      row.add(firstU == null ? null : DateTimes.of(firstU));
      out.add(row);
    }
    return out;
  }

  /** Each output partition holds only bins within its divisions; they are the frame's own. */
  static void checkDivisions(DFrame out, String ctx) {
    Divisions d = out.divisions().orElseThrow();
    assertEquals("t", d.column(), ctx);
    assertEquals(out.npartitions() + 1, d.bounds().size(), ctx);
    List<Object> parts = SortTest.Frames_parts(out);
    for (int p = 0; p < parts.size(); p++) {
      DateTimeColumn c = (DateTimeColumn) ((Table) parts.get(p)).column("t");
      LocalDateTime lo = (LocalDateTime) d.bounds().get(p);
      LocalDateTime hi = (LocalDateTime) d.bounds().get(p + 1);
      boolean last = p == parts.size() - 1;
      for (int i = 0; i < c.size(); i++) {
        LocalDateTime v = c.get(i);
        assertTrue(!v.isBefore(lo) && (v.isBefore(hi) || (last && v.equals(hi))),
            ctx + ": partition " + p + " bin " + v + " outside [" + lo + ", " + hi + "]");
      }
    }
  }

  @AllSchedulers
  void resample_randomRulesAndPartitionings_matchesBucketingOneTable(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 8; seed++) {
        Random r = new Random(800 + seed);
        int rule = r.nextInt(RULES.size());
        int bins = 1 + r.nextInt(seed % 3 == 0 ? 3 : 40);
        Table t = table(r, 1 + r.nextInt(seed == 1 ? 3 : 400), STEPS[rule], bins);
        DFrame df = Frames.partitioned(r, t).setIndex("t");
        String ctx = "seed " + seed + " rule " + RULES.get(rule) + " over " + df.npartitions() + " partitions";
        DFrame out = df.resample(RULES.get(rule)).agg(AGGS);
        assertEquals(List.of("t", "x_sum", "x_mean", "x_min", "x_max", "x_count", "x_first", "x_last", "size", "i_sum",
            "i_max", "u_max", "u_first"), out.columns(), ctx);
        assertEquals(DType.DATETIME, out.schema().type("t"), ctx);
        Table got = out.compute();
        Frames.assertRowsEqual(oracle(t, STEPS[rule]), Frames.rows(got), ctx);
        checkDivisions(out, ctx);
      }
    }
  }

  @AllSchedulers
  void resample_sortedTable_manyPartitionsPerBin_combinesStraddlingBins(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 4; seed++) {
        Random r = new Random(900 + seed);
        Table t = table(r, 50 + r.nextInt(300), 3_600_000L, 1 + r.nextInt(6));
        Table sorted = t.dropWhere(t.dateTimeColumn("t").isMissing()).sortAscendingOn("t");
        int parts = 1 + r.nextInt(Math.min(30, sorted.rowCount()));
        DFrame df = DFrame.fromTable(sorted, parts, "t");
        String ctx = "seed " + seed + " over " + parts + " partitions";
        Resampler rs = df.resample("1h");
        List<List<Object>> all = oracle(sorted, 3_600_000L);
        Frames.assertRowsEqual(column(all, 1), Frames.rows(rs.sum("x").compute()), ctx + " sum");
        Frames.assertRowsEqual(column(all, 2), Frames.rows(rs.mean("x").compute()), ctx + " mean");
        Frames.assertRowsEqual(column(all, 3), Frames.rows(rs.min("x").compute()), ctx + " min");
        Frames.assertRowsEqual(column(all, 4), Frames.rows(rs.max("x").compute()), ctx + " max");
        Frames.assertRowsEqual(column(all, 5), Frames.rows(rs.count("x").compute()), ctx + " count");
        Frames.assertRowsEqual(column(all, 6), Frames.rows(rs.first("x").compute()), ctx + " first");
        Frames.assertRowsEqual(column(all, 7), Frames.rows(rs.last("x").compute()), ctx + " last");
        Frames.assertRowsEqual(column(all, 8), Frames.rows(rs.size().compute()), ctx + " size");
        checkDivisions(rs.sum("x"), ctx);
      }
    }
  }

  private static List<List<Object>> column(List<List<Object>> rows, int c) {
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> row : rows) {
      out.add(Arrays.asList(row.get(0), row.get(c)));
    }
    return out;
  }

  @Test
  void resample_knownAnswer_emptyMiddleBinIsPresent() {
    LocalDateTime d = LocalDateTime.of(2024, 1, 2, 0, 0);
    long[] t = {DateTimes.millis(d), DateTimes.millis(d.plusMinutes(10)), DateTimes.millis(d.plusMinutes(40))};
    Table table = Table.create("t", DateTimes.column("t", t), DoubleColumn.create("x", 1.0, 2.0, 4.0));
    DFrame df = DFrame.fromTable(table, 2, "t");
    Table got = df.resample("15min").agg(Agg.sum("x"), Agg.mean("x"), Agg.size()).compute();
    Frames.assertRowsEqual(List.of(
        Arrays.asList(d, 3.0, 1.5, 2L),
        Arrays.asList(d.plusMinutes(15), 0.0, null, 0L),
        Arrays.asList(d.plusMinutes(30), 4.0, 4.0, 1L)), Frames.rows(got), "15min");
    Table twoHours = df.resample("7min").sum("x").compute(); // bins 00:00, 00:07, ... anchored at midnight
    assertEquals(List.of(d, d.plusMinutes(7), d.plusMinutes(14), d.plusMinutes(21), d.plusMinutes(28), d.plusMinutes(35)),
        Arrays.asList(((DateTimeColumn) twoHours.column("t")).asObjectArray()));
  }

  @Test
  void resample_withoutDatetimeDivisions_failsNamingTheColumns() {
    Table t = table(new Random(3), 50, 1000, 10);
    DFrame plain = DFrame.fromTable(t, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plain.resample("1h"));
    assertTrue(e.getMessage().contains("setIndex") && e.getMessage().contains("[t, u]")
        && e.getMessage().contains("no known divisions"), e.getMessage());
    DFrame byX = plain.setIndex("x");
    e = assertThrows(IllegalArgumentException.class, () -> byX.resample("1h"));
    assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("DOUBLE") && e.getMessage().contains("setIndex"),
        e.getMessage());
  }

  @Test
  void resample_unsupportedRules_failListingTheUnits() {
    DFrame df = DFrame.fromTable(table(new Random(4), 20, 1000, 10), 2).setIndex("t");
    for (String rule : List.of("1W", "M", "2Q", "Y", "BM", "5us", "abc", "0min", "", "1.5h")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> df.resample(rule), rule);
      assertTrue(e.getMessage().contains("'" + rule + "'") && e.getMessage().contains("ms (L), s (S), min (T), h (H) or D"),
          e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> df.resample("W"));
    assertTrue(e.getMessage().contains("anchored"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> df.resample("1h").sum("u"));
    assertTrue(e.getMessage().contains("'u'") && e.getMessage().contains("DATETIME"), e.getMessage());
  }
}
