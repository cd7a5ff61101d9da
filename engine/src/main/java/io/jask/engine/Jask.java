package io.jask.engine;

import io.jask.engine.diagnostics.ConsoleProgress;
import io.jask.engine.scheduler.Scheduler;
import io.jask.engine.scheduler.Schedulers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Functions over several collections at once, like {@code dask.compute} and {@code dask.persist}.
 *
 * <pre>{@code
 * Delayed<Integer> a = Delayed.call(Math::addExact, 1, 2);
 * Delayed<Integer> b = Delayed.call(Math::multiplyExact, a, 10);
 * List<Object> both = Jask.compute(a, b);   // [3, 30]; a is computed once
 * }</pre>
 */
public final class Jask {
  private Jask() {}

  /**
   * Computes all collections in one graph, so shared tasks run once, with the scheduler the
   * configuration picks; returns their results in order.
   */
  public static List<Object> compute(JaskCollection<?>... collections) {
    return compute(Schedulers.current(), collections);
  }

  /** Computes all collections in one graph on {@code scheduler}. */
  public static List<Object> compute(Scheduler scheduler, JaskCollection<?>... collections) {
    Graph graph = merged(collections);
    List<Key> outputs = outputs(collections);
    Map<Key, Object> results;
    try (ConsoleProgress bar = ConsoleProgress.start("compute")) {
      results = scheduler.compute(graph, outputs);
    }
    List<Object> out = new ArrayList<>(collections.length);
    for (JaskCollection<?> c : collections) {
      List<Object> parts = new ArrayList<>(c.keys().size());
      for (Key k : c.keys()) {
        parts.add(results.get(k));
      }
      out.add(c.finalize(parts));
    }
    return out;
  }

  /**
   * Computes the collections' keys and returns each collection rebuilt on a graph of the computed
   * values (with a distributed scheduler: on the results held by the workers).
   */
  public static List<JaskCollection<?>> persist(JaskCollection<?>... collections) {
    Scheduler scheduler = Schedulers.current();
    Graph graph = merged(collections);
    List<Key> outputs = outputs(collections);
    Graph persisted;
    if (scheduler instanceof Persisting p) {
      persisted = p.persist(graph, outputs); // returns at once: Progress.of(futures) follows it
    } else {
      try (ConsoleProgress bar = ConsoleProgress.start("persist")) {
        persisted = valuesGraph(scheduler.compute(graph, outputs));
      }
    }
    List<JaskCollection<?>> out = new ArrayList<>(collections.length);
    for (JaskCollection<?> c : collections) {
      out.add(c.rebuild(persisted));
    }
    return out;
  }

  /** Writes the task graph of the collections as Graphviz DOT, or as SVG/PNG if {@code dot} is installed. */
  public static Path visualize(Path file, JaskCollection<?>... collections) {
    return io.jask.engine.internal.Dot.write(merged(collections).materialize(outputs(collections)), outputs(collections), file);
  }

  /** A graph of literal tasks, one layer per key name. */
  static Graph valuesGraph(Map<Key, Object> values) {
    Map<Key, Task> tasks = new java.util.LinkedHashMap<>();
    values.forEach((k, v) -> tasks.put(k, Task.literal(v)));
    return Graph.fromTasks(tasks);
  }

  private static Graph merged(JaskCollection<?>... collections) {
    Graph[] graphs = new Graph[collections.length];
    for (int i = 0; i < graphs.length; i++) {
      graphs[i] = collections[i].graph();
    }
    return Graph.merge(graphs);
  }

  private static List<Key> outputs(JaskCollection<?>... collections) {
    LinkedHashSet<Key> keys = new LinkedHashSet<>();
    for (JaskCollection<?> c : collections) {
      keys.addAll(c.keys());
    }
    return new ArrayList<>(keys);
  }

  /** A scheduler that can keep results where they were computed (the distributed Client). */
  public interface Persisting {
    /** Computes {@code outputs} and returns a graph whose tasks for them refer to the kept results. */
    Graph persist(Graph graph, List<Key> outputs);
  }
}
