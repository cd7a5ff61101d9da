package io.jask.dataframe.internal;

import io.jask.engine.TaskFn;
import io.jask.io.DateTimes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The kernels of {@code DFrame.resample}: bins of a DATETIME index column by a fixed frequency or
 * an anchored calendar one ({@link Rule}).
 *
 * <p>A fixed bin is {@code [start, start + step)} (pandas' {@code closed='left', label='left'});
 * bin starts are {@code origin + k * step} where {@code origin} is midnight of the frame's first
 * day (pandas' default {@code origin='start_day'}, the same as the epoch for steps that divide a
 * day). An anchored bin (weeks, months, quarters, years) holds whole calendar periods and is
 * labelled by its last day (W, M, Q, Y) or its first (MS, QS, YS), as pandas. Each input
 * partition becomes a groupby partial keyed by bin label ({@link Partial}); one small task finds
 * the first and last bin that hold a row ({@link Span}); output partition {@code k} owns the bins
 * {@code [lo, hi)} given by the input divisions and combines the partials of the inputs whose
 * range reaches into it ({@link Output}) — so a bin that straddles a partition boundary is
 * combined from both sides and no row moves through a shuffle. Empty bins between the first and
 * last are rows too: count, size and sum 0, other aggregates missing (as pandas).
 */
public final class ResampleFns {
  private ResampleFns() {}

  private static final long DAY = 86_400_000L;
  private static final Pattern RULE = Pattern.compile("(\\d*)\\s*([A-Za-z]+)(?:-([A-Za-z]{3}))?");
  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> WEEKDAYS = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");
  private static final String SUPPORTED = "; supported: an optional integer multiple of ms (L), s (S), min (T), h (H), D,"
      + " W (W-SUN; W-MON..W-SAT), M/ME (month end), MS (month start), Q/QE (Q-DEC; Q-JAN..), QS (QS-JAN; QS-FEB..),"
      + " Y/YE/A (Y-DEC; Y-JAN..) or YS/AS (YS-JAN; YS-FEB..), e.g. \"15min\", \"2h\", \"1D\", \"W-MON\", \"3M\", \"QS\"";

  /** How the bins of a {@link Rule} are laid out. */
  public enum Kind {
    /** Fixed width {@code step} ms from midnight of the first day; closed and labelled left. */
    FIXED,
    /** Weeks ending on {@code anchor} (1 Monday .. 7 Sunday), {@code multiple} at a time; closed and labelled right. */
    WEEK,
    /** Periods of {@code months} ending with month {@code anchor}; closed and labelled right (at the last day). */
    MONTH_END,
    /** Periods of {@code months} starting with month {@code anchor}; closed and labelled left (at the first day). */
    MONTH_START
  }

  /**
   * A resample frequency parsed from pandas' offset aliases, with an optional positive integer
   * multiple. Fixed: {@code ms} ({@code L}), {@code s} ({@code S}), {@code min} ({@code T}),
   * {@code h} ({@code H}), {@code D}: bins {@code [start, start + step)} from midnight of the first
   * day. Anchored, as pandas' defaults: {@code W} ({@code W-SUN}, or {@code W-MON}..), {@code
   * M}/{@code ME}, {@code Q}/{@code QE} ({@code Q-DEC}, or another last month), {@code
   * Y}/{@code YE}/{@code A} ({@code Y-DEC}, ..) close on the right and are labelled by the period's
   * last day; {@code MS}, {@code QS} ({@code QS-JAN}, ..), {@code YS}/{@code AS} ({@code YS-JAN},
   * ..) close on the left and are labelled by the period's first day. An anchored bin holds whole
   * calendar days (pandas moves a right-closed edge to the end of its day). With a multiple
   * {@code n}, the first bin is the one period holding the first row and the next ones follow
   * every {@code n} periods (pandas: {@code first = first.normalize() - n * offset} for closed
   * right, {@code offset.rollback(first)} for closed left).
   *
   * @param rule the text it was parsed from
   * @param kind how the bins are laid out
   * @param step the fixed bin width in milliseconds, or the anchored bin width in days (weeks) or months
   * @param unit months per single period (1, 3 or 12) for the month kinds, 7 for weeks, 0 otherwise
   * @param anchor the weekday (1 Monday .. 7 Sunday) a week ends on, or the month (1..12) periods end or start with
   */
  public record Rule(String rule, Kind kind, long step, int unit, int anchor) implements java.io.Serializable {
    /** A fixed-frequency rule of {@code step} milliseconds. */
    public Rule(String rule, long step) {
      this(rule, Kind.FIXED, step, 0, 0);
    }

    /** The rule of {@code text}; fails naming the text and the supported units. */
    public static Rule parse(String text) {
      Matcher m = RULE.matcher(text == null ? "" : text.trim());
      if (!m.matches()) {
        throw unsupported(text, "");
      }
      long mult;
      try {
        mult = m.group(1).isEmpty() ? 1 : Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw unsupported(text, "");
      }
      if (mult < 1) {
        throw unsupported(text, " (the multiple must be a positive integer)");
      }
      String u = m.group(2);
      String suffix = m.group(3) == null ? null : m.group(3).toUpperCase(Locale.ROOT);
      long unit = switch (u) {
        case "ms", "L" -> 1L;
        case "s", "S" -> 1000L;
        case "min", "T" -> 60_000L;
        case "h", "H" -> 3_600_000L;
        case "D" -> DAY;
        default -> -1L;
      };
      String t = text.trim();
      if (unit > 0) {
        if (suffix != null) {
          throw unsupported(text, " (only W, Q, QS, Y and YS take an anchor suffix)");
        }
        if (mult > Long.MAX_VALUE / unit) {
          throw unsupported(text, " (the multiple is too large)");
        }
        return new Rule(t, Kind.FIXED, mult * unit, 0, 0);
      }
      if (mult > 10_000) {
        throw unsupported(text, " (the multiple of an anchored rule must be at most 10000)");
      }
      switch (u) {
        case "W":
          return new Rule(t, Kind.WEEK, 7 * mult, 7, anchor(text, suffix, WEEKDAYS, 7));
        case "M", "ME":
          return new Rule(t, Kind.MONTH_END, mult, 1, noSuffix(text, suffix, 12));
        case "MS":
          return new Rule(t, Kind.MONTH_START, mult, 1, noSuffix(text, suffix, 1));
        case "Q", "QE":
          return new Rule(t, Kind.MONTH_END, 3 * mult, 3, anchor(text, suffix, MONTHS, 12));
        case "QS":
          return new Rule(t, Kind.MONTH_START, 3 * mult, 3, anchor(text, suffix, MONTHS, 1));
        case "Y", "YE", "A":
          return new Rule(t, Kind.MONTH_END, 12 * mult, 12, anchor(text, suffix, MONTHS, 12));
        case "YS", "AS":
          return new Rule(t, Kind.MONTH_START, 12 * mult, 12, anchor(text, suffix, MONTHS, 1));
        default:
          throw unsupported(text, "");
      }
    }

    private static int anchor(String text, String suffix, List<String> names, int dflt) {
      if (suffix == null) {
        return dflt;
      }
      int i = names.indexOf(suffix);
      if (i < 0) {
        throw unsupported(text, " (unknown anchor '" + suffix + "'; one of " + names + ")");
      }
      return i + 1;
    }

    private static int noSuffix(String text, String suffix, int anchor) {
      if (suffix != null) {
        throw unsupported(text, " (M, ME and MS take no anchor suffix)");
      }
      return anchor;
    }

    private static IllegalArgumentException unsupported(String text, String why) {
      return new IllegalArgumentException("unsupported resample rule '" + text + "'" + why + SUPPORTED);
    }

    /** Whether bins are closed on the right and labelled by their right edge (W, M, Q, Y). */
    public boolean closedRight() {
      return kind == Kind.WEEK || kind == Kind.MONTH_END;
    }

    /**
     * The origin for data starting at {@code firstMillis}: midnight of its day for a fixed rule,
     * else the label of the bin holding it.
     */
    public long origin(long firstMillis) {
      long day = Math.floorDiv(firstMillis, DAY);
      switch (kind) {
        case WEEK:
          return weekEnd(day) * DAY;
        case MONTH_END:
          return monthEndMillis(periodEnd(monthIndex(day)));
        case MONTH_START:
          return monthStartMillis(periodStart(monthIndex(day)));
        default:
          return day * DAY;
      }
    }

    /** The label (start for left-closed rules, end day for right-closed ones) of the bin holding {@code millis}. */
    public long bin(long origin, long millis) {
      switch (kind) {
        case WEEK: {
          long o = Math.floorDiv(origin, DAY);
          long e = weekEnd(Math.floorDiv(millis, DAY));
          return (o + ceilDiv(e - o, step) * step) * DAY;
        }
        case MONTH_END: {
          long o = monthIndex(Math.floorDiv(origin, DAY));
          long e = periodEnd(monthIndex(Math.floorDiv(millis, DAY)));
          return monthEndMillis(o + ceilDiv(e - o, step) * step);
        }
        case MONTH_START: {
          long o = monthIndex(Math.floorDiv(origin, DAY));
          long s = periodStart(monthIndex(Math.floorDiv(millis, DAY)));
          return monthStartMillis(o + Math.floorDiv(s - o, step) * step);
        }
        default:
          return origin + Math.floorDiv(millis - origin, step) * step;
      }
    }

    /** The label of the bin after the one labelled {@code label}. */
    public long next(long label) {
      switch (kind) {
        case WEEK:
          return label + step * DAY;
        case MONTH_END:
          return monthEndMillis(monthIndex(Math.floorDiv(label, DAY)) + step);
        case MONTH_START:
          return monthStartMillis(monthIndex(Math.floorDiv(label, DAY)) + step);
        default:
          return label + step;
      }
    }

    /** The first millisecond after the bin labelled {@code label}. */
    long binEnd(long label) {
      switch (kind) {
        case WEEK:
        case MONTH_END:
          return label + DAY; // the whole last day
        default:
          return next(label);
      }
    }

    /**
     * The labels of the bins of {@code millis} (missing stays missing), in place. Consecutive
     * times in one bin (sorted input) cost a comparison each.
     */
    void binAll(long origin, long[] millis) {
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      long label = 0;
      for (int i = 0; i < millis.length; i++) {
        long v = millis[i];
        if (v == DateTimes.MISSING) {
          continue;
        }
        if (v < lo || v >= hi) {
          label = bin(origin, v);
          lo = binStart(label);
          hi = binEnd(label);
        }
        millis[i] = label;
      }
    }

    /** The first millisecond of the bin labelled {@code label}. */
    private long binStart(long label) {
      switch (kind) {
        case WEEK:
          return label + DAY - step * DAY;
        case MONTH_END:
          return monthStartMillis(monthIndex(Math.floorDiv(label, DAY)) - step + 1);
        default:
          return label;
      }
    }

    /** The week-ending day (epoch day) on or after {@code day}. */
    private long weekEnd(long day) {
      int dow = (int) Math.floorMod(day + 3, 7L) + 1; // 1970-01-01 was a Thursday (4)
      return day + Math.floorMod(anchor - dow, 7);
    }

    /** The month index (year * 12 + month - 1) of the last month of the single period holding month {@code mi}. */
    private long periodEnd(long mi) {
      return mi + Math.floorMod((anchor - 1) - mi, (long) unit);
    }

    /** The month index of the first month of the single period holding month {@code mi}. */
    private long periodStart(long mi) {
      return mi - Math.floorMod(mi - (anchor - 1), (long) unit);
    }

    private static long ceilDiv(long a, long b) {
      return -Math.floorDiv(-a, b);
    }

    private static long monthIndex(long epochDay) {
      java.time.LocalDate d = java.time.LocalDate.ofEpochDay(epochDay);
      return d.getYear() * 12L + d.getMonthValue() - 1;
    }

    private static long monthStartMillis(long mi) {
      return java.time.LocalDate.of((int) Math.floorDiv(mi, 12L), (int) Math.floorMod(mi, 12L) + 1, 1).toEpochDay() * DAY;
    }

    private static long monthEndMillis(long mi) {
      return monthStartMillis(mi + 1) - DAY;
    }
  }

  /** Input partition to groupby partial keyed by the bin start (in the index column); rows without a time are dropped. */
  public record Partial(String column, Rule rule, long origin, Aggregation agg) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      long[] ms = DateTimes.millis((DateTimeColumn) t.column(column));
      rule.binAll(origin, ms);
      Table binned = t.copy();
      int at = binned.columnIndex(column);
      binned.removeColumns(column);
      binned.insertColumn(at, DateTimes.column(column, ms));
      return agg.partial(binned);
    }
  }

  /** The first and last bin start over all partials ({@code long[2]}), or an empty array when there is no row. */
  public record Span(String column) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      for (Object o : args) {
        for (long b : DateTimes.millis((DateTimeColumn) ((Table) o).column(column))) {
          if (b != DateTimes.MISSING) {
            lo = Math.min(lo, b);
            hi = Math.max(hi, b);
          }
        }
      }
      return lo > hi ? new long[0] : new long[] {lo, hi};
    }
  }

  /**
   * One output partition: the bins {@code [lo, hi)} ({@code hi} included when {@code last}) from
   * the partials given (args: the span, then the partials), combined per bin, with a row for
   * every bin between the first and last bin of the whole frame.
   *
   * @param zero for each aggregation, whether an empty bin holds 0 (count, size, sum) or missing
   */
  public record Output(String column, Rule rule, long lo, long hi, boolean last, Aggregation agg, List<Boolean> zero)
      implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      long[] span = (long[]) args[0];
      List<Table> mine = new ArrayList<>();
      for (int a = 1; a < args.length; a++) {
        Table p = (Table) args[a];
        long[] b = DateTimes.millis((DateTimeColumn) p.column(column));
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < b.length; i++) {
          if (b[i] != DateTimes.MISSING && b[i] >= lo && (b[i] < hi || (last && b[i] == hi))) {
            rows.add(i);
          }
        }
        mine.add(p.where(tech.tablesaw.selection.Selection.with(rows.stream().mapToInt(Integer::intValue).toArray())));
      }
      Table done = agg.finish(agg.combine(mine)); // an output always has at least one input
      Table empty = done.emptyCopy();
      if (span.length == 0) {
        return empty;
      }
      long from = Math.max(lo, span[0]);
      long to = Math.min(last ? hi : hi - 1, span[1]);
      // the finished rows are sorted by bin; walk every bin of the range and take or fill
      long[] have = DateTimes.millis((DateTimeColumn) done.column(column));
      List<Column<?>> cols = new ArrayList<>();
      for (Column<?> c : empty.columns()) {
        cols.add(c);
      }
      int row = 0;
      List<Long> labels = new ArrayList<>();
      for (long b = from; b <= to; b = rule.next(b)) {
        labels.add(b);
      }
      long[] bins = new long[labels.size()];
      for (int k = 0; k < bins.length; k++) {
        long b = labels.get(k);
        bins[k] = b;
        while (row < have.length && have[row] < b) {
          row++;
        }
        boolean present = row < have.length && have[row] == b;
        for (int c = 1; c < cols.size(); c++) {
          appendCell(cols.get(c), done.column(c), present ? row : -1, zero.get(c - 1));
        }
      }
      Table out = Table.create(done.name());
      out.addColumns(DateTimes.column(column, bins));
      for (int c = 1; c < cols.size(); c++) {
        out.addColumns(cols.get(c));
      }
      return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void appendCell(Column out, Column from, int row, boolean zero) {
      if (row >= 0) {
        out.append(from, row);
      } else if (zero && out instanceof LongColumn l) {
        l.append(0L);
      } else if (zero && out instanceof DoubleColumn d) {
        d.append(0.0);
      } else {
        out.appendMissing();
      }
    }
  }
}
