package io.jask.dataframe.shuffle;

import io.jask.dataframe.DFrame;
import io.jask.dataframe.internal.RadixSort;
import io.jask.dataframe.internal.ShuffleBuffer;
import io.jask.dataframe.internal.ShuffleFns;
import io.jask.engine.Graph;
import io.jask.engine.Jask;
import io.jask.engine.JaskCollection;
import io.jask.engine.Key;
import io.jask.engine.KeyPart;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import io.jask.io.DType;
import io.jask.io.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The shuffle service of {@link DFrame}: every row moves to the output partition its key (hash)
 * or value (range) selects, with a number of tasks linear in the partitions.
 *
 * <p>The graph has two layers. Split task {@code i} reads input partition {@code i} and cuts it
 * into {@code m} tables, kept together as one value ({@code Pieces}, an engine {@link
 * io.jask.engine.Parted}). Output task {@code j} depends on every split task but names only part
 * {@code j} of each ({@link KeyPart}): on the local schedulers it takes that table from memory; a
 * distributed worker asks each peer holding a split for part {@code j} alone, which the peer cuts
 * out and sends as Arrow IPC, directly between workers. A worker lost mid-shuffle loses its
 * splits, which the scheduler recomputes from the graph like any lost result, so the shuffle
 * recovers without special code. So {@code n + m} tasks and {@code n * m} transfers of one piece
 * each; no task holds more than its input partition and its pieces, or its output partition. On
 * the local schedulers the pieces a shuffle holds in memory are bounded by {@code
 * dataframe.shuffle.buffer}; further splits go to spill files ({@link ShuffleBuffer}).
 *
 * <pre>{@code
 * DFrame byKey = Shuffle.hash(df, List.of("k"), 8);           // rows with equal k in one partition
 * DFrame sorted = Shuffle.sortValues(df, List.of("x"), List.of(true));
 * Shuffle.divisions(sorted);                                  // Optional[Divisions(x, ...)]
 * }</pre>
 */
public final class Shuffle {
  private Shuffle() {}

  /** Rows sampled per partition for range boundaries. */
  static final int SAMPLE = 1000;

  private static final Map<DFrame, Divisions> DIVISIONS = Collections.synchronizedMap(new WeakHashMap<>());
  /** The range-split bounds behind the divisions (sort keys or strings), for cutting another frame alike. */
  private static final Map<DFrame, Object> SPLIT_BOUNDS = Collections.synchronizedMap(new WeakHashMap<>());

  /** The divisions of a frame made by {@link #sortValues}, if known. */
  public static Optional<Divisions> divisions(DFrame df) {
    return Optional.ofNullable(DIVISIONS.get(df));
  }

  /** The bounds {@link #sortValues} cut the frame by, or null. */
  static Object splitBounds(DFrame df) {
    return SPLIT_BOUNDS.get(df);
  }

