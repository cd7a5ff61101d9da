package io.jask.engine.distributed.scheduler;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * back in topological order (dependencies first; among specs that are ready together, in the
 * order they were submitted).
 *
 * <p>The per-spec cost is one lookup in the known keys and one in the incoming ones per
 * dependency; specs without dependencies among the incoming ones (a {@code client.map}) take no
 * part in the topological sort's tables.
 */
final class GraphIntake {

  /**
   * Accepted specs, dependencies first, and rejected keys; {@code resets}: whether some accepted
   * spec replaces a known record (else every accepted key is new to the scheduler).
   */
  record Plan(List<Msg.TaskSpec> accepted, Set<Key> rejected, boolean resets) {}

  private GraphIntake() {}

  static Plan plan(Map<Key, TaskRecord> known, List<Msg.TaskSpec> specs) {
    return specs.size() == 1 ? planOne(known, specs.get(0)) : planGraph(known, specs);
  }

  /**
   * {@link #plan} of one spec (every {@code submit}): the same answer without a graph's tables.
   * Besides their cost, a {@code submit} after a long {@code map} then leaves {@link #planGraph}
   * alone: on 2 cores its recompilation (the JIT had compiled it for 50,000-spec messages) took
   * 0.2-0.5 s of a core while the first round trips ran.
   */
  static Plan planOne(Map<Key, TaskRecord> known, Msg.TaskSpec s) {
    Set<Key> rejected = new LinkedHashSet<>();
    List<Msg.TaskSpec> accepted = new ArrayList<>(1);
    if (s == null || s.key() == null || s.dependencies() == null) {
      return new Plan(accepted, rejected, false);
    }
    boolean resets = false;
    TaskRecord t = known.get(s.key());
    if (t != null) {
      if (!takesAgain(t, s)) {
        return new Plan(accepted, rejected, false);
      }
      resets = true;
    }
    for (Key d : s.dependencies()) {
      if (d != null && (d.equals(s.key()) || !known.containsKey(d))) {
        rejected.add(s.key()); // its own input (a cycle), or an input nobody has
        return new Plan(accepted, rejected, resets);
      }
    }
    accepted.add(s);
    return new Plan(accepted, rejected, resets);
  }

  /**
   * Whether a spec for a known key replaces its record: an impure resubmission of a finished or
   * failed task, or scattered data that was freed or lost getting a way to be computed.
   */
  private static boolean takesAgain(TaskRecord t, Msg.TaskSpec s) {
    boolean finished = t.state == TaskState.MEMORY || t.state == TaskState.ERRED;
    return (!s.pure() && t.spec != null && finished)
        || (t.spec == null && (t.state == TaskState.RELEASED || t.state == TaskState.ERRED));
  }

  /** {@link #plan} of any number of specs. */
  static Plan planGraph(Map<Key, TaskRecord> known, List<Msg.TaskSpec> specs) {
    Map<Key, Msg.TaskSpec> incoming = new LinkedHashMap<>(Math.max(16, specs.size() * 4 / 3 + 1));
    Set<Key> rejected = new LinkedHashSet<>();
    boolean resets = false;
    for (Msg.TaskSpec s : specs) {
      if (s == null || s.key() == null || s.dependencies() == null) {
        continue;
      }
      TaskRecord t = known.get(s.key());
      if (t != null) {
        if (!takesAgain(t, s)) {
          continue;
        }
        resets = true;
      }
      incoming.putIfAbsent(s.key(), s);
    }
    List<Msg.TaskSpec> order = new ArrayList<>(incoming.size());
    ArrayDeque<Msg.TaskSpec> ready = new ArrayDeque<>();
    // only for specs that wait for other incoming specs
    Map<Key, int[]> indegree = new HashMap<>();
    Map<Key, List<Msg.TaskSpec>> users = new HashMap<>();
    for (Msg.TaskSpec s : incoming.values()) {
      int n = 0;
      for (Key d : distinctDependencies(s)) {
        if (d == null) {
          continue;
        }
        if (incoming.containsKey(d)) {
          n++;
          users.computeIfAbsent(d, k -> new ArrayList<>(2)).add(s);
        } else if (!known.containsKey(d)) {
          rejected.add(s.key());
        }
      }
      if (n == 0) {
        order.add(s); // ready at once, in submission order
      } else {
        indegree.put(s.key(), new int[] {n});
      }
    }
    if (!users.isEmpty()) {
      for (int i = 0; i < order.size(); i++) {
        release(order.get(i), users, indegree, ready);
      }
      for (Msg.TaskSpec s; (s = ready.poll()) != null; ) {
        order.add(s);
        release(s, users, indegree, ready);
      }
    }
    if (order.size() < incoming.size()) {
      Set<Key> sorted = new HashSet<>();
      for (Msg.TaskSpec s : order) {
        sorted.add(s.key());
      }
      for (Key k : incoming.keySet()) {
        if (!sorted.contains(k)) {
          rejected.add(k); // on or behind a cycle
        }
      }
    }
    if (rejected.isEmpty()) {
      return new Plan(order, rejected, resets);
    }
    List<Msg.TaskSpec> accepted = new ArrayList<>(order.size());
    for (Msg.TaskSpec s : order) {
      boolean bad = rejected.contains(s.key());
      for (Key d : s.dependencies()) {
        bad |= d != null && rejected.contains(d);
      }
      if (bad) {
        rejected.add(s.key());
      } else {
        accepted.add(s);
      }
    }
    return new Plan(accepted, rejected, resets);
  }

  /** {@code s} is sorted: its users lose one missing input; those with none left become ready. */
  private static void release(Msg.TaskSpec s, Map<Key, List<Msg.TaskSpec>> users, Map<Key, int[]> indegree,
      ArrayDeque<Msg.TaskSpec> ready) {
    List<Msg.TaskSpec> us = users.get(s.key());
    if (us == null) {
      return;
    }
    for (Msg.TaskSpec u : us) {
      if (--indegree.get(u.key())[0] == 0) {
        ready.add(u);
      }
    }
  }

  /** The spec's dependencies without repeats, in order (the list itself when it has none). */
  static List<Key> distinctDependencies(Msg.TaskSpec s) {
    List<Key> deps = s.dependencies();
    int n = deps.size();
    if (n < 2) {
      return deps;
    }
    if (n <= 16) {
      for (int i = 1; i < n; i++) {
        Key k = deps.get(i);
        for (int j = 0; j < i; j++) {
          if (java.util.Objects.equals(k, deps.get(j))) {
            return new ArrayList<>(new LinkedHashSet<>(deps));
          }
        }
      }
      return deps;
    }
    return new ArrayList<>(new LinkedHashSet<>(deps));
  }
}
