package io.jask.engine.scheduler.local;

import io.jask.engine.Key;
import io.jask.engine.Task;

/** How the local loop runs one ready task: in this thread, or in a child JVM. */
@FunctionalInterface
public interface TaskRunner {
  /**
   * Runs {@code task} (key {@code key}) with its dependencies' values, in {@link
   * Task#dependencies()} order, on loop thread {@code slot}.
   */
  Object run(int slot, Key key, Task task, Object[] depValues) throws Exception;

  /** Runs tasks in the calling thread. */
  TaskRunner IN_THREAD = (slot, key, task, deps) -> LocalLoop.runLocally(task, deps);
}
