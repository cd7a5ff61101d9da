package io.jask.engine.distributed.scheduler;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which specs of an {@code UpdateGraph} the scheduler takes: new keys, keys it knows as
 * finished or erred that the client resubmits as impure ({@code pure == false}), and scattered keys
 * it no longer holds. A key already known otherwise keeps its record and state. Specs whose dependencies are neither known nor submitted, or
 * that sit on a cycle, are rejected with everything that depends on them. The accepted specs come
 * back in topological order (dependencies first).
 */
final class GraphIntake {

  /** Accepted specs, dependencies first, and rejected keys. */
  record Plan(List<Msg.TaskSpec> accepted, Set<Key> rejected) {}

  private GraphIntake() {}

  static Plan plan(Map<Key, TaskRecord> known, List<Msg.TaskSpec> specs) {
    Map<Key, Msg.TaskSpec> incoming = new LinkedHashMap<>();
    Set<Key> rejected = new LinkedHashSet<>();
    for (Msg.TaskSpec s : specs) {
      if (s.key() == null || s.dependencies() == null) {
        continue;
      }
      TaskRecord t = known.get(s.key());
      boolean finished = t != null && (t.state == TaskState.MEMORY || t.state == TaskState.ERRED);
      boolean reset = t != null && !s.pure() && t.spec != null && finished;
      // scattered data that was freed or lost gets a way to be computed
      reset |= t != null && t.spec == null && (t.state == TaskState.RELEASED || t.state == TaskState.ERRED);
      if (t == null || reset) {
        incoming.putIfAbsent(s.key(), s);
      }
    }
    Map<Key, Integer> indegree = new HashMap<>();
    Map<Key, List<Key>> users = new HashMap<>();
    for (Msg.TaskSpec s : incoming.values()) {
      int n = 0;
      for (Key d : new LinkedHashSet<>(s.dependencies())) {
        if (d == null) {
          continue;
        }
        if (incoming.containsKey(d)) {
          n++;
          users.computeIfAbsent(d, k -> new ArrayList<>()).add(s.key());
        } else if (!known.containsKey(d)) {
          rejected.add(s.key());
        }
      }
      indegree.put(s.key(), n);
    }
    Deque<Key> ready = new ArrayDeque<>();
    indegree.forEach((k, n) -> {
      if (n == 0) {
        ready.add(k);
      }
    });
    List<Key> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      Key k = ready.poll();
      order.add(k);
      for (Key u : users.getOrDefault(k, List.of())) {
        if (indegree.merge(u, -1, Integer::sum) == 0) {
          ready.add(u);
        }
      }
    }
    for (Key k : incoming.keySet()) {
      if (order.size() < incoming.size() && !order.contains(k)) {
        rejected.add(k); // on or behind a cycle
      }
    }
    List<Msg.TaskSpec> accepted = new ArrayList<>();
    for (Key k : order) {
      Msg.TaskSpec s = incoming.get(k);
      boolean bad = rejected.contains(k);
      for (Key d : s.dependencies()) {
        bad |= d != null && rejected.contains(d);
      }
      if (bad) {
        rejected.add(k);
      } else {
        accepted.add(s);
      }
    }
    return new Plan(accepted, rejected);
  }
}