  /**
   * A general exchange: {@code split} cuts each partition of {@code in} into {@code m} pieces
   * ({@code Table -> Pieces}); output {@code j} is {@code combine} applied to the list of the
   * pieces {@code j}, in input order.
   */
  public static DFrame exchange(DFrame in, String prefix, TaskFn split, int m, TaskFn combine, Schema out, Object token) {
    if (m < 1) {
      throw new IllegalArgumentException("a shuffle needs at least one output partition, got " + m);
    }
    String parent = in.name();
    int n = in.npartitions();
    String tok = Tokenize.token(parent, prefix, split, m, combine, token);
    String sn = prefix + "-split-" + tok;
    boolean slices = combine instanceof ShuffleFns.SortPieces; // reads pieces without building them
    String on = prefix + "-" + tok;
    Layer splits = Layer.lazy(sn, Set.of(parent), () -> {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        tasks.put(Key.of(sn, i), Task.of(new ShuffleBuffer.Split(split, sn, slices), Key.of(parent, i)));
      }
      return tasks;
    });
    Layer outputs = Layer.lazy(on, Set.of(sn), () -> {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int j = 0; j < m; j++) {
        List<Object> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          parts.add(KeyPart.of(Key.of(sn, i), j));
        }
        tasks.put(Key.of(on, j), Task.of(combine, parts));
      }
      return tasks;
    });
    return DFrame.fromGraph(in.graph().with(splits).with(outputs), on, m, out);
  }

  /** The rows of {@code in} in {@code m} partitions by a hash of the key columns; order within a partition follows the input. */
  public static DFrame hash(DFrame in, List<String> keys, int m) {
    for (String k : keys) {
      in.schema().type(k); // fails naming the columns
    }
    return exchange(in, "hash-shuffle", new ShuffleFns.HashSplit(keys, m), m, new ShuffleFns.ConcatPieces(), in.schema(), keys);
  }

  /**
   * The rows sorted by {@code columns} (first column first), stable, missing values last: the
   * boundaries of {@code npartitions} ranges of the first column come from a sample of every
   * partition (computed now, on the current scheduler, like Dask's {@code set_index}); each
   * partition is cut by range, and each output partition sorts the rows it receives with a radix
   * argsort. The result has known divisions ({@link #divisions}).
   */
  public static DFrame sortValues(DFrame in, List<String> columns, List<Boolean> ascending) {
    if (columns.isEmpty() || columns.size() != ascending.size()) {
      throw new IllegalArgumentException("sortValues needs one or more columns and one direction per column; got "
          + columns + " and " + ascending);
    }
    for (String c : columns) {
      in.schema().type(c);
    }
    String first = columns.get(0);
    boolean asc = ascending.get(0);
    DType type = in.schema().type(first);
    int m = in.npartitions();
    // 1. samples of every partition, computed now
    String sn = Tokenize.name("sort-sample", in.name(), first, asc);
    Map<Key, Task> st = new LinkedHashMap<>();
    List<Key> sampleKeys = new ArrayList<>();
    for (int i = 0; i < in.npartitions(); i++) {
      Key k = Key.of(sn, i);
      st.put(k, Task.of(new ShuffleFns.Sample(first, asc, SAMPLE, i), Key.of(in.name(), i)));
      sampleKeys.add(k);
    }
    Graph sg = in.graph().with(Layer.of(sn, Set.of(in.name()), st));
    @SuppressWarnings("unchecked")
    List<Object> samples = (List<Object>) Jask.compute(keysOf(sg, sampleKeys)).get(0);
    // 2. boundaries: weighted quantiles of the samples
    Object bounds;
    List<Object> div = new ArrayList<>();
    if (type == DType.STRING) {
      String[] b = stringBounds(samples, m, asc, div);
      bounds = b;
    } else {
      long[] b = keyBounds(samples, m, div);
      bounds = b;
      for (int i = 0; i < div.size(); i++) {
        div.set(i, div.get(i) == null ? null : fromKey((Long) div.get(i), type, asc));
      }
    }
    // 3. the exchange
    DFrame out = exchange(in, "sort", new ShuffleFns.RangeSplit(first, asc, bounds), m,
        new ShuffleFns.SortPieces(columns, ascending), in.schema(), List.of(columns, ascending));
    if (asc && !div.contains(null)) {
      // the frame's own divisions too (DFrame.divisions()), as with fromTable on a sorted column
      try {
        out = out.withDivisions(new io.jask.dataframe.Divisions(first, div));
      } catch (IllegalArgumentException e) {
        // bounds of a type the frame's divisions do not take: only Shuffle.divisions knows them
      }
    }
    DIVISIONS.put(out, new Divisions(first, asc, Collections.unmodifiableList(div)));
    SPLIT_BOUNDS.put(out, bounds);
    return out;
  }

  private static long[] keyBounds(List<Object> samples, int m, List<Object> div) {
    List<long[]> vals = new ArrayList<>();
    List<Double> weights = new ArrayList<>();
    Long min = null;
    Long max = null;
    int total = 0;
    for (Object o : samples) {
      ShuffleFns.SampleOut s = (ShuffleFns.SampleOut) o;
      long[] v = (long[]) s.values();
      if (v.length == 0) {
        continue;
      }
      vals.add(v);
      weights.add((double) s.rows() / v.length);
      min = min == null || Long.compareUnsigned((Long) s.min(), min) < 0 ? (Long) s.min() : min;
      max = max == null || Long.compareUnsigned((Long) s.max(), max) > 0 ? (Long) s.max() : max;
      total += v.length;
    }
    long[] keys = new long[total];
    double[] w = new double[total];
    int at = 0;
    for (int i = 0; i < vals.size(); i++) {
      for (long k : vals.get(i)) {
        keys[at] = k;
        w[at++] = weights.get(i);
      }
    }
    long[] sortedKeys = keys.clone();
    int[] order = RadixSort.argsort(sortedKeys);
    double sum = 0;
    for (double x : w) {
      sum += x;
    }
    long[] b = new long[m - 1];
    double acc = 0;
    int pos = 0;
    for (int j = 1; j < m; j++) {
      double target = sum * j / m;
      while (pos < total - 1 && acc + w[order[pos]] <= target) {
        acc += w[order[pos]];
        pos++;
      }
      b[j - 1] = total == 0 ? RadixSort.MISSING : sortedKeys[pos];
    }
    div.add(min);
    for (long x : b) {
      div.add(total == 0 ? null : x);
    }
    div.add(max);
    return b;
  }

  private static String[] stringBounds(List<Object> samples, int m, boolean asc, List<Object> div) {
    List<String> keys = new ArrayList<>();
    List<Double> w = new ArrayList<>();
    String min = null;
    String max = null;
    java.util.Comparator<String> cmp = asc ? java.util.Comparator.naturalOrder() : java.util.Comparator.reverseOrder();
    for (Object o : samples) {
      ShuffleFns.SampleOut s = (ShuffleFns.SampleOut) o;
      String[] v = (String[]) s.values();
      if (v.length == 0) {
        continue;
      }
      for (String x : v) {
        keys.add(x);
        w.add((double) s.rows() / v.length);
      }
      min = min == null || cmp.compare((String) s.min(), min) < 0 ? (String) s.min() : min;
      max = max == null || cmp.compare((String) s.max(), max) > 0 ? (String) s.max() : max;
    }
    Integer[] order = new Integer[keys.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> cmp.compare(keys.get(a), keys.get(b)));
    double sum = 0;
    for (double x : w) {
      sum += x;
    }
    String[] b = new String[m - 1];
    double acc = 0;
    int pos = 0;
    for (int j = 1; j < m; j++) {
      double target = sum * j / m;
      while (pos < order.length - 1 && acc + w.get(order[pos]) <= target) {
        acc += w.get(order[pos]);
        pos++;
      }
      b[j - 1] = order.length == 0 ? "" : keys.get(order[pos]);
    }
    div.add(min);
    for (String x : b) {
      div.add(order.length == 0 ? null : x);
    }
    div.add(max);
    return b;
  }

  private static Object fromKey(long key, DType type, boolean asc) {
    long k = asc ? key : ~(key + 1);
    return switch (type) {
      case DOUBLE -> RadixSort.fromDoubleKey(k);
      case LONG -> k ^ Long.MIN_VALUE;
      case INT -> (int) (k ^ Long.MIN_VALUE);
      case BOOLEAN -> k == 1;
      case STRING -> throw new IllegalStateException("string bounds are not keys");
      case DATETIME -> io.jask.io.DateTimes.of(k ^ Long.MIN_VALUE);
    };
  }

  static JaskCollection<List<Object>> keysOf(Graph g, List<Key> keys) {
    return new JaskCollection<>() {
      public Graph graph() {
        return g;
      }

      public List<Key> keys() {
        return keys;
      }

      public List<Object> finalize(List<Object> results) {
        return results;
      }

      public JaskCollection<List<Object>> rebuild(Graph graph) {
        return keysOf(graph, keys);
      }
    };
  }
}
