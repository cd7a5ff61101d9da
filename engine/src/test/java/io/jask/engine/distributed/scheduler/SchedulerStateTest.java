package io.jask.engine.distributed.scheduler;

import static io.jask.engine.distributed.scheduler.Harness.computed;
import static io.jask.engine.distributed.scheduler.Harness.freed;
import static io.jask.engine.distributed.scheduler.Harness.k;
import static io.jask.engine.distributed.scheduler.Harness.msgs;
import static io.jask.engine.distributed.scheduler.Harness.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The basic life of tasks: graphs, results, releases, clients. */
class SchedulerStateTest {

  @Test
  void linearGraph_runsInOrder_reportsResult_andFreesIntermediates() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    List<Send> out = h.submit("c", List.of(spec("a", 0), spec("b", 1, "a"), spec("c", 2, "b")), k("c"));
    assertEquals(List.of(k("a")), computed(out, "w1"));
    assertEquals(TaskState.WAITING, h.s.stateOf(k("b")));

    out = h.finish("w1", k("a"), 10);
    assertEquals(List.of(k("b")), computed(out, "w1"));
    Msg.ComputeTask ct = msgs(out, Msg.ComputeTask.class, "w1").get(0);
    assertEquals(List.of("w1"), ct.whoHas().get(k("a")));
    assertEquals(10L, ct.nbytes().get(k("a")));

    out = h.finish("w1", k("b"), 20);
    assertEquals(List.of(k("c")), computed(out, "w1"));
    assertEquals(List.of(k("a")), freed(out, "w1"));

    out = h.finish("w1", k("c"), 30);
    assertEquals(List.of(new Send(Send.Target.CLIENT, "c", new Msg.KeyInMemory(k("c"), List.of("w1"), 30, "T"))),
        out.stream().filter(x -> x.target() == Send.Target.CLIENT).toList());
    assertEquals(List.of(k("b")), freed(out, "w1"));
    assertEquals(TaskState.MEMORY, h.s.stateOf(k("c")));
    assertEquals(TaskState.RELEASED, h.s.stateOf(k("b")), "kept (spec) while its dependent is tracked");

