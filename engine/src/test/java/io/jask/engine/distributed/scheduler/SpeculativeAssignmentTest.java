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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Speculative assignment as event lists: a task waiting only for an input computed on a worker is
 * sent there ahead of time, becomes processing there without another message when the input's
 * result arrives, and is taken back whenever the input ends any other way.
 */
class SpeculativeAssignmentTest {

  private static Harness speculative() {
    return new Harness(SchedulerState.Options.defaults());
  }

  private static List<Msg.ComputeTask> computes(List<Send> out, String worker) {
    return msgs(out, Msg.ComputeTask.class, worker);
  }

  /** The keys of the ComputeTasks to {@code worker}, with the inputs each waits for there. */
  private static List<String> described(List<Send> out, String worker) {
    List<String> d = new ArrayList<>();
    for (Msg.ComputeTask ct : computes(out, worker)) {
      d.add(ct.spec().key() + (ct.pendingHere().isEmpty() ? "" : "<-" + ct.pendingHere()));
    }
    return d;
  }

  @Test
  void chain_isSentAheadToTheInputsWorker_andRunsWithoutFurtherComputeMessages() {
    Harness h = speculative();
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    List<Send> out = h.submit("c", List.of(spec("a", 0), spec("b", 1, "a"), spec("c", 2, "b")), k("c"));
    String w = h.s.processingOn(k("a")).orElseThrow();
    String other = w.equals("w1") ? "w2" : "w1";
    assertEquals(List.of("a", "b<-[a]", "c<-[b]"), described(out, w));
    assertEquals(List.of(), computed(out, other));
    assertEquals(List.of(), computes(out, w).get(1).whoHas().get(k("a")), "no holder yet: computed there");
    assertEquals(TaskState.WAITING, h.s.stateOf(k("b")));
    assertEquals(Optional.of(w), h.s.preassignedTo(k("b")));
    assertEquals(Optional.of(w), h.s.preassignedTo(k("c")));

    out = h.finish(w, k("a"), 10);
    assertEquals(List.of(), computed(out, null), "b already there");
    assertEquals(TaskState.PROCESSING, h.s.stateOf(k("b")));
    assertEquals(Optional.of(w), h.s.processingOn(k("b")));
    assertEquals(Optional.of(w), h.s.preassignedTo(k("c")), "c still waits for b there");

    out = h.finish(w, k("b"), 20);
    assertEquals(List.of(), computed(out, null));
    assertEquals(List.of(k("a")), freed(out, w));
    assertEquals(TaskState.PROCESSING, h.s.stateOf(k("c")));

    out = h.finish(w, k("c"), 30);
    assertEquals(1, msgs(out, Msg.KeyInMemory.class, "c").size());
    assertEquals(List.of(k("b")), freed(out, w));
  }

