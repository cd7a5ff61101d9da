package io.jask.benchmarks;

/**
 * One end-to-end workload of {@code shared/BENCHMARKS.md} (T1, T2, …): it times its cases and
 * prints one {@link Result} line per case. Register a new one in {@link Workloads}.
 */
public interface Workload {
  /** What the workload measures, for {@code Runner --list}. */
  String description();

  /** Runs every case and prints its results. */
  void run(Settings settings) throws Exception;

  /**
   * How many untimed warm-up runs and timed runs each case does.
   *
   * @param warmup untimed runs before the timed ones (JIT, pool threads)
   * @param runs timed runs; the median is reported
   */
  record Settings(int warmup, int runs) {}
}
