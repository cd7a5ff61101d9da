package io.jask.engine.distributed.internal;

/**
 * When to log a stuck report: after a period in which a progress counter did not move while work
 * was pending, and again every such period while it lasts. Not thread-safe: one thread (the
 * scheduler's event thread, a worker's loop) asks it.
 */
public final class StuckClock {
  private final long periodNanos;
  private long lastProgress = -1;
  private long lastProgressNanos;
  private long lastReportNanos;

  /** A period of 0 or less never reports. */
  public StuckClock(long periodNanos) {
    this.periodNanos = periodNanos;
  }

  /**
   * Whether a report is due now, given the progress counter's value and whether any work is
   * pending; a change of the counter restarts the period.
   */
  public boolean due(long progress, boolean pending, long nowNanos) {
    if (progress != lastProgress) {
      lastProgress = progress;
      lastProgressNanos = nowNanos;
      lastReportNanos = 0;
      return false;
    }
    if (periodNanos <= 0 || !pending || nowNanos - lastProgressNanos < periodNanos
        || (lastReportNanos != 0 && nowNanos - lastReportNanos < periodNanos)) {
      return false;
    }
    lastReportNanos = nowNanos;
    return true;
  }

  /** Whole seconds since the counter last moved. */
  public long stuckSeconds(long nowNanos) {
    return (nowNanos - lastProgressNanos) / 1_000_000_000L;
  }
}
