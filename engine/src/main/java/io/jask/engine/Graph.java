package io.jask.engine;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A high-level task graph: layers by name, each layer one operation of a collection. Immutable;
 * {@link #with} and {@link #merge} return new graphs that share layers.
 *
 * <pre>{@code
 * Graph g = Graph.empty().with(Layer.of("x", Set.of(), Map.of(Key.of("x"), Task.literal(1))));
 * Map<Key, Task> tasks = g.materialize(List.of(Key.of("x")));
 * }</pre>
 */
public final class Graph {
  private static final Graph EMPTY = new Graph(Collections.emptyMap());

  private final Map<String, Layer> layers;

  private Graph(Map<String, Layer> layers) {
    this.layers = layers;
  }

  /** The graph without layers. */
  public static Graph empty() {
    return EMPTY;
  }

  /** A graph of one layer on top of the given graphs. */
  public static Graph of(Layer layer, Graph... inputs) {
    return merge(inputs).with(layer);
  }

  /** The union of several graphs (a layer present in several is taken once, by name). */
  public static Graph merge(Graph... graphs) {
    if (graphs.length == 1) {
      return graphs[0];
    }
    Map<String, Layer> all = new LinkedHashMap<>();
    for (Graph g : graphs) {
      all.putAll(g.layers);
    }
    return new Graph(Collections.unmodifiableMap(all));
  }

  /** The union of several graphs. */
  public static Graph merge(Collection<Graph> graphs) {
    return merge(graphs.toArray(new Graph[0]));
  }

  /** This graph with one more layer (replacing a layer of the same name). */
  public Graph with(Layer layer) {
    Map<String, Layer> all = new LinkedHashMap<>(layers);
    all.put(layer.name(), layer);
    return new Graph(Collections.unmodifiableMap(all));
  }

  /** The layers by name, in insertion order. */
  public Map<String, Layer> layers() {
    return layers;
  }

  /** Materializes every layer. */
  public Map<Key, Task> materialize() {
    return materializeLayers(layers.keySet());
  }

  /**
   * Materializes only the layers the given output keys need: the layers that own the outputs and,
   * transitively, the layers those depend on. Layers that are not needed are never built.
   */
  public Map<Key, Task> materialize(Collection<Key> outputs) {
    Set<String> roots = new HashSet<>();
    for (Key k : outputs) {
      roots.add(k.name());
    }
    Set<String> needed = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(roots);
    boolean unknownRoot = false;
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!needed.add(name)) {
        continue;
      }
      Layer layer = layers.get(name);
      if (layer == null) {
        unknownRoot = true;
        continue;
      }
      todo.addAll(layer.dependsOn());
    }
    if (unknownRoot) {
      // some key does not carry its layer's name: fall back to building everything
      return materializeLayers(layers.keySet());
    }
    return materializeLayers(needed);
  }

  private Map<Key, Task> materializeLayers(Set<String> names) {
    Map<Key, Task> out = new LinkedHashMap<>();
    for (Layer layer : layers.values()) {
      if (names.contains(layer.name())) {
        out.putAll(layer.materialize());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "Graph" + layers.keySet();
  }
}
