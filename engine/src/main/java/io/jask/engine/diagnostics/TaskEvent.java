package io.jask.engine.diagnostics;

/**
 * One task that ran: where, on which thread (a row of the task stream), when, and whether it
 * failed. Times are wall-clock nanoseconds since the epoch, so events from several JVMs line up.
 *
 * @param key the task's key, as text
 * @param prefix the key's prefix ({@link io.jask.engine.Key#prefix()}): what the task stream
 *     colours by and the progress bars group by
 * @param worker where it ran: a worker address, or {@code "local"} for the sync and threads
 *     schedulers
 * @param thread the row within the worker, {@code 0 ≤ thread < nthreads}
 * @param startEpochNanos when the task started
 * @param stopEpochNanos when it finished
 * @param failed whether it threw
 */
public record TaskEvent(
    String key, String prefix, String worker, int thread, long startEpochNanos, long stopEpochNanos, boolean failed) {

  /** How long the task ran. */
  public long durationNanos() {
    return Math.max(0, stopEpochNanos - startEpochNanos);
  }

  /** The current wall-clock time in nanoseconds since the epoch. */
  public static long nowEpochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
