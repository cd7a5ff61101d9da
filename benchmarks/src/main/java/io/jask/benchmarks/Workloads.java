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
    add("b1", B1Bag::new);
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
