package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.distributed.worker.WorkerInstruction.Execute;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Memory in the worker's decisions: a paused worker starts no task (running ones finish) and
 * resumes in priority order; fetching keeps at most the transfer limit of bytes in flight.
 */
class WorkerStateMemoryTest {

  private static WorkerEvent compute(String key, long priority) {
    Msg.TaskSpec spec = new Msg.TaskSpec(Key.of(key), new byte[0], List.of(), priority, 0, Set.of(), true);
    return new WorkerEvent.Compute(new Msg.ComputeTask(spec, Map.of(), Map.of()));
  }

  private static List<Key> executed(List<WorkerInstruction> out) {
    return out.stream().filter(i -> i instanceof Execute).map(i -> ((Execute) i).spec().key()).toList();
  }

  @Test
  void paused_startsNothing_finishesRunning_resumesByPriority() {
    WorkerState s = new WorkerState("me", 2);
    assertEquals(List.of(Key.of("a")), executed(s.handle(compute("a", 0))));
    assertEquals(List.of(), s.handle(new WorkerEvent.Paused(true)));
    assertTrue(s.paused());
    assertEquals(List.of(), executed(s.handle(compute("c", 5))));
    assertEquals(List.of(), executed(s.handle(compute("b", 1))));
    List<WorkerInstruction> out = s.handle(new WorkerEvent.TaskSucceeded(Key.of("a"), 8, "Long", 0, 1));
    assertEquals(new WorkerInstruction.Send(new Msg.TaskFinished(Key.of("a"), 8, "Long", 0, 1)), out.get(0));
    assertEquals(List.of(), executed(out), "a finished, but a paused worker starts nothing");
    assertEquals(2, s.readyCount());
    assertEquals(List.of(Key.of("b"), Key.of("c")), executed(s.handle(new WorkerEvent.Paused(false))));
    assertEquals(0, s.readyCount());
  }

  @Test
  void fetches_stayWithinTransferLimit_oneValueAlwaysAllowed() {
    WorkerState s = new WorkerState("me", 1, 250);
    Map<Key, Long> sizes = new java.util.HashMap<>();
    Map<Key, List<String>> who = new java.util.HashMap<>();
    Key[] deps = new Key[5];
    for (int i = 0; i < 5; i++) {
      deps[i] = Key.of("d", i);
      sizes.put(deps[i], i == 0 ? 400L : 100L); // the first alone is above the limit
      who.put(deps[i], List.of("a"));
    }
    Msg.TaskSpec spec = new Msg.TaskSpec(Key.of("t"), new byte[0], List.of(deps), 0, 0, Set.of(), true);
    List<WorkerInstruction> out = s.handle(new WorkerEvent.Compute(new Msg.ComputeTask(spec, who, sizes)));
    assertEquals(List.of(new WorkerInstruction.Fetch("a", List.of(deps[0]))), out, "one value even above the limit");
    assertEquals(400, s.incomingBytes());
    out = s.handle(new WorkerEvent.FetchDone("a", Map.of(deps[0], 400L), List.of()));
    assertEquals(List.of(new WorkerInstruction.Fetch("a", List.of(deps[1], deps[2]))), out, "250 bytes: two of 100");
    assertEquals(200, s.incomingBytes());
    out = s.handle(new WorkerEvent.FetchFailed("a", List.of(deps[1], deps[2]), "refused"));
    assertEquals(0, s.incomingBytes());
    assertTrue(out.stream().anyMatch(i -> i instanceof WorkerInstruction.Send sd && sd.msg() instanceof Msg.MissingData));
  }
}
