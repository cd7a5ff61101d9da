package io.jask.bag;

import io.jask.bag.internal.Aggs;
import io.jask.bag.internal.PartFns;
import io.jask.bag.internal.Pipeline;
import io.jask.bag.internal.Reduce;
import io.jask.bag.internal.Shuffle;
import io.jask.bag.internal.Step;
import io.jask.bag.internal.Steps;
import io.jask.bag.io.Block;
import io.jask.bag.io.Glob;
import io.jask.bag.io.MalformedLine;
import io.jask.delayed.Delayed;
import io.jask.engine.Fn;
import io.jask.engine.Graph;
import io.jask.engine.Jask;
import io.jask.engine.JaskCollection;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A lazy, partitioned list of any Java objects, like {@code dask.bag}: each partition is a {@code
 * List<T>} made by one task. Nothing runs until {@link #compute()} (or a method documented as
 * eager: {@link #take}, {@link #toTextFiles}).
 *
 * <pre>{@code
 * List<Map.Entry<Object, Long>> top = Bag.readText("/data/people-*.json.gz")
 *     .map(Json::parse)                          // element-wise: map, filter, pluck, flatMap fuse
 *     .filter(r -> (Boolean) r.get("active"))    //   into one task per partition
 *     .pluck("name")
 *     .frequencies()                             // tree reduction to one partition
 *     .topk(10, Map.Entry::getValue)
 *     .compute();
 * }</pre>
 *
 * <p>Costs, in the terms of {@code docs/bag.md}: element-wise operations ({@link #map}, {@link
 * #filter}, {@link #flatMap}, {@link #flatten}, {@link #pluck}, {@link #join}) add no task: they
 * run inside the partition's task. {@link #mapPartitions} adds one task per partition. Reductions
 * ({@link #count}, {@link #sum}, {@link #fold}, {@link #frequencies}, {@link #topk}, {@link
 * #distinct}, {@link #foldBy}, ...) are trees of {@code splitEvery} inputs per task (default 8) and
 * move only partial results. {@link #groupBy} is an all-to-all shuffle through tasks: every input
 * partition is split by hash, every output reads a piece of every split.
 *
 * <p>Functions are {@link Fn} types: serializable lambdas or method references, so that they can
 * run in a child JVM or on a cluster worker. Keys are deterministic: the same operations on the
 * same inputs give the same keys.
 *
 * @param <T> the type of the elements
 */
public final class Bag<T> implements JaskCollection<List<T>> {
  private static final Step[] NO_STEPS = new Step[0];
  /** Default fan-in of tree reductions, like dask's {@code split_every=8}. */
  public static final int SPLIT_EVERY = 8;

  private final String name;
  private final int npartitions;
  private final Graph inputs;
  private final Set<String> inputNames;
  /* One task per partition that makes its input, or null when `inputs` already holds layer `name`. */
  private final List<Task> heads;
  private final Step[] steps;
  private volatile Graph graph;

  private Bag(String name, Graph inputs, Set<String> inputNames, List<Task> heads, Step[] steps) {
    this.name = name;
    this.npartitions = heads.size();
    this.inputs = inputs;
    this.inputNames = inputNames;
    this.heads = heads;
    this.steps = steps;
  }

  private Bag(String name, int npartitions, Graph graph) {
    this.name = name;
    this.npartitions = npartitions;
    this.inputs = graph;
    this.inputNames = Set.of();
    this.heads = null;
    this.steps = NO_STEPS;
    this.graph = graph;
  }

  // ---------------------------------------------------------------- sources

  /**
   * A bag of the given partitions, as they are (empty partitions allowed).
   *
   * <pre>{@code
   * Bag<Integer> b = Bag.fromPartitions(List.of(List.of(1, 2), List.of(), List.of(3)));  // 3 partitions
   * }</pre>
   */
  public static <T> Bag<T> fromPartitions(List<? extends List<? extends T>> partitions) {
    if (partitions.isEmpty()) {
      throw new IllegalArgumentException("a bag needs at least one partition");
    }
    List<Task> heads = new ArrayList<>(partitions.size());
    for (List<? extends T> p : partitions) {
      heads.add(Task.literal(new ArrayList<>(p)));
    }
    return source(Tokenize.name("from-sequence", partitions), heads);
  }

  /**
   * A bag of the elements of {@code items} in {@code npartitions} contiguous partitions of
   * near-equal size (some empty when there are fewer elements than partitions), like {@code
   * db.from_sequence(items, npartitions=n)}.
   *
   * <pre>{@code
   * Bag<String> b = Bag.fromSequence(List.of("a", "b", "c"), 2);   // [a] [b, c]
   * }</pre>
   */
  public static <T> Bag<T> fromSequence(List<? extends T> items, int npartitions) {
    requirePositive(npartitions, "npartitions");
    List<List<? extends T>> parts = new ArrayList<>(npartitions);
    int n = items.size();
    for (int i = 0; i < npartitions; i++) {
      parts.add(items.subList((int) ((long) n * i / npartitions), (int) ((long) n * (i + 1) / npartitions)));
    }
    return fromPartitions(parts);
  }

  /**
   * The longs {@code 0 … n-1} in {@code npartitions} partitions, like {@code db.range}.
   *
   * <pre>{@code
   * long s = (Long) Bag.range(100, 4).sum().compute();   // 4950
   * }</pre>
   */
  public static Bag<Long> range(long n, int npartitions) {
    requirePositive(npartitions, "npartitions");
    if (n < 0) {
      throw new IllegalArgumentException("range needs n >= 0, got " + n);
    }
    List<Task> heads = new ArrayList<>(npartitions);
    for (int i = 0; i < npartitions; i++) {
      heads.add(Task.of(new PartFns.Range(n * i / npartitions, n * (i + 1) / npartitions)));
    }
    return source(Tokenize.name("range", n, npartitions), heads);
  }

  /**
   * A bag whose partitions are the values of the given {@code Delayed}s, like {@code
   * db.from_delayed}.
   *
   * <pre>{@code
   * Delayed<List<Integer>> a = Delayed.call(() -> List.of(1, 2));
   * Bag<Integer> b = Bag.fromDelayed(List.of(a, Delayed.value(List.of(3))));
   * }</pre>
   */
  public static <T> Bag<T> fromDelayed(List<? extends Delayed<? extends List<? extends T>>> parts) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("fromDelayed needs at least one Delayed");
    }
    List<Task> heads = new ArrayList<>(parts.size());
    List<Graph> graphs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<Key> keys = new ArrayList<>();
    for (Delayed<?> d : parts) {
      heads.add(Task.of(Pipeline.Identity.INSTANCE, d.key()));
      graphs.add(d.graph());
      names.add(d.key().name());
      keys.add(d.key());
    }
    return new Bag<>(Tokenize.name("from-delayed", keys), Graph.merge(graphs), names, heads, NO_STEPS);
  }

  /**
   * The lines of the files matching {@code glob} (UTF-8, without line ends), one partition per file;
   * {@code .gz} files are decompressed. Like {@code db.read_text(glob)}.
   *
   * <pre>{@code
   * Bag<String> lines = Bag.readText("/var/log/app-*.log.gz");
   * }</pre>
   *
   * @throws IllegalArgumentException if no file matches
   */
  public static Bag<String> readText(String glob) {
    return readText(glob, 0);
  }

  /**
   * The lines of the files matching {@code glob}, each uncompressed file split into partitions of
   * about {@code blocksize} bytes at line boundaries (a line belongs to the block in which it
   * starts; each task reads only its own byte range and the rest of its last line), like {@code
   * db.read_text(glob, blocksize=...)}. Gzip files are not split. {@code blocksize <= 0}: one
   * partition per file.
   *
   * <pre>{@code
   * Bag<String> lines = Bag.readText("/data/big-*.csv", 64 << 20);   // 64 MiB per partition
   * }</pre>
   */
  public static Bag<String> readText(String glob, long blocksize) {
    List<Block> blocks = Block.split(Glob.expand(glob), blocksize);
    return source(Tokenize.name("read-text", blocks, fileStamps(blocks)), heads(blocks, PartFns.ReadLines::new));
  }

  /**
   * The JSON objects of the JSON-lines files matching {@code glob}, one partition per file; a
   * malformed line fails the computation with an exception naming its file and line.
   *
   * <pre>{@code
   * Bag<Map<String, Object>> records = Bag.readJson("/data/records-*.json");
   * }</pre>
   */
  public static Bag<Map<String, Object>> readJson(String glob) {
    return readJson(glob, JsonOptions.defaults());
  }

  /**
   * The JSON objects of the JSON-lines files matching {@code glob}, read as the options say: only
   * some fields (the others are skipped by Jackson's streaming parser, the fast route for {@code
   * readText(g).map(Json::parse).pluck(...)}), malformed lines skipped and counted in a warning,
   * files split into blocks. Blank lines are skipped.
   *
   * <pre>{@code
   * Bag<Object> names = Bag.readJson("/data/*.json", JsonOptions.defaults().fields("name")).pluck("name");
   * }</pre>
   */
  public static Bag<Map<String, Object>> readJson(String glob, JsonOptions options) {
    List<Block> blocks = Block.split(Glob.expand(glob), options.blocksize());
    return source(Tokenize.name("read-json", blocks, fileStamps(blocks), options.fields(), options.skipMalformedLines()),
        heads(blocks, b -> new PartFns.ReadJson(b, options.fields(), options.skipMalformedLines())));
  }

  /**
   * The malformed lines of the JSON-lines files matching {@code glob}, each with file and line
   * number: what {@code readJson(glob, JsonOptions.skipMalformed())} leaves out.
   *
   * <pre>{@code
   * long bad = Bag.readJsonErrors("/data/*.json").count().compute();
   * }</pre>
   */
  public static Bag<MalformedLine> readJsonErrors(String glob) {
    List<Block> blocks = Block.split(Glob.expand(glob), 0);
    return source(Tokenize.name("read-json-errors", blocks, fileStamps(blocks)), heads(blocks, PartFns.ReadJsonErrors::new));
  }

  // ---------------------------------------------------------------- element-wise (fused)

  /**
   * {@code f} of every element. Runs in the partition's task, fused with the element-wise
   * operations before and after it.
   *
   * <pre>{@code
   * Bag<Integer> lengths = Bag.fromSequence(List.of("a", "bb"), 1).map(String::length);
   * }</pre>
   */
  public <R> Bag<R> map(Fn.F1<? super T, ? extends R> f) {
    return withStep(Tokenize.functionName(f), new Steps.MapStep(f));
  }

  /**
   * The elements for which {@code p} is true.
   *
   * <pre>{@code
   * Bag<Long> even = Bag.range(10, 2).filter(x -> x % 2 == 0);
   * }</pre>
   */
  public Bag<T> filter(Fn.F1<? super T, Boolean> p) {
    return withStep("filter-" + Tokenize.functionName(p), new Steps.FilterStep(p));
  }

  /**
   * Every element of {@code f(x)} for every element {@code x}, in order.
   *
   * <pre>{@code
   * Bag<String> words = Bag.readText("book.txt").flatMap(l -> List.of(l.split(" ")));
   * }</pre>
   */
  public <R> Bag<R> flatMap(Fn.F1<? super T, ? extends Iterable<? extends R>> f) {
    return withStep("flatmap-" + Tokenize.functionName(f), new Steps.FlatMapStep(f));
  }

  /**
   * The elements of the elements (which must be {@code Iterable}s), like {@code Bag.flatten}.
   *
   * <pre>{@code
   * Bag<Object> all = Bag.fromSequence(List.of(List.of(1, 2), List.of(3)), 1).flatten();  // 1 2 3
   * }</pre>
   */
  public <R> Bag<R> flatten() {
    return withStep("flatten", new Steps.FlatMapStep(x -> x));
  }

  /**
   * The value of {@code key} in every element: {@code Map.get(key)} for maps (a missing key is an
   * error), {@code get(i)} for lists and arrays with an {@code Integer} key. Like {@code
   * Bag.pluck}.
   *
   * <pre>{@code
   * Bag<Object> names = Bag.readJson("people.json").pluck("name");
   * Bag<Object> firsts = Bag.fromSequence(List.of(List.of(1, 2), List.of(3, 4)), 1).pluck(0);  // 1 3
   * }</pre>
   */
  public <R> Bag<R> pluck(Object key) {
    return withStep("pluck", new Steps.PluckStep(key));
  }

  /**
   * For every element, one {@code Pair(element, match)} per element of {@code other} whose {@code
   * onOther} key equals the element's {@code onSelf} key (an inner join with an in-memory
   * collection, like {@code Bag.join}; dask's tuples are {@code (match, element)}). {@code other} is
   * copied into the graph and indexed once per JVM.
   *
   * <pre>{@code
   * Bag<Pair<Long, String>> named = Bag.range(3, 1).join(List.of("zero", "one"), x -> x.intValue(), String::length);
   * }</pre>
   */
  public <U, K> Bag<Pair<T, U>> join(Iterable<? extends U> other, Fn.F1<? super T, ? extends K> onSelf,
      Fn.F1<? super U, ? extends K> onOther) {
    List<Object> copy = new ArrayList<>();
    other.forEach(copy::add);
    return withStep("join", new Steps.JoinStep(copy, onSelf, onOther));
  }

  // ---------------------------------------------------------------- partition-wise

  /**
   * {@code f} of every partition (a {@code List<T>}); the result must be an {@code Iterable}. One
   * task per partition.
   *
   * <pre>{@code
   * Bag<Integer> sizes = Bag.range(100, 4).mapPartitions(p -> List.of(p.size()));   // 25 25 25 25
   * }</pre>
   */
  public <R> Bag<R> mapPartitions(Fn.F1<? super List<T>, ? extends Iterable<? extends R>> f) {
    TaskFn fn = new PartFns.MapPartition(f);
    return derived(Tokenize.name("map-partitions-" + Tokenize.functionName(f), name, f), npartitions,
        i -> Task.of(fn, key(i)));
  }

  /**
   * The same elements in the same order in {@code n} partitions: with fewer, consecutive
   * partitions are concatenated; with more, each partition is cut into near-equal pieces. No
   * shuffle: each output reads one input (more partitions) or a run of inputs (fewer).
   *
   * <pre>{@code
   * Bag<Long> b = Bag.range(100, 10).repartition(3);
   * }</pre>
   */
  public Bag<T> repartition(int n) {
    requirePositive(n, "npartitions");
    String out = Tokenize.name("repartition", name, n);
    if (n <= npartitions) {
      return derived(out, n, j -> {
        List<Key> run = new ArrayList<>();
        for (int i = (int) ((long) npartitions * j / n); i < (long) npartitions * (j + 1) / n; i++) {
          run.add(key(i));
        }
        return Task.of(PartFns.Concat.INSTANCE, run);
      });
    }
    int[] source = new int[n];
    int[] piece = new int[n];
    int[] pieces = new int[n];
    int j = 0;
    for (int i = 0; i < npartitions; i++) {
      int k = (int) ((long) n * (i + 1) / npartitions - (long) n * i / npartitions);
      for (int s = 0; s < k; s++, j++) {
        source[j] = i;
        piece[j] = s;
        pieces[j] = k;
      }
    }
    return derived(out, n, o -> Task.of(new PartFns.Slice(piece[o], pieces[o]), key(source[o])));
  }

  /**
   * Every pair of an element of this bag and an element of {@code other}: {@code npartitions ×
   * other.npartitions} partitions, each the product of one partition of each. Like {@code
   * Bag.product}.
   *
   * <pre>{@code
   * Bag<Pair<Long, Long>> grid = Bag.range(3, 1).product(Bag.range(2, 1));   // 6 pairs
   * }</pre>
   */
  public <U> Bag<Pair<T, U>> product(Bag<U> other) {
    String out = Tokenize.name("product", name, other.name);
    int m = other.npartitions;
    List<Task> heads = new ArrayList<>(npartitions * m);
    for (int i = 0; i < npartitions; i++) {
      for (int j = 0; j < m; j++) {
        heads.add(Task.of(PartFns.Product.INSTANCE, key(i), other.key(j)));
      }
    }
    return new Bag<>(out, Graph.merge(graph(), other.graph()), Set.of(name, other.name), heads, NO_STEPS);
  }

  /**
   * Groups the elements by {@code key} into {@code Map.Entry(key, elements)} with a hash shuffle
   * through tasks into as many partitions as this bag has. Within a group, elements keep their
   * order. Like {@code Bag.groupby(key, shuffle="tasks")}. Prefer {@link #foldBy} when the groups
   * are only reduced: it moves partial results, not every element.
   *
   * <pre>{@code
   * Bag<Map.Entry<Long, List<Long>>> byParity = Bag.range(10, 3).groupBy(x -> x % 2);
   * }</pre>
   */
  public <K> Bag<Map.Entry<K, List<T>>> groupBy(Fn.F1<? super T, ? extends K> key) {
    return groupBy(key, npartitions);
  }

  /** {@link #groupBy(Fn.F1)} into {@code npartitions} output partitions. */
  public <K> Bag<Map.Entry<K, List<T>>> groupBy(Fn.F1<? super T, ? extends K> key, int npartitions) {
    requirePositive(npartitions, "npartitions");
    String split = Tokenize.name("groupby-split", name, key, npartitions);
    TaskFn splitFn = new Shuffle.Split(key, npartitions);
    Bag<Object> splits = derived(split, this.npartitions, i -> Task.of(splitFn, key(i)));
    List<Key> all = splits.keys();
    return splits.derived(Tokenize.name("groupby", split), npartitions,
        j -> Task.of(new Shuffle.Gather(key, j), all));
  }

  // ---------------------------------------------------------------- reductions

  /**
   * The number of elements.
   *
   * <pre>{@code
   * long n = Bag.range(10, 3).count().compute();   // 10
   * }</pre>
   */
  public Item<Long> count() {
    return item("count", new Aggs.Count(), new Aggs.SumLongs(), null, SPLIT_EVERY);
  }

  /**
   * The sum of the elements (numbers): a {@code Long} if every element is integral, else a {@code
   * Double}; 0 for an empty bag.
   *
   * <pre>{@code
   * Number s = Bag.range(5, 2).sum().compute();   // 10L
   * }</pre>
   */
  public Item<Number> sum() {
    return item("sum", new Aggs.SumNumbers(), new Aggs.SumNumbers(), null, SPLIT_EVERY);
  }

  /**
   * The mean of the elements (numbers), NaN for an empty bag.
   *
   * <pre>{@code
   * double m = Bag.range(5, 2).mean().compute();   // 2.0
   * }</pre>
   */
  public Item<Double> mean() {
    return item("mean", new Aggs.MeanPart(), new Aggs.MeanCombine(), new Aggs.MeanFinish(), SPLIT_EVERY);
  }

  /**
   * The least element ({@code Comparable}s); fails with {@code NoSuchElementException} on an empty
   * bag.
   *
   * <pre>{@code
   * long lo = Bag.range(5, 2).min().compute();   // 0
   * }</pre>
   */
  public Item<T> min() {
    return item("min", new Aggs.Extreme(false), new Aggs.ConcatThen(new Aggs.Extreme(false)), new Aggs.Only("min"),
        SPLIT_EVERY);
  }

  /**
   * The greatest element ({@code Comparable}s); fails with {@code NoSuchElementException} on an
   * empty bag.
   *
   * <pre>{@code
   * long hi = Bag.range(5, 2).max().compute();   // 4
   * }</pre>
   */
  public Item<T> max() {
    return item("max", new Aggs.Extreme(true), new Aggs.ConcatThen(new Aggs.Extreme(true)), new Aggs.Only("max"),
        SPLIT_EVERY);
  }

  /**
   * Folds each partition with {@code binop} starting from {@code initial}, then the partial results
   * with {@code combine} (a tree of {@value #SPLIT_EVERY}), like {@code Bag.fold(binop, combine,
   * initial)}. {@code initial} must be an identity of {@code binop}: it starts every partition.
   *
   * <pre>{@code
   * int chars = Bag.fromSequence(List.of("a", "bb"), 2).fold(0, (n, s) -> n + s.length(), Integer::sum).compute();
   * }</pre>
   */
  public <A> Item<A> fold(A initial, Fn.F2<A, ? super T, A> binop, Fn.F2<A, A, A> combine) {
    return item("fold", new Aggs.FoldPart(true, initial, binop), new Aggs.FoldCombine(combine),
        new Aggs.Only("fold"), SPLIT_EVERY);
  }

  /**
   * Reduces all elements with {@code binop} (no initial value); fails with {@code
   * NoSuchElementException} on an empty bag.
   *
   * <pre>{@code
   * long p = Bag.range(5, 2).map(x -> x + 1).fold((a, b) -> a * b).compute();   // 120
   * }</pre>
   */
  public Item<T> fold(Fn.F2<T, T, T> binop) {
    return item("fold", new Aggs.FoldPart(false, null, binop), new Aggs.FoldCombine(binop), new Aggs.Only("fold"),
        SPLIT_EVERY);
  }

  /**
   * A tree reduction, like {@code Bag.reduction(perpartition, aggregate, split_every)}: {@code
   * perPartition} of every partition, then {@code aggregate} of lists of up to {@code splitEvery}
   * results, level by level, until one is left.
   *
   * <pre>{@code
   * Item<Long> n = Bag.range(100, 10).reduction(p -> (long) p.size(), xs -> xs.stream().mapToLong(x -> x).sum(), 4);
   * }</pre>
   */
  public <A> Item<A> reduction(Fn.F1<? super List<T>, A> perPartition, Fn.F1<List<A>, A> aggregate, int splitEvery) {
    if (splitEvery < 2) {
      throw new IllegalArgumentException("splitEvery must be >= 2, got " + splitEvery);
    }
    return item("reduction", perPartition, aggregate, null, splitEvery);
  }

  /** {@link #reduction(Fn.F1, Fn.F1, int)} with {@code splitEvery} {@value #SPLIT_EVERY}. */
  public <A> Item<A> reduction(Fn.F1<? super List<T>, A> perPartition, Fn.F1<List<A>, A> aggregate) {
    return reduction(perPartition, aggregate, SPLIT_EVERY);
  }

  /**
   * {@code Map.Entry(element, count)} for every distinct element, in order of first appearance, in
   * one partition. A tree reduction of per-partition counts, like {@code Bag.frequencies}.
   *
   * <pre>{@code
   * List<Map.Entry<String, Long>> f = Bag.fromSequence(List.of("a", "b", "a"), 2).frequencies().compute();  // a=2 b=1
   * }</pre>
   */
  public Bag<Map.Entry<T, Long>> frequencies() {
    return reduced("frequencies", new Aggs.CountsPart(), new Aggs.FoldByCombine((Fn.F2<Long, Long, Long>) Long::sum),
        new Aggs.Entries());
  }

  /**
   * The {@code k} elements with the largest {@code key}, largest first, in one partition; among
   * equal keys the earlier element wins. A tree reduction, like {@code Bag.topk(k, key)}.
   *
   * <pre>{@code
   * Bag<Map.Entry<String, Long>> top = words.frequencies().topk(10, Map.Entry::getValue);
   * }</pre>
   */
  public Bag<T> topk(int k, Fn.F1<? super T, ? extends Comparable<?>> key) {
    requirePositive(k, "k");
    Aggs.TopK top = new Aggs.TopK(k, key);
    return reduced("topk", top, new Aggs.ConcatThen(top), null);
  }

  /** The {@code k} largest elements ({@code Comparable}s), largest first. */
  public Bag<T> topk(int k) {
    return topk(k, x -> (Comparable<?>) x);
  }

  /**
   * The distinct elements in order of first appearance, in one partition, like {@code
   * Bag.distinct}.
   *
   * <pre>{@code
   * List<Long> d = Bag.range(10, 3).map(x -> x % 3).distinct().compute();   // 0 1 2
   * }</pre>
   */
  public Bag<T> distinct() {
    return reduced("distinct", new Aggs.Distinct(), new Aggs.ConcatThen(new Aggs.Distinct()), null);
  }

  /**
   * Per key, folds the elements with {@code binop} starting from {@code initial}, then the partial
   * results with {@code combine}: {@code Map.Entry(key, value)} in one partition, keys in order of
   * first appearance. A tree reduction of per-partition maps, like {@code Bag.foldby}: no shuffle.
   *
   * <pre>{@code
   * Bag<Map.Entry<Long, Long>> sums = Bag.range(10, 3).foldBy(x -> x % 2, (acc, x) -> acc + x, 0L, Long::sum);
   * }</pre>
   */
  public <K, A> Bag<Map.Entry<K, A>> foldBy(Fn.F1<? super T, ? extends K> key, Fn.F2<A, ? super T, A> binop, A initial,
      Fn.F2<A, A, A> combine) {
    return reduced("foldby", new Aggs.FoldByPart(key, true, initial, binop), new Aggs.FoldByCombine(combine),
        new Aggs.Entries());
  }

  /** Per key, reduces the elements with {@code binop} (the first element of a key starts). */
  public <K> Bag<Map.Entry<K, T>> foldBy(Fn.F1<? super T, ? extends K> key, Fn.F2<T, T, T> binop) {
    return reduced("foldby", new Aggs.FoldByPart(key, false, null, binop), new Aggs.FoldByCombine(binop),
        new Aggs.Entries());
  }

  // ---------------------------------------------------------------- eager

  /**
   * The first {@code n} elements, computing only as many leading partitions as needed: the first,
   * then the next, one at a time, until {@code n} are found or the bag ends. Eager, like {@code
   * Bag.take(n, npartitions=-1)} but without computing the partitions it does not need (a bag whose
   * first partition holds {@code n} elements costs one partition's work).
   *
   * <pre>{@code
   * List<String> head = Bag.readText("/data/*.log").take(5);   // reads only the first file
   * }</pre>
   */
  public List<T> take(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("take needs n >= 0, got " + n);
    }
    List<T> out = new ArrayList<>(n);
    for (int next = 0; out.size() < n && next < npartitions; next++) {
      List<T> got = new Partitions<>(this, next, next + 1).compute();
      out.addAll(got.subList(0, Math.min(got.size(), n - out.size())));
    }
    return out;
  }

  /**
   * Writes every partition as a text file (one element per line, {@code toString()}) and returns
   * the paths, like {@code Bag.to_textfiles}. {@code pattern}'s {@code *} is replaced by the
   * partition number; without {@code *} it names a directory that gets {@code 0.part}, {@code
   * 1.part}, ... A name ending in {@code .gz} is gzip-compressed. Each file appears whole or not at
   * all (written under a temporary name, then renamed): a failing partition leaves no file of its
   * own and no temporary file. Eager.
   *
   * <pre>{@code
   * List<Path> files = Bag.range(100, 4).toTextFiles("/tmp/out/part-*.txt");
   * }</pre>
   */
  public List<Path> toTextFiles(String pattern) {
    String out = Tokenize.name("to-textfiles", name, pattern);
    Bag<String> writes = derived(out, npartitions, i -> Task.of(new PartFns.WriteText(fileName(pattern, i)), key(i)));
    List<Path> paths = new ArrayList<>();
    Object computed = writes.compute();
    for (Object p : (List<?>) computed) {
      paths.add(Path.of((String) p));
    }
    return paths;
  }

  // ---------------------------------------------------------------- collection protocol

  /**
   * A {@code DFrame} with one partition per bag partition, like dask's {@code to_dataframe}: each
   * element is a row, read from a {@code Map} by column name, a record by component name, or a
   * {@code List}/array by position; missing keys and nulls become missing values.
   *
   * <pre>{@code
   * DFrame df = Bag.readJson("logs/*.json")
   *     .toDataFrame(Schema.of(List.of("name", "amount"), List.of(DType.STRING, DType.DOUBLE)));
   * }</pre>
   */
  public io.jask.dataframe.DFrame toDataFrame(io.jask.io.Schema schema) {
    String out = Tokenize.name("to-dataframe", name, schema.names(), schema.types().toString());
    Map<Key, Task> tasks = new java.util.LinkedHashMap<>();
    io.jask.bag.internal.RowsToTable fn = new io.jask.bag.internal.RowsToTable(schema);
    for (int i = 0; i < npartitions; i++) {
      tasks.put(Key.of(out, i), Task.of(fn, Key.of(name, i)));
    }
    Graph g = graph().with(Layer.of(out, Set.of(name), tasks));
    return io.jask.dataframe.DFrame.fromGraph(g, out, npartitions, schema);
  }

  /** The number of partitions. */
  public int npartitions() {
    return npartitions;
  }

  /** The name shared by this bag's partition keys. */
  public String name() {
    return name;
  }

  @Override
  public Graph graph() {
    Graph g = graph;
    if (g == null) {
      List<Task> hs = heads;
      Step[] st = steps;
      String n = name;
      Layer layer = Layer.lazy(name, inputNames, () -> {
        Map<Key, Task> tasks = new LinkedHashMap<>(hs.size() * 2);
        for (int i = 0; i < hs.size(); i++) {
          Task h = hs.get(i);
          tasks.put(Key.of(n, i), st.length == 0 ? h : Task.of(new Pipeline(h.fn(), st), h.args()));
        }
        return tasks;
      });
      graph = g = inputs.with(layer);
    }
    return g;
  }

  @Override
  public List<Key> keys() {
    List<Key> keys = new ArrayList<>(npartitions);
    for (int i = 0; i < npartitions; i++) {
      keys.add(key(i));
    }
    return keys;
  }

  /** The concatenation of the partitions. */
  @Override
  @SuppressWarnings("unchecked")
  public List<T> finalize(List<Object> results) {
    int n = 0;
    for (Object r : results) {
      n += ((List<?>) r).size();
    }
    List<T> out = new ArrayList<>(n);
    for (Object r : results) {
      out.addAll((List<T>) r);
    }
    return out;
  }

  @Override
  public Bag<T> rebuild(Graph graph) {
    return new Bag<>(name, npartitions, graph);
  }

  /** Computes all partitions and returns their elements in order. */
  @Override
  public List<T> compute() {
    return JaskCollection.super.compute();
  }

  /** Computes the partitions and returns a bag whose graph holds them (in memory or on the workers). */
  @SuppressWarnings("unchecked")
  public Bag<T> persist() {
    return (Bag<T>) Jask.persist(this).get(0);
  }

  /** Writes the task graph to {@code file}: DOT, or SVG/PNG when Graphviz {@code dot} is installed. */
  public Path visualize(Path file) {
    return Jask.visualize(file, this);
  }

  @Override
  public String toString() {
    return "Bag(" + name + ", npartitions=" + npartitions + ")";
  }

  // ---------------------------------------------------------------- internals

  Key key(int i) {
    return Key.of(name, i);
  }

  private static <T> Bag<T> source(String name, List<Task> heads) {
    return new Bag<>(name, Graph.empty(), Set.of(), heads, NO_STEPS);
  }

  private <R> Bag<R> withStep(String prefix, Step step) {
    String out = Tokenize.name(prefix, name, step);
    Step[] more = Arrays.copyOf(steps, steps.length + 1);
    more[steps.length] = step;
    if (heads == null) {
      List<Task> hs = new ArrayList<>(npartitions);
      for (int i = 0; i < npartitions; i++) {
        hs.add(Task.of(Pipeline.Identity.INSTANCE, key(i)));
      }
      return new Bag<>(out, inputs, Set.of(name), hs, more);
    }
    return new Bag<>(out, inputs, inputNames, heads, more);
  }

  /** A bag of {@code n} partitions made by tasks that read this bag's keys. */
  private <R> Bag<R> derived(String out, int n, IntFunction<Task> task) {
    List<Task> hs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      hs.add(task.apply(i));
    }
    return new Bag<>(out, graph(), Set.of(name), hs, NO_STEPS);
  }

  /** The layer of a tree reduction whose root is {@code root}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private Graph tree(String layerName, Key root, Fn.F1 per, Fn.F1 combine, Fn.F1 finish, int splitEvery) {
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> level = new ArrayList<>(npartitions);
    TaskFn perFn = new Reduce.PerPartition(per);
    for (int i = 0; i < npartitions; i++) {
      Key k = Key.of(layerName, 0, i);
      tasks.put(k, Task.of(perFn, key(i)));
      level.add(k);
    }
    TaskFn combineFn = new Reduce.Combine(combine, null);
    for (int depth = 1; level.size() > splitEvery; depth++) {
      List<Key> next = new ArrayList<>();
      for (int g = 0; g * splitEvery < level.size(); g++) {
        Key k = Key.of(layerName, depth, g);
        tasks.put(k, Task.of(combineFn, new ArrayList<>(level.subList(g * splitEvery,
            Math.min(level.size(), (g + 1) * splitEvery)))));
        next.add(k);
      }
      level = next;
    }
    tasks.put(root, Task.of(new Reduce.Combine(combine, finish), level));
    return graph().with(Layer.of(layerName, Set.of(name), tasks));
  }

  @SuppressWarnings("rawtypes")
  private <R> Item<R> item(String prefix, Fn.F1 per, Fn.F1 combine, Fn.F1 finish, int splitEvery) {
    String n = Tokenize.name(prefix, name, per, combine, finish, splitEvery);
    Key root = Key.of(n);
    return new Item<>(root, tree(n, root, per, combine, finish, splitEvery));
  }

  @SuppressWarnings("rawtypes")
  private <R> Bag<R> reduced(String prefix, Fn.F1 per, Fn.F1 combine, Fn.F1 finish) {
    String n = Tokenize.name(prefix, name, per, combine, finish);
    return new Bag<>(n, 1, tree(n, Key.of(n, 0), per, combine, finish, SPLIT_EVERY));
  }

  private static List<Task> heads(List<Block> blocks, java.util.function.Function<Block, TaskFn> read) {
    List<Task> heads = new ArrayList<>(blocks.size());
    for (Block b : blocks) {
      heads.add(Task.of(read.apply(b)));
    }
    return heads;
  }

  /** Modification times and sizes, so that a changed file gets new keys. */
  private static List<Object> fileStamps(List<Block> blocks) {
    List<Object> out = new ArrayList<>();
    String last = "";
    for (Block b : blocks) {
      if (!b.file().equals(last)) {
        last = b.file();
        try {
          Path p = Path.of(last);
          out.add(List.of(last, Files.size(p), Files.getLastModifiedTime(p).toMillis()));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot stat " + last, e);
        }
      }
    }
    return out;
  }

  private static String fileName(String pattern, int i) {
    if (pattern.contains("*")) {
      return pattern.replace("*", Integer.toString(i));
    }
    return Path.of(pattern, i + ".part").toString();
  }

  private static void requirePositive(int n, String what) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be >= 1, got " + n);
    }
  }

  /** Some leading partitions of a bag, as one collection (for {@link #take}). */
  private record Partitions<T>(Bag<T> bag, int from, int to) implements JaskCollection<List<T>> {
    @Override
    public Graph graph() {
      return bag.graph();
    }

    @Override
    public List<Key> keys() {
      return bag.keys().subList(from, to);
    }

    @Override
    public List<T> finalize(List<Object> results) {
      return bag.finalize(results);
    }

    @Override
    public JaskCollection<List<T>> rebuild(Graph graph) {
      return new Partitions<>(bag.rebuild(graph), from, to);
    }
  }
}
