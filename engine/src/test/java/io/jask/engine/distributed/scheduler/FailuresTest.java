package io.jask.engine.distributed.scheduler;

import static io.jask.engine.distributed.scheduler.Harness.computed;
import static io.jask.engine.distributed.scheduler.Harness.freed;
import static io.jask.engine.distributed.scheduler.Harness.k;
import static io.jask.engine.distributed.scheduler.Harness.msgs;
import static io.jask.engine.distributed.scheduler.Harness.spec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Task errors, retries, dead workers, lost and missing data. */
class FailuresTest {

  @Test
  void taskErred_withRetriesLeft_isRescheduled_thenErred() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    Msg.TaskSpec s = new Msg.TaskSpec(k("flaky"), new byte[0], List.of(), 0, 2, Set.of(), true);
    h.submit("c", List.of(s), k("flaky"));
    for (int i = 0; i < 2; i++) {
      List<Send> out = h.err("w1", k("flaky"));
      assertEquals(List.of(k("flaky")), computed(out, "w1"), "retry " + i);
      assertTrue(msgs(out, Msg.KeyErred.class, null).isEmpty());
    }
    List<Send> out = h.err("w1", k("flaky"));
    assertEquals(TaskState.ERRED, h.s.stateOf(k("flaky")));
    List<Msg.KeyErred> errs = msgs(out, Msg.KeyErred.class, "c");
    assertEquals(1, errs.size());
    assertEquals("java.lang.IllegalStateException", errs.get(0).exceptionClass());
    assertArrayEquals(new byte[] {1}, errs.get(0).exception());
  }

  @Test
  void error_propagatesToWaitingDependents_andEveryWantingClient() {
    Harness h = new Harness();
    h.client("c1");
    h.client("c2");
    h.worker("w1", 2);
    h.submit("c1", List.of(spec("a", 0), spec("ok", 0), spec("b", 1, "a", "ok"), spec("c", 2, "b")), k("c"));
    h.submit("c2", List.of(spec("c", 2, "b")), k("c"), k("b"));
    h.finish("w1", k("ok"), 1);
    List<Send> out = h.err("w1", k("a"));
    for (String key : List.of("a", "b", "c")) {
      assertEquals(TaskState.ERRED, h.s.stateOf(k(key)), key);
      assertEquals(k("a"), h.s.blameOf(k(key)).orElseThrow());
    }
    assertEquals(List.of(k("c")), msgs(out, Msg.KeyErred.class, "c1").stream().map(Msg.KeyErred::key).toList());
    assertEquals(Set.of(k("b"), k("c")), Set.copyOf(msgs(out, Msg.KeyErred.class, "c2").stream().map(Msg.KeyErred::key).toList()));
    assertTrue(msgs(out, Msg.KeyErred.class, null).stream().allMatch(e -> e.failedKey().equals(k("a"))));
    assertEquals(List.of(k("ok")), freed(out, "w1"), "inputs of failed work are freed");

    out = h.submit("c1", List.of(spec("d", 3, "c")), k("d"));
    assertEquals(k("a"), msgs(out, Msg.KeyErred.class, "c1").get(0).failedKey(), "new work on an erred key fails at once");
    h.release("c1", k("c"), k("d"));
    h.release("c2", k("c"), k("b"));
    assertEquals(0, h.s.keys().size());
  }

  @Test
  void impureResubmission_ofErredKey_runsItAgain() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0)), k("a"));
    h.err("w1", k("a"));
    List<Send> out = h.submit("c", List.of(spec("a", 0)), k("a"));
    assertEquals(1, msgs(out, Msg.KeyErred.class, "c").size(), "pure resubmission keeps the error");
    Msg.TaskSpec impure = new Msg.TaskSpec(k("a"), new byte[0], List.of(), 0, 0, Set.of(), false);
    out = h.submit("c", List.of(impure), k("a"));
    assertEquals(List.of(k("a")), computed(out, "w1"));
  }

  @Test
  void workerDies_processingTasksAreRescheduled() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    h.submit("c", List.of(spec("a", 0), spec("b", 1)), k("a"), k("b"));
    assertEquals(List.of(k("a")), h.s.processing("w1"));
    List<Send> out = h.gone("w1");
    assertEquals(List.of(k("a")), computed(out, "w2"));
    assertEquals(1, h.s.suspiciousCount(k("a")));
    h.finish("w1", k("a"), 1); // late message from the dead worker
    assertEquals(TaskState.PROCESSING, h.s.stateOf(k("a")));
  }

  @Test
  void workerDies_onlyCopyOfNeededKey_isRecomputed() {
    Harness h = new Harness(Harness.opts(3, false, Double.POSITIVE_INFINITY));
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0), spec("slow", 1)), k("a"), k("slow"));
    h.finish("w1", k("a"), 1);
    h.worker("w2", 1);
    h.submit("c", List.of(spec("x", 0, "a", "slow")), k("x"));
    h.release("c", k("a"));
    assertEquals(TaskState.MEMORY, h.s.stateOf(k("a")), "still needed by x");
    List<Send> out = h.gone("w1");
    assertEquals(List.of(k("a"), k("slow")), computed(out, "w2"));
    assertEquals(TaskState.WAITING, h.s.stateOf(k("x")));
  }

  @Test
  void workerDies_lostResultNobodyNeeds_isForgotten() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    h.submit("c", List.of(spec("a", 0)), k("a"));
    h.finish("w1", k("a"), 1);
    h.release("c", k("a"));
    assertEquals(TaskState.FORGOTTEN, h.s.stateOf(k("a")));
    h.submit("c", List.of(spec("b", 0)), k("b"));
    h.finish(h.s.processingOn(k("b")).orElseThrow(), k("b"), 1);
    h.on(new Event.ClientGone("c"));
    List<Send> out = h.gone("w1");
    assertTrue(computed(out, null).isEmpty());
    assertEquals(0, h.s.keys().size());
  }

  @Test
  void workerDies_lostIntermediate_recomputesFreedInputsToo() {
    Harness h = new Harness(Harness.opts(3, false, Double.POSITIVE_INFINITY));
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0), spec("b", 1, "a"), spec("slow", 0), spec("c", 2, "b", "slow")), k("c"));
    h.finish("w1", k("a"), 1);
    h.finish("w1", k("b"), 1);
    assertEquals(TaskState.RELEASED, h.s.stateOf(k("a")), "a freed once b finished");
    h.worker("w2", 1);
    List<Send> out = h.gone("w1");
    assertEquals(List.of(k("a"), k("slow")), computed(out, "w2"), "a recomputed for b; slow rescheduled");
    assertEquals(TaskState.WAITING, h.s.stateOf(k("b")));
    out = h.finish("w2", k("a"), 1);
    assertEquals(List.of(k("b")), computed(out, "w2"));
  }

  @Test
  void workerDies_whileDependentProcessesElsewhere_dependentIsRestarted() {
    Harness h = new Harness(Harness.opts(3, false, Double.POSITIVE_INFINITY));
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0)), k("a"));
    h.finish("w1", k("a"), 1);
    h.worker("w2", 1);
    h.on(new Event.FromWorker("w1", new Msg.Heartbeat(0, 0, 0, 0, 0, 0)));
    Msg.TaskSpec onW2 = new Msg.TaskSpec(k("b"), new byte[0], List.of(k("a")), 0, 0, Set.of("w2"), true);
    h.submit("c", List.of(onW2), k("b"));
    assertEquals(List.of(k("b")), h.s.processing("w2"));
    List<Send> out = h.gone("w1");
    assertEquals(List.of(k("b")), freed(out, "w2"), "b cannot get its input any more");
    assertEquals(List.of(k("a")), computed(out, "w2"));
    assertEquals(TaskState.WAITING, h.s.stateOf(k("b")));
  }

  @Test
  void killedWorker_afterAllowedFailuresPlusOneDeaths_erred() {
    Harness h = new Harness();
    h.client("c");
    h.submit("c", List.of(spec("poison", 0), spec("after", 1, "poison")), k("after"));
    List<Send> out = List.of();
    for (int i = 0; i <= 3; i++) {
      h.worker("w" + i, 1);
      assertEquals(List.of(k("poison")), h.s.processing("w" + i));
      out = h.gone("w" + i);
    }
    assertEquals(TaskState.ERRED, h.s.stateOf(k("poison")));
    assertEquals(TaskState.ERRED, h.s.stateOf(k("after")));
    Msg.KeyErred e = msgs(out, Msg.KeyErred.class, "c").get(0);
    assertEquals(SchedulerState.KILLED_WORKER, e.exceptionClass());
    assertEquals(k("poison"), e.failedKey());
    assertTrue(e.message().contains("poison") && e.message().contains("4"), e.message());
  }

  @Test
  void workerTtlExceeded_workerIsClosedAndItsTasksRescheduled() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    h.submit("c", List.of(spec("a", 0)), k("a"));
    h.now = 20_000_000_000L;
    h.on(new Event.FromWorker("w2", new Msg.Heartbeat(0, 0, 0, 0, 0, 0)));
    h.now = 31_000_000_000L;
    List<Send> out = h.tick();
    assertEquals(new Send(Send.Target.WORKER, "w1", new Msg.CloseWorker(
        "no message for more than the worker ttl (30000 ms)")), out.get(0));
    assertEquals(List.of(k("a")), computed(out, "w2"));
    assertEquals(List.of("w2"), h.s.workers());
  }

  @Test
  void missingData_lastReplica_recomputesKey_andReschedulesTask() {
    Harness h = new Harness(Harness.opts(3, false, Double.POSITIVE_INFINITY));
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0)), k("a"));
    h.finish("w1", k("a"), 1);
    h.worker("w2", 1);
    Msg.TaskSpec onW2 = new Msg.TaskSpec(k("b"), new byte[0], List.of(k("a")), 0, 0, Set.of("w2"), true);
    h.submit("c", List.of(onW2), k("b"));
    List<Send> out = h.fromWorker("w2", new Msg.MissingData(k("b"), k("a"), List.of("w1")));
    assertEquals(List.of(k("a")), freed(out, "w1"));
    assertEquals(List.of(k("b")), freed(out, "w2"));
    assertEquals(1, computed(out, null).size());
    assertEquals(k("a"), computed(out, null).get(0));
    assertEquals(TaskState.WAITING, h.s.stateOf(k("b")));
  }

  @Test
  void missingData_otherReplicaLeft_resendsTaskWithRemainingHolders() {
    Harness h = new Harness(Harness.opts(3, false, Double.POSITIVE_INFINITY));
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0)), k("a"));
    h.finish("w1", k("a"), 1);
    h.worker("w2", 1, k("a"));
    h.worker("w3", 1);
    Msg.TaskSpec onW3 = new Msg.TaskSpec(k("b"), new byte[0], List.of(k("a")), 0, 0, Set.of("w3"), true);
    h.submit("c", List.of(onW3), k("b"));
    List<Send> out = h.fromWorker("w3", new Msg.MissingData(k("b"), k("a"), List.of("w1")));
    Msg.ComputeTask again = msgs(out, Msg.ComputeTask.class, "w3").get(0);
    assertEquals(List.of("w2"), again.whoHas().get(k("a")));
    assertEquals(List.of("w2"), h.s.whoHas(k("a")));
  }

  @Test
  void lateDuplicateAndUnknownMessages_areIgnoredWithoutExceptions() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0)), k("a"));
    assertTrue(h.fromWorker("nobody", new Msg.TaskFinished(k("a"), 1, "T", 0, 1)).isEmpty());
    assertEquals(List.of(k("zz")), freed(h.finish("w1", k("zz"), 1), "w1"));
    h.finish("w1", k("a"), 1);
    assertTrue(msgs(h.finish("w1", k("a"), 1), Msg.KeyInMemory.class, null).isEmpty(), "duplicate result");
    assertTrue(h.err("w1", k("a")).isEmpty(), "error for a finished task");
    assertTrue(h.fromWorker("w1", new Msg.StealResponse(k("a"), true)).isEmpty());
    assertTrue(h.fromWorker("w1", new Msg.MissingData(k("q"), k("r"), List.of("w9"))).isEmpty());
    assertTrue(h.fromWorker("w1", new Msg.WorkerWelcome("x", 1)).isEmpty());
    assertTrue(h.on(new Event.FromClient("stranger", new Msg.UpdateGraph("stranger", List.of(spec("s", 0)), List.of(k("s")), 0))).isEmpty());
    h.on(new Event.FromClient("c", new Msg.UpdateGraph("c", null, null, 0)));
    h.on(new Event.FromClient("c", new Msg.ReleaseKeys("c", null)));
    h.on(new Event.WorkerGone("ghost", "never existed"));
    h.on(new Event.ClientGone("ghost"));
    h.on(new Event.FromWorker("w1", new Msg.ReleasedFromWorker(List.of(k("nope")))));
    List<Send> out = h.submit("c", List.of(spec("orphan", 0, "missing-dep"), spec("cyc1", 0, "cyc2"), spec("cyc2", 0, "cyc1")),
        k("orphan"), k("cyc1"));
    assertEquals(2, msgs(out, Msg.KeyCancelled.class, "c").size());
    assertEquals(TaskState.MEMORY, h.s.stateOf(k("a")));
  }

  @Test
  void releasedFromWorker_lastCopyOfWantedKey_isRecomputed() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0)), k("a"));
    h.finish("w1", k("a"), 1);
    List<Send> out = h.fromWorker("w1", new Msg.ReleasedFromWorker(List.of(k("a"))));
    assertEquals(List.of(k("a")), computed(out, "w1"));
  }

  @Test
  void lostScatteredData_isReportedCancelled_andDependentsErred() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    h.on(new Event.FromClient("c", new Msg.ScatterDone("c", java.util.Map.of(k("d"), "w1"), java.util.Map.of(k("d"), 8L))));
    Msg.TaskSpec onW2 = new Msg.TaskSpec(k("f"), new byte[0], List.of(k("d")), 0, 0, Set.of("w2"), true);
    h.submit("c", List.of(onW2), k("f"));
    List<Send> out = h.gone("w1");
    assertEquals(List.of(k("d")), msgs(out, Msg.KeyCancelled.class, "c").stream().map(Msg.KeyCancelled::key).toList());
    assertEquals(k("d"), msgs(out, Msg.KeyErred.class, "c").get(0).failedKey());
    assertEquals(TaskState.ERRED, h.s.stateOf(Key.of("f")));
  }
}
