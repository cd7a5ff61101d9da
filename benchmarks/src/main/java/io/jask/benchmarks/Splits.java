package io.jask.benchmarks;

import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.internal.CompiledGraph;
import io.jask.engine.scheduler.local.LocalLoop;
import io.jask.engine.scheduler.local.LocalScheduler;
import io.jask.engine.scheduler.local.TaskRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Where a raw {@code get} on a freshly built graph spends its time, in three phases timed apart:
 * {@code _deps} ({@link Task#dependencies()} of every task, computed once per task object and
 * cached, so it is paid by the first {@code get} of a new graph), {@code _compile} (the rest of
 * {@link CompiledGraph#compile}: cull, index, invert, order) and {@code _loop} (the {@link
 * LocalLoop} that runs the compiled graph, including the result map). This reaches into engine
 * internals (public classes of {@code io.jask.engine.internal} and {@code …scheduler.local}) on
 * purpose, to profile them; the headline numbers use the public {@code Scheduler.get}.
 */
final class Splits {
  private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "bench-loop");
    t.setDaemon(true);
    return t;
  });

  private Splits() {}

  /** Prints {@code <kase>_compile} and {@code <kase>_loop} results for {@code scheduler} (sync or threads). */
  static void measure(String bench, String kase, String scheduler, java.util.function.Supplier<Map<Key, Task>> build,
      List<Key> outputs, java.util.function.Consumer<Map<Key, Object>> check, Workload.Settings s) throws Exception {
    int threads = scheduler.equals("sync") ? 1 : LocalScheduler.numWorkers();
    List<Double> depss = new ArrayList<>();
    List<Double> compiles = new ArrayList<>();
    List<Double> loops = new ArrayList<>();
    int n = 0;
    long warmStart = System.nanoTime();
    for (int i = 0; i < s.warmup() + s.runs(); i++) {
      Map<Key, Task> tasks = build.get();
      n = tasks.size();
      long td = System.nanoTime();
      for (Task t : tasks.values()) {
        t.dependencies();
      }
      long t0 = System.nanoTime();
      CompiledGraph g = CompiledGraph.compile(tasks, outputs);
      long t1 = System.nanoTime();
      LocalLoop loop = new LocalLoop(g, threads);
      Map<Key, Object> out = scheduler.equals("sync")
          ? loop.runHere(TaskRunner.IN_THREAD)
          : loop.runOn(POOL, TaskRunner.IN_THREAD);
      long t2 = System.nanoTime();
      check.accept(out);
      if (i < s.warmup() && s.stillWarming(i, warmStart)) {
        s = s.extendWarmup();
      }
      if (i >= s.warmup()) {
        depss.add((t0 - td) / 1e9);
        compiles.add((t1 - t0) / 1e9);
        loops.add((t2 - t1) / 1e9);
      }
    }
    Result.of(bench, kase + "_deps").put("n_tasks", n).runs(depss).rate(n)
        .put("what", "Task.dependencies() of every task of a fresh graph (LinkedHashSet per task)").print();
    Result.of(bench, kase + "_compile").put("n_tasks", n).runs(compiles).rate(n)
        .put("what", "CompiledGraph.compile with dependencies cached: cull, index keys, invert, order").print();
    Result.of(bench, kase + "_loop").put("n_tasks", n).runs(loops).rate(n).put("threads", threads)
        .put("what", "LocalLoop on the compiled graph only (includes the result map)").print();
  }
}
