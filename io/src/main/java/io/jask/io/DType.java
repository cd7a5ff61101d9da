package io.jask.io;

import java.util.Locale;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.columns.Column;

/**
 * The column types Jask reads, computes and ships: each maps to one Tablesaw column class.
 *
 * <pre>{@code
 * DType t = DType.of(table.column("x"));   // DOUBLE for a DoubleColumn
 * t.tablesaw();                             // ColumnType.DOUBLE
 * }</pre>
 */
public enum DType {
  /** 32-bit integers ({@code IntColumn}; missing is {@code Integer.MIN_VALUE}). */
  INT(ColumnType.INTEGER),
  /** 64-bit integers ({@code LongColumn}; missing is {@code Long.MIN_VALUE}). */
  LONG(ColumnType.LONG),
  /** Doubles ({@code DoubleColumn}; missing is NaN). */
  DOUBLE(ColumnType.DOUBLE),
  /** Strings ({@code StringColumn}, dictionary-encoded; missing is the empty string). */
  STRING(ColumnType.STRING),
  /** Booleans ({@code BooleanColumn}). */
  BOOLEAN(ColumnType.BOOLEAN),
  /**
   * Date-times without zone, millisecond precision ({@code DateTimeColumn}; missing is {@code
   * Long.MIN_VALUE} packed; computed as epoch milliseconds, see {@link DateTimes}).
   */
  DATETIME(ColumnType.LOCAL_DATE_TIME);

  private final ColumnType tablesaw;

  DType(ColumnType tablesaw) {
    this.tablesaw = tablesaw;
  }

  /** The Tablesaw column type. */
  public ColumnType tablesaw() {
    return tablesaw;
  }

  /** Whether the type is INT, LONG or DOUBLE. */
  public boolean isNumeric() {
    return this == INT || this == LONG || this == DOUBLE;
  }

  /** The type of a Tablesaw column; fails for column types Jask does not support. */
  public static DType of(Column<?> column) {
    ColumnType t = column.type();
    for (DType d : values()) {
      if (d.tablesaw.equals(t)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "column '" + column.name() + "' has type " + t.name().toUpperCase(Locale.ROOT)
            + "; supported types are " + java.util.Arrays.toString(values()));
  }
}
