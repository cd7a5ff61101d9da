package io.jask.engine.distributed.diagnostics;

import java.util.Locale;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): {@code # HELP} and {@code # TYPE}
 * once per family, then one sample per line with escaped label values.
 *
 * <pre>{@code
 * PrometheusText p = new PrometheusText();
 * p.family("jask_scheduler_tasks", "gauge", "Tasks by state.");
 * p.sample("jask_scheduler_tasks", 3, "state", "memory");
 * }</pre>
 */
public final class PrometheusText {
  /** The content type scrapers expect. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder b = new StringBuilder(4096);

  /** Starts a metric family. */
  public PrometheusText family(String name, String type, String help) {
    b.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /** One sample; {@code labels} are name, value pairs. */
  public PrometheusText sample(String name, double value, String... labels) {
    b.append(name);
    if (labels.length > 0) {
      b.append('{');
      for (int i = 0; i + 1 < labels.length; i += 2) {
        if (i > 0) {
          b.append(',');
        }
        b.append(labels[i]).append("=\"")
            .append(labels[i + 1].replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
      }
      b.append('}');
    }
    b.append(' ').append(format(value)).append('\n');
    return this;
  }

  /** A histogram family's samples from cumulative bucket counts (upper bounds in seconds). */
  public PrometheusText histogram(String name, double[] bounds, long[] counts, long count, double sum, String... labels) {
    long cumulative = 0;
    for (int i = 0; i < bounds.length; i++) {
      cumulative += counts[i];
      sample(name + "_bucket", cumulative, with(labels, "le", format(bounds[i])));
    }
    sample(name + "_bucket", count, with(labels, "le", "+Inf"));
    sample(name + "_sum", sum, labels);
    sample(name + "_count", count, labels);
    return this;
  }

  private static String[] with(String[] labels, String k, String v) {
    String[] r = java.util.Arrays.copyOf(labels, labels.length + 2);
    r[labels.length] = k;
    r[labels.length + 1] = v;
    return r;
  }

  static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return String.format(Locale.ROOT, "%s", v);
  }

  @Override
  public String toString() {
    return b.toString();
  }
}
