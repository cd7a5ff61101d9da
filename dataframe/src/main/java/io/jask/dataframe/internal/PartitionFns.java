package io.jask.dataframe.internal;

import io.jask.dataframe.Expr;
import io.jask.engine.Fn;
import io.jask.engine.TaskFn;
import io.jask.io.ByteRange;
import io.jask.io.CsvOptions;
import io.jask.io.CsvReader;
import io.jask.io.Schema;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.selection.BitmapBackedSelection;
import tech.tablesaw.selection.Selection;

/**
 * The task functions of a {@code DFrame}: each is a record (so it serializes with Kryo and
 * tokenizes by content) that turns one partition into another, reading only that partition.
 */
public final class PartitionFns {
  private PartitionFns() {}

  /** Sorts by a count column descending, ties by the value column ascending. */
  public record SortByCount(String value, String count) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      // sorted by value first (a no-op check when it comes from Aggregation.finish), so that a
      // stable sort by count keeps ties in value order
      Table t = Tables.sortByKeys((Table) args[0], List.of(value));
      long[] c = ((LongColumn) t.column(count)).asLongArray();
      Integer[] order = new Integer[t.rowCount()];
      boolean sorted = true;
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
        sorted &= i == 0 || c[i - 1] >= c[i];
      }
      if (sorted) {
        return t;
      }
      java.util.Arrays.sort(order, (a, b) -> Long.compare(c[b], c[a]));
      int[] rows = new int[order.length];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = order[i];
      }
      Table out = Table.create(t.name());
      for (Column<?> col : t.columns()) {
        out.addColumns(Tables.take(col, rows)); // in this order (Table.rows would sort them)
      }
      return out;
    }
  }


  /** Reads one block of a CSV file. */
  public record ReadCsv(ByteRange range, CsvOptions options) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return CsvReader.read(range, options);
    }
  }

  /**
   * Reads one Parquet file: the row groups whose statistics may satisfy {@code stats}, the
   * columns of {@code schema} plus those the filters read, then only the rows where every filter is
   * true; fails naming the file if its columns differ from {@code schema}.
   */
  public record ReadParquet(String file, Schema schema, List<io.jask.io.ParquetFilter> stats, List<Expr> filters)
      implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      java.util.LinkedHashSet<String> cols = new java.util.LinkedHashSet<>(schema.names());
      for (Expr e : filters) {
        cols.addAll(e.columns());
      }
      Table t = io.jask.io.ParquetFiles.read(java.nio.file.Path.of(file), new ArrayList<>(cols), stats).table();
      for (Expr e : filters) {
        t = (Table) new Filter(e).apply(new Object[] {t});
      }
      if (t.columnCount() != schema.size()) {
        t = (Table) new Select(schema.names()).apply(new Object[] {t});
      }
      schema.check(t, "Parquet file " + file);
      return t;
    }
  }

  /**
   * An in-memory partition carried inside its task as Arrow IPC bytes: a Tablesaw table itself
   * does not serialize with Kryo, and a task must be able to travel to a worker.
   */
  public record ArrowLiteral(byte[] arrow) implements TaskFn {
    private static final ArrowTableCodec CODEC = new ArrowTableCodec();

    /** The literal of a table. */
    public static ArrowLiteral of(Table t) {
      java.nio.ByteBuffer b = CODEC.encode(t).get(0);
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      return new ArrowLiteral(bytes);
    }

    @Override
    public Object apply(Object[] args) {
      return CODEC.decode(List.of(java.nio.ByteBuffer.wrap(arrow)));
    }
  }

  /** Keeps these columns, in this order. */
  public record Select(List<String> columns) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      List<Column<?>> cols = new ArrayList<>();
      for (String c : columns) {
        cols.add(t.column(c));
      }
      return Table.create(t.name(), cols);
    }
  }

  /** Keeps the rows where the condition is true. */
  public record Filter(Expr condition) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      byte[] keep = Kernels.mask(condition, t);
      if (keep == null) {
        keep = ((Vec.B) ExprEval.eval(condition, t)).v();
      }
      int n = 0;
      for (byte b : keep) {
        n += b == 1 ? 1 : 0;
      }
      if (n == keep.length) {
        return t;
      }
      int[] rows = new int[n];
      for (int i = 0, j = 0; i < keep.length; i++) {
        if (keep[i] == 1) {
          rows[j++] = i;
        }
      }
      List<Column<?>> cols = new ArrayList<>();
      for (Column<?> c : t.columns()) {
        cols.add(Tables.take(c, rows));
      }
      return Table.create(t.name(), cols);
    }
  }

  /** Adds (or replaces in place) a column computed from an expression. */
  public record WithColumn(String name, Expr value) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      Column<?> c = value instanceof Expr.Col col
          ? t.column(col.name()).copy().setName(name)
          : Vec.toColumn(name, ExprEval.eval(value, t), value.type(Schema.of(t)));
      List<Column<?>> cols = new ArrayList<>(t.columns());
      int at = t.columnNames().indexOf(name);
      if (at >= 0) {
        cols.set(at, c);
      } else {
        cols.add(c);
      }
      return Table.create(t.name(), cols);
    }
  }

  /** A user function over a partition, whose result must have the declared schema. */
  public record MapPartitions(Fn.F1<Table, Table> fn, Schema schema) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      Table out = fn.apply((Table) args[0]);
      if (out == null) {
        throw new IllegalStateException("the mapPartitions function returned null");
      }
      schema.check(out, "the mapPartitions function's result");
      return out;
    }
  }

  /** The first {@code n} rows. */
  public record Head(int n) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      return t.rowCount() <= n ? t : Tables.slice(t, 0, n);
    }
  }

  /** Groupby step 1. */
  public record Partial(Aggregation agg) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return agg.partial((Table) args[0]);
    }
  }

  /** A filter fused into a keyless partial aggregate: rows are masked, never copied. */
  public record FilteredPartial(Expr condition, Aggregation agg) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return agg.partialWhere((Table) args[0], condition);
    }
  }

  /** Groupby step 2 (the argument is a list of partials). */
  public record Combine(Aggregation agg) implements TaskFn {
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object[] args) {
      return agg.combine((List<Table>) args[0]);
    }
  }

  /** Groupby step 3. */
  public record Finish(Aggregation agg) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return agg.finish((Table) args[0]);
    }
  }

  /** The value in row 0 of a column, as a Double (for sum/mean/min/max) or a Long (count). */
  public record Scalar(String column, boolean asLong) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      Column<?> c = t.column(column);
      if (asLong) {
        return ((Number) c.get(0)).longValue();
      }
      return c.isMissing(0) ? Double.NaN : ((Number) c.get(0)).doubleValue();
    }
  }

  /** Renames columns: {@code from.get(i)} becomes {@code to.get(i)}. */
  public record Rename(List<String> from, List<String> to) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      List<Column<?>> cols = new ArrayList<>();
      for (Column<?> c : t.columns()) {
        int at = from.indexOf(c.name());
        cols.add(at < 0 ? c : c.copy().setName(to.get(at)));
      }
      return Table.create(t.name(), cols);
    }
  }

  /** The last {@code n} rows. */
  public record Tail(int n) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      return t.rowCount() <= n ? t : Tables.slice(t, t.rowCount() - n, t.rowCount());
    }
  }

  /** Piece {@code k} of {@code of} nearly equal contiguous row ranges. */
  public record Piece(int k, int of) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table t = (Table) args[0];
      long rows = t.rowCount();
      return Tables.slice(t, (int) (rows * k / of), (int) (rows * (k + 1) / of));
    }
  }

  /** The concatenation of a list of tables (the argument), in order. */
  public record ConcatList(Schema schema) implements TaskFn {
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object[] args) {
      List<Table> parts = (List<Table>) args[0];
      return parts.isEmpty() ? schema.emptyTable() : Tables.concat(parts);
    }
  }

  /**
   * The {@code n} rows with the largest (or smallest) non-missing values of a column, ties in
   * order of the rows, sorted; over a list of tables (the argument) concatenated in order.
   */
  public record TopN(int n, String column, boolean largest) implements TaskFn {
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object[] args) {
      List<Table> parts = args[0] instanceof Table one ? List.of(one) : (List<Table>) args[0];
      return Tables.topN(Tables.concat(parts), column, n, largest);
    }
  }

  /**
   * The distinct rows of some columns with no missing value among them, in order of first
   * appearance, over a table or a list of tables (the argument) concatenated in order.
   */
  public record Distinct(List<String> columns) implements TaskFn {
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object[] args) {
      List<Table> parts = args[0] instanceof Table one ? List.of(one) : (List<Table>) args[0];
      Table t = Tables.concat(parts);
      List<Column<?>> cols = new ArrayList<>();
      for (String c : columns) {
        cols.add(t.column(c));
      }
      Selection keep = new BitmapBackedSelection();
      java.util.Set<List<Object>> seen = new java.util.HashSet<>();
      rows:
      for (int i = 0; i < t.rowCount(); i++) {
        List<Object> row = new ArrayList<>(cols.size());
        for (Column<?> c : cols) {
          if (c.isMissing(i)) {
            continue rows;
          }
          row.add(c.get(i));
        }
        if (seen.add(row)) {
          keep.add(i);
        }
      }
      return t.selectColumns(columns.toArray(new String[0])).where(keep);
    }
  }

  /**
   * The final groupby table: keys and the aggregations in order, taken from the main aggregation
   * (args[0]) or, for each nunique, counted per key from its distinct (keys, value) rows (args[1…]).
   */
  public record AttachNunique(List<String> keys, List<io.jask.dataframe.Agg> aggs) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table main = (Table) args[0];
      Table out = Table.create(main.name());
      for (String k : keys) {
        out.addColumns(main.column(k));
      }
      int next = 1;
      for (io.jask.dataframe.Agg a : aggs) {
        if (a.kind() != io.jask.dataframe.Agg.Kind.NUNIQUE) {
          out.addColumns(main.column(a.name()));
          continue;
        }
        Table pairs = (Table) args[next++];
        java.util.Map<List<Object>, Long> counts = new java.util.HashMap<>();
        for (int i = 0; i < pairs.rowCount(); i++) {
          counts.merge(rowKey(pairs, i), 1L, Long::sum);
        }
        long[] v = new long[main.rowCount()];
        for (int i = 0; i < v.length; i++) {
          v[i] = counts.getOrDefault(rowKey(main, i), 0L);
        }
        out.addColumns(tech.tablesaw.api.LongColumn.create(a.name(), v));
      }
      return out;
    }

    private List<Object> rowKey(Table t, int row) {
      List<Object> k = new ArrayList<>(keys.size());
      for (String c : keys) {
        k.add(t.column(c).get(row));
      }
      return k;
    }
  }

  /** The number of rows of a table, as a Long. */
  public record RowCount() implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return (long) ((Table) args[0]).rowCount();
    }
  }

  /**
   * pandas' {@code describe()} from a one-row aggregate with columns {@code c#count}, {@code
   * c#mean}, {@code c#std}, {@code c#min}, {@code c#max}: a column {@code stat} and one DOUBLE column
   * per numeric column.
   */
  public record Describe(List<String> columns) implements TaskFn {
    static final List<String> STATS = List.of("count", "mean", "std", "min", "max");

    @Override
    public Object apply(Object[] args) {
      Table agg = (Table) args[0];
      Table out = Table.create("describe", tech.tablesaw.api.StringColumn.create("stat", STATS));
      for (String c : columns) {
        double[] v = new double[STATS.size()];
        for (int j = 0; j < v.length; j++) {
          Column<?> a = agg.column(c + "#" + STATS.get(j));
          v[j] = a.isMissing(0) ? Double.NaN : ((Number) a.get(0)).doubleValue();
        }
        out.addColumns(tech.tablesaw.api.DoubleColumn.create(c, v));
      }
      return out;
    }
  }
}
