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
 * DOUBLE for doubles; {@code mean} DOUBLE; {@code min}/{@code max} the column's type; {@code count}
 * and {@code size} LONG.
 *
 * @param kind what to compute
 * @param column the input column (empty for {@code size})
 * @param name the output column's name
 */
public record Agg(Kind kind, String column, String name) implements Serializable {

  /** The aggregations. */
  public enum Kind {
    SUM, MEAN, COUNT, MIN, MAX, SIZE
  }

  /** Sum of the non-missing values. */
  public static Agg sum(String column) {
    return new Agg(Kind.SUM, column, column + "_sum");
  }

  /** Mean of the non-missing values. */
  public static Agg mean(String column) {
    return new Agg(Kind.MEAN, column, column + "_mean");
  }

  /** Number of non-missing values. */
  public static Agg count(String column) {
    return new Agg(Kind.COUNT, column, column + "_count");
  }

  /** Smallest non-missing value. */
  public static Agg min(String column) {
    return new Agg(Kind.MIN, column, column + "_min");
  }

  /** Largest non-missing value. */
  public static Agg max(String column) {
    return new Agg(Kind.MAX, column, column + "_max");
  }

  /** Number of rows in the group. */
  public static Agg size() {
    return new Agg(Kind.SIZE, "", "size");
  }

  /** The same aggregation with another output name. */
  public Agg as(String name) {
    return new Agg(kind, column, name);
  }

  /** The output type over a frame of {@code schema}; fails for a non-numeric sum/mean/min/max. */
  public DType type(Schema schema) {
    if (kind == Kind.SIZE) {
      return DType.LONG;
    }
    DType t = schema.type(column);
    if (kind == Kind.COUNT) {
      return DType.LONG;
    }
    if (!t.isNumeric()) {
      throw new IllegalArgumentException(kind.name().toLowerCase(java.util.Locale.ROOT) + " needs a numeric column; '"
          + column + "' is " + t);
    }
    return switch (kind) {
      case SUM -> t == DType.DOUBLE ? DType.DOUBLE : DType.LONG;
      case MEAN -> DType.DOUBLE;
      default -> t;
    };
  }
}
