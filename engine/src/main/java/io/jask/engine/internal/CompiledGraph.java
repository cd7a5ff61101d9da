package io.jask.engine.internal;

import io.jask.engine.Key;
import io.jask.engine.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A task graph compiled to arrays for scheduling: tasks numbered 0..n-1, each task's dependencies
 * and dependents as index arrays, and a static priority per task (lower runs first).
 *
 * <p>Compiling culls the graph to what the requested outputs need, rejects a missing dependency or
 * a cycle with a message naming the keys, and computes the priorities with {@link Order}.
 */
public final class CompiledGraph {
  public final int size;
  public final Key[] keys;
  public final Task[] tasks;
  /** deps[i]: the tasks whose results task i reads, in the order of {@link Task#dependencies()}. */
  public final int[][] deps;
  /** dependents[i]: the tasks that read task i's result. */
  public final int[][] dependents;
  /** priority[i]: lower runs first among ready tasks. */
  public final int[] priority;
  /** output[i]: task i's result was requested and is kept to the end. */
  public final boolean[] output;
  /** The requested keys' indices, in request order. */
  public final int[] outputs;

  private CompiledGraph(Key[] keys, Task[] tasks, int[][] deps, int[] outputs) {
    this.size = keys.length;
    this.keys = keys;
    this.tasks = tasks;
    this.deps = deps;
    this.outputs = outputs;
    this.output = new boolean[size];
    for (int o : outputs) {
      output[o] = true;
    }
    this.dependents = invert(deps, size);
    this.priority = Order.priorities(this);
  }

  /**
   * Culls {@code graph} to the tasks that {@code outputs} need and compiles it.
   *
   * @throws IllegalArgumentException if an output or a dependency is missing, or there is a cycle
   */
  public static CompiledGraph compile(Map<Key, Task> graph, Collection<Key> outputs) {
    Map<Key, Task> needed = cull(graph, outputs);
    int n = needed.size();
    Key[] keys = new Key[n];
    Task[] tasks = new Task[n];
    Map<Key, Integer> index = new HashMap<>(n * 2);
    int i = 0;
    for (Map.Entry<Key, Task> e : needed.entrySet()) {
      keys[i] = e.getKey();
      tasks[i] = e.getValue();
      index.put(e.getKey(), i);
      i++;
    }
    int[][] deps = new int[n][];
    for (int t = 0; t < n; t++) {
      Key[] dk = tasks[t].dependencies();
      int[] d = new int[dk.length];
      for (int j = 0; j < dk.length; j++) {
        d[j] = index.get(dk[j]);
      }
      deps[t] = d;
    }
    int[] outs = new int[outputs.size()];
    int o = 0;
    for (Key k : outputs) {
      outs[o++] = index.get(k);
    }
    return new CompiledGraph(keys, tasks, deps, outs);
  }

  /**
   * The sub-graph that {@code outputs} need, in the input's iteration order.
   *
   * @throws IllegalArgumentException naming the missing output or dependency
   */
  public static Map<Key, Task> cull(Map<Key, Task> graph, Collection<Key> outputs) {
    Set<Key> seen = new java.util.HashSet<>(Math.max(16, graph.size() * 2));
    ArrayDeque<Key> todo = new ArrayDeque<>();
    for (Key k : outputs) {
      if (!graph.containsKey(k)) {
        throw new IllegalArgumentException("requested key " + k + " is not in the graph");
      }
      if (seen.add(k)) {
        todo.add(k);
      }
    }
    Map<Key, List<Key>> missing = null;
    while (!todo.isEmpty()) {
      Key k = todo.poll();
      for (Key d : graph.get(k).dependencies()) {
        if (!graph.containsKey(d)) {
          if (missing == null) {
            missing = new LinkedHashMap<>();
          }
          missing.computeIfAbsent(d, x -> new ArrayList<>()).add(k);
        } else if (seen.add(d)) {
          todo.add(d);
        }
      }
    }
    if (missing != null) {
      StringBuilder b = new StringBuilder("missing dependencies: ");
      int shown = 0;
      for (Map.Entry<Key, List<Key>> e : missing.entrySet()) {
        if (shown++ == 5) {
          b.append(", … (").append(missing.size()).append(" in all)");
          break;
        }
        b.append(shown > 1 ? "; " : "").append(e.getValue().get(0)).append(" needs ").append(e.getKey());
      }
      throw new IllegalArgumentException(b.toString());
    }
    if (seen.size() == graph.size()) {
      return graph;
    }
    Map<Key, Task> out = new LinkedHashMap<>(seen.size() * 2);
    for (Map.Entry<Key, Task> e : graph.entrySet()) {
      if (seen.contains(e.getKey())) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  private static int[][] invert(int[][] deps, int n) {
    int[] count = new int[n];
    for (int[] d : deps) {
      for (int x : d) {
        count[x]++;
      }
    }
    int[][] out = new int[n][];
    for (int i = 0; i < n; i++) {
      out[i] = count[i] == 0 ? EMPTY : new int[count[i]];
    }
    Arrays.fill(count, 0);
    for (int t = 0; t < n; t++) {
      for (int x : deps[t]) {
        out[x][count[x]++] = t;
      }
    }
    return out;
  }

  private static final int[] EMPTY = new int[0];

  /** Names the keys of one cycle among {@code stuck} (tasks that never became ready). */
  String describeCycle(boolean[] stuck) {
    int start = -1;
    for (int i = 0; i < size; i++) {
      if (stuck[i]) {
        start = i;
        break;
      }
    }
    // walk dependencies inside the stuck set until a task repeats
    int[] seenAt = new int[size];
    Arrays.fill(seenAt, -1);
    List<Integer> path = new ArrayList<>();
    int cur = start;
    while (seenAt[cur] < 0) {
      seenAt[cur] = path.size();
      path.add(cur);
      int next = -1;
      for (int d : deps[cur]) {
        if (stuck[d]) {
          next = d;
          break;
        }
      }
      cur = next;
    }
    StringBuilder b = new StringBuilder("the graph has a cycle: ");
    for (int p = seenAt[cur]; p < path.size(); p++) {
      b.append(keys[path.get(p)]).append(" -> ");
    }
    return b.append(keys[cur]).toString();
  }
}
