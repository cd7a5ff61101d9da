package io.jask.engine;

import java.util.Map;
import java.util.Set;

/**
 * One operation of a high-level {@link Graph}: a named group of tasks that can be materialized on
 * demand, like a layer of Dask's {@code HighLevelGraph}. A layer knows which other layers its
 * tasks read, so that whole layers can be culled before any task is built.
 *
 * <pre>{@code
 * Layer inc = Layer.of("inc-1f2e", Set.of("x-77a0"), Map.of(
 *     Key.of("inc-1f2e", 0), Task.of(a -> (Integer) a[0] + 1, Key.of("x-77a0", 0))));
 * }</pre>
 */
public interface Layer {

  /** The layer's name; keys whose {@link Key#name()} equals it belong to it. */
  String name();

  /** The names of the layers whose keys this layer's tasks depend on. */
  Set<String> dependsOn();

  /** Builds (or returns) this layer's tasks. May be called more than once; must be deterministic. */
  Map<Key, Task> materialize();

  /** A layer whose tasks are already built. */
  static Layer of(String name, Set<String> dependsOn, Map<Key, Task> tasks) {
    return new MaterializedLayer(name, Set.copyOf(dependsOn), Map.copyOf(tasks));
  }

  /** A layer whose tasks are built by {@code supplier} when the graph is materialized. */
  static Layer lazy(String name, Set<String> dependsOn, java.util.function.Supplier<Map<Key, Task>> supplier) {
    return new LazyLayer(name, Set.copyOf(dependsOn), supplier);
  }

  /** A layer with already-built tasks. */
  record MaterializedLayer(String name, Set<String> dependsOn, Map<Key, Task> tasks) implements Layer {
    @Override
    public Map<Key, Task> materialize() {
      return tasks;
    }
  }

  /** A layer built on demand (once, then cached). */
  final class LazyLayer implements Layer {
    private final String name;
    private final Set<String> dependsOn;
    private final java.util.function.Supplier<Map<Key, Task>> supplier;
    private volatile Map<Key, Task> tasks;

    LazyLayer(String name, Set<String> dependsOn, java.util.function.Supplier<Map<Key, Task>> supplier) {
      this.name = name;
      this.dependsOn = dependsOn;
      this.supplier = supplier;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Set<String> dependsOn() {
      return dependsOn;
    }

    @Override
    public Map<Key, Task> materialize() {
      Map<Key, Task> t = tasks;
      if (t == null) {
        synchronized (this) {
          t = tasks;
          if (t == null) {
            t = supplier.get();
            tasks = t;
          }
        }
      }
      return t;
    }
  }
}
