package io.jask.engine.scheduler;

import io.jask.engine.Graph;
import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.config.Config;
import io.jask.engine.internal.CompiledGraph;
import io.jask.engine.internal.Fuse;
import java.util.List;
import java.util.Map;

/**
 * The task-level optimizations every backend applies before running a high-level graph: build only
 * the layers the outputs need, cull to the tasks they need, and fuse linear chains (switch:
 * {@code optimization.fuse.active}).
 */
public final class Optimizer {
  private Optimizer() {}

  /** Materializes, culls and (if enabled) fuses {@code graph} for {@code outputs}. */
  public static Map<Key, Task> optimize(Graph graph, List<Key> outputs) {
    Map<Key, Task> tasks = CompiledGraph.cull(graph.materialize(outputs), outputs);
    if (Config.getBoolean("optimization.fuse.active", true)) {
      tasks = Fuse.linear(tasks, outputs);
    }
    return tasks;
  }
}
