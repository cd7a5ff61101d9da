package io.jask.io;

import java.io.Serializable;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType;

/**
 * A simple comparison {@code column op value} used to skip Parquet row groups whose statistics
 * show that no row can satisfy it. Missing values never satisfy a comparison except {@code NE}
 * (as in Jask's expressions), so a row group is skipped only when that is certain.
 *
 * <pre>{@code
 * ParquetFilter f = ParquetFilter.of("x", ParquetFilter.Op.GT, 0.5);
 * Table t = ParquetFiles.read(Path.of("a.parquet"), List.of("id", "x"), List.of(f)).table();
 * }</pre>
 *
 * @param column the column compared
 * @param op the comparison
 * @param value an Integer, Long, Double, Float, String or Boolean
 */
public record ParquetFilter(String column, Op op, Object value) implements Serializable {
  /** The comparisons. */
  public enum Op {
    /** equal */
    EQ,
    /** not equal */
    NE,
    /** less than */
    LT,
    /** less or equal */
    LE,
    /** greater than */
    GT,
    /** greater or equal */
    GE;

    /** The comparison with its operands swapped ({@code 3 < x} is {@code x > 3}). */
    public Op flip() {
      return switch (this) {
        case LT -> GT;
        case LE -> GE;
        case GT -> LT;
        case GE -> LE;
        default -> this;
      };
    }
  }

  /** Validates the literal. */
  public ParquetFilter {
    if (!(value instanceof Number || value instanceof String || value instanceof Boolean)) {
      throw new IllegalArgumentException("a Parquet filter value must be a number, String or Boolean, not " + value);
    }
  }

  /** The filter {@code column op value}. */
  public static ParquetFilter of(String column, Op op, Object value) {
    return new ParquetFilter(column, op, value);
  }

  /**
   * Whether a row group with these statistics (of {@code rows} rows) may hold a row that
   * satisfies the comparison; true when the statistics say nothing.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public boolean mayMatch(Statistics<?> stats, long rows, PrimitiveType type) {
    if (stats == null || stats.isEmpty()) {
      return true;
    }
    long nulls = stats.isNumNullsSet() ? stats.getNumNulls() : -1;
    if (!stats.hasNonNullValue()) {
      // only missing values (when the count of nulls says so): only NE can be true
      return op == Op.NE || nulls != rows;
    }
    int cmpMin;
    int cmpMax;
    Object min = stats.genericGetMin();
    Object max = stats.genericGetMax();
    if (min instanceof Binary bmin && max instanceof Binary bmax) {
      if (!(value instanceof String s)) {
        return true;
      }
      Binary v = Binary.fromString(s);
      cmpMin = ((org.apache.parquet.schema.PrimitiveComparator) stats.comparator()).compare(bmin, v);
      cmpMax = ((org.apache.parquet.schema.PrimitiveComparator) stats.comparator()).compare(bmax, v);
    } else if (min instanceof Number nmin && max instanceof Number nmax && value instanceof Number n) {
      if (min instanceof Double || min instanceof Float || value instanceof Double || value instanceof Float) {
        double lo = nmin.doubleValue();
        double hi = nmax.doubleValue();
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
          return true;
        }
        cmpMin = Double.compare(lo, n.doubleValue());
        cmpMax = Double.compare(hi, n.doubleValue());
      } else {
        cmpMin = Long.compare(nmin.longValue(), n.longValue());
        cmpMax = Long.compare(nmax.longValue(), n.longValue());
      }
    } else if (min instanceof Boolean bmin && max instanceof Boolean bmax && value instanceof Boolean b) {
      cmpMin = Boolean.compare(bmin, b);
      cmpMax = Boolean.compare(bmax, b);
    } else {
      return true;
    }
    return switch (op) {
      case EQ -> cmpMin <= 0 && cmpMax >= 0;
      case NE -> nulls != 0 || !(cmpMin == 0 && cmpMax == 0);
      case LT -> cmpMin < 0;
      case LE -> cmpMin <= 0;
      case GT -> cmpMax > 0;
      case GE -> cmpMax >= 0;
    };
  }

  @Override
  public String toString() {
    String sym = switch (op) {
      case EQ -> "==";
      case NE -> "!=";
      case LT -> "<";
      case LE -> "<=";
      case GT -> ">";
      case GE -> ">=";
    };
    return column + " " + sym + " " + (value instanceof String ? "'" + value + "'" : value);
  }
}
