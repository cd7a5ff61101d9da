package io.jask.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Jask;
import io.jask.engine.JaskTaskException;
import io.jask.engine.config.Config;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bag operation against the same computation with Java streams, on every scheduler. */
class BagOperationsTest {

  static Stream<org.junit.jupiter.params.provider.Arguments> cases() {
    return Cases.schedulersAndSeeds();
  }

  @ParameterizedTest(name = "[{index}] scheduler={0} seed={1}")
  @MethodSource("cases")
  void elementWise_mapFilterFlatMapPluck_matchStreams(String scheduler, long seed) {
    Random r = new Random(seed);
    List<Integer> data = Cases.ints(r, 300, 50);
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Bag<Integer> b = Cases.bag(r, seed, data);
      assertEquals(data, b.compute(), "seed " + seed);
      assertEquals(data.stream().map(x -> x * 3).filter(x -> x % 2 == 0).collect(Collectors.toList()),
          b.map(x -> x * 3).filter(x -> x % 2 == 0).compute());
      assertEquals(data.stream().flatMap(x -> Stream.of(x, -x)).collect(Collectors.toList()),
          b.flatMap(x -> List.of(x, -x)).compute());
      assertEquals(data.stream().map(x -> x + 1).collect(Collectors.toList()),
          b.map(x -> Map.of("v", x + 1, "w", x)).pluck("v").compute());
      assertEquals(data.stream().map(x -> x * 2).collect(Collectors.toList()),
          b.map(x -> List.of(x, x * 2)).pluck(1).compute());
      assertEquals(data.stream().flatMap(x -> Stream.of(x, x)).collect(Collectors.toList()),
          b.map(x -> List.of(x, x)).flatten().compute());
      assertEquals(data.stream().map(x -> x % 5).collect(Collectors.toList()),
          b.mapPartitions(p -> p.stream().map(x -> x % 5).collect(Collectors.toList())).compute());
    }
  }

  @ParameterizedTest(name = "[{index}] scheduler={0} seed={1}")
  @MethodSource("cases")
  void reductions_countSumMeanMinMaxFold_matchStreams(String scheduler, long seed) {
    Random r = new Random(seed);
    List<Integer> data = Cases.ints(r, 300, 1000);
    if (data.isEmpty()) {
      data = List.of(7);
    }
    List<Integer> xs = data;
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Bag<Integer> b = Cases.bag(r, seed, xs);
      Item<Long> count = b.count();
      Item<Number> sum = b.sum();
      Item<Double> mean = b.mean();
      Item<Integer> min = b.min();
      Item<Integer> max = b.max();
      Item<Integer> fold = b.fold(0, (a, x) -> a + x * x, Integer::sum);
      Item<Integer> fold2 = b.fold(Math::max);
      Item<Long> reduction = b.reduction(p -> (long) p.size() * 2, ps -> ps.stream().mapToLong(x -> x).sum(), 2);
      List<Object> out = Jask.compute(count, sum, mean, min, max, fold, fold2, reduction);
      assertEquals((long) xs.size(), out.get(0));
      assertEquals(xs.stream().mapToLong(x -> x).sum(), out.get(1));
      assertEquals(xs.stream().mapToInt(x -> x).average().orElseThrow(), (Double) out.get(2), 1e-9);
      assertEquals(xs.stream().min(Integer::compare).orElseThrow(), out.get(3));
      assertEquals(xs.stream().max(Integer::compare).orElseThrow(), out.get(4));
      assertEquals(xs.stream().mapToInt(x -> x * x).sum(), out.get(5));
      assertEquals(xs.stream().max(Integer::compare).orElseThrow(), out.get(6));
      assertEquals(2L * xs.size(), out.get(7));
      assertEquals(xs.stream().mapToDouble(x -> x / 2.0).sum(), (Double) b.map(x -> x / 2.0).sum().compute(), 1e-6);
      assertEquals("n=" + xs.size(), count.map(c -> "n=" + c).compute());
    }
  }

  @ParameterizedTest(name = "[{index}] scheduler={0} seed={1}")
  @MethodSource("cases")
  void keyed_frequenciesTopkDistinctFoldByGroupBy_matchStreams(String scheduler, long seed) {
    Random r = new Random(seed);
    List<Integer> xs = Cases.ints(r, 300, 40);
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Bag<Integer> b = Cases.bag(r, seed, xs);
      Map<Integer, Long> freq = xs.stream().collect(Collectors.groupingBy(x -> x, LinkedHashMap::new, Collectors.counting()));
      List<Map.Entry<Integer, Long>> gotFreq = b.frequencies().compute();
      assertEquals(new ArrayList<>(freq.entrySet()), gotFreq, "frequencies in order of first appearance");

      Comparator<Map.Entry<Integer, Long>> byCount = Map.Entry.comparingByValue();
      assertEquals(freq.entrySet().stream().sorted(byCount.reversed()).limit(5).collect(Collectors.toList()),
          b.frequencies().topk(5, Map.Entry::getValue).compute(), "topk stable on ties");
      assertEquals(xs.stream().sorted(Comparator.reverseOrder()).limit(7).collect(Collectors.toList()),
          b.topk(7).compute());
      assertEquals(xs.stream().sorted(Comparator.comparing((Integer x) -> Math.abs(x)).reversed()).limit(3)
          .collect(Collectors.toList()), b.topk(3, x -> Math.abs(x)).compute());
      assertEquals(xs.stream().distinct().collect(Collectors.toList()), b.distinct().compute());

      Map<Integer, Integer> sums = xs.stream().collect(Collectors.groupingBy(x -> Math.floorMod(x, 7), LinkedHashMap::new,
          Collectors.summingInt(x -> x)));
      List<Map.Entry<Integer, Integer>> folded =
          b.foldBy(x -> Math.floorMod(x, 7), (Integer acc, Integer x) -> acc + x, 0, Integer::sum).compute();
      assertEquals(sums, toMap(folded));
      assertEquals(new ArrayList<>(sums.keySet()), keysOf(folded), "keys in order of first appearance");
      Map<Integer, Integer> maxes = xs.stream().collect(Collectors.toMap(x -> Math.floorMod(x, 5), x -> x, Math::max,
          LinkedHashMap::new));
      assertEquals(maxes, toMap(b.foldBy(x -> Math.floorMod(x, 5), Math::max).compute()));

      for (int nout : new int[] {b.npartitions(), 3}) {
        Bag<Map.Entry<Integer, List<Integer>>> g = b.groupBy(x -> Math.floorMod(x, 6), nout);
        assertEquals(nout, g.npartitions());
        Map<Integer, List<Integer>> expected = xs.stream().collect(Collectors.groupingBy(x -> Math.floorMod(x, 6)));
        List<Map.Entry<Integer, List<Integer>>> got = g.compute();
        assertEquals(expected.size(), got.size(), "each key in exactly one group");
        assertEquals(expected, toMap(got));
      }
    }
  }

  @ParameterizedTest(name = "[{index}] scheduler={0} seed={1}")
  @MethodSource("cases")
  void structure_repartitionProductJoinTake_matchStreams(String scheduler, long seed) {
    Random r = new Random(seed);
    List<Integer> xs = Cases.ints(r, 200, 30);
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Bag<Integer> b = Cases.bag(r, seed, xs);
      for (int n : new int[] {1, 2, 5, 13}) {
        Bag<Integer> rb = b.repartition(n);
        assertEquals(n, rb.npartitions());
        assertEquals(xs, rb.compute(), "repartition(" + n + ") keeps elements and order");
      }
      List<Integer> small = xs.subList(0, Math.min(12, xs.size()));
      Bag<String> other = Bag.fromSequence(List.of("a", "b", "c"), 2);
      List<Pair<Integer, String>> product = small.stream()
          .flatMap(x -> Stream.of("a", "b", "c").map(y -> new Pair<>(x, y))).collect(Collectors.toList());
      List<Pair<Integer, String>> gotProduct = Bag.fromPartitions(Cases.partition(r, seed, small)).product(other).compute();
      assertEquals(sorted(product), sorted(gotProduct));

      List<String> words = IntStream.range(0, 20).mapToObj(i -> "w" + (i % 9)).collect(Collectors.toList());
      Function<String, Integer> wkey = w -> Integer.parseInt(w.substring(1));
      List<Pair<Integer, String>> joined = xs.stream().flatMap(x -> words.stream().filter(w -> wkey.apply(w).equals(x))
          .map(w -> new Pair<>(x, w))).collect(Collectors.toList());
      assertEquals(joined, b.join(words, x -> x, (String w) -> Integer.parseInt(w.substring(1))).compute());

      for (int n : new int[] {0, 1, 5, xs.size(), xs.size() + 3}) {
        assertEquals(xs.subList(0, Math.min(n, xs.size())), b.take(n), "take(" + n + ")");
      }
    }
  }

  @ParameterizedTest(name = "[{index}] scheduler={0} seed={1}")
  @MethodSource("cases")
  void sourcesAndPersist_rangeSequenceDelayed_matchStreams(String scheduler, long seed) {
    Random r = new Random(seed);
    int n = r.nextInt(100);
    int parts = 1 + r.nextInt(6);
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      List<Long> range = Stream.iterate(0L, x -> x + 1).limit(n).collect(Collectors.toList());
      assertEquals(range, Bag.range(n, parts).compute());
      assertEquals(parts, Bag.range(n, parts).npartitions());
      List<Integer> seq = Cases.ints(r, 50, 10);
      assertEquals(seq, Bag.fromSequence(seq, parts).compute());
      io.jask.delayed.Delayed<List<Integer>> d1 = io.jask.delayed.Delayed.call((Integer k) -> List.of(k, k + 1), n);
      io.jask.delayed.Delayed<List<Integer>> d2 = io.jask.delayed.Delayed.value(List.of(-1));
      assertEquals(List.of(n, n + 1, -1), Bag.fromDelayed(List.of(d1, d2)).compute());
      Bag<Long> kept = Bag.range(n, parts).map(x -> x * x).persist();
      assertEquals(range.stream().map(x -> x * x).collect(Collectors.toList()), kept.compute());
      assertEquals(range.stream().mapToLong(x -> x * x).sum(), kept.sum().compute());
    }
  }

  @ParameterizedTest(name = "[{index}] scheduler={0} seed={1}")
  @MethodSource("cases")
  void errors_nameTheProblem(String scheduler, long seed) {
    if (seed != Cases.SEEDS[0]) {
      return;
    }
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      JaskTaskException e = assertThrows(JaskTaskException.class,
          () -> Bag.range(10, 2).map(x -> Map.of("a", x)).pluck("b").compute());
      assertTrue(e.getMessage().contains("no key b"), e.getMessage());
      JaskTaskException m = assertThrows(JaskTaskException.class, () -> Bag.range(4, 2).filter(x -> x > 10).min().compute());
      assertTrue(m.getMessage().contains("min of an empty bag"), m.getMessage());
    }
  }

  private static <K, V> Map<K, V> toMap(List<Map.Entry<K, V>> entries) {
    Map<K, V> m = new LinkedHashMap<>();
    for (Map.Entry<K, V> e : entries) {
      if (m.put(e.getKey(), e.getValue()) != null) {
        throw new AssertionError("key " + e.getKey() + " twice");
      }
    }
    return m;
  }

  private static <K, V> List<K> keysOf(List<Map.Entry<K, V>> entries) {
    return entries.stream().map(Map.Entry::getKey).collect(Collectors.toList());
  }

  private static <A, B> List<String> sorted(List<Pair<A, B>> ps) {
    return ps.stream().map(Pair::toString).sorted().collect(Collectors.toList());
  }
}
