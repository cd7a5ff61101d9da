package io.jask.engine.distributed.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GraphIntake#planOne}, the path of a one-spec {@code UpdateGraph} (every {@code submit}),
 * gives what the graph path {@link GraphIntake#planGraph} (the oracle) gives for that one spec:
 * over random known records (every state, with and without a spec) and random specs (pure or not,
 * no, known, unknown, null, repeated and self dependencies, a null key or dependency list).
 */
class GraphIntakeTest {

  static LongStream seeds() {
    return LongStream.range(0, 40);
  }

  private static Msg.TaskSpec spec(Key key, List<Key> deps, boolean pure) {
    return new Msg.TaskSpec(key, new byte[] {1}, deps, 0, 0, Set.of(), pure);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void oneSpec_planOneAgreesWithTheGraphPath(long seed) {
    Random r = new Random(seed);
    List<Key> universe = new ArrayList<>();
    for (int i = 0; i < 2 + r.nextInt(8); i++) {
      universe.add(Key.of("k" + seed + "-" + i));
    }
    Map<Key, TaskRecord> known = new HashMap<>();
    TaskState[] states = TaskState.values();
    for (Key k : universe) {
      if (r.nextInt(3) > 0) {
        TaskRecord t = new TaskRecord(k, r.nextBoolean() ? spec(k, List.of(), true) : null, new Priority(0, 0, 0));
        t.state = states[r.nextInt(states.length)];
        known.put(k, t);
      }
    }
    for (int c = 0; c < 200; c++) {
      Key key = r.nextInt(25) == 0 ? null : r.nextInt(3) == 0 ? Key.of("new" + seed + "-" + c) : universe.get(r.nextInt(universe.size()));
      List<Key> deps = null;
      if (r.nextInt(25) > 0) {
        deps = new ArrayList<>();
        for (int d = r.nextInt(4); d > 0; d--) {
          int pick = r.nextInt(10);
          deps.add(pick == 0 ? null : pick == 1 ? key : pick == 2 ? Key.of("missing-" + c) : universe.get(r.nextInt(universe.size())));
        }
      }
      Msg.TaskSpec s = r.nextInt(30) == 0 ? null : spec(key, deps, r.nextBoolean());
      List<Msg.TaskSpec> one = new ArrayList<>();
      one.add(s);
      GraphIntake.Plan fast = GraphIntake.planOne(known, s);
      GraphIntake.Plan oracle = GraphIntake.planGraph(known, one);
      String what = "case " + c + ": " + s + " against " + known.keySet();
      assertEquals(oracle.accepted(), fast.accepted(), what);
      assertEquals(List.copyOf(oracle.rejected()), List.copyOf(fast.rejected()), what);
      assertEquals(oracle.resets(), fast.resets(), what);
      assertEquals(oracle, GraphIntake.plan(known, one), what);
    }
  }
}
