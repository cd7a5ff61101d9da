package io.jask.dataframe.internal;

import io.jask.engine.Graph;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.Table;

/**
 * Turns a {@link Plan} into tasks: a chain of row-wise nodes and the source below it become one
 * task per partition (a CSV block or Parquet file read, then each operation in turn, in one
 * function call), so no intermediate partition is ever a separate task result.
 */
public final class Lowering {
  private Lowering() {}

  /** The graph of a plan (already optimized). */
  public static Plan.Lowered lower(Plan p) {
    if (p instanceof Plan.Lowered l) {
      return l;
    }
    List<Plan.RowWise> chain = new ArrayList<>();
    Plan base = p;
    while (base instanceof Plan.RowWise r) {
      chain.add(0, r);
      base = r.in();
    }
    List<TaskFn> ops = new ArrayList<>();
    List<Plan.Lowered> sides = new ArrayList<>(); // the right tables of broadcast joins
    for (int i = 0; i < chain.size(); i++) {
      if (chain.get(i) instanceof Plan.BroadcastJoin j) {
        int w = i + 1;
        while (w < chain.size() && chain.get(w) instanceof Plan.Select) {
          w++; // selects between the join and the withColumn only drop columns
        }
        Join.ProbeArith fused = probeArith(j, chain, w);
        if (fused != null && w + 2 < chain.size() && chain.get(w + 2) instanceof Plan.Blockwise b
            && b.fn() instanceof PartitionFns.Partial part && part.agg().keys().isEmpty()) {
          ops.add(new Side(new Join.ProbeArithPartial(fused, part.agg()), sides.size())); // probe + arithmetic + sum
          sides.add(j.right());
          i = w + 2;
          continue;
        }
        ops.add(new Side(fused != null ? fused : new Join.Probe(j.join(), j.keepLeft()), sides.size()));
        sides.add(j.right());
        i = fused != null ? w + 1 : i;
        continue;
      }
      int j = i + 1;
      while (chain.get(i) instanceof Plan.Filter && j < chain.size() && chain.get(j) instanceof Plan.Select) {
        j++; // selects only drop columns: the aggregate below can read the unselected table
      }
      if (chain.get(i) instanceof Plan.Filter f && j < chain.size() && chain.get(j) instanceof Plan.Blockwise b
          && b.fn() instanceof PartitionFns.Partial part && part.agg().keys().isEmpty()) {
        ops.add(new PartitionFns.FilteredPartial(f.condition(), part.agg())); // filter + reduction, no copy
        i = j;
      } else {
        ops.add(fn(chain.get(i)));
      }
    }
    String suffix = chain.isEmpty() ? "" : "-" + kind(chain.get(chain.size() - 1));
    int np = p.npartitions();
    Map<Key, Task> tasks = new LinkedHashMap<>();
    if (base instanceof Plan.CsvScan c) {
      String n = Tokenize.name("read-csv" + suffix, c.token(), c.options(), ops, List.copyOf(sideNames(sides)));
      for (int i = 0; i < np; i++) {
        tasks.put(Key.of(n, i), Task.of(new Fused(new PartitionFns.ReadCsv(c.blocks().get(i), c.options()), ops), sideKeys(sides).toArray()));
      }
      return new Plan.Lowered(n, withSides(Graph.of(Layer.of(n, sideNames(sides), tasks)), sides), np, p.schema(), "fused", List.of(p));
    }
    if (base instanceof Plan.ParquetScan s) {
      String n = Tokenize.name("read-parquet" + suffix, s.token(), s.columns(), s.stats(), s.filters(), ops,
          List.copyOf(sideNames(sides)));
      for (int i = 0; i < np; i++) {
        TaskFn read = new PartitionFns.ReadParquet(s.files().get(i), s.fileSchema().select(s.columns()), s.stats(), s.filters());
        tasks.put(Key.of(n, i), Task.of(new Fused(read, ops), sideKeys(sides).toArray()));
      }
      return new Plan.Lowered(n, withSides(Graph.of(Layer.of(n, sideNames(sides), tasks)), sides), np, p.schema(), "fused", List.of(p));
    }
    Plan.Lowered l = (Plan.Lowered) base;
    if (ops.isEmpty()) {
      return l;
    }
    String n = Tokenize.name(kind(chain.get(chain.size() - 1)), l.name(), ops, List.copyOf(sideNames(sides))); // the sides are inputs too
    String parent = l.name();
    Set<String> deps = new java.util.LinkedHashSet<>(List.of(parent));
    deps.addAll(sideNames(sides));
    List<Key> side = sideKeys(sides);
    Layer layer = Layer.lazy(n, deps, () -> {
      Map<Key, Task> t = new LinkedHashMap<>();
      for (int i = 0; i < np; i++) {
        List<Object> args = new ArrayList<>(List.of(Key.of(parent, i)));
        args.addAll(side);
        t.put(Key.of(n, i), Task.of(new Chain(ops), args.toArray()));
      }
      return t;
    });
    return new Plan.Lowered(n, withSides(l.graph(), sides).with(layer), np, p.schema(), "fused", List.of(p));
  }

