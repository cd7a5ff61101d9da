package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.distributed.worker.WorkerInstruction.Execute;
import io.jask.engine.distributed.worker.WorkerInstruction.Fetch;
import io.jask.engine.distributed.worker.WorkerInstruction.Send;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Tasks assigned ahead of time ({@code pendingHere}): they wait for an input computed on this
 * worker, start the moment it succeeds, and are dropped without a report if it ends otherwise.
 */
class WorkerStateSpeculativeTest {

  private static final byte[] NO_PAYLOAD = new byte[0];
  private final Key a = Key.of("a");
  private final Key b = Key.of("b");
  private final Key c = Key.of("c");
  private final Key y = Key.of("y");

  private static WorkerEvent compute(Key key, Map<Key, List<String>> whoHas, List<Key> pendingHere, Key... deps) {
    Msg.TaskSpec spec = new Msg.TaskSpec(key, NO_PAYLOAD, List.of(deps), 0, 0, Set.of(), true);
    return new WorkerEvent.Compute(new Msg.ComputeTask(spec, whoHas, Map.of(), pendingHere));
  }

  private static WorkerEvent succeeded(Key key) {
    return new WorkerEvent.TaskSucceeded(key, 8, "Integer", 0, 1);
  }

  private static List<Key> executed(List<WorkerInstruction> out) {
    return out.stream().filter(i -> i instanceof Execute).map(i -> ((Execute) i).spec().key()).toList();
  }

  private static List<Msg> sent(List<WorkerInstruction> out) {
    return out.stream().filter(i -> i instanceof Send).map(i -> ((Send) i).msg()).toList();
  }

  /** a executing, b waiting for it here, c waiting for b here. */
  private WorkerState chain() {
    WorkerState s = new WorkerState("me", 1);
    assertEquals(List.of(a), executed(s.handle(compute(a, Map.of(), List.of()))));
    assertEquals(List.of(), s.handle(compute(b, Map.of(a, List.of()), List.of(a), a)), "waits, fetches nothing");
    assertEquals(List.of(), s.handle(compute(c, Map.of(b, List.of()), List.of(b), b)));
    assertEquals(WorkerState.Phase.FETCHING, s.phase(b));
    assertEquals(WorkerState.Phase.FETCHING, s.phase(c));
    return s;
  }

  @Test
  void chain_eachStartsWhenItsInputSucceedsHere_afterReportingTheInput() {
    WorkerState s = chain();
    List<WorkerInstruction> out = s.handle(succeeded(a));
    assertEquals(new Send(new Msg.TaskFinished(a, 8, "Integer", 0, 1)), out.get(0), "reported first");
    assertEquals(List.of(b), executed(out));
    out = s.handle(succeeded(b));
    assertEquals(List.of(c), executed(out));
    assertTrue(s.holds(a) && s.holds(b), "results are owned here until the scheduler frees them");
    out = s.handle(succeeded(c));
    assertEquals(List.of(new Msg.TaskFinished(c, 8, "Integer", 0, 1)), sent(out));
    assertEquals(0, s.taskCount());
  }

  @Test
  void inputFails_chainIsDroppedWithoutAReport() {
    WorkerState s = chain();
    List<WorkerInstruction> out = s.handle(new WorkerEvent.TaskFailed(a, new byte[0], "E", "boom", 1));
    assertEquals(1, sent(out).size(), "only a's error: " + out);
    assertTrue(sent(out).get(0) instanceof Msg.TaskErred);
    assertNull(s.phase(b));
    assertNull(s.phase(c));
    assertEquals(0, s.taskCount());
  }

  @Test
  void inputStolenOrFreed_beforeItRuns_chainIsDropped() {
    WorkerState s = new WorkerState("me", 1);
    s.handle(compute(Key.of("busy"), Map.of(), List.of()));
    s.handle(compute(a, Map.of(), List.of()));
    s.handle(compute(b, Map.of(a, List.of()), List.of(a), a));
    s.handle(compute(c, Map.of(b, List.of()), List.of(b), b));
    assertEquals(WorkerState.Phase.READY, s.phase(a));
    List<WorkerInstruction> out = s.handle(new WorkerEvent.Steal(a));
    assertEquals(List.of(new Msg.StealResponse(a, true)), sent(out));
    assertNull(s.phase(b));
    assertNull(s.phase(c));

    s.handle(compute(a, Map.of(), List.of()));
    s.handle(compute(b, Map.of(a, List.of()), List.of(a), a));
    out = s.handle(new WorkerEvent.Free(List.of(a)));
    assertEquals(List.of(), sent(out));
    assertNull(s.phase(b));
    assertEquals(1, s.taskCount(), "only busy is left");
  }

  @Test
  void inputCancelledWhileExecuting_chainIsDroppedWhenItEnds() {
    WorkerState s = chain();
    s.handle(new WorkerEvent.Free(List.of(a)));
    assertEquals(WorkerState.Phase.FETCHING, s.phase(b), "a still executing");
    List<WorkerInstruction> out = s.handle(succeeded(a));
    assertEquals(List.of(), sent(out), "cancelled: not reported");
    assertEquals(List.of(), executed(out));
    assertEquals(0, s.taskCount());
  }

