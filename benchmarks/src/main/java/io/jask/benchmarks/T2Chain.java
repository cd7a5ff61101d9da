package io.jask.benchmarks;

import io.jask.delayed.Delayed;
import io.jask.engine.Jask;
import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.config.Config;
import io.jask.engine.scheduler.Scheduler;
import io.jask.engine.scheduler.Schedulers;
import java.util.List;
import java.util.Map;

/**
 * T2 of {@code shared/BENCHMARKS.md}: a chain of 10,000 tasks, each depending on the last, as the
 * Dask peer's {@code local()} (d). The raw graph through {@code Scheduler.get} is not fused, so it
 * measures the scheduler's per-task overhead. Through the Delayed API, {@code Jask.compute} fuses
 * the chain into one task: reported as {@code *_fused}, next to the same with fusion switched off.
 * Every run checks that the result is 10,000.
 */
final class T2Chain implements Workload {
  static final String BENCH = "tasks";
  static final int N = 10_000;

  @Override
  public String description() {
    return "T2: chain of 10,000 dependent tasks, raw graph (unfused) on threads and sync, Delayed fused and unfused";
  }

  @Override
  public void run(Settings s) throws Exception {
    Key end = TaskGraphs.chainEnd(N);
    for (String sched : List.of("threads", "sync")) {
      Scheduler scheduler = Schedulers.get(sched);
      new BuildThenRun<Map<Key, Task>, Map<Key, Object>>(
              () -> TaskGraphs.chain(N),
              g -> scheduler.get(g, List.of(end)),
              out -> Stats.check((Integer) out.get(end) == N, "T2 raw result"))
          .measure(Result.of(BENCH, "chain_rawgraph_" + sched), N, s)
          .put("api", "Schedulers.get(\"" + sched + "\").get(Map<Key,Task>, [last]); no fusion")
          .print();
    }
    for (String sched : List.of("threads", "sync")) {
      Splits.measure(BENCH, "chain_rawgraph_" + sched, sched, () -> TaskGraphs.chain(N), List.of(end),
          out -> Stats.check((Integer) out.get(end) == N, "T2 split result"), s);
    }
    for (String sched : List.of("threads", "sync")) {
      Scheduler scheduler = Schedulers.get(sched);
      new BuildThenRun<Delayed<Integer>, List<Object>>(
              () -> TaskGraphs.delayedChain(N),
              d -> Jask.compute(scheduler, d),
              out -> Stats.check((Integer) out.get(0) == N, "T2 delayed result"))
          .measure(Result.of(BENCH, "chain_delayed_" + sched + "_fused"), N, s.slowCase(1))
          .put("api", "Delayed chain, Jask.compute(" + sched + "): linear fusion makes it ONE task; not scheduler overhead")
          .print();
    }
    try (Config.Scope noFuse = Config.set("optimization.fuse.active", false)) {
      Scheduler scheduler = Schedulers.get("threads");
      new BuildThenRun<Delayed<Integer>, List<Object>>(
              () -> TaskGraphs.delayedChain(N),
              d -> Jask.compute(scheduler, d),
              out -> Stats.check((Integer) out.get(0) == N, "T2 delayed unfused result"))
          .measure(Result.of(BENCH, "chain_delayed_threads_unfused"), N, s.slowCase(1))
          .put("api", "Delayed chain, Jask.compute(threads) with optimization.fuse.active=false")
          .print();
    }
  }
}
