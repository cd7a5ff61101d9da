package io.jask.engine.diagnostics;

import java.nio.file.Path;

/**
 * Entry points of the scheduler-independent diagnostics.
 *
 * <pre>{@code
 * try (PerformanceReport r = Diagnostics.performanceReport(Path.of("report.html"))) {
 *   Jask.compute(collection);
 * }   // report.html: task stream, per-prefix summary, totals
 * }</pre>
 */
public final class Diagnostics {
  private Diagnostics() {}

  /**
   * Records every task run in this JVM's schedulers (sync, threads, processes, and a distributed
   * scheduler in this JVM such as a {@code LocalCluster}'s) until the returned scope is closed,
   * then writes a standalone HTML file to {@code path} (no external assets) with the task stream
   * and a summary: wall time, tasks, failures, per task prefix the count and total, mean and
   * longest duration, and per worker the busy time. The file is written to a temporary file
   * beside {@code path} and renamed, so it is never partial.
   */
  public static PerformanceReport performanceReport(Path path) {
    return new PerformanceReport(path);
  }
}
