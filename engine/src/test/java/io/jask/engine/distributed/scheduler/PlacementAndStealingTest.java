package io.jask.engine.distributed.scheduler;

import static io.jask.engine.distributed.scheduler.Harness.computed;
import static io.jask.engine.distributed.scheduler.Harness.k;
import static io.jask.engine.distributed.scheduler.Harness.msgs;
import static io.jask.engine.distributed.scheduler.Harness.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where tasks go: input locality, root-task queuing and work stealing. */
class PlacementAndStealingTest {

  @Test
  void placement_prefersWorkerHoldingTheBiggerInput() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    h.submit("c", List.of(spec("small", 0), spec("big", 1)), k("small"), k("big"));
    assertEquals(List.of(k("small")), h.s.processing("w1"));
    assertEquals(List.of(k("big")), h.s.processing("w2"));
    h.finish("w1", k("small"), 1_000);
    h.finish("w2", k("big"), 50_000_000);
    List<Send> out = h.submit("c", List.of(spec("join", 2, "small", "big")), k("join"));
    assertEquals(List.of(k("join")), computed(out, "w2"));
  }

  @Test
  void placement_busyHolderLosesToIdleWorker() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    h.submit("c", List.of(spec("in", 0)), k("in"));
    h.finish("w1", k("in"), 1_000_000); // 10 ms to move at 100 MB/s
    List<Msg.TaskSpec> pinned = new ArrayList<>();
    List<Key> wanted = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      pinned.add(new Msg.TaskSpec(Key.of("pinned", i), new byte[0], List.of(), i, 0, Set.of("w1"), true));
      wanted.add(Key.of("pinned", i));
    }
    h.submit("c", pinned, wanted.toArray(Key[]::new));
    assertEquals(20, h.s.processing("w1").size(), "restricted tasks are not queued");
    List<Send> out = h.submit("c", List.of(spec("use", 0, "in")), k("use"));
    assertEquals(List.of(k("use")), computed(out, "w2"), "10 s of queue on w1 vs 10 ms of transfer");
  }

  /**
   * A shuffle's outputs each take one part of every split: what a worker lacks is its share of the
   * splits it does not hold, not the whole splits, so the outputs spread over both workers even
   * when one holds more splits (counting whole splits put 14 of 20 on the worker with 12 splits).
   */
  @ParameterizedTest(name = "{0} of 20 splits on w1")
  @ValueSource(ints = {10, 12, 15})
  void placement_shuffleOutputsTakingPartsSpreadEvenly(int onW1) {
    Harness h = new Harness(Harness.opts(3, false, 1.1));
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    int n = 20;
    List<Msg.TaskSpec> splits = new ArrayList<>();
    List<Key> splitKeys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Key key = Key.of("split", i);
      splits.add(new Msg.TaskSpec(key, new byte[0], List.of(), i, 0, Set.of(i < onW1 ? "w1" : "w2"), true));
      splitKeys.add(key);
    }
    h.submit("c", splits, splitKeys.toArray(Key[]::new));
    for (int i = 0; i < n; i++) {
      h.finish(i < onW1 ? "w1" : "w2", Key.of("split", i), 100_000_000);
    }
    List<Msg.TaskSpec> outputs = new ArrayList<>();
    List<Key> outputKeys = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      java.util.Map<Key, List<Integer>> parts = new java.util.LinkedHashMap<>();
      for (Key s : splitKeys) {
        parts.put(s, List.of(j));
      }
      Key key = Key.of("output", j);
      outputs.add(new Msg.TaskSpec(key, new byte[0], splitKeys, n + j, 0, Set.of(), true, parts));
      outputKeys.add(key);
    }
    List<Send> out = h.submit("c", outputs, outputKeys.toArray(Key[]::new));
    assertEquals(n, computed(out, null).size());
    // each part is 5 MB: w1 lacks (20 - onW1) x 5 MB, w2 onW1 x 5 MB; at 100 MB/s and 0.5 s per
    // output (no duration known yet) that difference is worth at most one output more on w1
    int w1 = computed(out, "w1").size();
    assertTrue(w1 >= n / 2 && w1 <= n / 2 + 1, w1 + " of " + n + " outputs on w1");
    assertEquals(n - w1, computed(out, "w2").size());
  }

  @Test
  void placement_wholeInputStillCountsWhole() {
    // the same shape without parts: each output needs every split whole, so locality wins
    Harness h = new Harness(Harness.opts(3, false, 1.1));
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    List<Msg.TaskSpec> splits = new ArrayList<>();
    List<Key> splitKeys = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Key key = Key.of("split", i);
      splits.add(new Msg.TaskSpec(key, new byte[0], List.of(), i, 0, Set.of(i < 3 ? "w1" : "w2"), true));
      splitKeys.add(key);
    }
    h.submit("c", splits, splitKeys.toArray(Key[]::new));
    for (int i = 0; i < 4; i++) {
      h.finish(i < 3 ? "w1" : "w2", Key.of("split", i), 1_000_000_000);
    }
    List<Send> out = h.submit("c", List.of(new Msg.TaskSpec(k("all"), new byte[0], splitKeys, 9, 0, Set.of(), true)), k("all"));
    assertEquals(List.of(k("all")), computed(out, "w1"));
  }

  @Test
  void rootTaskQueuing_onlySaturationWorthIsProcessing_restDrainsInPriorityOrder() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    List<Msg.TaskSpec> specs = new ArrayList<>();
    List<Key> keys = new ArrayList<>();
    for (int i = 99; i >= 0; i--) { // submitted out of order; priority i
      specs.add(spec(Key.of("root", i), i));
      keys.add(Key.of("root", i));
    }
    List<Send> out = h.submit("c", specs, keys.toArray(Key[]::new));
    // ceil(1 thread × 1.1) = 2 tasks per worker
    assertEquals(List.of(Key.of("root", 0), Key.of("root", 1), Key.of("root", 2), Key.of("root", 3)), computed(out, null));
    assertEquals(96, h.s.queued().size());
    assertEquals(Key.of("root", 4), h.s.queued().get(0));
    List<Key> order = new ArrayList<>(computed(out, null));
    while (h.s.countsByState().get(TaskState.MEMORY) < 100) {
      for (String w : h.s.workers()) {
        List<Key> p = h.s.processing(w);
        if (!p.isEmpty()) {
          assertTrue(p.size() <= 2);
          order.addAll(computed(h.finish(w, p.get(0), 1), null));
        }
      }
      assertTrue(h.s.countsByState().get(TaskState.PROCESSING) <= 4);
    }
    for (int i = 0; i < 100; i++) {
      assertEquals(Key.of("root", i), order.get(i));
    }
  }

  @Test
  void userPriority_runsBeforeEarlierSubmissions() {
    Harness h = new Harness(Harness.opts(3, false, 1.0));
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("first", 0), spec("second", 1)), k("first"), k("second"));
    h.submit("c", 5, List.of(spec("urgent", 0)), k("urgent"));
    assertEquals(List.of(k("urgent"), k("second")), h.s.queued());
  }

  @Test
  void stealing_movesExtraTasksFromBusyWorkerToIdleOne() {
    Harness h = new Harness(Harness.opts(3, true, Double.POSITIVE_INFINITY));
    h.client("c");
    h.worker("w1", 2);
    List<Msg.TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      specs.add(spec(Key.of("t", i), i));
    }
    h.submit("c", specs, specs.stream().map(Msg.TaskSpec::key).toArray(Key[]::new));
    assertEquals(6, h.s.processing("w1").size());
    assertTrue(msgs(h.tick(), Msg.StealRequest.class, null).isEmpty(), "nobody idle");
    h.worker("w2", 2);
    List<Send> out = h.tick();
    List<Key> asked = msgs(out, Msg.StealRequest.class, "w1").stream().map(Msg.StealRequest::key).toList();
    assertEquals(List.of(Key.of("t", 5), Key.of("t", 4)), asked, "lowest priority first, one per idle thread");
    assertTrue(msgs(h.tick(), Msg.StealRequest.class, null).isEmpty(), "not twice at once");

    out = h.fromWorker("w1", new Msg.StealResponse(Key.of("t", 5), true));
    assertEquals(List.of(Key.of("t", 5)), computed(out, "w2"));
    out = h.fromWorker("w1", new Msg.StealResponse(Key.of("t", 4), false));
    assertTrue(out.isEmpty());
    assertEquals("w1", h.s.processingOn(Key.of("t", 4)).orElseThrow());

    out = h.tick();
    List<Key> again = msgs(out, Msg.StealRequest.class, "w1").stream().map(Msg.StealRequest::key).toList();
    assertEquals(List.of(Key.of("t", 3)), again, "a task that started is not asked for again");
    assertTrue(msgs(h.finish("w1", Key.of("t", 5), 1), Msg.KeyInMemory.class, null).isEmpty(),
        "a stolen task's late result from its old worker is not taken");
  }

  @Test
  void stealing_off_sendsNoRequests() {
    Harness h = new Harness(Harness.opts(3, false, Double.POSITIVE_INFINITY));
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0), spec("b", 1), spec("c", 2)), k("a"), k("b"), k("c"));
    h.worker("w2", 1);
    assertTrue(msgs(h.tick(), Msg.StealRequest.class, null).isEmpty());
  }

  @Test
  void pausedWorker_getsNoNewWork_untilItRecovers() {
    Harness h = new Harness();
    h.client("c");
    h.on(new Event.WorkerConnected("w1", new Msg.RegisterWorker("w1", "w1", 1, 1000, 1, List.of())));
    h.fromWorker("w1", new Msg.Heartbeat(0, 0, 900, 900, 0, 0.5));
    assertTrue(h.s.worker("w1").orElseThrow().paused());
    Msg.TaskSpec s = new Msg.TaskSpec(k("a"), new byte[0], List.of(), 0, 0, Set.of("w1"), true);
    h.submit("c", List.of(s), k("a"));
    assertEquals(TaskState.NO_WORKER, h.s.stateOf(k("a")));
    List<Send> out = h.fromWorker("w1", new Msg.Heartbeat(0, 0, 100, 100, 0, 0.5));
    assertEquals(List.of(k("a")), computed(out, "w1"));
  }
  /**
   * A worker that pauses with tasks in its queue starts none of them; the scheduler takes them to
   * an idle worker even when there are no more of them than its threads (what kept the last task
   * of a graph on a worker paused for good while the other one sat idle).
   */
  @Test
  void stealing_takesUnstartedTasksFromPausedWorker() {
    Harness h = new Harness(Harness.opts(3, true, Double.POSITIVE_INFINITY));
    h.client("c");
    h.worker("w1", 2);
    h.submit("c", List.of(spec("a", 0), spec("b", 1)), k("a"), k("b"));
    assertEquals(2, h.s.processing("w1").size());
    h.worker("w2", 1);
    assertTrue(msgs(h.tick(), Msg.StealRequest.class, null).isEmpty(), "w1 runs both: nothing extra");
    h.fromWorker("w1", new Msg.Heartbeat(2, 0, 900, 900, 0, 0.5, new Msg.WorkerMemory(900, 0, 0, 1000, true)));
    assertTrue(h.s.worker("w1").orElseThrow().paused());
    List<Key> asked = msgs(h.tick(), Msg.StealRequest.class, "w1").stream().map(Msg.StealRequest::key).toList();
    assertEquals(List.of(k("b")), asked, "one idle thread: the least urgent task");
    List<Send> out = h.fromWorker("w1", new Msg.StealResponse(k("b"), false));
    assertTrue(out.isEmpty(), "it had started: stays");
    asked = msgs(h.tick(), Msg.StealRequest.class, "w1").stream().map(Msg.StealRequest::key).toList();
    assertEquals(List.of(k("a")), asked, "the other one is still extra on a paused worker");
    out = h.fromWorker("w1", new Msg.StealResponse(k("a"), true));
    assertEquals(List.of(k("a")), computed(out, "w2"));
    assertTrue(msgs(h.tick(), Msg.StealRequest.class, null).isEmpty(), "w2 is busy now; b started on w1");
  }
}
