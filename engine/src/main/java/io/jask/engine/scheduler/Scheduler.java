package io.jask.engine.scheduler;

import io.jask.engine.Graph;
import io.jask.engine.Key;
import io.jask.engine.Task;
import java.util.List;
import java.util.Map;

/**
 * A backend that runs task graphs: {@code sync}, {@code threads}, {@code processes} or
 * {@code distributed}. Backends are found with {@link java.util.ServiceLoader} through
 * {@link SchedulerProvider} and chosen by the {@code scheduler} configuration key.
 *
 * <pre>{@code
 * Scheduler s = Schedulers.get("threads");
 * Map<Key, Object> out = s.get(tasks, List.of(Key.of("total")));
 * }</pre>
 */
public interface Scheduler {

  /** The backend's name, as written in the {@code scheduler} configuration key. */
  String name();

  /**
   * Runs the tasks that {@code outputs} need, as given (no fusion), and returns the outputs'
   * results by key. This is the raw entry point, like {@code dask.threaded.get}.
   *
   * @throws io.jask.engine.JaskTaskException if a task fails
   * @throws io.jask.engine.JaskCancelledException if the calling thread is interrupted
   * @throws IllegalArgumentException if the graph misses a key or has a cycle
   */
  Map<Key, Object> get(Map<Key, Task> tasks, List<Key> outputs);

  /**
   * Optimizes (cull, fuse) and runs a high-level graph. A distributed backend may ship the layers
   * and expand them remotely; the default materializes them here.
   */
  default Map<Key, Object> compute(Graph graph, List<Key> outputs) {
    return get(Optimizer.optimize(graph, outputs), outputs);
  }
}
