package io.jask.dataframe.shuffle;

import io.jask.dataframe.Agg;
import io.jask.dataframe.DFrame;
import io.jask.dataframe.internal.Aggregation;
import io.jask.dataframe.internal.Join;
import io.jask.dataframe.internal.PartitionFns;
import io.jask.dataframe.internal.ShuffleFns;
import io.jask.engine.Graph;
import io.jask.engine.Key;
import io.jask.engine.KeyPart;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import io.jask.io.DType;
import io.jask.io.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shuffle-based operations of {@link DFrame} beyond sorting: a group-by with hash-partitioned
 * output ({@code splitOut}), value counts, dropping duplicates, and the join of two large frames.
 * Each is one {@link Shuffle#exchange} (two for a join, one per side): the split task does what it
 * can on its own partition first (partial aggregates, duplicates within the partition) so that
 * less data moves.
 *
 * <pre>{@code
 * DFrame sums = ShuffleOps.groupAgg(df, List.of("id"), List.of(Agg.sum("x")), 8);
 * }</pre>
 */
public final class ShuffleOps {
  private ShuffleOps() {}

  /**
   * The group-by aggregation with its result in {@code splitOut} partitions by a hash of the
   * keys: partial aggregates per input partition, hash-split; output {@code j} combines the
   * partials it receives and finishes them (rows sorted by key within a partition).
   */
  public static DFrame groupAgg(DFrame df, List<String> keys, List<Agg> aggs, int splitOut) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a group-by with splitOut needs key columns");
    }
    for (Agg a : aggs) {
      if (a.kind() == Agg.Kind.NUNIQUE) {
        throw new IllegalArgumentException("nunique is not supported with splitOut (use splitOut = 1): " + a);
      }
    }
    Aggregation spec = new Aggregation(keys, aggs, df.schema());
    Schema out = spec.outputSchema();
    return Shuffle.exchange(df, "groupby-shuffle",
        new ShuffleFns.Then(new PartitionFns.Partial(spec), new ShuffleFns.HashSplit(keys, splitOut)), splitOut,
        new ShuffleFns.Then(new PartitionFns.Combine(spec), new PartitionFns.Finish(spec)), out, List.of(keys, aggs));
  }

  /**
   * The number of rows of every distinct non-missing value of {@code column}: columns {@code
   * column} and {@code count}, in {@code splitOut} partitions by a hash of the value, each sorted
   * by count, largest first.
   */
  public static DFrame valueCounts(DFrame df, String column, int splitOut) {
    Aggregation spec = new Aggregation(List.of(column), List.of(Agg.size().as("count")), df.schema());
    Schema out = spec.outputSchema();
    TaskFn finish = new ShuffleFns.Then(new ShuffleFns.Then(new PartitionFns.Combine(spec), new PartitionFns.Finish(spec)),
        new ShuffleFns.SortDescending("count"));
    return Shuffle.exchange(df, "value-counts",
        new ShuffleFns.Then(new PartitionFns.Partial(spec), new ShuffleFns.HashSplit(List.of(column), splitOut)), splitOut,
        finish, out, column);
  }

  /**
   * The rows whose {@code subset} values were not seen in an earlier row (the first of each
   * combination is kept; missing values equal each other), in as many partitions as {@code df},
   * by a hash of the subset.
   */
  public static DFrame dropDuplicates(DFrame df, List<String> subset) {
    List<String> cols = subset.isEmpty() ? df.columns() : subset;
    for (String c : cols) {
      df.schema().type(c);
    }
    int m = df.npartitions();
    return Shuffle.exchange(df, "drop-duplicates",
        new ShuffleFns.Then(new ShuffleFns.DropDuplicates(cols), new ShuffleFns.HashSplit(cols, m)), m,
        new ShuffleFns.DropDuplicates(cols), df.schema(), cols);
  }

  /**
   * A join of two large frames. When {@code left} has known divisions on the one key column
   * ({@link Shuffle#divisions}), it does not move: the right side is cut by the same ranges and
   * partition {@code i} joins left partition {@code i} with the right rows of its range (no
   * shuffle at all when the right side has the same divisions). Otherwise both sides are hash-split
   * by the keys into {@code npartitions} partitions and joined partition by partition. Columns
   * and missing-key semantics as {@link DFrame#merge(DFrame, DFrame.How, String...)}; row order
   * within the result differs.
   */
  public static DFrame merge(DFrame left, DFrame right, DFrame.How how, int npartitions, List<String> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("merge needs at least one key column");
    }
    if (npartitions < 1) {
      throw new IllegalArgumentException("merge needs npartitions >= 1, got " + npartitions);
    }
    for (String k : keys) {
      DType l = left.schema().type(k);
      DType r = right.schema().type(k);
      if (l != r) {
        throw new IllegalArgumentException("merge key '" + k + "' is " + l + " on the left but " + r + " on the right");
      }
    }
    // output names as the broadcast merge: left columns, then the right's non-key ones; _x/_y on clashes
    List<String> rightCols = new ArrayList<>();
    for (String c : right.schema().names()) {
      if (!keys.contains(c)) {
        rightCols.add(c);
      }
    }
    List<String> leftOut = new ArrayList<>();
    List<DType> types = new ArrayList<>();
    for (int i = 0; i < left.schema().size(); i++) {
      String c = left.schema().names().get(i);
      leftOut.add(!keys.contains(c) && rightCols.contains(c) ? c + "_x" : c);
      types.add(left.schema().types().get(i));
    }
    List<String> rightOut = new ArrayList<>();
    for (String c : rightCols) {
      rightOut.add(left.schema().has(c) ? c + "_y" : c);
      types.add(right.schema().type(c));
    }
    List<String> names = new ArrayList<>(leftOut);
    names.addAll(rightOut);
    Schema out = Schema.of(names, types);
    Join join = new Join(keys, leftOut, rightCols, rightOut);
    boolean keepLeft = how == DFrame.How.LEFT || how == DFrame.How.OUTER;
    boolean keepRight = how == DFrame.How.RIGHT || how == DFrame.How.OUTER;
    TaskFn fn = new ShuffleFns.PartitionJoin(join, keepLeft, keepRight, left.schema());
    String token = Tokenize.token(left.name(), right.name(), how, keys, npartitions);
    String on = "merge-shuffle-" + token;

    Divisions ld = Shuffle.divisions(left).orElse(null);
    if (keys.size() == 1 && ld != null && ld.column().equals(keys.get(0)) && Shuffle.splitBounds(left) != null) {
      Divisions rd = Shuffle.divisions(right).orElse(null);
      int n = left.npartitions();
      Map<Key, Task> tasks = new LinkedHashMap<>();
      if (ld.equals(rd) && right.npartitions() == n) {
        for (int i = 0; i < n; i++) {
          tasks.put(Key.of(on, i), Task.of(fn, Key.of(left.name(), i), Key.of(right.name(), i)));
        }
        Graph g = Graph.merge(left.graph(), right.graph()).with(Layer.of(on, new java.util.HashSet<>(List.of(left.name(), right.name())), tasks));
        return DFrame.fromGraph(g, on, n, out);
      }
      DFrame cut = Shuffle.exchange(right, "merge-range-split",
          new ShuffleFns.RangeSplit(keys.get(0), ld.ascending(), Shuffle.splitBounds(left)), n,
          new ShuffleFns.ConcatPieces(), right.schema(), List.of(left.name(), keys));
      for (int i = 0; i < n; i++) {
        tasks.put(Key.of(on, i), Task.of(fn, Key.of(left.name(), i), Key.of(cut.name(), i)));
      }
      Graph g = Graph.merge(left.graph(), cut.graph()).with(Layer.of(on, Set.of(left.name(), cut.name()), tasks));
      return DFrame.fromGraph(g, on, n, out);
    }

    String ls = "merge-split-left-" + token;
    String rs = "merge-split-right-" + token;
    int nl = left.npartitions();
    int nr = right.npartitions();
    Layer joins = Layer.lazy(on, Set.of(ls, rs), () -> {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int j = 0; j < npartitions; j++) {
        List<Object> lp = new ArrayList<>();
        for (int i = 0; i < nl; i++) {
          lp.add(KeyPart.of(Key.of(ls, i), j));
        }
        List<Object> rp = new ArrayList<>();
        for (int i = 0; i < nr; i++) {
          rp.add(KeyPart.of(Key.of(rs, i), j));
        }
        tasks.put(Key.of(on, j), Task.of(fn, lp, rp));
      }
      return tasks;
    });
    Graph g = Graph.merge(left.graph(), right.graph())
        .with(splitLayer(left, keys, npartitions, ls))
        .with(splitLayer(right, keys, npartitions, rs))
        .with(joins);
    return DFrame.fromGraph(g, on, npartitions, out);
  }

  private static Layer splitLayer(DFrame df, List<String> keys, int m, String name) {
    String parent = df.name();
    int n = df.npartitions();
    TaskFn split = new io.jask.dataframe.internal.ShuffleBuffer.Split(new ShuffleFns.HashSplit(keys, m), name);
    return Layer.lazy(name, Set.of(parent), () -> {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        tasks.put(Key.of(name, i), Task.of(split, Key.of(parent, i)));
      }
      return tasks;
    });
  }
}
