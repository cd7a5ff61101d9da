package io.jask.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One result as one JSON line, in the shape of the Dask peer's {@code emit}: {@code bench},
 * {@code case}, then the workload's fields ({@code n_tasks}, {@code median_s}, {@code runs},
 * {@code tasks_per_s}, …), then {@code load1} (the 1-minute load average when the line is written).
 *
 * <pre>{@code
 * Result.of("tasks", "rawgraph_threads_independent").put("n_tasks", 100_000).runs(runs).rate(100_000).print();
 * }</pre>
 */
public final class Result {
  private final Map<String, Object> fields = new LinkedHashMap<>();
  private double median = Double.NaN;

  private Result(String bench, String kase) {
    fields.put("bench", bench);
    fields.put("case", kase);
  }

  /** A result of workload {@code bench}, case {@code kase}. */
  public static Result of(String bench, String kase) {
    return new Result(bench, kase);
  }

  /** Adds a field (numbers, strings, booleans and lists of them). */
  public Result put(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  /**
   * Adds {@code median_s} and {@code runs} (wall seconds), and {@code cpu_median_s} (the median CPU
   * seconds of the whole process per run) when the runs come from {@link Stats#repeat}.
   */
  public Result runs(List<Double> runs) {
    median = Stats.median(runs);
    fields.put("median_s", round(median, 5));
    fields.put("runs", runs.stream().map(r -> round(r, 5)).toList());
    List<Double> cpu = Stats.cpuOf(runs);
    if (cpu != null && !cpu.isEmpty() && cpu.get(0) >= 0) {
      fields.put("cpu_median_s", round(Stats.median(cpu), 5));
    }
    return this;
  }

  /** The median set by {@link #runs}. */
  public double median() {
    return median;
  }

  /** Adds {@code tasks_per_s}: {@code nTasks} over the median. */
  public Result rate(int nTasks) {
    fields.put("tasks_per_s", Math.round(nTasks / median));
    return this;
  }

  /** Prints the line to standard output and flushes. */
  public void print() {
    fields.put("load1", round(load1(), 2));
    System.out.println(json(fields));
    System.out.flush();
  }

  /** The 1-minute load average from /proc/loadavg (or the JVM's estimate). */
  public static double load1() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
  }

  static double round(double x, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(x * f) / f;
  }

  static String json(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder("{");
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (b.length() > 1) {
          b.append(", ");
        }
        b.append(json(String.valueOf(e.getKey()))).append(": ").append(json(e.getValue()));
      }
      return b.append('}').toString();
    }
    if (v instanceof List<?> l) {
      StringBuilder b = new StringBuilder("[");
      for (Object o : l) {
        if (b.length() > 1) {
          b.append(", ");
        }
        b.append(json(o));
      }
      return b.append(']').toString();
    }
    if (v instanceof Double d) {
      return d.isNaN() || d.isInfinite() ? "null" : d.toString();
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    StringBuilder b = new StringBuilder("\"");
    for (char c : v.toString().toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
