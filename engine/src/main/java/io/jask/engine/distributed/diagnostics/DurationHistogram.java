package io.jask.engine.distributed.diagnostics;

/** Task durations in fixed buckets (seconds), for Prometheus histograms. Thread-safe. */
final class DurationHistogram {
  static final double[] BOUNDS = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60};

  private final long[] counts = new long[BOUNDS.length];
  private long count;
  private double sumSeconds;

  synchronized void observe(long nanos) {
    double s = nanos / 1e9;
    for (int i = 0; i < BOUNDS.length; i++) {
      if (s <= BOUNDS[i]) {
        counts[i]++;
        break;
      }
    }
    count++;
    sumSeconds += s;
  }

  synchronized void writeTo(PrometheusText p, String name, String... labels) {
    p.histogram(name, BOUNDS, counts.clone(), count, sumSeconds, labels);
  }

  synchronized long count() {
    return count;
  }
}
