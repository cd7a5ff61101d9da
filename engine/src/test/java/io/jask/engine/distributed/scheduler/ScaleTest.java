package io.jask.engine.distributed.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Long chains and wide fan-ins: no recursion limits, no quadratic bookkeeping. */
class ScaleTest {

  @Test
  void longChain_runsToTheEnd_withoutDeepRecursion() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      SchedulerState s = new SchedulerState(SchedulerState.Options.defaults());
      List<Send> out = new ArrayList<>();
      s.handle(0, new Event.ClientConnected("c"), out);
      s.handle(0, new Event.WorkerConnected("w1", new Msg.RegisterWorker("w1", "w1", 4, 0, 1, List.of())), out);
      int n = 50_000;
      List<Msg.TaskSpec> specs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        List<Key> deps = i == 0 ? List.of() : List.of(Key.of("chain", i - 1));
        specs.add(new Msg.TaskSpec(Key.of("chain", i), new byte[0], deps, i, 0, Set.of(), true));
      }
      s.handle(0, new Event.FromClient("c", new Msg.UpdateGraph("c", specs, List.of(Key.of("chain", n - 1)), 0)), out);
      for (int i = 0; i < n; i++) {
        s.handle(0, new Event.FromWorker("w1", new Msg.TaskFinished(Key.of("chain", i), 8, "T", 0, 1000)), out);
      }
      assertEquals(TaskState.MEMORY, s.stateOf(Key.of("chain", n - 1)));
      assertEquals(1, s.heldBy("w1").size(), "every intermediate freed");
      // losing the result recomputes the whole chain from released specs
      out.clear();
      s.handle(0, new Event.WorkerConnected("w2", new Msg.RegisterWorker("w2", "w2", 4, 0, 1, List.of())), out);
      s.handle(0, new Event.WorkerGone("w1", "test"), out);
      assertEquals(TaskState.PROCESSING, s.stateOf(Key.of("chain", 0)));
      assertEquals(n - 1, s.countsByState().get(TaskState.WAITING));
    });
  }

  @Test
  void wideFanIn_finishesInLinearTime() {
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      SchedulerState s = new SchedulerState(SchedulerState.Options.defaults());
      List<Send> out = new ArrayList<>();
      s.handle(0, new Event.ClientConnected("c"), out);
      for (int w = 0; w < 8; w++) {
        s.handle(0, new Event.WorkerConnected("w" + w, new Msg.RegisterWorker("w" + w, "w" + w, 2, 0, 1, List.of())), out);
      }
      int n = 20_000;
      List<Msg.TaskSpec> specs = new ArrayList<>();
      List<Key> parts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        specs.add(new Msg.TaskSpec(Key.of("part", i), new byte[0], List.of(), i, 0, Set.of(), true));
        parts.add(Key.of("part", i));
      }
      specs.add(new Msg.TaskSpec(Key.of("total"), new byte[0], parts, n, 0, Set.of(), true));
      s.handle(0, new Event.FromClient("c", new Msg.UpdateGraph("c", specs, List.of(Key.of("total")), 0)), out);
      while (s.stateOf(Key.of("total")) != TaskState.PROCESSING) {
        for (String w : s.workers()) {
          List<Key> p = s.processing(w);
          if (!p.isEmpty()) {
            s.handle(0, new Event.FromWorker(w, new Msg.TaskFinished(p.get(0), 8, "T", 0, 1000)), out);
          }
        }
      }
      s.handle(0, new Event.FromWorker(s.processingOn(Key.of("total")).orElseThrow(),
          new Msg.TaskFinished(Key.of("total"), 8, "T", 0, 1000)), out);
      assertEquals(1, s.keys().size() - s.countsByState().get(TaskState.RELEASED));
      assertEquals(TaskState.MEMORY, s.stateOf(Key.of("total")));
    });
  }
}
