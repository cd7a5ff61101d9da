package io.jask.io.internal;

import io.jask.io.CsvOptions;
import io.jask.io.DType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Infers column types from sample lines: a column is BOOLEAN if every non-null field is {@code
 * true}/{@code false}, LONG if every one is an integer, DOUBLE if every one is a number, DATETIME
 * if every one is an ISO-8601 date or date-time ({@link io.jask.io.DateTimes#parse}), else STRING
 * (also when it has no non-null field).
 */
public final class TypeSniffer implements FieldSink {
  private static final int BOOL = 1, LONG = 2, DOUBLE = 4, DATETIME = 8;
  private final List<Integer> possible = new ArrayList<>();
  private final List<Boolean> seen = new ArrayList<>();
  private final byte[][] nulls;

  /** A sniffer that ignores the options' null values. */
  public TypeSniffer(CsvOptions options) {
    nulls = options.nullValues().stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
  }

  @Override
  public void field(int column, byte[] b, int s, int e, boolean escaped) {
    while (possible.size() <= column) {
      possible.add(BOOL | LONG | DOUBLE | DATETIME);
      seen.add(false);
    }
    if (s == e || isNull(b, s, e)) {
      return;
    }
    seen.set(column, true);
    int p = possible.get(column);
    if ((p & BOOL) != 0 && ColumnBuilder.Booleans.parse(b, s, e) < 0) {
      p &= ~BOOL;
    }
    if ((p & LONG) != 0) {
      try {
        ColumnBuilder.parseLong(b, s, e, Long.MIN_VALUE + 1, Long.MAX_VALUE, "LONG");
      } catch (IllegalArgumentException x) {
        p &= ~LONG;
      }
    }
    if ((p & DOUBLE) != 0) {
      try {
        ch.randelshofer.fastdoubleparser.JavaDoubleParser.parseDouble(b, s, e - s);
      } catch (NumberFormatException x) {
        p &= ~DOUBLE;
      }
    }
    if ((p & DATETIME) != 0 && !io.jask.io.DateTimes.isDateTime(b, s, e)) {
      p &= ~DATETIME;
    }
    possible.set(column, p);
  }

  private boolean isNull(byte[] b, int s, int e) {
    for (byte[] n : nulls) {
      if (Arrays.equals(n, 0, n.length, b, s, e)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void endLine(int fields) {}

  /** The number of columns seen. */
  public int columns() {
    return possible.size();
  }

  /** The inferred type of column {@code i}. */
  public DType type(int i) {
    if (i >= possible.size() || !seen.get(i)) {
      return DType.STRING;
    }
    int p = possible.get(i);
    if ((p & BOOL) != 0) {
      return DType.BOOLEAN;
    }
    if ((p & LONG) != 0) {
      return DType.LONG;
    }
    if ((p & DOUBLE) != 0) {
      return DType.DOUBLE;
    }
    return (p & DATETIME) != 0 ? DType.DATETIME : DType.STRING;
  }
}