  @Test
  void chainSubmittedOneByOne_isSentAheadAsItArrives() {
    Harness h = speculative();
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0)), k("a"));
    List<Send> out = h.submit("c", List.of(spec("b", 0, "a")), k("b"));
    assertEquals(List.of("b<-[a]"), described(out, "w1"));
    out = h.submit("c", List.of(spec("c", 0, "b")), k("c"));
    assertEquals(List.of("c<-[b]"), described(out, "w1"), "behind a task itself sent ahead");
    h.finish("w1", k("a"), 1);
    h.finish("w1", k("b"), 1);
    out = h.finish("w1", k("c"), 1);
    assertEquals(List.of(k("c")), msgs(out, Msg.KeyInMemory.class, "c").stream().map(Msg.KeyInMemory::key).toList());
    assertEquals(3, h.s.countsByState().get(TaskState.MEMORY), "the client holds all three");
  }

  @Test
  void workerDies_holdingTasksSentAhead_theyGoAheadToTheInputsNewWorker() {
    Harness h = speculative();
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0), spec("b", 1, "a"), spec("c", 2, "b")), k("c"));
    h.worker("w2", 1);
    List<Send> out = h.gone("w1");
    assertEquals(List.of("a", "b<-[a]", "c<-[b]"), described(out, "w2"));
    assertEquals(List.of(), freed(out, "w1"), "nothing is sent to a dead worker");
    assertEquals(Optional.of("w2"), h.s.preassignedTo(k("c")));
    h.finish("w1", k("a"), 1); // late result from the dead worker: ignored
    assertEquals(TaskState.PROCESSING, h.s.stateOf(k("a")));
    h.finish("w2", k("a"), 1);
    h.finish("w2", k("b"), 1);
    out = h.finish("w2", k("c"), 1);
    assertEquals(1, msgs(out, Msg.KeyInMemory.class, "c").size());
  }

  @Test
  void workerDies_withNoOtherWorker_tasksWaitAndAreSentAheadWhenOneJoins() {
    Harness h = speculative();
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0), spec("b", 1, "a")), k("b"));
    h.gone("w1");
    assertEquals(Optional.empty(), h.s.preassignedTo(k("b")));
    assertEquals(TaskState.WAITING, h.s.stateOf(k("b")));
    List<Send> out = h.worker("w3", 1);
    assertEquals(List.of("a", "b<-[a]"), described(out, "w3"));
  }

  @Test
  void inputErrs_dependentIsTakenBackAndErred() {
    Harness h = speculative();
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0), spec("b", 1, "a"), spec("c", 2, "b")), k("c"));
    List<Send> out = h.err("w1", k("a"));
    assertEquals(List.of(k("b"), k("c")), freed(out, "w1"), "both tasks sent ahead are freed on the worker");
    assertEquals(TaskState.ERRED, h.s.stateOf(k("c")));
    Msg.KeyErred e = msgs(out, Msg.KeyErred.class, "c").get(0);
    assertEquals(k("c"), e.key());
    assertEquals(k("a"), e.failedKey());
    assertEquals(Optional.empty(), h.s.preassignedTo(k("b")));
  }

  @Test
  void inputErrsWithRetries_dependentIsTakenBack_thenSentAheadAgainBehindTheRetry() {
    Harness h = speculative();
    h.client("c");
    h.worker("w1", 1);
    Msg.TaskSpec a = new Msg.TaskSpec(k("a"), new byte[] {7}, List.of(), 0, 1, java.util.Set.of(), true);
    h.submit("c", List.of(a, spec("b", 1, "a")), k("b"));
    List<Send> out = h.err("w1", k("a"));
    List<String> order = new ArrayList<>();
    for (Send s : out) {
      if (s.msg() instanceof Msg.FreeKeys f) {
        order.add("free" + f.keys());
      } else if (s.msg() instanceof Msg.ComputeTask ct) {
        order.add(ct.spec().key() + (ct.pendingHere().isEmpty() ? "" : "<-" + ct.pendingHere()));
      }
    }
    assertEquals(List.of("free[b]", "a", "b<-[a]"), order, "freed before it is sent again");
    h.finish("w1", k("a"), 1);
    assertEquals(TaskState.PROCESSING, h.s.stateOf(k("b")));
  }

  @Test
  void inputStolen_dependentFollowsIt() {
    Harness h = new Harness(Harness.opts(3, true, Double.POSITIVE_INFINITY).withSpeculativeAssignment(true));
    h.client("c");
    h.worker("w1", 2);
    List<Msg.TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      specs.add(spec(Key.of("t", i), i));
    }
    specs.add(spec(k("b"), 9, Key.of("t", 5)));
    List<Key> wanted = new ArrayList<>(specs.stream().map(Msg.TaskSpec::key).toList());
    List<Send> out = h.submit("c", specs, wanted.toArray(Key[]::new));
    assertTrue(described(out, "w1").contains("b<-[('t', 5)]") || computes(out, "w1").stream()
        .anyMatch(ct -> ct.spec().key().equals(k("b")) && ct.pendingHere().equals(List.of(Key.of("t", 5)))));
    h.worker("w2", 2);
    out = h.tick();
    assertTrue(msgs(out, Msg.StealRequest.class, "w1").stream().anyMatch(r -> r.key().equals(Key.of("t", 5))));
    out = h.fromWorker("w1", new Msg.StealResponse(Key.of("t", 5), true));
    assertEquals(List.of(k("b")), freed(out, "w1"), "taken back from the old worker");
    List<Msg.ComputeTask> toW2 = computes(out, "w2");
    assertEquals(List.of(Key.of("t", 5), k("b")), toW2.stream().map(ct -> ct.spec().key()).toList());
    assertEquals(List.of(Key.of("t", 5)), toW2.get(1).pendingHere());
    assertEquals(Optional.of("w2"), h.s.preassignedTo(k("b")));
    h.finish("w2", Key.of("t", 5), 1);
    assertEquals(Optional.of("w2"), h.s.processingOn(k("b")));
  }

  @Test
  void inputRescheduled_afterItsOwnInputIsLost_dependentIsTakenBack() {
    Harness h = speculative();
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    h.submit("c", List.of(spec("x", 0)), k("x"));
    String xw = h.s.processingOn(k("x")).orElseThrow();
    h.finish(xw, k("x"), 10);
    // a runs where x is; b waits for a there
    h.submit("c", List.of(spec("a", 1, "x"), spec("b", 2, "a")), k("b"));
    assertEquals(Optional.of(xw), h.s.processingOn(k("a")));
    assertEquals(Optional.of(xw), h.s.preassignedTo(k("b")));
    // a reports x missing (say it was spilled and lost): a is taken back, and so is b
    List<Send> out = h.fromWorker(xw, new Msg.MissingData(k("a"), k("x"), List.of(xw)));
    assertTrue(freed(out, xw).contains(k("b")), "b freed on " + xw + ": " + out);
    String x2 = h.s.processingOn(k("x")).orElseThrow();
    assertEquals(TaskState.WAITING, h.s.stateOf(k("a")), "a waits for x again");
    assertEquals(Optional.of(x2), h.s.preassignedTo(k("a")), "a goes ahead to where x is recomputed");
    assertEquals(Optional.of(x2), h.s.preassignedTo(k("b")), "and b behind it");
    assertEquals(List.of("x", "a<-[x]", "b<-[a]"), described(out, x2));
    List<String> order = new ArrayList<>();
    for (Send s : out) {
      if (s.to().equals(xw) && s.msg() instanceof Msg.FreeKeys f) {
        f.keys().forEach(key -> order.add("free " + key));
      } else if (s.to().equals(xw) && s.msg() instanceof Msg.ComputeTask ct) {
        order.add("compute " + ct.spec().key());
      }
    }
    int freedAt = order.indexOf("free " + k("b"));
    int sentAt = order.lastIndexOf("compute " + k("b"));
    assertTrue(freedAt >= 0 && (sentAt < 0 || freedAt < sentAt), "b freed before it is sent again: " + order);
    out = h.finish(x2, k("x"), 10);
    assertEquals(List.of(), computed(out, null), "a and b are there already");
    assertEquals(Optional.of(x2), h.s.processingOn(k("a")));
    h.finish(x2, k("a"), 1);
    out = h.finish(x2, k("b"), 1);
    assertEquals(1, msgs(out, Msg.KeyInMemory.class, "c").size());
  }

  @Test
  void releasedBeforeItRuns_isFreedOnItsWorker_andForgotten() {
    Harness h = speculative();
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0)), k("a"));
    h.submit("c", List.of(spec("b", 1, "a")), k("b"));
    List<Send> out = h.release("c", k("b"));
    assertEquals(List.of(k("b")), freed(out, "w1"));
    assertEquals(TaskState.FORGOTTEN, h.s.stateOf(k("b")));
    assertEquals(TaskState.PROCESSING, h.s.stateOf(k("a")), "a is still wanted");
    out = h.finish("w1", k("a"), 1);
    assertEquals(1, msgs(out, Msg.KeyInMemory.class, "c").size());
    assertEquals(List.of(), computed(out, null));
    out = h.finish("w1", k("b"), 1);
    assertEquals(List.of(k("b")), freed(out, "w1"), "a result of b that raced the free is freed again");
  }

  @Test
  void cancelledBeforeItRuns_isFreedOnItsWorker_withItsChain() {
    Harness h = speculative();
    h.client("c");
    h.worker("w1", 1);
    h.submit("c", List.of(spec("a", 0), spec("b", 1, "a"), spec("c", 2, "b")), k("c"));
    List<Send> out = h.on(new Event.FromClient("c", new Msg.CancelKeys("c", List.of(k("c")), false)));
    List<Key> f = freed(out, "w1");
    assertTrue(f.containsAll(List.of(k("a"), k("b"), k("c"))), "all freed: " + f);
    assertEquals(0, h.s.keys().size());
  }

  private static Msg.TaskSpec on(String worker, String key, long priority, String... deps) {
    return new Msg.TaskSpec(k(key), new byte[] {7}, java.util.Arrays.stream(deps).map(Harness::k).toList(), priority, 0,
        java.util.Set.of(worker), true);
  }

  @Test
  void workerReportsTheTaskSentAheadMissingData_itIsTakenBack_andSentAheadAgainOnceTheInputIsBack() {
    Harness h = speculative();
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    h.submit("c", List.of(on("w1", "y", 0)), k("y"));
    h.finish("w1", k("y"), 10);
    h.submit("c", List.of(on("w2", "a", 1)), k("a"));
    List<Send> out = h.submit("c", List.of(spec("b", 2, "a", "y")), k("b"));
    assertEquals(List.of("b<-[a]"), described(out, "w2"), "y is small: fetched from w1 meanwhile");
    assertEquals(List.of("w1"), computes(out, "w2").get(0).whoHas().get(k("y")));
    // w2 could not get y from w1: it dropped b and says so
    out = h.fromWorker("w2", new Msg.MissingData(k("b"), k("y"), List.of("w1")));
    assertEquals(Optional.empty(), h.s.preassignedTo(k("b")));
    assertEquals(TaskState.WAITING, h.s.stateOf(k("b")));
    assertTrue(freed(out, "w2").contains(k("b")));
    assertEquals(List.of(k("y")), computed(out, "w1"), "y recomputed");
    out = h.finish("w1", k("y"), 10);
    assertEquals(List.of("b<-[a]"), described(out, "w2"), "sent ahead again with y's new holder");
    out = h.finish("w2", k("a"), 1);
    assertEquals(List.of(), computed(out, null));
    assertEquals(Optional.of("w2"), h.s.processingOn(k("b")));
  }

  @Test
  void notSentAhead_whenOtherInputsAreLargeElsewhere_orTheInputHasSeveralConsumers_orWhenOff() {
    Harness h = speculative();
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    h.submit("c", List.of(on("w1", "big", 0)), k("big"));
    h.finish("w1", k("big"), 50_000_000);
    h.submit("c", List.of(on("w2", "a", 1)), k("a"));
    List<Send> out = h.submit("c", List.of(spec("b", 2, "a", "big")), k("b"));
    assertEquals(List.of(), computed(out, null), "b needs 50 MB from w1: not sent ahead to w2");
    assertEquals(Optional.empty(), h.s.preassignedTo(k("b")));
    out = h.submit("c", List.of(on("w2", "small", 3), spec("d", 4, "small", "big")), k("d"));
    assertEquals(List.of(k("small")), computed(out, null));

    out = h.submit("c", List.of(spec("r", 5), spec("x1", 6, "r"), spec("x2", 7, "r")), k("x1"), k("x2"));
    assertEquals(List.of(k("r")), computed(out, null), "two consumers of r: placed when r is done");
    assertEquals(Optional.empty(), h.s.preassignedTo(k("x1")));

    Harness off = new Harness(SchedulerState.Options.defaults().withSpeculativeAssignment(false));
    off.client("c");
    off.worker("w1", 1);
    out = off.submit("c", List.of(spec("a", 0), spec("b", 1, "a")), k("b"));
    assertEquals(List.of(k("a")), computed(out, "w1"));
    assertEquals(Optional.empty(), off.s.preassignedTo(k("b")));
  }

  @Test
  void pausedWorker_getsNothingAhead() {
    Harness h = speculative();
    h.client("c");
    h.on(new Event.WorkerConnected("w1", new Msg.RegisterWorker("w1", "w1", 1, 1000, 1, List.of())));
    h.submit("c", List.of(spec("a", 0)), k("a"));
    h.fromWorker("w1", new Msg.Heartbeat(0, 0, 900, 900, 0, 0.5));
    List<Send> out = h.submit("c", List.of(spec("b", 1, "a")), k("b"));
    assertEquals(List.of(), computed(out, null));
    assertEquals(Optional.empty(), h.s.preassignedTo(k("b")));
  }

  /**
   * The MemorySpillIT hang: b runs on w1; its input a's only copy is reported missing, so b is
   * freed there and restarted; a is computed on w1 again and b sent ahead to w1 behind it. Then
   * the result of b's first run arrives. Freeing b again (as for any unexpected result) would drop
   * the new assignment on w1 while the scheduler still counts b as sent there, and once a is
   * done b would be "processing" on a worker that does not have it, forever. The old result is
   * ignored; b's new run is what counts.
   */
  @Test
  void resultOfARunFromBeforeBeingSentAheadToTheSameWorker_isIgnored_notFreedThere() {
    Harness h = speculative();
    h.client("c");
    h.worker("w1", 2);
    h.worker("w2", 2);
    Msg.TaskSpec a = new Msg.TaskSpec(k("a"), new byte[] {7}, List.of(), 0, 0, java.util.Set.of("w1"), true);
    h.submit("c", List.of(a), k("a"));
    h.finish("w1", k("a"), 2 << 20);
    List<Send> out = h.submit("c", List.of(spec("b", 1, "a")), k("b"));
    assertEquals(List.of(k("b")), computed(out, "w1"), "b goes where its input is");
    out = h.fromWorker("w2", new Msg.MissingData(k("x"), k("a"), List.of("w1")));
    assertEquals(List.of(k("a"), k("b")), freed(out, "w1").stream().sorted().toList(), "a's copy lost, b restarted");
    assertEquals(List.of("a", "b<-[a]"), described(out, "w1"), "a again on w1, b sent ahead behind it");
    assertEquals(Optional.of("w1"), h.s.preassignedTo(k("b")));

    out = h.finish("w1", k("b"), 2 << 20); // from the first run, sent before the free arrived
    assertEquals(List.of(), freed(out, "w1"), "the new assignment of b on w1 stays");
    assertEquals(TaskState.WAITING, h.s.stateOf(k("b")));
    assertEquals(Optional.of("w1"), h.s.preassignedTo(k("b")));

    h.finish("w1", k("a"), 2 << 20);
    assertEquals(Optional.of("w1"), h.s.processingOn(k("b")), "b started on w1 on its own");
    out = h.finish("w1", k("b"), 2 << 20);
    assertEquals(TaskState.MEMORY, h.s.stateOf(k("b")));
    assertEquals(1, msgs(out, Msg.KeyInMemory.class, "c").size());
  }
}
