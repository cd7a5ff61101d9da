package io.jask.testing;

import io.jask.distributed.LocalCluster;
import io.jask.engine.config.Config;

/**
 * One {@link LocalCluster} per test JVM (two worker processes, one thread each), started on first
 * use and ended when the JVM exits, so that {@code @AllSchedulers} can run every collection test
 * on {@code distributed} without starting a cluster per test. Its address is set as the
 * {@code scheduler-address} configuration key for the rest of the JVM's life.
 */
public final class SharedCluster {
  private static LocalCluster cluster;

  private SharedCluster() {}

  /** The shared cluster, started if needed. */
  public static synchronized LocalCluster get() {
    if (cluster == null) {
      cluster = LocalCluster.builder().workers(2).threadsPerWorker(1).memoryLimit("1GiB").build();
      @SuppressWarnings("resource") // stays open for the JVM's life: the tests' distributed backend
      Config.Scope address = Config.set("scheduler-address", cluster.schedulerAddress());
    }
    return cluster;
  }
}
