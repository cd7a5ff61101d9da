package io.jask.benchmarks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Runner's workloads by name. To add one, write a {@link Workload} and add one line here,
 * e.g. {@code add("t3", T3ClusterMap::new);}.
 */
public final class Workloads {
  private static final Map<String, Supplier<Workload>> ALL = new LinkedHashMap<>();

  static {
    add("t1", T1Independent::new);
    add("t2", T2Chain::new);
    add("t3", T3Distributed::new);
    add("t3tls", () -> new T3Distributed(true));
    add("sched", SchedulerStateBench::new);
    add("b1", B1Bag::new);
    add("d1", () -> new DFrameWorkloads("d1"));
    add("d1b", () -> new DFrameWorkloads("d1b"));
    add("d1c", () -> new DFrameWorkloads("d1c"));
    add("d2", () -> new DFrameWorkloads("d2"));
    add("d3", () -> new DFrameWorkloads("d3"));
    add("d5", () -> new DFrameWorkloads("d5"));
    add("a1", A1A2Array::new);
    add("a3", A3Matmul::new);
    add("d4", D4Sort::new);
  }

  private Workloads() {}

  private static void add(String name, Supplier<Workload> factory) {
    if (ALL.putIfAbsent(name, factory) != null) {
      throw new IllegalStateException("two workloads named " + name);
    }
  }

  /** The registered workloads, in registration order. */
  public static Map<String, Supplier<Workload>> all() {
    return Collections.unmodifiableMap(ALL);
  }
}
