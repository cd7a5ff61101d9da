package io.jask.distributed;

import java.util.Set;

/**
 * Options of {@link Client#submit}, like the keyword arguments of Dask's {@code client.submit}:
 * the result's key, purity (the same function and arguments share one key), retries, priority
 * (higher runs first) and the workers allowed to run it.
 *
 * <pre>{@code
 * Future<Integer> f = client.submit(SubmitOptions.defaults().withRetries(2).withPriority(10),
 *     (Integer x) -> flakyCall(x), 7);
 * }</pre>
 */
public record SubmitOptions(String key, boolean pure, int retries, int priority, Set<String> workers) {

  /** Options with every field as Dask's defaults: derived key, pure, no retries, priority 0, any worker. */
  public static SubmitOptions defaults() {
    return new SubmitOptions(null, true, 0, 0, Set.of());
  }

  public SubmitOptions {
    if (retries < 0) {
      throw new IllegalArgumentException("retries must be >= 0, got " + retries);
    }
    workers = Set.copyOf(workers);
  }

  /** These options with an explicit key name (used as given). */
  public SubmitOptions withKey(String key) {
    return new SubmitOptions(key, pure, retries, priority, workers);
  }

  /** These options with purity set: an impure call gets a fresh key every time. */
  public SubmitOptions withPure(boolean pure) {
    return new SubmitOptions(key, pure, retries, priority, workers);
  }

  /** These options with a number of retries after a failure. */
  public SubmitOptions withRetries(int retries) {
    return new SubmitOptions(key, pure, retries, priority, workers);
  }

  /** These options with a priority (higher runs first; default 0). */
  public SubmitOptions withPriority(int priority) {
    return new SubmitOptions(key, pure, retries, priority, workers);
  }

  /** These options restricted to the given workers (their addresses or names). */
  public SubmitOptions withWorkers(String... workers) {
    return new SubmitOptions(key, pure, retries, priority, Set.of(workers));
  }
}
