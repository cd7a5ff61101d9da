package io.jask.dataframe.internal;

import io.jask.io.DType;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.columns.Column;

/**
 * A column's values as a primitive array, for vectorized expression evaluation: integers as
 * {@code long} with a missing mask, doubles (NaN missing), booleans as bytes (0, 1, -1 missing),
 * strings ("" missing, as in Tablesaw), date-times as epoch milliseconds with a missing mask.
 */
public sealed interface Vec {
  /** The number of values. */
  int size();

  /** Whether value {@code i} is missing. */
  boolean missing(int i);

  /** Integers; {@code miss} is null when none is missing. */
  record L(long[] v, boolean[] miss) implements Vec {
    public int size() {
      return v.length;
    }

    public boolean missing(int i) {
      return miss != null && miss[i];
    }
  }

  /** Doubles, NaN missing. */
  record D(double[] v) implements Vec {
    public int size() {
      return v.length;
    }

    public boolean missing(int i) {
      return Double.isNaN(v[i]);
    }
  }

  /** Booleans: 0 false, 1 true, -1 missing. */
  record B(byte[] v) implements Vec {
    public int size() {
      return v.length;
    }

    public boolean missing(int i) {
      return v[i] < 0;
    }
  }

  /** Date-times as epoch milliseconds ({@link io.jask.io.DateTimes}); {@code miss} is null when none is missing. */
  record T(long[] v, boolean[] miss) implements Vec {
    public int size() {
      return v.length;
    }

    public boolean missing(int i) {
      return miss != null && miss[i];
    }
  }

  /** Strings, "" missing. */
  record S(String[] v) implements Vec {
    public int size() {
      return v.length;
    }

    public boolean missing(int i) {
      return v[i].isEmpty();
    }
  }

  /** The values of a Tablesaw column. */
  static Vec of(Column<?> c) {
    int n = c.size();
    switch (DType.of(c)) {
      case INT: {
        int[] a = ((IntColumn) c).asIntArray();
        long[] v = new long[n];
        boolean[] m = null;
        for (int i = 0; i < n; i++) {
          if (a[i] == Integer.MIN_VALUE) {
            if (m == null) {
              m = new boolean[n];
            }
            m[i] = true;
          }
          v[i] = a[i];
        }
        return new L(v, m);
      }
      case LONG: {
        long[] v = ((LongColumn) c).asLongArray();
        boolean[] m = null;
        for (int i = 0; i < n; i++) {
          if (v[i] == Long.MIN_VALUE) {
            if (m == null) {
              m = new boolean[n];
            }
            m[i] = true;
          }
        }
        return new L(v, m);
      }
      case DOUBLE:
        return new D(((DoubleColumn) c).asDoubleArray());
      case DATETIME: {
        long[] v = io.jask.io.DateTimes.millis((tech.tablesaw.api.DateTimeColumn) c);
        boolean[] m = null;
        for (int i = 0; i < n; i++) {
          if (v[i] == io.jask.io.DateTimes.MISSING) {
            if (m == null) {
              m = new boolean[n];
            }
            m[i] = true;
          }
        }
        return new T(v, m);
      }
      case BOOLEAN: {
        BooleanColumn b = (BooleanColumn) c;
        byte[] v = new byte[n];
        for (int i = 0; i < n; i++) {
          v[i] = b.isMissing(i) ? -1 : (b.get(i) ? (byte) 1 : 0);
        }
        return new B(v);
      }
      default: {
        StringColumn s = (StringColumn) c;
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
          v[i] = s.get(i);
        }
        return new S(v);
      }
    }
  }

  /** A Tablesaw column of these values of {@code type}: as {@link #toColumn(String, Vec)}, INT narrowed. */
  static Column<?> toColumn(String name, Vec vec, DType type) {
    if (type == DType.INT && vec instanceof L l) {
      int[] v = new int[l.v().length];
      for (int i = 0; i < v.length; i++) {
        v[i] = l.missing(i) ? Integer.MIN_VALUE : (int) l.v()[i];
      }
      return IntColumn.create(name, v);
    }
    return toColumn(name, vec);
  }

  /** A Tablesaw column of these values; integers become a LongColumn. */
  static Column<?> toColumn(String name, Vec vec) {
    int n = vec.size();
    if (vec instanceof L l) {
      long[] v = l.v().clone();
      if (l.miss() != null) {
        for (int i = 0; i < n; i++) {
          if (l.miss()[i]) {
            v[i] = Long.MIN_VALUE;
          }
        }
      }
      return LongColumn.create(name, v);
    }
    if (vec instanceof D d) {
      return DoubleColumn.create(name, d.v().clone());
    }
    if (vec instanceof B b) {
      BooleanColumn c = BooleanColumn.create(name, n);
      for (int i = 0; i < n; i++) {
        if (b.v()[i] < 0) {
          c.setMissing(i);
        } else {
          c.set(i, b.v()[i] == 1);
        }
      }
      return c;
    }
    if (vec instanceof T t) {
      long[] v = t.v().clone();
      for (int i = 0; i < n; i++) {
        if (t.missing(i)) {
          v[i] = io.jask.io.DateTimes.MISSING;
        }
      }
      return io.jask.io.DateTimes.column(name, v);
    }
    return StringColumn.create(name, ((S) vec).v().clone());
  }
}