  @Test
  void sentAheadAfterItsInputAlreadyWent_isDropped_orRunsIfTheInputIsHeld() {
    WorkerState s = new WorkerState("me", 1);
    assertEquals(List.of(new Send(new Msg.MissingData(b, a, List.of()))), s.handle(compute(b, Map.of(a, List.of()), List.of(a), a)),
        "a unknown here: reported, so the scheduler places b again");
    assertNull(s.phase(b));
    s.handle(compute(a, Map.of(), List.of()));
    s.handle(succeeded(a));
    assertEquals(List.of(b), executed(s.handle(compute(b, Map.of(a, List.of()), List.of(a), a))),
        "a already done here");
  }

  @Test
  void otherInputs_areFetchedMeanwhile_andAMissingOneDropsTheChainWithOneReport() {
    WorkerState s = new WorkerState("me", 1);
    s.handle(compute(a, Map.of(), List.of()));
    List<WorkerInstruction> out = s.handle(compute(b, Map.of(a, List.of(), y, List.of("peer")), List.of(a), a, y));
    assertEquals(List.of(new Fetch("peer", List.of(y))), out);
    s.handle(compute(c, Map.of(b, List.of()), List.of(b), b));
    out = s.handle(new WorkerEvent.FetchFailed("peer", List.of(y), "gone"));
    assertEquals(List.of(new Msg.MissingData(b, y, List.of("peer"))), sent(out));
    assertNull(s.phase(b));
    assertNull(s.phase(c), "c dropped with b");
    assertEquals(WorkerState.Phase.EXECUTING, s.phase(a));
  }

  @Test
  void longChain_droppedWithoutDeepRecursion() {
    WorkerState s = new WorkerState("me", 1);
    s.handle(compute(Key.of("t", 0), Map.of(), List.of()));
    for (int i = 1; i < 50_000; i++) {
      Key prev = Key.of("t", i - 1);
      s.handle(compute(Key.of("t", i), Map.of(prev, List.of()), List.of(prev), prev));
    }
    assertEquals(50_000, s.taskCount());
    s.handle(new WorkerEvent.TaskFailed(Key.of("t", 0), new byte[0], "E", "boom", 1));
    assertEquals(0, s.taskCount());
  }

  @Test
  void schedulerLost_dropsWaitingChains() {
    WorkerState s = chain();
    s.handle(new WorkerEvent.SchedulerLost());
    assertNull(s.phase(b));
    assertNull(s.phase(c));
    assertEquals(List.of(), sent(s.handle(succeeded(a))), "a was cancelled");
  }

  /**
   * b ran here, was freed while executing (its input was lost elsewhere) and comes back ahead of
   * that input, which is computed here again. Keeping the old run (and reporting its result now)
   * would be refused by the scheduler, which then waits for b here forever: b is declined, and
   * the old run's result is discarded when it ends.
   */
  @Test
  void sentAheadWhileAnEarlierRunStillExecutes_isDeclined_andTheOldResultDiscarded() {
    WorkerState s = new WorkerState("me", 2);
    assertEquals(List.of(b), executed(s.handle(compute(b, Map.of(), List.of()))));
    s.handle(new WorkerEvent.Free(List.of(b))); // its input's copy counted lost: b restarted
    assertEquals(List.of(a), executed(s.handle(compute(a, Map.of(), List.of()))), "the input computed here again");
    List<WorkerInstruction> out = s.handle(compute(b, Map.of(a, List.of()), List.of(a), a)); // the same task, ahead of a
    assertEquals(List.of(new Msg.MissingData(b, a, List.of())), sent(out), "declined");
    assertEquals(WorkerState.Phase.EXECUTING, s.phase(b), "the old run goes on");
    out = s.handle(succeeded(b));
    assertEquals(List.of(), sent(out), "the old run stays cancelled: no result reported");
    assertTrue(out.contains(new WorkerInstruction.Discard(List.of(b))), "and its value discarded: " + out);
    assertEquals(List.of(new Msg.TaskFinished(a, 8, "Integer", 0, 1)), sent(s.handle(succeeded(a))));
    assertEquals(0, s.taskCount());
  }

  /** A value kept here as a replica for a task here is sent ahead as a task: declined, not reported. */
  @Test
  void sentAheadWhileHeldAsAReplica_isDeclined() {
    WorkerState s = new WorkerState("me", 1);
    assertEquals(List.of(y), executed(s.handle(compute(y, Map.of(), List.of()))));
    assertEquals(List.of(), executed(s.handle(compute(c, Map.of(b, List.of("peer")), List.of(), b))), "the one thread is busy");
    s.handle(new WorkerEvent.FetchDone("peer", Map.of(b, 8L), List.of()));
    assertTrue(s.holds(b), "fetched for c");
    assertEquals(List.of(), executed(s.handle(compute(a, Map.of(), List.of()))), "queued behind c");
    List<WorkerInstruction> out = s.handle(compute(b, Map.of(a, List.of()), List.of(a), a));
    assertEquals(List.of(new Msg.MissingData(b, a, List.of())), sent(out), "no TaskFinished for b now");
  }

  /** Named as a holder of a value it does not have: reports itself as tried, so the scheduler stops naming it. */
  @Test
  void namedAsHolderOfAValueNotHere_reportsItselfAsTried() {
    WorkerState s = new WorkerState("me", 1);
    List<WorkerInstruction> out = s.handle(compute(b, Map.of(a, List.of("me")), List.of(), a));
    assertEquals(List.of(new Msg.MissingData(b, a, List.of("me"))), sent(out));
    assertEquals(0, s.taskCount());
  }
}
