package io.jask.engine.distributed.scheduler;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Read-only summaries of a {@link SchedulerState} for the dashboard, built in one pass on the
 * scheduler's event thread (through {@code SchedulerServer.inspect}) and then handed to other
 * threads as immutable records: the dashboard never reads the live state from its own threads.
 *
 * <pre>{@code
 * StateView.Summary s = server.inspect(StateView::summary);
 * s.byPrefix().get("inc").get(TaskState.MEMORY);
 * }</pre>
 */
public final class StateView {
  private StateView() {}

  /**
   * Counts of tracked keys per prefix and state, the scheduler's counts by state, and per worker
   * the number of processing tasks and held keys.
   */
  public record Summary(
      Map<String, Map<TaskState, Integer>> byPrefix,
      Map<TaskState, Integer> byState,
      Map<String, Integer> processingByWorker,
      Map<String, Integer> heldByWorker,
      Map<String, Long> bytesByWorker,
      int clients) {}

  /** A small graph: its tasks, states, dependencies and where each is. */
  public record GraphNode(String key, String prefix, TaskState state, List<String> dependencies, String worker) {}

  /** One pass over the state's tasks and workers (call on the event thread). */
  public static Summary summary(SchedulerState s) {
    Map<String, Map<TaskState, Integer>> byPrefix = new TreeMap<>();
    for (TaskRecord t : s.tasksView().values()) {
      byPrefix.computeIfAbsent(t.prefix(), p -> new EnumMap<>(TaskState.class)).merge(t.state, 1, Integer::sum);
    }
    Map<String, Integer> processing = new TreeMap<>();
    Map<String, Integer> held = new TreeMap<>();
    Map<String, Long> bytes = new TreeMap<>();
    for (WorkerRecord w : s.workersView().values()) {
      processing.put(w.address, w.processing.size());
      held.put(w.address, w.has.size());
      bytes.put(w.address, w.nbytesHeld);
    }
    return new Summary(byPrefix, s.countsByState(), processing, held, bytes, s.clientsView().size());
  }

  /**
   * The tracked tasks with their dependencies, or empty if there are more than {@code maxTasks}
   * (a graph view of thousands of nodes would not be readable anyway).
   */
  public static List<GraphNode> graph(SchedulerState s, int maxTasks) {
    Map<io.jask.engine.Key, TaskRecord> tasks = s.tasksView();
    if (tasks.size() > maxTasks) {
      return List.of();
    }
    List<GraphNode> nodes = new ArrayList<>(tasks.size());
    Map<TaskRecord, String> names = new HashMap<>();
    for (TaskRecord t : tasks.values()) {
      names.put(t, t.key.toString());
    }
    for (TaskRecord t : tasks.values()) {
      List<String> deps = new ArrayList<>(t.dependencies.size());
      for (TaskRecord d : t.dependencies) {
        deps.add(names.getOrDefault(d, d.key.toString()));
      }
      String where = t.processingOn != null ? t.processingOn.address
          : t.whoHas.isEmpty() ? null : t.whoHas.iterator().next().address;
      nodes.add(new GraphNode(names.get(t), t.prefix(), t.state, deps, where));
    }
    return nodes;
  }

  /** How many keys the state tracks. */
  public static int size(SchedulerState s) {
    return s.tasksView().size();
  }
}
