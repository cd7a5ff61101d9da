package io.jask.io.internal;

import io.jask.io.DType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tech.tablesaw.api.BooleanColumn;
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
    return of(type, 1024);
  }

  /**
   * A builder for a column of this type with room for {@code expectedRows} values (it grows past
   * them; a good guess saves copying the arrays while they grow).
   */
  public static ColumnBuilder of(DType type, int expectedRows) {
    int n = Math.max(16, expectedRows);
    return switch (type) {
      case INT -> new Ints(n);
      case LONG -> new Longs(n);
      case DOUBLE -> new Doubles(n);
      case BOOLEAN -> new Booleans(n);
      case STRING -> new Strings(n);
      case DATETIME -> new DateTimeBuilder(n);
    };
  }

  /**
   * The array, or a copy of its first {@code size} values when more than a quarter of it would be
   * unused: the array becomes the column's storage, and a persisted frame keeps it.
   */
  static <A> A trimmed(A array, int size) {
    int length = java.lang.reflect.Array.getLength(array);
    if (length - size <= (size >> 2) + 1024) {
      return array;
    }
    @SuppressWarnings("unchecked")
    A copy = (A) java.lang.reflect.Array.newInstance(array.getClass().getComponentType(), size);
    System.arraycopy(array, 0, copy, 0, size);
    return copy;
  }

  /** The capacity after {@code n} when full: 1.5 times as large. */
  static int grown(int n) {
    int m = n + (n >> 1) + 16;
    if (m < 0 || m > Integer.MAX_VALUE - 16) {
      if (n >= Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("a column cannot hold more than " + n + " values; use a smaller blocksize");
      }
      return Integer.MAX_VALUE - 16;
    }
    return m;
  }

  /**
   * {@code builder.add(b, s, e, escaped)}, with the common builders called directly: a CSV sink
   * feeds several builder classes from one call site, where a virtual call would not be inlined.
   * Other builders (new column types) take the virtual call.
   */
  public static void addTo(ColumnBuilder builder, byte[] b, int s, int e, boolean escaped) {
    if (builder instanceof Doubles d) {
      d.add(b, s, e, escaped);
    } else if (builder instanceof Longs l) {
      l.add(b, s, e, escaped);
    } else if (builder instanceof Strings t) {
      t.add(b, s, e, escaped);
    } else if (builder instanceof Ints i) {
      i.add(b, s, e, escaped);
    } else {
      builder.add(b, s, e, escaped);
    }
  }

  /** Appends the value in bytes {@code [s, e)}. */
  public abstract void add(byte[] b, int s, int e, boolean escaped);

  /**
   * Parses a field in place: when the bytes from {@code b[p]} are a plain value of this column's
   * type (a number without quotes) that ends at {@code delim}, {@code \n} or {@code to}, appends it
   * and returns that end; otherwise appends nothing and returns -1, and the caller finds the
   * field's end and calls {@link #add} (which also handles nulls, CRLF and errors). Numeric
   * builders override this; a field is then scanned once instead of twice.
   */
  public int addInPlace(byte[] b, int p, int to, byte delim) {
    return -1;
  }

  /** {@code builder.addInPlace(…)}, with the numeric builders called directly (see {@link #addTo}). */
  public static int addInPlaceTo(ColumnBuilder builder, byte[] b, int p, int to, byte delim) {
    if (builder instanceof Doubles d) {
      return d.addInPlace(b, p, to, delim);
    } else if (builder instanceof Longs l) {
      return l.addInPlace(b, p, to, delim);
    } else if (builder instanceof Ints i) {
      return i.addInPlace(b, p, to, delim);
    }
    return builder.addInPlace(b, p, to, delim);
  }

  /** Whether this builder parses fields in place (see {@link #addInPlace}). */
  public boolean parsesInPlace() {
    return false;
  }

  /** Whether a number ended at {@code q}: at the end of the bytes, a delimiter or a newline. */
  static boolean endsField(byte[] b, int q, int to, byte delim) {
    return q >= 0 && (q >= to || b[q] == delim || b[q] == '\n');
  }

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

  /** The double in bytes {@code [s, e)}, as {@link Double#parseDouble} reads it (see {@link DoubleParse}). */
  static double parseDouble(byte[] b, int s, int e) {
    return DoubleParse.parse(b, s, e);
  }

  static IllegalArgumentException bad(byte[] b, int s, int e, String type) {
    return new IllegalArgumentException("cannot parse '" + text(b, s, e) + "' as " + type);
  }

  static String text(byte[] b, int s, int e) {
    return new String(b, s, Math.min(e - s, 80), StandardCharsets.UTF_8);
  }

  static final class Ints extends ColumnBuilder {
    private int[] v;

    Ints(int n) {
      v = new int[n];
    }

    private void append(int x) {
      if (size == v.length) {
        v = Arrays.copyOf(v, grown(size));
      }
      v[size++] = x;
    }

    @Override
    public void add(byte[] b, int s, int e, boolean escaped) {
      int x = (int) parseLong(b, s, e, Integer.MIN_VALUE + 1, Integer.MAX_VALUE, "INT");
      append(x);
    }

    private final int[] end = new int[1];

    @Override
    public int addInPlace(byte[] b, int p, int to, byte delim) {
      long x = DoubleParse.prefixLong(b, p, to, end);
      int q = end[0];
      if (!endsField(b, q, to, delim) || x <= Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
        return -1;
      }
      append((int) x);
      return q;
    }

    @Override
    public boolean parsesInPlace() {
      return true;
    }

    @Override
    public void addMissing() {
      append(Integer.MIN_VALUE);
    }

    @Override
    public Column<?> build(String name) {
      return TablesawColumns.ints(name, trimmed(v, size), size);
    }
  }

  static final class Longs extends ColumnBuilder {
    private long[] v;

    Longs(int n) {
      v = new long[n];
    }

    private void append(long x) {
      if (size == v.length) {
        v = Arrays.copyOf(v, grown(size));
      }
      v[size++] = x;
    }

    @Override
    public void add(byte[] b, int s, int e, boolean escaped) {
      long x = parseLong(b, s, e, Long.MIN_VALUE + 1, Long.MAX_VALUE, "LONG");
      append(x);
    }

    private final int[] end = new int[1];

    @Override
    public int addInPlace(byte[] b, int p, int to, byte delim) {
      long x = DoubleParse.prefixLong(b, p, to, end);
      int q = end[0];
      if (!endsField(b, q, to, delim)) {
        return -1;
      }
      append(x);
      return q;
    }

    @Override
    public boolean parsesInPlace() {
      return true;
    }

    @Override
    public void addMissing() {
      append(Long.MIN_VALUE);
    }

    @Override
    public Column<?> build(String name) {
      return TablesawColumns.longs(name, trimmed(v, size), size);
    }
  }

  static final class Doubles extends ColumnBuilder {
    private double[] v;

    Doubles(int n) {
      v = new double[n];
    }

    private void append(double x) {
      if (size == v.length) {
        v = Arrays.copyOf(v, grown(size));
      }
      v[size++] = x;
    }

    private final int[] end = new int[1];

    @Override
    public void add(byte[] b, int s, int e, boolean escaped) {
      append(DoubleParse.parse(b, s, e, end));
    }

    @Override
    public int addInPlace(byte[] b, int p, int to, byte delim) {
      double x = DoubleParse.prefix(b, p, to, end);
      int q = end[0];
      if (!endsField(b, q, to, delim)) {
        return -1;
      }
      append(x);
      return q;
    }

    @Override
    public boolean parsesInPlace() {
      return true;
    }

    @Override
    public void addMissing() {
      append(Double.NaN);
    }

    @Override
    public Column<?> build(String name) {
      return TablesawColumns.doubles(name, trimmed(v, size), size);
    }
  }

  static final class Booleans extends ColumnBuilder {
    private byte[] v;

    Booleans(int n) {
      v = new byte[n];
    }

    private void append(byte x) {
      if (size == v.length) {
        v = Arrays.copyOf(v, grown(size));
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
    private long[] v;

    DateTimeBuilder(int n) {
      v = new long[n];
    }

    private void append(long x) {
      if (size == v.length) {
        v = Arrays.copyOf(v, grown(size));
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

  /**
   * Strings as codes into a dictionary of the distinct values, filled while parsing (one String per
   * distinct value, none per field); the column is assembled from the codes by {@link
   * TablesawColumns#strings}.
   */
  static final class Strings extends ColumnBuilder {
    private final StringDict dict = new StringDict();
    private int[] codes;
    private byte[] unescaped = new byte[64];

    Strings(int n) {
      codes = new int[n];
    }

    private void append(int code) {
      if (size == codes.length) {
        codes = Arrays.copyOf(codes, grown(size));
      }
      codes[size++] = code;
    }

    @Override
    public void add(byte[] b, int s, int e, boolean escaped) {
      if (escaped) {
        // a quoted field with doubled quotes: code the unescaped bytes
        if (unescaped.length < e - s) {
          unescaped = new byte[Math.max(e - s, unescaped.length * 2)];
        }
        int n = 0;
        for (int i = s; i < e; i++) {
          unescaped[n++] = b[i];
          if (b[i] == '"') {
            i++; // skip the second quote of the pair
          }
        }
        append(dict.code(unescaped, 0, n));
      } else {
        append(dict.code(b, s, e));
      }
    }

    @Override
    public void addMissing() {
      append(-1);
    }

    @Override
    public Column<?> build(String name) {
      return TablesawColumns.strings(name, codes, size, dict.values(), dict.size());
    }
  }
}
