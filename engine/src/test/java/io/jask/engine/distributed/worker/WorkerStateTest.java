package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.distributed.worker.WorkerInstruction.Discard;
import io.jask.engine.distributed.worker.WorkerInstruction.Execute;
import io.jask.engine.distributed.worker.WorkerInstruction.Fetch;
import io.jask.engine.distributed.worker.WorkerInstruction.Send;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The worker's decisions alone: events in, instructions out, no threads or sockets. */
class WorkerStateTest {

  private static final byte[] NO_PAYLOAD = new byte[0];
  private final Key x = Key.of("x");
  private final Key y = Key.of("y");
  private final Key z = Key.of("z");

  private static WorkerEvent compute(Key key, long priority, Map<Key, List<String>> whoHas, Key... deps) {
    Msg.TaskSpec spec = new Msg.TaskSpec(key, NO_PAYLOAD, List.of(deps), priority, 0, Set.of(), true);
    return new WorkerEvent.Compute(new Msg.ComputeTask(spec, whoHas, Map.of()));
  }

  private static WorkerEvent succeeded(Key key) {
    return new WorkerEvent.TaskSucceeded(key, 8, "Integer", 0, 1);
  }

  private static Key executed(WorkerInstruction i) {
    return ((Execute) i).spec().key();
  }

  @Test
  void compute_depsOnSamePeer_batchedIntoOneFetch() {
    WorkerState s = new WorkerState("me", 1);
    List<WorkerInstruction> out = s.handle(compute(z, 0, Map.of(x, List.of("a"), y, List.of("a")), x, y));
    assertEquals(List.of(new Fetch("a", List.of(x, y))), out);
    assertEquals(WorkerState.Phase.FETCHING, s.phase(z));
  }

  @Test
  void compute_peerSaturated_waitsForAFreeFetchSlot() {
    WorkerState s = new WorkerState("me", 4);
    Key[] keys = {Key.of("k", 0), Key.of("k", 1), Key.of("k", 2)};
    for (int i = 0; i < 3; i++) {
      List<WorkerInstruction> out = s.handle(compute(Key.of("t", i), 0, Map.of(keys[i], List.of("a")), keys[i]));
      assertEquals(i < WorkerState.FETCHES_PER_PEER ? List.of(new Fetch("a", List.of(keys[i]))) : List.of(), out);
    }
    List<WorkerInstruction> out = s.handle(new WorkerEvent.FetchDone("a", Map.of(keys[0], 8L), List.of()));
    assertEquals(List.of(new Fetch("a", List.of(keys[2])), new Execute(((Execute) out.get(1)).spec())), out);
    assertEquals(Key.of("t", 0), executed(out.get(1)));
  }

  @Test
  void fetchMissing_triesNextHolder_thenReportsMissingData() {
    WorkerState s = new WorkerState("me", 1);
    assertEquals(List.of(new Fetch("a", List.of(x))), s.handle(compute(z, 0, Map.of(x, List.of("me", "a", "b")), x)));
    assertEquals(List.of(new Fetch("b", List.of(x))), s.handle(new WorkerEvent.FetchDone("a", Map.of(), List.of(x))));
    List<WorkerInstruction> out = s.handle(new WorkerEvent.FetchFailed("b", List.of(x), "refused"));
    // "me" was named but does not hold x: reported as tried too, so the scheduler crosses it off
    assertEquals(List.of(new Send(new Msg.MissingData(z, x, List.of("me", "a", "b")))), out);
    assertNull(s.phase(z));
  }

  @Test
  void readyTasks_executeByPriority_withinThreadLimit() {
    WorkerState s = new WorkerState("me", 1);
    assertEquals(Key.of("first"), executed(s.handle(compute(Key.of("first"), 9, Map.of())).get(0)));
    assertEquals(List.of(), s.handle(compute(Key.of("low"), 5, Map.of())));
    assertEquals(List.of(), s.handle(compute(Key.of("high"), 1, Map.of())));
    assertEquals(2, s.readyCount());
    List<WorkerInstruction> out = s.handle(succeeded(Key.of("first")));
    assertEquals(new Send(new Msg.TaskFinished(Key.of("first"), 8, "Integer", 0, 1)), out.get(0));
    assertEquals(Key.of("high"), executed(out.get(1)));
  }

  @Test
  void fetchedReplica_discardedAfterLastDependentEnds() {
    WorkerState s = new WorkerState("me", 1);
    s.handle(compute(z, 0, Map.of(x, List.of("a")), x));
    assertEquals(z, executed(s.handle(new WorkerEvent.FetchDone("a", Map.of(x, 8L), List.of())).get(0)));
    List<WorkerInstruction> out = s.handle(succeeded(z));
    assertEquals(List.of(new Send(new Msg.TaskFinished(z, 8, "Integer", 0, 1)), new Discard(List.of(x))), out);
    assertEquals(List.of(z), s.ownedKeys());
  }

  @Test
  void steal_queuedTaskIsStolen_executingIsNot_fetchesAreReleased() {
    WorkerState s = new WorkerState("me", 1);
    s.handle(compute(x, 0, Map.of()));
    s.handle(compute(y, 1, Map.of(z, List.of("a")), z));
    assertEquals(List.of(new Send(new Msg.StealResponse(x, false))), s.handle(new WorkerEvent.Steal(x)));
    assertEquals(List.of(new Send(new Msg.StealResponse(y, true))), s.handle(new WorkerEvent.Steal(y)));
    // z arrives after nobody wants it any more: discarded
    assertEquals(List.of(new Discard(List.of(z))), s.handle(new WorkerEvent.FetchDone("a", Map.of(z, 8L), List.of())));
  }

  @Test
  void free_executingTask_discardsItsResultWhenItEnds() {
    WorkerState s = new WorkerState("me", 1);
    s.handle(compute(x, 0, Map.of()));
    assertEquals(List.of(), s.handle(new WorkerEvent.Free(List.of(x))));
    assertEquals(List.of(new Discard(List.of(x))), s.handle(succeeded(x)));
    assertEquals(0, s.executingCount());
  }

  @Test
  void compute_keyAlreadyHeld_reportsFinishedAgain() {
    WorkerState s = new WorkerState("me", 1);
    s.handle(new WorkerEvent.Scattered(Map.of(x, 16L)));
    assertEquals(List.of(new Send(new Msg.TaskFinished(x, 16, "", 0, 0))), s.handle(compute(x, 0, Map.of())));
  }

  @Test
  void schedulerLost_dropsQueuedTasks_keepsOwnedData() {
    WorkerState s = new WorkerState("me", 1);
    s.handle(compute(x, 0, Map.of()));
    s.handle(succeeded(x));
    s.handle(compute(y, 0, Map.of()));
    s.handle(compute(z, 0, Map.of()));
    s.handle(new WorkerEvent.SchedulerLost());
    assertEquals(0, s.readyCount());
    assertEquals(List.of(), s.handle(succeeded(y)).stream().filter(i -> i instanceof Send).toList());
    assertEquals(List.of(x), s.ownedKeys());
  }
}
