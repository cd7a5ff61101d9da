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
   * @param warmup untimed runs before the timed ones (JIT, pool threads), at least
   * @param runs timed runs; the median is reported
   * @param warmupSeconds warm-up goes on past {@code warmup} runs until this much time has passed
   */
  record Settings(int warmup, int runs, double warmupSeconds) {
    /** Whether warm-up run {@code i} (0-based), the last planned one, ends too early. */
    boolean stillWarming(int i, long warmStartNanos) {
      return i == warmup - 1 && (System.nanoTime() - warmStartNanos) / 1e9 < warmupSeconds;
    }

    /** The same with one more warm-up run. */
    Settings extendWarmup() {
      return new Settings(warmup + 1, runs, warmupSeconds);
    }

    /** At most {@code maxWarmup} warm-up runs and no time minimum (for cases of seconds per run). */
    Settings slowCase(int maxWarmup) {
      return new Settings(Math.min(warmup, maxWarmup), runs, 0);
    }
  }
}