    out = h.release("c", k("c"));
    assertEquals(List.of(k("c")), freed(out, "w1"));
    assertEquals(0, h.s.keys().size(), "everything forgotten");
  }

  @Test
  void fanOutFanIn_runsEverything_onceAndFreesInputs() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 2);
    h.worker("w2", 2);
    h.submit("c", List.of(spec("r", 0), spec("x1", 1, "r"), spec("x2", 2, "r"), spec("x3", 3, "r"),
        spec("sum", 4, "x1", "x2", "x3")), k("sum"));
    String rw = h.s.processingOn(k("r")).orElseThrow();
    List<Send> out = h.finish(rw, k("r"), 100);
    assertEquals(3, computed(out, null).size());
    for (String x : List.of("x1", "x2", "x3")) {
      assertEquals(TaskState.PROCESSING, h.s.stateOf(k(x)));
    }
    for (String x : List.of("x1", "x2")) {
      h.finish(h.s.processingOn(k(x)).orElseThrow(), k(x), 10);
    }
    assertEquals(TaskState.MEMORY, h.s.stateOf(k("r")), "r still needed by x3");
    out = h.finish(h.s.processingOn(k("x3")).orElseThrow(), k("x3"), 10);
    assertEquals(List.of(k("sum")), computed(out, null));
    assertEquals(TaskState.RELEASED, h.s.stateOf(k("r")), "r freed once all consumers finished");
    out = h.finish(h.s.processingOn(k("sum")).orElseThrow(), k("sum"), 8);
    assertEquals(1, msgs(out, Msg.KeyInMemory.class, "c").size());
    assertEquals(1, h.s.countsByState().get(TaskState.MEMORY));
  }

  @Test
  void releaseKeys_ofWaitingAndProcessingWork_cancelsIt() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0), spec("b", 1, "a")), k("b"));
    List<Send> out = h.release("c", k("b"));
    assertEquals(List.of(k("a")), freed(out, "w1"), "the running input is cancelled on its worker");
    assertEquals(0, h.s.keys().size());
    assertEquals(List.of(), h.s.processing("w1"));
    out = h.finish("w1", k("a"), 1);
    assertEquals(List.of(k("a")), freed(out, "w1"), "a late result of cancelled work is freed");
  }

  @Test
  void cancelKeys_releasesAndTellsTheClient() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0)), k("a"));
    List<Send> out = h.on(new Event.FromClient("c", new Msg.CancelKeys("c", List.of(k("a")), false)));
    assertEquals(1, msgs(out, Msg.KeyCancelled.class, "c").size());
    assertEquals(TaskState.FORGOTTEN, h.s.stateOf(k("a")));
  }

  @Test
  void twoClients_firstComeFirstServed_andSharedKeyReportedToBoth() {
    Harness h = new Harness(Harness.opts(3, false, 1.0));
    h.client("c1");
    h.client("c2");
    h.worker("w1", 1);
    h.submit("c1", List.of(spec("a1", 0), spec("a2", 1), spec("shared", 2)), k("a1"), k("a2"), k("shared"));
    h.submit("c2", List.of(spec("b1", 0), spec("shared", 0)), k("b1"), k("shared"));
    assertEquals(List.of(k("a2"), k("shared"), k("b1")), h.s.queued(), "c1's tasks before c2's");
    List<Key> order = new java.util.ArrayList<>(h.s.processing("w1"));
    int kim = 0;
    for (int i = 0; i < 4; i++) {
      Key next = h.s.processing("w1").get(0);
      List<Send> out = h.finish("w1", next, 1);
      order.addAll(computed(out, "w1"));
      kim += msgs(out, Msg.KeyInMemory.class, null).size();
    }
    assertEquals(List.of(k("a1"), k("a2"), k("shared"), k("b1")), order);
    assertEquals(5, kim, "a1, a2, b1 once; shared to both clients");
    assertEquals(2, h.s.wantersOf(k("shared")).size());
    h.release("c1", k("shared"));
    assertEquals(TaskState.MEMORY, h.s.stateOf(k("shared")), "c2 still holds it");
    h.on(new Event.ClientGone("c2"));
    assertEquals(TaskState.FORGOTTEN, h.s.stateOf(k("shared")));
  }

  @Test
  void submittingAKeyAlreadyInMemory_reportsItAtOnce() {
    Harness h = new Harness();
    h.client("c1");
    h.client("c2");
    h.worker("w1", 1);
    h.submit("c1", List.of(spec("a", 0)), k("a"));
    h.finish("w1", k("a"), 5);
    List<Send> out = h.submit("c2", List.of(spec("a", 0)), k("a"));
    assertEquals(List.of(new Msg.KeyInMemory(k("a"), List.of("w1"), 5, "T")), msgs(out, Msg.KeyInMemory.class, "c2"));
    assertTrue(computed(out, null).isEmpty());
  }

  @Test
  void scatteredData_isInMemory_andItsConsumerRunsWhereItIs() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    h.on(new Event.FromClient("c", new Msg.ScatterDone("c", java.util.Map.of(k("d"), "w2"), java.util.Map.of(k("d"), 1L << 30))));
    assertEquals(TaskState.MEMORY, h.s.stateOf(k("d")));
    List<Send> out = h.submit("c", List.of(spec("f", 0, "d")), k("f"));
    assertEquals(List.of(k("f")), computed(out, "w2"));
  }

  @Test
  void whoHasAndPing_areAnswered() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0)), k("a"));
    h.finish("w1", k("a"), 1);
    List<Send> out = h.on(new Event.FromClient("c", new Msg.WhoHasRequest(7, List.of(k("a"), k("zz")))));
    assertEquals(List.of(new Send(Send.Target.CLIENT, "c",
        new Msg.WhoHasReply(7, java.util.Map.of(k("a"), List.of("w1"), k("zz"), List.of())))), out);
    assertEquals(List.of(new Send(Send.Target.CLIENT, "c", new Msg.Pong(3))), h.on(new Event.FromClient("c", new Msg.Ping(3))));
  }

  @Test
  void clientConnected_isWelcomedWithTheWorkers() {
    Harness h = new Harness();
    h.worker("w2", 1);
    h.worker("w1", 1);
    assertEquals(List.of(new Send(Send.Target.CLIENT, "c", new Msg.ClientWelcome("c", List.of("w1", "w2")))), h.client("c"));
  }

  @Test
  void workerJoins_heldKeysKnownBecomeReplicas_unknownAreFreed() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0)), k("a"));
    h.finish("w1", k("a"), 4);
    List<Send> out = h.worker("w2", 1, k("a"), k("junk"));
    assertEquals(Msg.WorkerWelcome.class, out.get(0).msg().getClass());
    assertEquals(List.of(k("junk")), freed(out, "w2"));
    assertEquals(List.of("w1", "w2"), h.s.whoHas(k("a")));
  }

  @Test
  void restrictedTask_waitsInNoWorker_untilAnAllowedWorkerJoins() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    Msg.TaskSpec s = new Msg.TaskSpec(k("gpu"), new byte[0], List.of(), 0, 0, java.util.Set.of("w9"), true);
    h.submit("c", List.of(s), k("gpu"));
    assertEquals(TaskState.NO_WORKER, h.s.stateOf(k("gpu")));
    List<Send> out = h.worker("w9", 1);
    assertEquals(List.of(k("gpu")), computed(out, "w9"));
  }

  @Test
  void expectedDuration_followsObservedDurationsPerPrefix() {
    Harness h = new Harness();
    h.client("c");
    h.worker("w1", 1);
    assertEquals(500_000_000L, h.s.expectedDurationNanos("inc"));
    h.submit("c", List.of(spec(Key.of("inc", 0), 0)), Key.of("inc", 0));
    h.fromWorker("w1", new Msg.TaskFinished(Key.of("inc", 0), 1, "T", 0, 2_000));
    assertEquals(2_000L, h.s.expectedDurationNanos("inc"));
  }
}
