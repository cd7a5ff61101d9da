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
        case STRING -> new Source(DType.STRING, strings((StringColumn) c), c);
      };
    }
  }

  /** A string column's values; equal strings are one instance (from the column's dictionary). */
  private static String[] strings(StringColumn s) {
    String[] v = new String[s.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = s.get(i);
    }
    return v;
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
      case BOOLEAN: {
        BooleanColumn b = (BooleanColumn) s.column();
        BooleanColumn out = BooleanColumn.create(name, n);
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
      default: {
        String[] a = (String[]) s.values();
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
          v[i] = a[rows[from + i]];
        }
        return StringColumn.create(name, v);
      }
    }
  }
}