  /**
   * An inner join followed (after selects) by {@code withColumn(c, col(a) op col(b))} (arithmetic,
   * at {@code at}) and a select of {@code c} alone, as one {@link Join.ProbeArith}; null when the
   * chain is not of that shape.
   */
  private static Join.ProbeArith probeArith(Plan.BroadcastJoin j, List<Plan.RowWise> chain, int at) {
    if (j.keepLeft() || at + 1 >= chain.size() || !(chain.get(at) instanceof Plan.WithColumn w)
        || !(chain.get(at + 1) instanceof Plan.Select s) || !s.columns().equals(List.of(w.column()))
        || !(w.value() instanceof io.jask.dataframe.Expr.Binary b) || !(b.left() instanceof io.jask.dataframe.Expr.Col a)
        || !(b.right() instanceof io.jask.dataframe.Expr.Col c)) {
      return null;
    }
    switch (b.op()) {
      case ADD, SUB, MUL, DIV -> {
        if (j.schema().type(a.name()) != io.jask.io.DType.DOUBLE || j.schema().type(c.name()) != io.jask.io.DType.DOUBLE) {
          return null;
        }
        return new Join.ProbeArith(j.join(), w.column(), b.op(), a.name(), c.name());
      }
      default -> {
        return null;
      }
    }
  }

  private static List<Key> sideKeys(List<Plan.Lowered> sides) {
    List<Key> keys = new ArrayList<>();
    for (Plan.Lowered s : sides) {
      keys.add(Key.of(s.name(), 0));
    }
    return keys;
  }

  private static Set<String> sideNames(List<Plan.Lowered> sides) {
    Set<String> names = new java.util.LinkedHashSet<>();
    for (Plan.Lowered s : sides) {
      names.add(s.name());
    }
    return names;
  }

  private static Graph withSides(Graph g, List<Plan.Lowered> sides) {
    List<Graph> all = new ArrayList<>(List.of(g));
    for (Plan.Lowered s : sides) {
      all.add(s.graph());
    }
    return all.size() == 1 ? g : Graph.merge(all);
  }

  /**
   * An operation with a side input: {@code fn} gets the partition and side table number {@code
   * side} (the task's arguments after the partition, if any).
   */
  public record Side(TaskFn fn, int side) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      return fn.apply(args);
    }
  }

  private static String kind(Plan.RowWise r) {
    if (r instanceof Plan.Select) {
      return "select";
    } else if (r instanceof Plan.Filter) {
      return "filter";
    } else if (r instanceof Plan.WithColumn) {
      return "with-column";
    } else if (r instanceof Plan.Rename) {
      return "rename";
    } else if (r instanceof Plan.BroadcastJoin) {
      return "merge";
    }
    return ((Plan.Blockwise) r).label().split(" ")[0].toLowerCase(java.util.Locale.ROOT);
  }

  private static TaskFn fn(Plan.RowWise r) {
    if (r instanceof Plan.Select s) {
      return new PartitionFns.Select(s.columns());
    } else if (r instanceof Plan.Filter f) {
      return new PartitionFns.Filter(f.condition());
    } else if (r instanceof Plan.WithColumn w) {
      return new PartitionFns.WithColumn(w.column(), w.value());
    } else if (r instanceof Plan.Rename n) {
      return new PartitionFns.Rename(n.from(), n.to());
    }
    return ((Plan.Blockwise) r).fn();
  }

  /** A source read followed by row-wise operations, in one task. */
  public record Fused(TaskFn source, List<TaskFn> ops) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      Object t = source.apply(new Object[0]);
      for (TaskFn op : ops) {
        t = op instanceof Side s ? s.apply(new Object[] {t, args[s.side()]}) : op.apply(new Object[] {t});
      }
      return (Table) t;
    }
  }

  /** Row-wise operations over one input partition, in one task. */
  public record Chain(List<TaskFn> ops) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      Object t = args[0];
      for (TaskFn op : ops) {
        t = op instanceof Side s ? s.apply(new Object[] {t, args[1 + s.side()]}) : op.apply(new Object[] {t});
      }
      return (Table) t;
    }
  }
}
