package io.jask.dataframe;

import io.jask.dataframe.internal.Aggregation;
import io.jask.dataframe.internal.ResampleFns;
import io.jask.engine.Graph;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.Tokenize;
import io.jask.io.DType;
import io.jask.io.DateTimes;
import io.jask.io.Schema;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A frame binned by time intervals of its DATETIME index, like pandas' {@code df.resample(rule)}.
 * Fixed rules ({@code ms, s, min, h, D} with a multiple): bins {@code [start, start + rule)}
 * labelled by their start, anchored at midnight of the first day (pandas' defaults {@code
 * closed='left', label='left', origin='start_day'}). Anchored rules, with pandas' defaults: {@code
 * W} (weeks ending Sunday; {@code W-MON}..), {@code M}/{@code ME} (months), {@code Q}/{@code QE}
 * (quarters ending December; {@code Q-JAN}..), {@code Y}/{@code YE}/{@code A} (years ending
 * December; {@code Y-JUN}..) are closed on the right and labelled by the period's last day;
 * {@code MS}, {@code QS} ({@code QS-JAN}..), {@code YS}/{@code AS} are closed on the left and
 * labelled by the period's first day. A multiple ({@code "2M"}, {@code "3W"}) groups that many
 * periods, the first group ending (or starting) with the period of the first row. Every bin
 * between the first and the last row is a row of the result; an empty one has count, size and
 * sum 0 and the other aggregates missing.
 *
 * <p>The frame needs known divisions on a DATETIME column (after {@link DFrame#setIndex} or
 * {@link DFrame#fromTable(tech.tablesaw.api.Table, int, String)}), as in Dask. No row moves
 * through a shuffle: each partition is aggregated per bin, and a bin that straddles a partition
 * boundary is combined from the partials of both sides. The result is indexed by bin start with
 * known divisions (the bins of the input divisions). Rows without a time are dropped.
 *
 * <pre>{@code
 * DFrame hourly = df.setIndex("time").resample("1h").agg(Agg.sum("amount"), Agg.size());
 * DFrame means = df.setIndex("time").resample("15min").mean("price");
 * DFrame monthly = df.setIndex("time").resample("M").sum("amount");    // labelled 2024-01-31, 2024-02-29, ...
 * }</pre>
 */
public final class Resampler {
  private final DFrame frame;
  private final ResampleFns.Rule rule;
  private final String column;
  private final List<Object> bounds;

  Resampler(DFrame frame, String rule) {
    this.rule = ResampleFns.Rule.parse(rule);
    Divisions d = frame.divisions().orElse(null);
    if (d == null || frame.schema().type(d.column()) != DType.DATETIME) {
      List<String> candidates = new ArrayList<>();
      for (int i = 0; i < frame.schema().size(); i++) {
        if (frame.schema().types().get(i) == DType.DATETIME) {
          candidates.add(frame.schema().names().get(i));
        }
      }
      String what = d == null ? "the frame has no known divisions"
          : "its index column '" + d.column() + "' is " + frame.schema().type(d.column()) + ", not DATETIME";
      throw new IllegalArgumentException("resample('" + rule + "') needs a DATETIME index with known divisions, but "
          + what + "; call setIndex(column) first"
          + (candidates.isEmpty() ? " (the frame has no DATETIME column)" : " on one of its DATETIME columns " + candidates));
    }
    this.frame = frame;
    this.column = d.column();
    this.bounds = d.bounds();
  }

  /** The index column the bins are taken over. */
  public String column() {
    return column;
  }

  /** The sum per bin (0 for an empty bin). */
  public DFrame sum(String column) {
    return agg(Agg.sum(column).as(column));
  }

  /** The mean per bin (missing for an empty bin). */
  public DFrame mean(String column) {
    return agg(Agg.mean(column).as(column));
  }

  /** The smallest value per bin (numeric or DATETIME; missing for an empty bin). */
  public DFrame min(String column) {
    return agg(Agg.min(column).as(column));
  }

  /** The largest value per bin (numeric or DATETIME; missing for an empty bin). */
  public DFrame max(String column) {
    return agg(Agg.max(column).as(column));
  }

  /** The number of non-missing values per bin. */
  public DFrame count(String column) {
    return agg(Agg.count(column).as(column));
  }

  /** The first non-missing value per bin, in row order. */
  public DFrame first(String column) {
    return agg(Agg.first(column).as(column));
  }

  /** The last non-missing value per bin, in row order. */
  public DFrame last(String column) {
    return agg(Agg.last(column).as(column));
  }

  /** The number of rows per bin (column {@code size}). */
  public DFrame size() {
    return agg(Agg.size());
  }

  /**
   * Several aggregations per bin (the specs of {@link GroupBy#agg}; {@code nunique} is not
   * supported here): columns {@code column()} (the bin start), then one per aggregation.
   *
   * <pre>{@code
   * df.setIndex("t").resample("2h").agg(Agg.sum("x"), Agg.max("x"), Agg.size());
   * }</pre>
   */
  public DFrame agg(Agg... aggs) {
    if (aggs.length == 0) {
      throw new IllegalArgumentException("resample.agg needs at least one aggregation");
    }
    Set<String> used = new LinkedHashSet<>(List.of(column));
    List<Boolean> zero = new ArrayList<>();
    for (Agg a : aggs) {
      if (a.kind() == Agg.Kind.NUNIQUE) {
        throw new IllegalArgumentException("resample does not support nunique (" + a.name() + ")");
      }
      if (a.column().equals(column)) {
        throw new IllegalArgumentException("cannot aggregate the index column '" + column + "' of a resample");
      }
      if (!a.column().isEmpty()) {
        frame.schema().indexOf(a.column()); // fails naming the columns
        used.add(a.column());
      }
      zero.add(a.kind() == Agg.Kind.SUM || a.kind() == Agg.Kind.COUNT || a.kind() == Agg.Kind.SIZE);
    }
    DFrame in = used.size() == frame.schema().size() ? frame : frame.select(used.toArray(new String[0]));
    Schema schema = in.schema();
    Aggregation spec = new Aggregation(List.of(column), List.of(aggs), schema);
    Schema out = spec.outputSchema(); // validates the aggregations against the column types
    int n = in.npartitions();
    long origin = rule.origin(DateTimes.millis((LocalDateTime) bounds.get(0)));
    long[] b = new long[n + 1];
    for (int j = 0; j <= n; j++) {
      b[j] = rule.bin(origin, DateTimes.millis((LocalDateTime) bounds.get(j)));
    }
    TreeSet<Long> distinct = new TreeSet<>();
    for (long x : b) {
      distinct.add(x);
    }
    long[] u = distinct.stream().mapToLong(Long::longValue).toArray();
    int m = Math.max(1, u.length - 1);

    String parent = in.name();
    String token = Tokenize.token(parent, "resample", rule, List.of(aggs));
    String pn = "resample-partial-" + token;
    String sn = "resample-span-" + token;
    String on = "resample-" + token;
    Map<Key, Task> partials = new LinkedHashMap<>();
    List<Key> pkeys = new ArrayList<>();
    ResampleFns.Partial pf = new ResampleFns.Partial(column, rule, origin, spec);
    for (int j = 0; j < n; j++) {
      Key k = Key.of(pn, j);
      partials.put(k, Task.of(pf, Key.of(parent, j)));
      pkeys.add(k);
    }
    Map<Key, Task> span = Map.of(Key.of(sn, 0), Task.of(new ResampleFns.Span(column), pkeys.toArray()));
    Map<Key, Task> outs = new LinkedHashMap<>();
    List<Object> div = new ArrayList<>();
    for (int k = 0; k < m; k++) {
      long lo = u[k];
      long hi = u.length == 1 ? u[0] : u[k + 1];
      boolean last = k == m - 1;
      List<Object> args = new ArrayList<>();
      args.add(Key.of(sn, 0));
      for (int j = 0; j < n; j++) {
        if (b[j] < hi || (last && b[j] == hi)) {
          if (b[j + 1] >= lo) {
            args.add(Key.of(pn, j));
          }
        }
      }
      outs.put(Key.of(on, k), Task.of(new ResampleFns.Output(column, rule, lo, hi, last, spec, zero), args.toArray()));
      div.add(DateTimes.of(lo));
    }
    div.add(DateTimes.of(u[u.length - 1]));
    Graph g = in.graph()
        .with(Layer.of(pn, Set.of(parent), partials))
        .with(Layer.of(sn, Set.of(pn), span))
        .with(Layer.of(on, Set.of(pn, sn), outs));
    return DFrame.fromGraph(g, on, m, out, new Divisions(column, div));
  }
}
