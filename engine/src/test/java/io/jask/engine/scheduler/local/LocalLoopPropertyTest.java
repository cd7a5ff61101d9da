package io.jask.engine.scheduler.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.internal.CompiledGraph;
import io.jask.engine.scheduler.Schedulers;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the local loop over 200 seeded random DAGs of 1 to 2,000 tasks: the results equal
 * direct evaluation, every dependency finishes before its dependent starts, and no intermediate
 * result is held at the end. Each case prints its seed in the test name.
 */
class LocalLoopPropertyTest {

  static Stream<Arguments> cases() {
    return LongStream.range(0, 200).mapToObj(seed -> Arguments.of(seed, seed % 2 == 0 ? 1 : 4));
  }

  @ParameterizedTest(name = "seed={0} threads={1}")
  @MethodSource("cases")
  void randomDag_matchesDirectEvaluation_dependenciesFirst_nothingHeld(long seed, int threads) {
    RandomDags.Dag dag = RandomDags.generate(seed, 2000);
    int n = dag.keys().length;
    Map<Key, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      index.put(dag.keys()[i], i);
    }
    AtomicLong clock = new AtomicLong();
    AtomicLongArray started = new AtomicLongArray(n);
    AtomicLongArray ended = new AtomicLongArray(n);
    TaskRunner recording = (slot, key, task, deps) -> {
      int i = index.get(key);
      started.set(i, clock.incrementAndGet());
      Object v = LocalLoop.runLocally(task, deps);
      ended.set(i, clock.incrementAndGet());
      return v;
    };
    CompiledGraph g = CompiledGraph.compile(dag.tasks(), dag.outputs());
    LocalLoop loop = new LocalLoop(g, threads);
    Map<Key, Object> out = threads == 1 ? loop.runHere(recording) : loop.runOn(LocalScheduler.POOL, recording);

    assertEquals(dag.outputs().size(), out.size(), dag.toString());
    for (Key k : dag.outputs()) {
      assertEquals(dag.expected()[index.get(k)], out.get(k), dag + " key " + k);
    }
    for (int i = 0; i < n; i++) {
      if (started.get(i) == 0) {
        continue; // culled: not needed by any output
      }
      for (int d : dag.deps()[i]) {
        assertTrue(ended.get(d) > 0 && ended.get(d) < started.get(i),
            dag + ": " + dag.keys()[d] + " must finish before " + dag.keys()[i] + " starts");
      }
    }
    assertEquals(0, loop.heldIntermediates(), dag + ": intermediates still held");
  }

  /** The in-JVM backends; processes and distributed run the same property in ClusterRandomDagIT. */
  static Stream<Arguments> backendCases() {
    return Stream.of("sync", "threads")
        .flatMap(name -> LongStream.range(1000, 1025).mapToObj(seed -> Arguments.of(name, seed)));
  }

  @ParameterizedTest(name = "{0} seed={1}")
  @MethodSource("backendCases")
  void randomDag_onEveryScheduler_matchesDirectEvaluation(String scheduler, long seed) {
    RandomDags.Dag dag = RandomDags.generate(seed, 2000);
    Map<Key, Object> out = Schedulers.get(scheduler).get(dag.tasks(), dag.outputs());
    for (Key k : dag.outputs()) {
      int i = java.util.Arrays.asList(dag.keys()).indexOf(k);
      assertEquals(dag.expected()[i], out.get(k), dag + " key " + k);
    }
  }
}
