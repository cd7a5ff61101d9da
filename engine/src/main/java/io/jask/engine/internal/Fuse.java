package io.jask.engine.internal;

import io.jask.engine.JaskTaskException;
import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fusion of linear chains, like {@code dask.optimization.fuse_linear}: a task whose only
 * dependency has no other dependent (and is not a requested output) runs in the same task as
 * that dependency. A chain {@code a → b → c} becomes one task under the key {@code c} that calls
 * {@code a}'s function on {@code a}'s inputs, then {@code b}'s and {@code c}'s functions on the
 * previous result. Fewer tasks, no intermediate results held by the scheduler, same values.
 */
public final class Fuse {
  private Fuse() {}

  /** The graph with linear chains fused; keys in {@code keep} are never fused away. */
  public static Map<Key, Task> linear(Map<Key, Task> graph, Collection<Key> keep) {
    Map<Key, Integer> dependentCount = new HashMap<>(graph.size() * 2);
    for (Task t : graph.values()) {
      for (Key d : t.dependencies()) {
        dependentCount.merge(d, 1, Integer::sum);
      }
    }
    Set<Key> kept = keep instanceof Set<Key> s ? s : new HashSet<>(keep);
    // child.get(p) = the single dependent that p fuses into
    Map<Key, Key> fusesInto = new HashMap<>();
    for (Map.Entry<Key, Task> e : graph.entrySet()) {
      Key[] deps = e.getValue().dependencies();
      if (deps.length == 1) {
        Key p = deps[0];
        if (!kept.contains(p) && dependentCount.getOrDefault(p, 0) == 1 && graph.containsKey(p)
            && !(graph.get(p).fn() instanceof TaskFn.Held)) {
          fusesInto.put(p, e.getKey());
        }
      }
    }
    if (fusesInto.isEmpty()) {
      return graph;
    }
    Map<Key, Key> parentOf = new HashMap<>(fusesInto.size() * 2);
    for (Map.Entry<Key, Key> e : fusesInto.entrySet()) {
      parentOf.put(e.getValue(), e.getKey());
    }
    Map<Key, Task> out = new LinkedHashMap<>(graph.size() * 2);
    for (Map.Entry<Key, Task> e : graph.entrySet()) {
      Key k = e.getKey();
      if (fusesInto.containsKey(k)) {
        continue; // folded into the chain's last task
      }
      if (!parentOf.containsKey(k)) {
        out.put(k, e.getValue());
        continue;
      }
      List<Key> chainKeys = new ArrayList<>();
      List<Task> chainTasks = new ArrayList<>();
      for (Key c = k; c != null; c = parentOf.get(c)) {
        chainKeys.add(c);
        chainTasks.add(graph.get(c));
      }
      Collections.reverse(chainKeys);
      Collections.reverse(chainTasks);
      Task head = chainTasks.get(0);
      Chain fn = new Chain(chainKeys.toArray(new Key[0]), chainTasks.toArray(new Task[0]));
      out.put(k, Task.of(fn, head.args()));
    }
    return out;
  }

  /** The function of a fused chain: the head's function, then each next task on the previous result. */
  public record Chain(Key[] keys, Task[] tasks) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      int i = 0;
      try {
        Object value = tasks[0].fn().apply(args);
        for (i = 1; i < tasks.length; i++) {
          Object prev = value;
          value = tasks[i].execute(k -> prev);
        }
        return value;
      } catch (JaskTaskException e) {
        throw e;
      } catch (Exception e) {
        // name the task of the chain that failed, not the chain's last key
        throw new JaskTaskException(keys[i].toString(), e);
      }
    }
  }
}
