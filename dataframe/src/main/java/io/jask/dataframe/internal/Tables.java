package io.jask.dataframe.internal;

import io.jask.io.DType;
import io.jask.io.Schema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Table helpers: concatenation by primitive arrays, row slices, sorting by key columns. */
public final class Tables {
  private Tables() {}

  /** The rows of all tables, in order; they must have the same schema (the first's). */
  public static Table concat(List<Table> tables) {
    if (tables.size() == 1) {
      return tables.get(0);
    }
    Schema schema = Schema.of(tables.get(0));
    int n = 0;
    for (Table t : tables) {
      schema.check(t, "partition " + t.name());
      n += t.rowCount();
    }
    Table out = Table.create(tables.get(0).name());
    for (int c = 0; c < schema.size(); c++) {
      out.addColumns(concatColumn(tables, c, schema.names().get(c), schema.types().get(c), n));
    }
    return out;
  }

  private static Column<?> concatColumn(List<Table> tables, int c, String name, DType type, int n) {
    int at = 0;
    switch (type) {
      case INT: {
        int[] v = new int[n];
        for (Table t : tables) {
          int[] a = ((IntColumn) t.column(c)).asIntArray();
          System.arraycopy(a, 0, v, at, a.length);
          at += a.length;
        }
        return IntColumn.create(name, v);
      }
      case LONG: {
        long[] v = new long[n];
        for (Table t : tables) {
          long[] a = ((LongColumn) t.column(c)).asLongArray();
          System.arraycopy(a, 0, v, at, a.length);
          at += a.length;
        }
        return LongColumn.create(name, v);
      }
      case DOUBLE: {
        double[] v = new double[n];
        for (Table t : tables) {
          double[] a = ((DoubleColumn) t.column(c)).asDoubleArray();
          System.arraycopy(a, 0, v, at, a.length);
          at += a.length;
        }
        return DoubleColumn.create(name, v);
      }
      case DATETIME: {
        long[] v = new long[n];
        for (Table t : tables) {
          DateTimeColumn d = (DateTimeColumn) t.column(c);
          for (int i = 0; i < d.size(); i++) {
            v[at++] = d.getLongInternal(i);
          }
        }
        return DateTimeColumn.createInternal(name, v);
      }
      case BOOLEAN: {
        BooleanColumn out = BooleanColumn.create(name, n);
        for (Table t : tables) {
          BooleanColumn b = (BooleanColumn) t.column(c);
          for (int i = 0; i < b.size(); i++, at++) {
            if (b.isMissing(i)) {
              out.setMissing(at);
            } else {
              out.set(at, b.get(i));
            }
          }
        }
        return out;
      }
      default: {
        // by dictionary codes: each part's distinct values are hashed once, not every row
        List<StringDict> parts = new ArrayList<>(tables.size());
        for (Table t : tables) {
          parts.add(StringDict.of((StringColumn) t.column(c)));
        }
        return StringDict.concat(parts).column(name);
      }
    }
  }

  /** Rows {@code [from, to)} as a new table. */
  public static Table slice(Table t, int from, int to) {
    int[] rows = new int[to - from];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = from + i;
    }
    Table out = Table.create(t.name());
    for (Column<?> c : t.columns()) {
      out.addColumns(c.subset(rows));
    }
    return out;
  }

  /** The rows sorted ascending by the key columns (none missing), first key first. */
  public static Table sortByKeys(Table t, List<String> keys) {
    if (keys.isEmpty() || t.rowCount() < 2) {
      return t;
    }
    List<Comparator<Integer>> parts = new ArrayList<>();
    boolean sorted = true;
    for (String k : keys) {
      Column<?> c = t.column(k);
      Comparator<Integer> part = switch (DType.of(c)) {
        case INT -> {
          int[] v = Cols.ints((IntColumn) c);
          yield (a, b) -> Integer.compare(v[a], v[b]);
        }
        case LONG -> {
          long[] v = Cols.longs((LongColumn) c);
          yield (a, b) -> Long.compare(v[a], v[b]);
        }
        case DOUBLE -> {
          double[] v = Cols.doubles((DoubleColumn) c);
          yield (a, b) -> Double.compare(v[a], v[b]);
        }
        case BOOLEAN -> Comparator.comparing(((BooleanColumn) c)::get);
        case STRING -> {
          StringDict d = StringDict.of((StringColumn) c); // each row's string once, not per comparison
          yield (a, b) -> d.get(a).compareTo(d.get(b));
        }
        case DATETIME -> Comparator.comparingLong(i -> io.jask.io.DateTimes.fromPacked(((DateTimeColumn) c).getLongInternal(i)));
      };
      parts.add(part);
    }
    Comparator<Integer> cmp = parts.get(0);
    for (int i = 1; i < parts.size(); i++) {
      cmp = cmp.thenComparing(parts.get(i));
    }
    Integer[] idx = new Integer[t.rowCount()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
      sorted &= i == 0 || cmp.compare(i - 1, i) <= 0;
    }
    if (sorted) {
      return t;
    }
    java.util.Arrays.sort(idx, cmp);
    int[] rows = new int[idx.length];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = idx[i];
    }
    Table out = Table.create(t.name());
    for (Column<?> c : t.columns()) {
      out.addColumns(take(c, rows));
    }
    return out;
  }

  /**
   * The {@code n} rows with the largest (or smallest) non-missing values of a numeric column,
   * sorted that way; equal values keep their order (pandas' {@code keep='first'}).
   */
  public static Table topN(Table t, String column, int n, boolean largest) {
    double[] x = ExprEval.doubles(Vec.of(t.column(column)));
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i])) {
        rows.add(i);
      }
    }
    Comparator<Integer> cmp = Comparator.comparingDouble(i -> x[i]);
    rows.sort(largest ? cmp.reversed() : cmp); // stable
    int[] pick = new int[Math.min(n, rows.size())];
    for (int i = 0; i < pick.length; i++) {
      pick[i] = rows.get(i);
    }
    Table out = Table.create(t.name());
    for (Column<?> c : t.columns()) {
      out.addColumns(c.subset(pick));
    }
    return out;
  }

  /** The values of {@code c} at {@code rows} (each a valid row), in that order, as a new column. */
  public static Column<?> take(Column<?> c, int[] rows) {
    if (c instanceof DoubleColumn d) {
      double[] src = Cols.doubles(d);
      double[] out = new double[rows.length];
      for (int i = 0; i < rows.length; i++) {
        out[i] = src[rows[i]];
      }
      return DoubleColumn.create(c.name(), out);
    }
    if (c instanceof LongColumn l) {
      long[] src = Cols.longs(l);
      long[] out = new long[rows.length];
      for (int i = 0; i < rows.length; i++) {
        out[i] = src[rows[i]];
      }
      return LongColumn.create(c.name(), out);
    }
    if (c instanceof IntColumn l) {
      int[] src = Cols.ints(l);
      int[] out = new int[rows.length];
      for (int i = 0; i < rows.length; i++) {
        out[i] = src[rows[i]];
      }
      return IntColumn.create(c.name(), out);
    }
    if (c instanceof StringColumn s) {
      return StringDict.of(s).column(c.name(), rows, 0, rows.length); // codes, not one append per row
    }
    return c.subset(rows);
  }

  /** A copy of a column (a string column rebuilt from its dictionary codes, not appended row by row). */
  public static Column<?> copy(Column<?> c) {
    if (c instanceof StringColumn s) {
      return StringDict.of(s).column(c.name());
    }
    return c.copy();
  }
}
