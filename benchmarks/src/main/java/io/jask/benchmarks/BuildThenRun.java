package io.jask.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Times a case in two parts, like the Dask peer's delayed cases: building the graph, then running
 * it; reports {@code median_s} (the run alone), {@code build_median_s}, {@code tasks_per_s} (build
 * excluded) and {@code tasks_per_s_incl_build}.
 *
 * @param <G> the built graph
 * @param <R> the run's result
 */
final class BuildThenRun<G, R> {
  interface Build<G> {
    G build() throws Exception;
  }

  interface Run<G, R> {
    R run(G graph) throws Exception;
  }

  private final Build<G> build;
  private final Run<G, R> run;
  private final Consumer<R> check;

  BuildThenRun(Build<G> build, Run<G, R> run, Consumer<R> check) {
    this.build = build;
    this.run = run;
    this.check = check;
  }

  /** Runs warm-ups and timed runs and returns the filled result (not yet printed). */
  Result measure(Result result, int nTasks, Workload.Settings s) throws Exception {
    List<Double> builds = new ArrayList<>();
    List<Double> runs = new ArrayList<>();
    long warmStart = System.nanoTime();
    for (int i = 0; i < s.warmup() + s.runs(); i++) {
      long t0 = System.nanoTime();
      G g = build.build();
      long t1 = System.nanoTime();
      R r = run.run(g);
      long t2 = System.nanoTime();
      check.accept(r);
      if (i < s.warmup() && s.stillWarming(i, warmStart)) {
        s = s.extendWarmup();
      }
      if (i >= s.warmup()) {
        builds.add((t1 - t0) / 1e9);
        runs.add((t2 - t1) / 1e9);
      }
    }
    result.put("n_tasks", nTasks).runs(runs).rate(nTasks);
    double b = Stats.median(builds);
    result.put("build_median_s", Result.round(b, 5));
    result.put("tasks_per_s_incl_build", Math.round(nTasks / (result.median() + b)));
    result.put("warmup_runs", s.warmup());
    return result;
  }
}
