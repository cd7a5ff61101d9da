package io.jask.engine.internal;

import java.util.Arrays;

/**
 * Static task priorities, in the spirit of {@code dask.order}: run the graph depth-first toward
 * its outputs so that each intermediate result is consumed, and released, soon after it is made.
 *
 * <p>The algorithm:
 *
 * <ol>
 *   <li>A topological pass from the inputs computes, for every task, the number of tasks it
 *       transitively needs (an estimate: shared ancestors are counted once per path, capped). A
 *       task that never becomes ready in this pass is part of a cycle, which is reported with the
 *       keys on it.
 *   <li>A depth-first walk starts from each output-side task (a task nothing depends on), in graph
 *       order. At every task it descends first into the dependency that needs the fewest tasks,
 *       so that small branches finish (and free their inputs) before large ones start; a task gets
 *       its priority when all its dependencies have theirs (post-order).
 * </ol>
 *
 * <p>The result is a valid topological order (every dependency has a lower number than its
 * dependents), so a scheduler that always starts the ready task with the lowest number runs a
 * tree reduction leaf-group by leaf-group instead of all leaves first. Cost: O(V + E log d) for
 * maximum in-degree d.
 */
final class Order {
  private Order() {}

  static int[] priorities(CompiledGraph g) {
    int n = g.size;
    int[][] deps = g.deps;
    int[][] dependents = g.dependents;
    long[] cost = new long[n];
    int[] waiting = new int[n];
    int[] queue = new int[n];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
      waiting[i] = deps[i].length;
      if (waiting[i] == 0) {
        queue[tail++] = i;
      }
    }
    while (head < tail) {
      int t = queue[head++];
      long c = 1;
      for (int d : deps[t]) {
        c += cost[d];
      }
      cost[t] = Math.min(c, Long.MAX_VALUE / 4);
      for (int x : dependents[t]) {
        if (--waiting[x] == 0) {
          queue[tail++] = x;
        }
      }
    }
    if (tail < n) {
      boolean[] stuck = new boolean[n];
      for (int i = 0; i < n; i++) {
        stuck[i] = waiting[i] > 0;
      }
      throw new IllegalArgumentException(g.describeCycle(stuck));
    }

    int[] priority = new int[n];
    Arrays.fill(priority, -1);
    int next = 0;
    // explicit stack: task and the position of the next dependency to visit
    int[] stackTask = new int[n];
    int[] stackPos = new int[n];
    int[][] sortedDeps = new int[n][];
    boolean[] onStack = new boolean[n];
    for (int root = 0; root < n; root++) {
      if (dependents[root].length != 0 || priority[root] >= 0) {
        continue;
      }
      int sp = 0;
      stackTask[0] = root;
      stackPos[0] = 0;
      onStack[root] = true;
      while (sp >= 0) {
        int t = stackTask[sp];
        int[] ds = sortedDeps[t];
        if (ds == null) {
          ds = byCost(deps[t], cost);
          sortedDeps[t] = ds;
        }
        int pos = stackPos[sp];
        while (pos < ds.length && (priority[ds[pos]] >= 0 || onStack[ds[pos]])) {
          pos++;
        }
        if (pos < ds.length) {
          stackPos[sp] = pos + 1;
          int d = ds[pos];
          sp++;
          stackTask[sp] = d;
          stackPos[sp] = 0;
          onStack[d] = true;
        } else {
          priority[t] = next++;
          onStack[t] = false;
          sortedDeps[t] = null;
          sp--;
        }
      }
    }
    return priority;
  }

  private static int[] byCost(int[] deps, long[] cost) {
    if (deps.length < 2) {
      return deps;
    }
    long[] packed = new long[deps.length];
    boolean sorted = true;
    for (int i = 0; i < deps.length; i++) {
      // cost in the high bits, index in the low 32: one primitive sort, stable by index
      packed[i] = (Math.min(cost[deps[i]], Integer.MAX_VALUE) << 32) | deps[i];
      if (i > 0 && packed[i] < packed[i - 1]) {
        sorted = false;
      }
    }
    if (!sorted) {
      Arrays.sort(packed);
    }
    int[] out = new int[deps.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (int) packed[i];
    }
    return out;
  }
}
