package io.jask.engine;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
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
  private static final Graph EMPTY = new Graph(null, List.of());

  /*
   * A graph is a node of a DAG of graphs: at most one layer of its own plus the graphs it was
   * built on. Building a collection operation by operation therefore costs O(1) per operation
   * (no copying of the layers so far: a chain of 10,000 Delayed calls builds in linear time);
   * the flat view by name is computed once, on first use, by one walk that visits each shared
   * sub-graph once.
   */
  private final Layer own;
  private final List<Graph> inputs;
  private volatile Map<String, Layer> layers;

  private Graph(Layer own, List<Graph> inputs) {
    this.own = own;
    this.inputs = inputs;
  }

  /** The graph without layers. */
  public static Graph empty() {
    return EMPTY;
  }

  /** A graph of one layer on top of the given graphs. */
  public static Graph of(Layer layer, Graph... inputs) {
    return new Graph(layer, List.of(inputs));
  }

  /**
   * A graph of already built tasks, one layer per key name (for results computed elsewhere, such
   * as persisted values).
   *
   * <pre>{@code
   * Graph g = Graph.fromTasks(Map.of(Key.of("x", 0), Task.literal(1)));
   * }</pre>
   */
  public static Graph fromTasks(Map<Key, Task> tasks) {
    Map<String, Map<Key, Task>> byName = new LinkedHashMap<>();
    tasks.forEach((k, t) -> byName.computeIfAbsent(k.name(), n -> new LinkedHashMap<>()).put(k, t));
    Graph g = EMPTY;
    for (Map.Entry<String, Map<Key, Task>> e : byName.entrySet()) {
      g = g.with(Layer.of(e.getKey(), java.util.Set.of(), e.getValue()));
    }
    return g;
  }

  /** The union of several graphs (a layer present in several is taken once, by name). */
  public static Graph merge(Graph... graphs) {
    if (graphs.length == 1) {
      return graphs[0];
    }
    return new Graph(null, List.of(graphs));
  }

  /** The union of several graphs. */
  public static Graph merge(Collection<Graph> graphs) {
    return merge(graphs.toArray(new Graph[0]));
  }

  /** This graph with one more layer (replacing a layer of the same name). */
  public Graph with(Layer layer) {
    return new Graph(layer, this == EMPTY ? List.of() : List.of(this));
  }

  /** The layers by name, inputs before the layers built on them. */
  public Map<String, Layer> layers() {
    Map<String, Layer> l = layers;
    if (l == null) {
      Map<String, Layer> flat = new LinkedHashMap<>();
      java.util.Set<Graph> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      // iterative post-order walk: inputs first, so a later layer of the same name wins
      Deque<Object[]> stack = new ArrayDeque<>();
      stack.push(new Object[] {this, 0});
      seen.add(this);
      while (!stack.isEmpty()) {
        Object[] top = stack.peek();
        Graph g = (Graph) top[0];
        int next = (Integer) top[1];
        if (next < g.inputs.size()) {
          top[1] = next + 1;
          Graph in = g.inputs.get(next);
          if (in.layers != null) {
            for (Map.Entry<String, Layer> e : in.layers.entrySet()) {
              flat.put(e.getKey(), e.getValue());
            }
          } else if (seen.add(in)) {
            stack.push(new Object[] {in, 0});
          }
        } else {
          stack.pop();
          if (g.own != null) {
            flat.remove(g.own.name());
            flat.put(g.own.name(), g.own);
          }
        }
      }
      layers = l = Collections.unmodifiableMap(flat);
    }
    return l;
  }

  /** Materializes every layer. */
  public Map<Key, Task> materialize() {
    return materializeLayers(layers().keySet());
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
      Layer layer = layers().get(name);
      if (layer == null) {
        unknownRoot = true;
        continue;
      }
      todo.addAll(layer.dependsOn());
    }
    if (unknownRoot) {
      // some key does not carry its layer's name: fall back to building everything
      return materializeLayers(layers().keySet());
    }
    return materializeLayers(needed);
  }

  private Map<Key, Task> materializeLayers(Set<String> names) {
    Map<Key, Task> out = new LinkedHashMap<>();
    for (Layer layer : layers().values()) {
      if (names.contains(layer.name())) {
        out.putAll(layer.materialize());
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "Graph" + layers().keySet();
  }
}
