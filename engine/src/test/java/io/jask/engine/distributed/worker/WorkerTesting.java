package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.serialize.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Helpers shared by the worker tests. */
final class WorkerTesting {
  private WorkerTesting() {}

  /** A ComputeTask for {@code task} under {@code key}. */
  static Msg.ComputeTask compute(Key key, Task task, long priority, Map<Key, List<String>> whoHas) {
    byte[] payload = Serialization.get().toBytes(task);
    Msg.TaskSpec spec = new Msg.TaskSpec(key, payload, List.of(task.dependencies()), priority, 0, Set.of(), true);
    return new Msg.ComputeTask(spec, whoHas, Map.of());
  }

  /** A task that waits for {@link WorkerTest#gate} (same JVM only). */
  static Task blocking() {
    return Task.of(args -> {
      WorkerTest.gate.await();
      return "unblocked";
    });
  }

  /** Calls {@code probe} until its result matches (bounded by a safety timeout). */
  static <T> T eventually(Callable<T> probe, Predicate<T> done) throws Exception {
    long deadline = System.currentTimeMillis() + FakeScheduler.SAFETY_MILLIS;
    T last;
    do {
      last = probe.call();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(10);
    } while (System.currentTimeMillis() < deadline);
    fail("condition not reached within the safety timeout; last: " + last);
    return last;
  }

  /** Fails if a worker thread (loop, pool, I/O, close) is still alive a while after closing. */
  static void assertNoWorkerThreadsLeft() throws Exception {
    List<String> left =
        eventually(
            () -> Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("jask-worker-"))
                .map(Thread::getName)
                .toList(),
            List::isEmpty);
    assertEquals(List.of(), left);
  }
}
