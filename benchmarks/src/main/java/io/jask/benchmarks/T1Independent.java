package io.jask.benchmarks;

import io.jask.delayed.Delayed;
import io.jask.engine.Jask;
import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.scheduler.Scheduler;
import io.jask.engine.scheduler.Schedulers;
import java.util.List;
import java.util.Map;

/**
 * T1 of {@code shared/BENCHMARKS.md}: {@code n} independent trivial tasks ({@code x + 1}) in one
 * graph, as the Dask peer's {@code local()} (a) and (a'): a raw {@code Map<Key, Task>} through
 * {@code Scheduler.get} (dask's {@code threaded.get} / {@code get}), and {@code Delayed} objects
 * through {@code Jask.compute} (graph build = creating the {@code Delayed}s). Every run checks the
 * sum {@code n(n-1)/2 + n}.
 */
final class T1Independent implements Workload {
  static final String BENCH = "tasks";
  private static final int[] SIZES = {10_000, 100_000};

  @Override
  public String description() {
    return "T1: 10,000 and 100,000 independent x + 1 tasks, raw graph and Delayed, threads and sync";
  }

  @Override
  public void run(Settings s) throws Exception {
    for (int n : SIZES) {
      long expected = TaskGraphs.expectedSum(n);
      for (String sched : List.of("threads", "sync")) {
        Scheduler scheduler = Schedulers.get(sched);
        new BuildThenRun<Map<Key, Task>, Map<Key, Object>>(
                () -> TaskGraphs.independent(n),
                g -> scheduler.get(g, TaskGraphs.keys(g)),
                out -> Stats.check(TaskGraphs.sum(out.values()) == expected, "T1 raw sum"))
            .measure(Result.of(BENCH, "rawgraph_" + sched + "_independent"), n, s)
            .put("api", "Schedulers.get(\"" + sched + "\").get(Map<Key,Task>, keys); no fusion")
            .print();
      }
      List<Key> keys = TaskGraphs.keys(TaskGraphs.independent(n));
      for (String sched : List.of("threads", "sync")) {
        Splits.measure(BENCH, "rawgraph_" + sched + "_independent", sched, () -> TaskGraphs.independent(n), keys,
            out -> Stats.check(TaskGraphs.sum(out.values()) == expected, "T1 split sum"), s);
      }
      for (String sched : List.of("threads", "sync")) {
        Scheduler scheduler = Schedulers.get(sched);
        new BuildThenRun<Delayed<?>[], List<Object>>(
                () -> TaskGraphs.delayedIndependent(n),
                ds -> Jask.compute(scheduler, ds),
                out -> Stats.check(TaskGraphs.sum(out) == expected, "T1 delayed sum"))
            .measure(Result.of(BENCH, "delayed_" + sched + "_independent"), n, s)
            .put("api", "Delayed.call(inc, i) x n, Jask.compute(" + sched + ", ...); build = creating the Delayed objects")
            .print();
      }
    }
  }
}
