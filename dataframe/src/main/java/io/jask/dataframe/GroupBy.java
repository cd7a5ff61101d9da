package io.jask.dataframe;

import java.util.List;

/**
 * A frame grouped by key columns, like pandas' {@code df.groupby(keys)}. Aggregating it gives a
 * one-partition {@link DFrame} with one row per group (rows whose key is missing are dropped),
 * sorted by key, computed as a tree reduction: partial aggregates per partition, combined eight at
 * a time, then finished.
 *
 * <pre>{@code
 * DFrame means = df.groupBy("k").mean("x");                       // columns k, x
 * DFrame stats = df.groupBy("k", "flag").agg(Agg.sum("x"), Agg.count("y"), Agg.size());
 * Table t = stats.compute();
 * }</pre>
 */
public final class GroupBy {
  private final DFrame frame;
  private final List<String> keys;

  GroupBy(DFrame frame, List<String> keys) {
    for (String k : keys) {
      frame.schema().type(k); // fails naming the columns when unknown
    }
    this.frame = frame;
    this.keys = List.copyOf(keys);
  }

  /** The key columns. */
  public List<String> keys() {
    return keys;
  }

  /**
   * The given aggregations per group.
   *
   * <pre>{@code
   * df.groupBy("k").agg(Agg.sum("x"), Agg.size());
   * }</pre>
   */
  public DFrame agg(Agg... aggs) {
    if (aggs.length == 0) {
      throw new IllegalArgumentException("agg needs at least one aggregation");
    }
    return frame.aggregate(keys, List.of(aggs));
  }

  /**
   * Per group, the mean of {@code column}, in a column of the same name.
   *
   * <pre>{@code
   * df.groupBy("k").mean("x");
   * }</pre>
   */
  public DFrame mean(String column) {
    return agg(Agg.mean(column).as(column));
  }

  /**
   * Per group, the sum of {@code column}, in a column of the same name.
   *
   * <pre>{@code
   * df.groupBy("k").sum("x");
   * }</pre>
   */
  public DFrame sum(String column) {
    return agg(Agg.sum(column).as(column));
  }

  /**
   * Per group, the count of non-missing values of {@code column}, in a column of the same name.
   *
   * <pre>{@code
   * df.groupBy("k").count("x");
   * }</pre>
   */
  public DFrame count(String column) {
    return agg(Agg.count(column).as(column));
  }

  /**
   * Per group, the smallest value of {@code column}, in a column of the same name.
   *
   * <pre>{@code
   * df.groupBy("k").min("x");
   * }</pre>
   */
  public DFrame min(String column) {
    return agg(Agg.min(column).as(column));
  }

  /**
   * Per group, the largest value of {@code column}, in a column of the same name.
   *
   * <pre>{@code
   * df.groupBy("k").max("x");
   * }</pre>
   */
  public DFrame max(String column) {
    return agg(Agg.max(column).as(column));
  }

  /**
   * Per group, the number of rows, in a column {@code size}.
   *
   * <pre>{@code
   * df.groupBy("k").size();   // columns k, size
   * }</pre>
   */
  public DFrame size() {
    return agg(Agg.size());
  }

  /**
   * Per group, the sample standard deviation (ddof=1) of {@code column}, in a column of the same name.
   *
   * <pre>{@code
   * Table t = df.groupBy("k").std("x").compute();
   * }</pre>
   */
  public DFrame std(String column) {
    return agg(Agg.std(column).as(column));
  }

  /**
   * Per group, the sample variance (ddof=1) of {@code column}, in a column of the same name.
   *
   * <pre>{@code
   * Table t = df.groupBy("k").var("x").compute();
   * }</pre>
   */
  public DFrame var(String column) {
    return agg(Agg.var(column).as(column));
  }

  /**
   * Per group, the number of distinct non-missing values of {@code column}, in a column of the same name.
   *
   * <pre>{@code
   * Table t = df.groupBy("k").nunique("user").compute();
   * }</pre>
   */
  public DFrame nunique(String column) {
    return agg(Agg.nunique(column).as(column));
  }

  /**
   * The aggregations with the result in {@code splitOut} partitions by a hash of the keys, for
   * many groups (Dask's {@code split_out}): partial aggregates per partition, one hash shuffle,
   * then each output partition combines its groups (sorted by key within the partition). {@code
   * splitOut = 1} is a shuffle into one partition; nunique is not supported here.
   *
   * <pre>{@code
   * DFrame perUser = df.groupBy("user").agg(16, Agg.sum("x"), Agg.count("y"));
   * }</pre>
   */
  public DFrame agg(int splitOut, Agg... aggs) {
    if (aggs.length == 0) {
      throw new IllegalArgumentException("agg needs at least one aggregation");
    }
    if (splitOut < 1) {
      throw new IllegalArgumentException("splitOut must be at least 1, got " + splitOut);
    }
    return io.jask.dataframe.shuffle.ShuffleOps.groupAgg(frame, keys, List.of(aggs), splitOut);
  }
}
