package io.jask.io.internal;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import io.jask.io.DType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.columns.Column;

/**
 * Collects one column's values, parsed straight from the bytes, into a primitive array that
 * becomes a Tablesaw column at the end. {@link #add} throws {@link IllegalArgumentException}
 * with the reason when the bytes are not a value of the column's type.
 */
public abstract class ColumnBuilder {
  protected int size;

  /** A builder for a column of this type. */
  public static ColumnBuilder of(DType type) {
    return switch (type) {
      case INT -> new Ints();
      case LONG -> new Longs();
      case DOUBLE -> new Doubles();
      case BOOLEAN -> new Booleans();
      case STRING -> new Strings();
      case DATETIME -> new DateTimeBuilder();
    };
  }

  /** Appends the value in bytes {@code [s, e)}. */
  public abstract void add(byte[] b, int s, int e, boolean escaped);

  /** Appends a missing value. */
  public abstract void addMissing();

  /** The column built so far. */
  public abstract Column<?> build(String name);

  static long parseLong(byte[] b, int s, int e, long min, long max, String type) {
    int i = s;
    boolean neg = false;
    if (i < e && (b[i] == '-' || b[i] == '+')) {
      neg = b[i] == '-';
      i++;
    }
    if (i >= e) {
      throw bad(b, s, e, type);
    }
    long v = 0;
    for (; i < e; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) {
        throw bad(b, s, e, type);
      }
      if (v < (Long.MIN_VALUE + d) / 10) {
        throw new IllegalArgumentException("'" + text(b, s, e) + "' is out of the " + type + " range");
      }
      v = v * 10 - d; // accumulate negatively so Long.MIN_VALUE fits
    }
    if (!neg) {
      if (v == Long.MIN_VALUE) {
        throw new IllegalArgumentException("'" + text(b, s, e) + "' is out of the " + type + " range");
      }
      v = -v;
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException("'" + text(b, s, e) + "' is out of the " + type + " range");
    }
    return v;
  }

  static IllegalArgumentException bad(byte[] b, int s, int e, String type) {
    return new IllegalArgumentException("cannot parse '" + text(b, s, e) + "' as " + type);
  }

  static String text(byte[] b, int s, int e) {
    return new String(b, s, Math.min(e - s, 80), StandardCharsets.UTF_8);
  }

  static final class Ints extends ColumnBuilder {
    private int[] v = new int[1024];

    private void append(int x) {
      if (size == v.length) {
        v = Arrays.copyOf(v, size * 2);
      }
      v[size++] = x;
    }

    @Override
    public void add(byte[] b, int s, int e, boolean escaped) {
      int x = (int) parseLong(b, s, e, Integer.MIN_VALUE + 1, Integer.MAX_VALUE, "INT");
      append(x);
    }

    @Override
    public void addMissing() {
      append(Integer.MIN_VALUE);
    }

    @Override
    public Column<?> build(String name) {
      return IntColumn.create(name, Arrays.copyOf(v, size));
    }
  }

  static final class Longs extends ColumnBuilder {
    private long[] v = new long[1024];

    private void append(long x) {
      if (size == v.length) {
        v = Arrays.copyOf(v, size * 2);
      }
      v[size++] = x;
    }

    @Override
    public void add(byte[] b, int s, int e, boolean escaped) {
      long x = parseLong(b, s, e, Long.MIN_VALUE + 1, Long.MAX_VALUE, "LONG");
      append(x);
    }

    @Override
    public void addMissing() {
      append(Long.MIN_VALUE);
    }

    @Override
    public Column<?> build(String name) {
      return LongColumn.create(name, Arrays.copyOf(v, size));
    }
  }

  static final class Doubles extends ColumnBuilder {
    private double[] v = new double[1024];

    private void append(double x) {
      if (size == v.length) {
        v = Arrays.copyOf(v, size * 2);
      }
      v[size++] = x;
    }

    @Override
    public void add(byte[] b, int s, int e, boolean escaped) {
      double x;
      try {
        x = JavaDoubleParser.parseDouble(b, s, e - s);
      } catch (NumberFormatException ex) {
        throw bad(b, s, e, "DOUBLE");
      }
      append(x);
    }

    @Override
    public void addMissing() {
      append(Double.NaN);
    }

    @Override
    public Column<?> build(String name) {
      return DoubleColumn.create(name, Arrays.copyOf(v, size));
    }
  }

  static final class Booleans extends ColumnBuilder {
    private byte[] v = new byte[1024];

    private void append(byte x) {
      if (size == v.length) {
        v = Arrays.copyOf(v, size * 2);
      }
      v[size++] = x;
    }

    /** 1 for true, 0 for false, -1 if not a boolean. */
    static int parse(byte[] b, int s, int e) {
      int n = e - s;
      if (n == 4 && (b[s] | 32) == 't' && (b[s + 1] | 32) == 'r' && (b[s + 2] | 32) == 'u' && (b[s + 3] | 32) == 'e') {
        return 1;
      }
      if (n == 5 && (b[s] | 32) == 'f' && (b[s + 1] | 32) == 'a' && (b[s + 2] | 32) == 'l' && (b[s + 3] | 32) == 's' && (b[s + 4] | 32) == 'e') {
        return 0;
      }
      return -1;
    }

    @Override
    public void add(byte[] b, int s, int e, boolean escaped) {
      int x = parse(b, s, e);
      if (x < 0) {
        throw bad(b, s, e, "BOOLEAN");
      }
      append((byte) x);
    }

    @Override
    public void addMissing() {
      append((byte) -1);
    }

    @Override
    public Column<?> build(String name) {
      BooleanColumn c = BooleanColumn.create(name, size);
      for (int i = 0; i < size; i++) {
        if (v[i] < 0) {
          c.setMissing(i);
        } else {
          c.set(i, v[i] == 1);
        }
      }
      return c;
    }
  }

  static final class DateTimeBuilder extends ColumnBuilder {
    private long[] v = new long[1024];

    private void append(long x) {
      if (size == v.length) {
        v = Arrays.copyOf(v, size * 2);
      }
      v[size++] = x;
    }

    @Override
    public void add(byte[] b, int s, int e, boolean escaped) {
      append(io.jask.io.DateTimes.parse(b, s, e));
    }

    @Override
    public void addMissing() {
      append(io.jask.io.DateTimes.MISSING);
    }

    @Override
    public Column<?> build(String name) {
      return io.jask.io.DateTimes.column(name, Arrays.copyOf(v, size));
    }
  }

  static final class Strings extends ColumnBuilder {
    private final StringDict dict = new StringDict();
    private String[] v = new String[1024];

    private void append(String x) {
      if (size == v.length) {
        v = Arrays.copyOf(v, size * 2);
      }
      v[size++] = x;
    }

    @Override
    public void add(byte[] b, int s, int e, boolean escaped) {
      String x = escaped ? new String(b, s, e - s, StandardCharsets.UTF_8).replace("\"\"", "\"") : dict.intern(b, s, e);
      append(x);
    }

    @Override
    public void addMissing() {
      append("");
    }

    @Override
    public Column<?> build(String name) {
      return StringColumn.create(name, Arrays.copyOf(v, size));
    }
  }
}
