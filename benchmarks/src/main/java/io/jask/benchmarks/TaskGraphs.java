package io.jask.benchmarks;

import io.jask.delayed.Delayed;
import io.jask.engine.Fn;
import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The task graphs of T1 and T2, built the way the Dask peer builds them ({@code bench_tasks.py}),
 * shared by the Runner and the JMH benchmarks.
 */
public final class TaskGraphs {
  private TaskGraphs() {}

  /** The trivial task function, dask's {@code inc}. */
  public static final TaskFn INC = args -> (Integer) args[0] + 1;

  /** The same, for {@link Delayed#call}. */
  public static final Fn.F1<Integer, Integer> INC_F = x -> x + 1;

  /** T1: {@code {("inc", i): (inc, i) for i in range(n)}}. */
  public static Map<Key, Task> independent(int n) {
    Map<Key, Task> g = new LinkedHashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      g.put(Key.of("inc", i), Task.of(INC, i));
    }
    return g;
  }

  /** T2: {@code ("chain", 0) = inc(0)}, {@code ("chain", i) = inc(("chain", i - 1))}; the output is the last key. */
  public static Map<Key, Task> chain(int n) {
    return chain(n, "chain");
  }

  /** {@link #chain(int)} with another key name (fresh keys for every run on a cluster). */
  public static Map<Key, Task> chain(int n, String name) {
    Map<Key, Task> g = new LinkedHashMap<>(n * 2);
    g.put(Key.of(name, 0), Task.of(INC, 0));
    for (int i = 1; i < n; i++) {
      g.put(Key.of(name, i), Task.of(INC, Key.of(name, i - 1)));
    }
    return g;
  }

  /** The last key of a chain built by {@link #chain(int, String)}. */
  public static Key chainEndOf(Map<Key, Task> chain) {
    Key last = null;
    for (Key k : chain.keySet()) {
      last = k;
    }
    return last;
  }

  /** The last key of {@link #chain}. */
  public static Key chainEnd(int n) {
    return Key.of("chain", n - 1);
  }

  /** T1 through the Delayed API: {@code [delayed(inc)(i) for i in range(n)]}. */
  public static Delayed<?>[] delayedIndependent(int n) {
    Delayed<?>[] out = new Delayed<?>[n];
    for (int i = 0; i < n; i++) {
      out[i] = Delayed.call(INC_F, i);
    }
    return out;
  }

  /** T2 through the Delayed API: {@code x = delayed(inc)(0)}, then {@code x = delayed(inc)(x)} n - 1 times. */
  public static Delayed<Integer> delayedChain(int n) {
    Delayed<Integer> x = Delayed.call(INC_F, 0);
    for (int i = 1; i < n; i++) {
      x = Delayed.call(INC_F, x);
    }
    return x;
  }

  /** The sum T1 must produce: {@code n(n-1)/2 + n}. */
  public static long expectedSum(int n) {
    return (long) n * (n - 1) / 2 + n;
  }

  /** The sum of integer results. */
  public static long sum(Iterable<?> values) {
    long s = 0;
    for (Object v : values) {
      s += (Integer) v;
    }
    return s;
  }

  /** The keys of a graph, in its order. */
  public static List<Key> keys(Map<Key, Task> g) {
    return new ArrayList<>(g.keySet());
  }
}
