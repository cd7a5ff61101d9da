package io.jask.engine.scheduler.local;

import io.jask.engine.Key;
import io.jask.engine.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Seeded random DAGs with a direct evaluator as the oracle. */
final class RandomDags {
  static final long MOD = 1_000_000_007L;

  /** One random case: the graph, its outputs, each task's dependency indices, and the expected values. */
  record Dag(long seed, Map<Key, Task> tasks, List<Key> outputs, Key[] keys, int[][] deps, long[] expected) {
    @Override
    public String toString() {
      return "seed=" + seed + " tasks=" + keys.length + " outputs=" + outputs.size();
    }
  }

  /** The function of every random task: (i * 31 + sum of inputs) mod p. */
  record Mix(long salt) implements io.jask.engine.TaskFn {
    @Override
    public Object apply(Object[] args) {
      long acc = salt;
      for (Object a : args) {
        if (a instanceof List<?> l) {
          for (Object x : l) {
            acc = (acc + (Long) x) % MOD;
          }
        } else if (a instanceof Long v) {
          acc = (acc + v) % MOD;
        }
      }
      return acc;
    }
  }

  static Dag generate(long seed, int maxTasks) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(maxTasks);
    Key[] keys = new Key[n];
    String[] names = {"load", "inc", "sum", "mul", "x"};
    for (int i = 0; i < n; i++) {
      keys[i] = r.nextBoolean() ? Key.of(names[r.nextInt(names.length)] + "-" + seed, i) : Key.of("t" + i + "-" + seed);
    }
    int[][] deps = new int[n][];
    long[] expected = new long[n];
    Task[] tasks = new Task[n];
    for (int i = 0; i < n; i++) {
      int k = i == 0 ? 0 : r.nextInt(Math.min(i, r.nextInt(10) < 8 ? 3 : 12) + 1);
      java.util.LinkedHashSet<Integer> chosen = new java.util.LinkedHashSet<>();
      while (chosen.size() < k) {
        // mostly recent tasks (deep graphs), sometimes any earlier task (wide fan-in)
        int d = r.nextInt(4) == 0 ? r.nextInt(i) : Math.max(0, i - 1 - r.nextInt(Math.min(i, 20)));
        chosen.add(d);
      }
      int[] ds = chosen.stream().mapToInt(Integer::intValue).toArray();
      deps[i] = ds;
      long salt = (i * 31L) % MOD;
      long acc = salt;
      for (int d : ds) {
        acc = (acc + expected[d]) % MOD;
      }
      expected[i] = acc;
      Object[] args;
      if (ds.length > 1 && r.nextBoolean()) {
        List<Object> list = new ArrayList<>();
        for (int d : ds) {
          list.add(keys[d]);
        }
        args = new Object[] {list, "literal"};
      } else {
        args = new Object[ds.length];
        for (int j = 0; j < ds.length; j++) {
          args[j] = keys[ds[j]];
        }
      }
      tasks[i] = Task.of(new Mix(salt), args);
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, r);
    Map<Key, Task> graph = new LinkedHashMap<>();
    for (int i : order) {
      graph.put(keys[i], tasks[i]);
    }
    List<Key> outputs = new ArrayList<>();
    outputs.add(keys[n - 1]);
    for (int i = 0; i < n - 1; i++) {
      if (r.nextInt(10) == 0) {
        outputs.add(keys[i]);
      }
    }
    return new Dag(seed, graph, outputs, keys, deps, expected);
  }

  private RandomDags() {}
}
