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

  /** Reads one block of a CSV file. */
  public record ReadCsv(ByteRange range, CsvOptions options) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return CsvReader.read(range, options);
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
      byte[] keep = ((Vec.B) ExprEval.eval(condition, t)).v();
      Selection s = new BitmapBackedSelection();
      for (int i = 0; i < keep.length; i++) {
        if (keep[i] == 1) {
          s.add(i);
        }
      }
      return t.where(s);
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
}
