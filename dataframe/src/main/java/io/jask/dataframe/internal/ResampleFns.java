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
 * The kernels of {@code DFrame.resample}: fixed-frequency bins of a DATETIME index column.
 *
 * <p>A bin is {@code [start, start + step)} (pandas' {@code closed='left', label='left'}); bin
 * starts are {@code origin + k * step} where {@code origin} is midnight of the frame's first day
 * (pandas' default {@code origin='start_day'}, the same as the epoch for steps that divide a day).
 * Each input partition becomes a groupby partial keyed by bin start ({@link Partial}); one small
 * task finds the first and last bin that hold a row ({@link Span}); output partition {@code k}
 * owns the bins {@code [lo, hi)} given by the input divisions and combines the partials of the
 * inputs whose range reaches into it ({@link Output}) — so a bin that straddles a partition
 * boundary is combined from both sides and no row moves through a shuffle. Empty bins between the
 * first and last are rows too: count, size and sum 0, other aggregates missing (as pandas).
 */
public final class ResampleFns {
  private ResampleFns() {}

  private static final long DAY = 86_400_000L;
  private static final Pattern RULE = Pattern.compile("(\\d*)\\s*([A-Za-z]+)");

  /**
   * A fixed frequency: {@code step} milliseconds, parsed from pandas' offset aliases {@code ms}
   * ({@code L}), {@code s} ({@code S}), {@code min} ({@code T}), {@code h} ({@code H}) and {@code D},
   * with an optional positive integer multiple ({@code "15min"}, {@code "2h"}).
   *
   * @param rule the text it was parsed from
   * @param step the bin width in milliseconds
   */
  public record Rule(String rule, long step) implements java.io.Serializable {
    /** The rule of {@code text}; fails naming the text and the supported units. */
    public static Rule parse(String text) {
      Matcher m = RULE.matcher(text == null ? "" : text.trim());
      if (!m.matches()) {
        throw unsupported(text, "");
      }
      long unit = switch (m.group(2)) {
        case "ms", "L" -> 1L;
        case "s", "S" -> 1000L;
        case "min", "T" -> 60_000L;
        case "h", "H" -> 3_600_000L;
        case "D" -> DAY;
        default -> -1L;
      };
      if (unit < 0) {
        String u = m.group(2).toUpperCase(Locale.ROOT);
        boolean anchored = u.startsWith("W") || u.startsWith("M") || u.startsWith("Q") || u.startsWith("Y")
            || u.startsWith("A") || u.startsWith("B");
        throw unsupported(text, anchored ? " (anchored offsets such as W, M, Q and Y are not fixed frequencies)" : "");
      }
      long mult;
      try {
        mult = m.group(1).isEmpty() ? 1 : Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw unsupported(text, "");
      }
      if (mult < 1 || mult > Long.MAX_VALUE / unit) {
        throw unsupported(text, " (the multiple must be a positive integer)");
      }
      return new Rule(text.trim(), mult * unit);
    }

    private static IllegalArgumentException unsupported(String text, String why) {
      return new IllegalArgumentException("unsupported resample rule '" + text + "'" + why
          + "; supported: an optional integer multiple of ms (L), s (S), min (T), h (H) or D, e.g. \"15min\", \"2h\", \"1D\"");
    }

    /** The origin for data starting at {@code firstMillis}: midnight of its day. */
    public long origin(long firstMillis) {
      return Math.floorDiv(firstMillis, DAY) * DAY;
    }

    /** The start of the bin holding {@code millis}. */
    public long bin(long origin, long millis) {
      return origin + Math.floorDiv(millis - origin, step) * step;
    }
  }

  /** Input partition to groupby partial keyed by the bin start (in the index column); rows without a time are dropped. */
  public record Partial(String column, Rule rule, long origin, Aggregation agg) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      long[] ms = DateTimes.millis((DateTimeColumn) t.column(column));
      for (int i = 0; i < ms.length; i++) {
        if (ms[i] != DateTimes.MISSING) {
          ms[i] = rule.bin(origin, ms[i]);
        }
      }
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
      long[] bins = new long[from > to ? 0 : (int) ((to - from) / rule.step() + 1)];
      for (int k = 0; k < bins.length; k++) {
        long b = from + k * rule.step();
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
