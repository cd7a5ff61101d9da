package io.jask.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Medians and repeated timing for the Runner's workloads. */
public final class Stats {
  private Stats() {}

  /** Something to time once; returns a value that is checked and kept alive. */
  @FunctionalInterface
  public interface Timed<T> {
    T run() throws Exception;
  }

  /** The median of {@code xs} (mean of the two middle values for an even count). */
  public static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** Seconds since {@code t0} (a {@link System#nanoTime()} value). */
  public static double since(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Runs {@code body} {@code warmup} times untimed, then {@code runs} times timed; every result
   * goes through {@code check}. Returns the timed runs in seconds.
   */
  public static <T> List<Double> repeat(int warmup, int runs, Timed<T> body, java.util.function.Consumer<T> check)
      throws Exception {
    for (int i = 0; i < warmup; i++) {
      check.accept(body.run());
    }
    List<Double> out = new ArrayList<>(runs);
    List<Double> cpu = new ArrayList<>(runs);
    for (int i = 0; i < runs; i++) {
      long c0 = processCpuNanos();
      long t0 = System.nanoTime();
      T r = body.run();
      out.add(since(t0));
      cpu.add((processCpuNanos() - c0) / 1e9);
      check.accept(r);
    }
    CPU.put(out, cpu);
    return out;
  }

  /** CPU seconds of the process per timed run, for the lists returned by {@link #repeat}. */
  private static final Map<List<Double>, List<Double>> CPU = Collections.synchronizedMap(new IdentityHashMap<>());

  /** The CPU seconds (all threads of this process) of each run of a list returned by {@link #repeat}, if known. */
  public static List<Double> cpuOf(List<Double> runs) {
    return CPU.get(runs);
  }

  /** CPU time used so far by this process (all threads), in nanoseconds; -1 if the JVM cannot tell. */
  public static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  /** Fails with {@code what} unless {@code ok}. */
  public static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("wrong result: " + what);
    }
  }
}
