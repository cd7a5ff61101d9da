package io.jask.dataframe.internal;

import io.jask.dataframe.Expr;
import io.jask.engine.Graph;
import io.jask.engine.TaskFn;
import io.jask.io.ByteRange;
import io.jask.io.CsvOptions;
import io.jask.io.DType;
import io.jask.io.Schema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The logical plan of a {@code DFrame} (like dask-expr's expressions): sources, row-wise
 * operations, and already lowered graphs (reductions, joins, repartitions). A frame keeps its plan
 * and lowers it to tasks only when its graph is asked for; {@link Optimizer} first pushes
 * projections and predicates towards the sources, and {@link Lowering} fuses each chain of
 * row-wise nodes with its source into one task per partition.
 */
public sealed interface Plan {
  /** The columns and types of every partition. */
  Schema schema();

  /** The number of partitions. */
  int npartitions();

  /** A node that maps each partition to one partition (can be fused with its input). */
  sealed interface RowWise extends Plan {
    /** The input. */
    Plan in();

    /** The same node over another input. */
    RowWise withInput(Plan in);

    @Override
    default int npartitions() {
      return in().npartitions();
    }
  }

  /** CSV blocks; {@code options.columns()} is the projection (all when empty). */
  record CsvScan(List<ByteRange> blocks, CsvOptions options, Object token, int files) implements Plan {
    @Override
    public Schema schema() {
      List<String> cols = options.columns().isEmpty() ? options.names() : options.columns();
      List<DType> types = new ArrayList<>();
      for (String c : cols) {
        types.add(options.types().get(c));
      }
      return Schema.of(cols, types);
    }

    @Override
    public int npartitions() {
      return blocks.size();
    }
  }

  /**
   * Parquet files, one partition each: the projected {@code columns}, rows of the row groups whose
   * statistics may satisfy {@code stats}, then only rows where every one of {@code filters} is
   * true.
   */
  record ParquetScan(List<String> files, Schema fileSchema, List<String> columns,
      List<io.jask.io.ParquetFilter> stats, List<Expr> filters, Object token) implements Plan {
    @Override
    public Schema schema() {
      return fileSchema.select(columns);
    }

    @Override
    public int npartitions() {
      return files.size();
    }
  }

  /** Keys {@code (name, i)} of {@code graph}; {@code label} and {@code inputs} only explain it. */
  record Lowered(String name, Graph graph, int npartitions, Schema schema, String label, List<Plan> inputs) implements Plan {}

  /** The given columns, in this order. */
  record Select(Plan in, List<String> columns) implements RowWise {
    @Override
    public Schema schema() {
      return in.schema().select(columns);
    }

    @Override
    public RowWise withInput(Plan in) {
      return new Select(in, columns);
    }
  }

  /** The rows where the condition is true. */
  record Filter(Plan in, Expr condition) implements RowWise {
    @Override
    public Schema schema() {
      return in.schema();
    }

    @Override
    public RowWise withInput(Plan in) {
      return new Filter(in, condition);
    }
  }

  /** A column added at the end, or replaced in place. */
  record WithColumn(Plan in, String column, Expr value) implements RowWise {
    @Override
    public Schema schema() {
      return in.schema().with(column, value.type(in.schema()));
    }

    @Override
    public RowWise withInput(Plan in) {
      return new WithColumn(in, column, value);
    }
  }

  /** Columns renamed. */
  record Rename(Plan in, List<String> from, List<String> to) implements RowWise {
    @Override
    public Schema schema() {
      List<String> names = new ArrayList<>();
      for (String c : in.schema().names()) {
        int at = from.indexOf(c);
        names.add(at < 0 ? c : to.get(at));
      }
      return Schema.of(names, in.schema().types());
    }

    @Override
    public RowWise withInput(Plan in) {
      return new Rename(in, from, to);
    }
  }

  /** Any per-partition function (user functions, head, partial aggregates): needs every column. */
  record Blockwise(Plan in, String label, TaskFn fn, Schema out) implements RowWise {
    @Override
    public Schema schema() {
      return out;
    }

    @Override
    public RowWise withInput(Plan in) {
      return new Blockwise(in, label, fn, out);
    }
  }

  /**
   * An inner or left broadcast join of each partition with {@code right} (one partition, already
   * lowered): a row-wise node with a side input, so that the optimizer can narrow both sides to the
   * columns used above it and the probe fuses with what follows (see {@link Join}).
   *
   * @param out the output schema of {@code join}
   */
  record BroadcastJoin(Plan in, Lowered right, Join join, boolean keepLeft, Schema out) implements RowWise {
    @Override
    public Schema schema() {
      return out;
    }

    @Override
    public RowWise withInput(Plan in) {
      return new BroadcastJoin(in, right, join, keepLeft, out);
    }

    /**
     * This join producing at least {@code required} of its output, over an input that has
     * {@code inputColumns} (the keys and the left columns that are required): the right columns
     * nobody needs are not gathered.
     */
    BroadcastJoin narrowed(Plan in, Set<String> required) {
      List<String> leftOut = new ArrayList<>();
      List<String> names = new ArrayList<>();
      List<io.jask.io.DType> types = new ArrayList<>();
      for (String c : in.schema().names()) {
        int at = this.in.schema().names().indexOf(c);
        leftOut.add(join.leftOut().get(at));
        names.add(join.leftOut().get(at));
        types.add(in.schema().type(c));
      }
      List<String> rightCols = new ArrayList<>();
      List<String> rightOut = new ArrayList<>();
      for (int i = 0; i < join.rightCols().size(); i++) {
        if (required.contains(join.rightOut().get(i))) {
          rightCols.add(join.rightCols().get(i));
          rightOut.add(join.rightOut().get(i));
          names.add(join.rightOut().get(i));
          types.add(out.type(join.rightOut().get(i)));
        }
      }
      return new BroadcastJoin(in, right, new Join(join.keys(), leftOut, rightCols, rightOut), keepLeft, Schema.of(names, types));
    }
  }

  /** The plan as indented text, one node per line, inputs below. */
  static String explain(Plan p) {
    StringBuilder b = new StringBuilder();
    explain(p, 0, b);
    return b.toString();
  }

  private static void explain(Plan p, int depth, StringBuilder b) {
    b.append("  ".repeat(depth)).append(line(p)).append('\n');
    if (p instanceof RowWise r) {
      explain(r.in(), depth + 1, b);
    } else if (p instanceof Lowered l) {
      for (Plan in : l.inputs()) {
        explain(in, depth + 1, b);
      }
    }
  }

  private static String line(Plan p) {
    if (p instanceof CsvScan c) {
      return "ReadCsv " + c.files() + " file(s) in " + c.blocks().size() + " block(s), columns=" + c.schema().names();
    } else if (p instanceof ParquetScan s) {
      return "ReadParquet " + s.files().size() + " file(s), columns=" + s.columns()
          + (s.stats().isEmpty() ? "" : ", row-group filters=" + s.stats())
          + (s.filters().isEmpty() ? "" : ", row filters=" + s.filters());
    } else if (p instanceof Lowered l) {
      return l.label() + " (npartitions=" + l.npartitions() + ")";
    } else if (p instanceof Select s) {
      return "Select " + s.columns();
    } else if (p instanceof Filter f) {
      return "Filter " + f.condition();
    } else if (p instanceof WithColumn w) {
      return "WithColumn " + w.column() + " = " + w.value();
    } else if (p instanceof Rename r) {
      return "Rename " + r.from() + " -> " + r.to();
    } else if (p instanceof BroadcastJoin j) {
      return "BroadcastJoin " + (j.keepLeft() ? "left" : "inner") + " on " + j.join().keys() + " with " + j.right().name()
          + ", columns=" + j.schema().names();
    }
    return ((Blockwise) p).label();
  }

  /** The columns a node reads from its input to produce {@code required} of its output. */
  static Set<String> needs(RowWise p, Set<String> required) {
    Set<String> out = new LinkedHashSet<>();
    if (p instanceof Select) {
      out.addAll(required);
    } else if (p instanceof Filter f) {
      out.addAll(required);
      out.addAll(f.condition().columns());
    } else if (p instanceof WithColumn w) {
      for (String c : required) {
        if (!c.equals(w.column())) {
          out.add(c);
        }
      }
      if (required.contains(w.column())) {
        out.addAll(w.value().columns());
      }
    } else if (p instanceof Rename r) {
      for (String c : required) {
        int at = r.to().indexOf(c);
        out.add(at < 0 ? c : r.from().get(at));
      }
    } else if (p instanceof BroadcastJoin j) {
      List<String> inNames = j.in().schema().names();
      for (int i = 0; i < inNames.size(); i++) {
        if (j.join().keys().contains(inNames.get(i)) || required.contains(j.join().leftOut().get(i))) {
          out.add(inNames.get(i));
        }
      }
    } else {
      out.addAll(p.in().schema().names());
    }
    return out;
  }
}
