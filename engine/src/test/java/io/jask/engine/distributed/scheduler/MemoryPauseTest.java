package io.jask.engine.distributed.scheduler;

import static io.jask.engine.distributed.scheduler.Harness.computed;
import static io.jask.engine.distributed.scheduler.Harness.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Root-task queuing under memory pressure: a worker that reports itself paused gets no queued
 * root task (input does not run ahead of the consumers), the others keep getting them, and it
 * gets them again once it reports itself running; the memory it reports is kept for clients.
 */
class MemoryPauseTest {

  private static Msg.Heartbeat heartbeat(boolean paused, long managed) {
    Msg.WorkerMemory m = new Msg.WorkerMemory(managed, 100, 7, 1000, paused);
    return new Msg.Heartbeat(0, 0, m.process(), managed, 7, 0, m);
  }

  @Test
  void pausedWorker_getsNoQueuedRootTasks_untilItResumes() {
    Harness h = new Harness(Harness.opts(3, false, 1.0));
    h.client("c");
    h.worker("w1", 1);
    h.worker("w2", 1);
    h.fromWorker("w1", heartbeat(true, 800));
    List<Msg.TaskSpec> roots = new ArrayList<>();
    Key[] wanted = new Key[6];
    for (int i = 0; i < 6; i++) {
      roots.add(spec(Key.of("root", i), i));
      wanted[i] = Key.of("root", i);
    }
    List<Send> out = h.submit("c", roots, wanted);
    assertEquals(List.of(), computed(out, "w1"), "paused");
    assertEquals(List.of(Key.of("root", 0)), computed(out, "w2"));
    assertEquals(5, h.s.queued().size(), "the rest wait in the scheduler, not on a worker");

    out = h.finish("w2", Key.of("root", 0), 8);
    assertEquals(List.of(), computed(out, "w1"));
    assertEquals(List.of(Key.of("root", 1)), computed(out, "w2"));

    out = h.fromWorker("w1", heartbeat(false, 100));
    assertEquals(List.of(Key.of("root", 2)), computed(out, "w1"), "resumed: takes queued work again");
    assertEquals(3, h.s.queued().size());

    assertEquals(new Msg.WorkerMemory(100, 100, 7, 1000, false), h.s.workerMemory().get("w1"));
    assertTrue(h.s.workerMemory().containsKey("w2"));
  }
}
