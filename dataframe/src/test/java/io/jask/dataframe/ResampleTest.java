package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.io.DType;
import io.jask.io.DateTimes;
import io.jask.testing.AllSchedulers;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * NaN values and missing integers; anchored rules (W, M, MS, Q, QS, Y, YS, with anchors and
 * multiples) against a bucketing of one table with java.time dates, partitions straddling month
 * ends, leap years, and known answers printed by pandas.
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

  /** The rows of {@code AGGS} per fixed bin, computed directly on the one table. */
  static List<List<Object>> oracle(Table t, long step) {
    return oracle(t, new Bins() {
      long origin;

      public long first(long min) {
        origin = Math.floorDiv(min, DAY) * DAY;
        return origin + Math.floorDiv(min - origin, step) * step;
      }

      public long binOf(long millis) {
        return origin + Math.floorDiv(millis - origin, step) * step;
      }

      public long next(long label) {
        return label + step;
      }
    });
  }

  /** The bins of the oracle: {@link #first} is called first, with the smallest time. */
  interface Bins {
    long first(long min);

    long binOf(long millis);

    long next(long label);
  }

  /** The rows of {@code AGGS} per bin of {@code bins}, every bin from the first row's to the last row's. */
  static List<List<Object>> oracle(Table t, Bins bins) {
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
    long first = bins.first(min);
    long lastBin = bins.binOf(max);
    for (long b = first; b <= lastBin; b = bins.next(b)) {
      List<Double> x = new ArrayList<>();
      long size = 0;
      long sumI = 0;
      Long maxI = null;
      Long maxU = null;
      Long firstU = null;
      for (int r : order) { // time order, ties in table order (as setIndex sorts): first/last follow it
        if (ts[r] == DateTimes.MISSING || bins.binOf(ts[r]) != b) {
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
    for (String rule : List.of("BM", "5us", "abc", "0min", "", "1.5h", "0W", "W-XYZ", "M-JAN", "2h-MON", "SM", "Q-13")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> df.resample(rule), rule);
      assertTrue(e.getMessage().contains("'" + rule + "'") && e.getMessage().contains("ms (L), s (S), min (T), h (H), D")
          && e.getMessage().contains("M/ME (month end), MS (month start)"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> df.resample("W-XYZ"));
    assertTrue(e.getMessage().contains("unknown anchor 'XYZ'") && e.getMessage().contains("SUN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> df.resample("1h").sum("u"));
    assertTrue(e.getMessage().contains("'u'") && e.getMessage().contains("DATETIME"), e.getMessage());
  }

  // ---- anchored rules: the oracle buckets with java.time dates (labels stepped with plusMonths/plusWeeks)

  /**
   * An anchored rule as the oracle sees it: {@code periodMonths} 0 for weeks; {@code anchor} the
   * week's last day, or the month a period ends (end) or starts (start) with; {@code n} the multiple.
   */
  record Anchored(String rule, boolean end, int periodMonths, int anchor, int n) {
    /** The single period holding {@code d}: its last day (end) or first day (start). */
    LocalDate period(LocalDate d) {
      if (periodMonths == 0) {
        return d.with(TemporalAdjusters.nextOrSame(DayOfWeek.of(anchor)));
      }
      LocalDate p = end ? d.with(TemporalAdjusters.lastDayOfMonth()) : d.withDayOfMonth(1);
      while (Math.floorMod(p.getMonthValue() - anchor, periodMonths) != 0) {
        p = end ? p.plusMonths(1).with(TemporalAdjusters.lastDayOfMonth()) : p.minusMonths(1);
      }
      return p;
    }

    /** Label {@code k} bins after {@code first}. */
    LocalDate step(LocalDate first, long k) {
      if (periodMonths == 0) {
        return first.plusWeeks(k * n);
      }
      LocalDate p = first.withDayOfMonth(1).plusMonths(k * n * periodMonths);
      return end ? p.with(TemporalAdjusters.lastDayOfMonth()) : p;
    }

    Bins bins() {
      return new Bins() {
        LocalDate first;

        public long first(long min) {
          first = period(DateTimes.of(min).toLocalDate());
          return DateTimes.millis(first.atStartOfDay());
        }

        public long binOf(long millis) {
          LocalDate d = DateTimes.of(millis).toLocalDate();
          long k = 0;
          if (end) { // closed right at the end of the label's day: the first label on or after the date
            while (step(first, k).isBefore(d)) {
              k++;
            }
          } else { // closed left: the last label on or before the date
            while (!step(first, k + 1).isAfter(d)) {
              k++;
            }
          }
          return DateTimes.millis(step(first, k).atStartOfDay());
        }

        public long next(long label) {
          LocalDate l = DateTimes.of(label).toLocalDate();
          long k = 0;
          while (step(first, k).isBefore(l)) {
            k++;
          }
          return DateTimes.millis(step(first, k + 1).atStartOfDay());
        }
      };
    }
  }

  static final List<Anchored> ANCHORED = List.of(
      new Anchored("W", true, 0, 7, 1), new Anchored("W-MON", true, 0, 1, 1), new Anchored("2W-WED", true, 0, 3, 2),
      new Anchored("M", true, 1, 12, 1), new Anchored("ME", true, 1, 12, 1), new Anchored("3M", true, 1, 12, 3),
      new Anchored("MS", false, 1, 1, 1), new Anchored("2MS", false, 1, 1, 2),
      new Anchored("Q", true, 3, 12, 1), new Anchored("QE-NOV", true, 3, 11, 1), new Anchored("2Q", true, 3, 12, 2),
      new Anchored("QS", false, 3, 1, 1), new Anchored("QS-FEB", false, 3, 2, 1),
      new Anchored("Y", true, 12, 12, 1), new Anchored("A-JUN", true, 12, 6, 1), new Anchored("2YE", true, 12, 12, 2),
      new Anchored("YS", false, 12, 1, 1), new Anchored("AS-MAR", false, 12, 3, 1));

  /**
   * Like {@link #table} over about {@code days} days from a random start in 2023–2024 (2024 is a
   * leap year), a third of the times at a month's edges (its first millisecond, its last, the
   * end of February).
   */
  static Table calendarTable(Random r, int rows, int days) {
    Table t = table(r, rows, DAY, days);
    long[] ts = DateTimes.millis((DateTimeColumn) t.column("t"));
    LocalDate base = LocalDate.of(2023, 1, 1).plusDays(r.nextInt(700));
    for (int i = 0; i < ts.length; i++) {
      if (ts[i] != DateTimes.MISSING && r.nextInt(3) == 0) {
        LocalDate m = base.plusDays(r.nextInt(days + 1)).withDayOfMonth(1);
        LocalDateTime v = switch (r.nextInt(4)) {
          case 0 -> m.atStartOfDay();
          case 1 -> m.atStartOfDay().minusNanos(1_000_000);
          case 2 -> LocalDate.of(m.getYear(), 2, 1).with(TemporalAdjusters.lastDayOfMonth()).atTime(23, 59, 59, 999_000_000);
          default -> m.with(TemporalAdjusters.lastDayOfMonth()).atTime(12, 0);
        };
        ts[i] = DateTimes.millis(v);
      }
    }
    t.replaceColumn("t", DateTimes.column("t", ts));
    return t;
  }

  @AllSchedulers
  void resample_anchoredRules_randomPartitionings_matchBucketingWithJavaTime(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < ANCHORED.size(); seed++) {
        Random r = new Random(1300 + seed);
        Anchored a = ANCHORED.get(seed);
        int span = a.periodMonths() == 0 ? 7 * (1 + r.nextInt(30)) : 31 * a.periodMonths() * (1 + r.nextInt(10));
        Table t = calendarTable(r, 1 + r.nextInt(seed % 5 == 1 ? 3 : 300), span);
        DFrame df = Frames.partitioned(r, t).setIndex("t");
        String ctx = "rule " + a.rule() + " over " + df.npartitions() + " partitions, " + t.rowCount() + " rows";
        DFrame out = df.resample(a.rule()).agg(AGGS);
        Frames.assertRowsEqual(oracle(t, a.bins()), Frames.rows(out.compute()), ctx);
        checkDivisions(out, ctx);
      }
    }
  }

  @AllSchedulers
  void resample_anchoredRules_partitionsStraddlingMonthEnds_combineBins(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 6; seed++) {
        Random r = new Random(1400 + seed);
        Anchored a = ANCHORED.get(r.nextInt(ANCHORED.size()));
        Table t = calendarTable(r, 100 + r.nextInt(300), 31 * (1 + r.nextInt(14)));
        Table sorted = t.dropWhere(t.dateTimeColumn("t").isMissing()).sortAscendingOn("t");
        int parts = 1 + r.nextInt(Math.min(40, sorted.rowCount()));
        DFrame df = DFrame.fromTable(sorted, parts, "t");
        String ctx = "seed " + seed + " rule " + a.rule() + " over " + parts + " partitions";
        List<List<Object>> all = oracle(sorted, a.bins());
        Resampler rs = df.resample(a.rule());
        Frames.assertRowsEqual(column(all, 1), Frames.rows(rs.sum("x").compute()), ctx + " sum");
        Frames.assertRowsEqual(column(all, 6), Frames.rows(rs.first("x").compute()), ctx + " first");
        Frames.assertRowsEqual(column(all, 8), Frames.rows(rs.size().compute()), ctx + " size");
        checkDivisions(rs.size(), ctx);
      }
    }
  }

  /** Sums per bin as pandas 1.5.3 printed them for {@code s.resample(rule).sum()} of the series below. */
  @Test
  void resample_anchoredRules_knownAnswersFromPandas() {
    String[] at = {"2024-01-15T10:00", "2024-01-31T23:59", "2024-02-01T00:00", "2024-02-29T12:00", "2024-04-30T00:00",
        "2024-05-02T08:00", "2024-07-01T00:00", "2024-12-31T23:00", "2025-01-01T00:00", "2025-03-09T06:00"};
    long[] t = new long[at.length];
    double[] x = new double[at.length];
    for (int i = 0; i < at.length; i++) {
      t[i] = DateTimes.millis(LocalDateTime.parse(at[i]));
      x[i] = i + 1;
    }
    Table table = Table.create("s", DateTimes.column("t", t), DoubleColumn.create("x", x));
    DFrame df = DFrame.fromTable(table, 3, "t");
    Map<String, String> pandas = new LinkedHashMap<>();
    pandas.put("M", "2024-01-31 3, 2024-02-29 7, 2024-03-31 0, 2024-04-30 5, 2024-05-31 6, 2024-06-30 0, 2024-07-31 7,"
        + " 2024-08-31 0, 2024-09-30 0, 2024-10-31 0, 2024-11-30 0, 2024-12-31 8, 2025-01-31 9, 2025-02-28 0, 2025-03-31 10");
    pandas.put("2M", "2024-01-31 3, 2024-03-31 7, 2024-05-31 11, 2024-07-31 7, 2024-09-30 0, 2024-11-30 0, 2025-01-31 17,"
        + " 2025-03-31 10");
    pandas.put("2MS", "2024-01-01 10, 2024-03-01 5, 2024-05-01 6, 2024-07-01 7, 2024-09-01 0, 2024-11-01 8, 2025-01-01 9,"
        + " 2025-03-01 10");
    pandas.put("Q", "2024-03-31 10, 2024-06-30 11, 2024-09-30 7, 2024-12-31 8, 2025-03-31 19");
    pandas.put("2Q", "2024-03-31 10, 2024-09-30 18, 2025-03-31 27");
    pandas.put("Q-NOV", "2024-02-29 10, 2024-05-31 11, 2024-08-31 7, 2024-11-30 0, 2025-02-28 17, 2025-05-31 10");
    pandas.put("QS", "2024-01-01 10, 2024-04-01 11, 2024-07-01 7, 2024-10-01 8, 2025-01-01 19");
    pandas.put("QS-FEB", "2023-11-01 3, 2024-02-01 12, 2024-05-01 13, 2024-08-01 0, 2024-11-01 17, 2025-02-01 10");
    pandas.put("A", "2024-12-31 36, 2025-12-31 19");
    pandas.put("2A", "2024-12-31 36, 2026-12-31 19");
    pandas.put("AS", "2024-01-01 36, 2025-01-01 19");
    pandas.put("A-JUN", "2024-06-30 21, 2025-06-30 34");
    for (Map.Entry<String, String> e : pandas.entrySet()) {
      assertEquals(e.getValue(), render(df.resample(e.getKey()).sum("x").compute(), false), e.getKey());
    }
    // weekly: only the bins that hold rows (pandas prints the empty weeks between them with 0)
    Map<String, String> weeks = new LinkedHashMap<>();
    weeks.put("W", "2024-01-21 1, 2024-02-04 5, 2024-03-03 4, 2024-05-05 11, 2024-07-07 7, 2025-01-05 17, 2025-03-09 10");
    weeks.put("W-MON", "2024-01-15 1, 2024-02-05 5, 2024-03-04 4, 2024-05-06 11, 2024-07-01 7, 2025-01-06 17, 2025-03-10 10");
    weeks.put("3W", "2024-01-21 1, 2024-02-11 5, 2024-03-03 4, 2024-05-05 11, 2024-07-07 7, 2025-01-12 17, 2025-03-16 10");
    weeks.put("W-WED", "2024-01-17 1, 2024-01-31 2, 2024-02-07 3, 2024-03-06 4, 2024-05-01 5, 2024-05-08 6,"
        + " 2024-07-03 7, 2025-01-01 17, 2025-03-12 10");
    for (Map.Entry<String, String> e : weeks.entrySet()) {
      Table got = df.resample(e.getKey()).sum("x").compute();
      assertEquals(e.getValue(), render(got, true), e.getKey());
      assertEquals(got.rowCount() - 1, java.time.temporal.ChronoUnit.DAYS.between(
          ((DateTimeColumn) got.column("t")).get(0), ((DateTimeColumn) got.column("t")).get(got.rowCount() - 1))
          / (e.getKey().startsWith("3") ? 21 : 7), e.getKey() + ": every week between the first and the last");
    }
  }

  private static String render(Table t, boolean skipZero) {
    List<String> out = new ArrayList<>();
    for (List<Object> row : Frames.rows(t)) {
      double v = (Double) row.get(1);
      if (!skipZero || v != 0) {
        out.add(((LocalDateTime) row.get(0)).toLocalDate() + " " + (long) v);
      }
    }
    return String.join(", ", out);
  }
}
