package io.jask.dataframe.internal;

import io.jask.io.DType;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Row gathers over primitive column storage: a table's rows in a given order, or cut into pieces. */
public final class Take {
  private Take() {}

  /** The rows {@code rows[from..to)} of {@code t}, in that order. */
  public static Table rows(Table t, int[] rows, int from, int to) {
    Table out = Table.create(t.name());
    for (Column<?> c : t.columns()) {
      out.addColumns(column(Source.of(c), c.name(), rows, from, to));
    }
    return out;
  }

  /**
   * The rows of several tables with the same columns, in order, then reordered by {@code order}
   * (row numbers into the concatenation; null keeps them in order). Strings move as dictionary
   * codes: the tables are never concatenated as Tablesaw columns first.
   */
  public static Table concat(List<Table> tables, int[] order) {
    Table first = tables.get(0);
    int n = 0;
    for (Table t : tables) {
      n += t.rowCount();
    }
    if (order == null) {
      order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
    }
    Table out = Table.create(first.name());
    for (int c = 0; c < first.columnCount(); c++) {
      List<Source> parts = new ArrayList<>(tables.size());
      for (Table t : tables) {
        if (t.columnCount() != first.columnCount() || DType.of(t.column(c)) != DType.of(first.column(c))) {
          throw new IllegalArgumentException("cannot concatenate tables with different columns: " + first.structure()
              + " and " + t.structure());
        }
        parts.add(Source.of(t.column(c)));
      }
      out.addColumns(column(Source.concat(parts, n), first.column(c).name(), order, 0, order.length));
    }
    return out;
  }

  /**
   * Cuts {@code t} into {@code m} tables: row {@code i} goes to table {@code part[i]}; rows keep
   * their order within a table.
   */
  public static Pieces split(Table t, int[] part, int m) {
    int n = t.rowCount();
    int[] start = new int[m + 1];
    for (int i = 0; i < n; i++) {
      start[part[i] + 1]++;
    }
    for (int j = 0; j < m; j++) {
      start[j + 1] += start[j];
    }
    int[] at = start.clone();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[at[part[i]]++] = i;
    }
    List<Source> sources = new ArrayList<>();
    for (Column<?> c : t.columns()) {
      sources.add(Source.of(c));
    }
    List<Table> tables = new ArrayList<>(m);
    for (int j = 0; j < m; j++) {
      Table out = Table.create(t.name());
      for (int c = 0; c < sources.size(); c++) {
        out.addColumns(column(sources.get(c), t.column(c).name(), order, start[j], start[j + 1]));
      }
      tables.add(out);
    }
    return new Pieces(tables);
  }

  /** A column's values read once as an array (Tablesaw's accessors copy on every call). */
  private record Source(DType type, Object values, Column<?> column) {
    static Source of(Column<?> c) {
      return switch (DType.of(c)) {
        case INT -> new Source(DType.INT, ((IntColumn) c).asIntArray(), c);
        case LONG -> new Source(DType.LONG, ((LongColumn) c).asLongArray(), c);
        case DOUBLE -> new Source(DType.DOUBLE, ((DoubleColumn) c).asDoubleArray(), c);
        case BOOLEAN -> new Source(DType.BOOLEAN, null, c);
        case STRING -> new Source(DType.STRING, StringDict.of((StringColumn) c), c);
        case DATETIME -> new Source(DType.DATETIME, packed((tech.tablesaw.api.DateTimeColumn) c), c);
      };
    }

    private static long[] packed(tech.tablesaw.api.DateTimeColumn c) {
      long[] v = new long[c.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = c.getLongInternal(i);
      }
      return v;
    }

    /** The values of several sources of one type, one after the other ({@code n} in all). */
    static Source concat(List<Source> parts, int n) {
      DType type = parts.get(0).type();
      if (parts.size() == 1 && type != DType.BOOLEAN) {
        return parts.get(0);
      }
      switch (type) {
        case INT: {
          int[] v = new int[n];
          int at = 0;
          for (Source s : parts) {
            int[] a = (int[]) s.values();
            System.arraycopy(a, 0, v, at, a.length);
            at += a.length;
          }
          return new Source(type, v, null);
        }
        case LONG:
        case DATETIME: {
          long[] v = new long[n];
          int at = 0;
          for (Source s : parts) {
            long[] a = (long[]) s.values();
            System.arraycopy(a, 0, v, at, a.length);
            at += a.length;
          }
          return new Source(type, v, null);
        }
        case DOUBLE: {
          double[] v = new double[n];
          int at = 0;
          for (Source s : parts) {
            double[] a = (double[]) s.values();
            System.arraycopy(a, 0, v, at, a.length);
            at += a.length;
          }
          return new Source(type, v, null);
        }
        case BOOLEAN: {
          byte[] v = new byte[n];
          int at = 0;
          for (Source s : parts) {
            BooleanColumn b = (BooleanColumn) s.column();
            for (int i = 0; i < b.size(); i++) {
              v[at++] = b.isMissing(i) ? (byte) -1 : b.get(i) ? (byte) 1 : 0;
            }
          }
          return new Source(type, v, null);
        }
        default: {
          List<StringDict> dicts = new ArrayList<>();
          for (Source s : parts) {
            dicts.add((StringDict) s.values());
          }
          return new Source(type, StringDict.concat(dicts), null);
        }
      }
    }
  }

  private static Column<?> column(Source s, String name, int[] rows, int from, int to) {
    int n = to - from;
    switch (s.type()) {
      case INT: {
        int[] a = (int[]) s.values();
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = a[rows[from + i]];
        }
        return IntColumn.create(name, v);
      }
      case LONG: {
        long[] a = (long[]) s.values();
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = a[rows[from + i]];
        }
        return LongColumn.create(name, v);
      }
      case DOUBLE: {
        double[] a = (double[]) s.values();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = a[rows[from + i]];
        }
        return DoubleColumn.create(name, v);
      }
      case DATETIME: {
        long[] a = (long[]) s.values();
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = a[rows[from + i]];
        }
        return tech.tablesaw.api.DateTimeColumn.createInternal(name, v);
      }
      case BOOLEAN: {
        BooleanColumn out = BooleanColumn.create(name, n);
        if (s.values() instanceof byte[] a) { // concatenated: 0, 1, -1 missing
          for (int i = 0; i < n; i++) {
            byte b = a[rows[from + i]];
            if (b < 0) {
              out.setMissing(i);
            } else {
              out.set(i, b == 1);
            }
          }
          return out;
        }
        BooleanColumn b = (BooleanColumn) s.column();
        for (int i = 0; i < n; i++) {
          int r = rows[from + i];
          if (b.isMissing(r)) {
            out.setMissing(i);
          } else {
            out.set(i, b.get(r));
          }
        }
        return out;
      }
      default:
        return ((StringDict) s.values()).column(name, rows, from, to);
    }
  }
}
