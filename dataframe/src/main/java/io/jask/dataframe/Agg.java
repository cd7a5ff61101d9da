package io.jask.dataframe;

import io.jask.io.DType;
import io.jask.io.Schema;
import java.io.Serializable;

/**
 * One aggregation of a {@link GroupBy} (or of a whole frame). Missing values are skipped as in
 * pandas: {@code sum} of nothing is 0, {@code mean}, {@code min} and {@code max} of nothing are
 * missing, {@code count} counts non-missing values, {@code size} counts rows.
 *
 * <pre>{@code
 * df.groupBy("k").agg(Agg.sum("x"), Agg.mean("x").as("avg"), Agg.count("y"), Agg.size());
 * }</pre>
 *
 * <p>Output columns are named {@code <column>_<kind>} ({@code x_sum}, {@code y_count}) and {@code
 * size}, unless renamed with {@link #as}. Output types: {@code sum} LONG for integer columns and
 * DOUBLE for doubles; {@code mean}, {@code std}, {@code var} DOUBLE; {@code first}/{@code last} the column's type; {@code min}/{@code max} the column's type; {@code count}
 * and {@code size} LONG.
 *
 * @param kind what to compute
 * @param column the input column (empty for {@code size})
 * @param name the output column's name
 */
public record Agg(Kind kind, String column, String name) implements Serializable {

  /** The aggregations. */
  public enum Kind {
    SUM, MEAN, COUNT, MIN, MAX, SIZE, STD, VAR, FIRST, LAST, NUNIQUE
  }

  /**
   * Sum of the non-missing values.
   *
   * <pre>{@code
   * df.groupBy("k").agg(Agg.sum("x"));   // column x_sum
   * }</pre>
   */
  public static Agg sum(String column) {
    return new Agg(Kind.SUM, column, column + "_sum");
  }

  /**
   * Mean of the non-missing values.
   *
   * <pre>{@code
   * df.groupBy("k").agg(Agg.mean("x"));   // column x_mean
   * }</pre>
   */
  public static Agg mean(String column) {
    return new Agg(Kind.MEAN, column, column + "_mean");
  }

  /**
   * Number of non-missing values.
   *
   * <pre>{@code
   * df.groupBy("k").agg(Agg.count("x"));   // column x_count
   * }</pre>
   */
  public static Agg count(String column) {
    return new Agg(Kind.COUNT, column, column + "_count");
  }

  /**
   * Smallest non-missing value.
   *
   * <pre>{@code
   * df.groupBy("k").agg(Agg.min("x"));   // column x_min
   * }</pre>
   */
  public static Agg min(String column) {
    return new Agg(Kind.MIN, column, column + "_min");
  }

  /**
   * Largest non-missing value.
   *
   * <pre>{@code
   * df.groupBy("k").agg(Agg.max("x"));   // column x_max
   * }</pre>
   */
  public static Agg max(String column) {
    return new Agg(Kind.MAX, column, column + "_max");
  }

  /**
   * Sample standard deviation (ddof=1, as pandas) of the non-missing values; missing for fewer
   * than two values. Combined exactly from per-partition (count, mean, M2).
   *
   * <pre>{@code
   * df.groupBy("k").agg(Agg.std("x"));   // column x_std
   * }</pre>
   */
  public static Agg std(String column) {
    return new Agg(Kind.STD, column, column + "_std");
  }

  /**
   * Sample variance (ddof=1, as pandas) of the non-missing values; missing for fewer than two.
   *
   * <pre>{@code
   * df.groupBy("k").agg(Agg.var("x"));   // column x_var
   * }</pre>
   */
  public static Agg var(String column) {
    return new Agg(Kind.VAR, column, column + "_var");
  }

  /**
   * The first non-missing value in frame order (as pandas' {@code first}); any column type.
   *
   * <pre>{@code
   * df.groupBy("k").agg(Agg.first("name"));   // column name_first
   * }</pre>
   */
  public static Agg first(String column) {
    return new Agg(Kind.FIRST, column, column + "_first");
  }

  /**
   * The last non-missing value in frame order (as pandas' {@code last}); any column type.
   *
   * <pre>{@code
   * df.groupBy("k").agg(Agg.last("name"));   // column name_last
   * }</pre>
   */
  public static Agg last(String column) {
    return new Agg(Kind.LAST, column, column + "_last");
  }

  /**
   * Number of distinct non-missing values (pandas' {@code nunique}); any column type, LONG.
   * Computed from the distinct (keys, value) pairs of each partition, merged in a tree.
   *
   * <pre>{@code
   * df.groupBy("k").agg(Agg.nunique("user"));   // column user_nunique
   * }</pre>
   */
  public static Agg nunique(String column) {
    return new Agg(Kind.NUNIQUE, column, column + "_nunique");
  }

  /**
   * Number of rows in the group.
   *
   * <pre>{@code
   * df.groupBy("k").agg(Agg.size());   // column size
   * }</pre>
   */
  public static Agg size() {
    return new Agg(Kind.SIZE, "", "size");
  }

  /**
   * The same aggregation with another output name.
   *
   * <pre>{@code
   * Agg.mean("x").as("avg_x")
   * }</pre>
   */
  public Agg as(String name) {
    return new Agg(kind, column, name);
  }

  /** The output type over a frame of {@code schema}; fails for a non-numeric sum/mean/min/max. */
  public DType type(Schema schema) {
    if (kind == Kind.SIZE) {
      return DType.LONG;
    }
    DType t = schema.type(column);
    if (kind == Kind.COUNT || kind == Kind.NUNIQUE) {
      return DType.LONG;
    }
    if (kind == Kind.FIRST || kind == Kind.LAST) {
      return t;
    }
    if (t == DType.DATETIME && (kind == Kind.MIN || kind == Kind.MAX)) {
      return t;
    }
    if (!t.isNumeric()) {
      throw new IllegalArgumentException(kind.name().toLowerCase(java.util.Locale.ROOT) + " needs a numeric column; '"
          + column + "' is " + t);
    }
    return switch (kind) {
      case SUM -> t == DType.DOUBLE ? DType.DOUBLE : DType.LONG;
      case MEAN, STD, VAR -> DType.DOUBLE;
      default -> t;
    };
  }
}
