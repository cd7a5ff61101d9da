package io.jask.benchmarks;

import io.jask.distributed.Client;
import io.jask.distributed.Future;
import io.jask.distributed.LocalCluster;
import io.jask.distributed.SubmitOptions;
import io.jask.engine.Key;
import io.jask.engine.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * T3, T4 and T5 of {@code shared/BENCHMARKS.md}, as the Dask peer's {@code distributed_part}: a
 * {@link LocalCluster} of 2 worker processes × 1 thread; T3 {@code client.map(inc, …)} + {@code
 * gather} for 1,000 / 10,000 / 50,000 fresh keys; T4 the latency of {@code submit(inc, i).result()}
 * (200 after 20 warm-up); T5 a chain of 10,000 tasks, once as one graph through {@code client.get}
 * and once as 10,000 dependent {@code submit}s. Every run checks its values.
 */
final class T3Distributed implements Workload {
  static final String BENCH = "tasks";

  /** Where {@code t3tls} finds its PEM files: {@code -Djask.bench.tls.dir}, default the test ones. */
  static final String TLS_DIR = System.getProperty("jask.bench.tls.dir", "engine/src/test/resources/tls");

  private final boolean secure;

  T3Distributed() {
    this(false);
  }

  /** @param secure run everything over {@code tls://} with mutual TLS and a token ({@code t3tls}) */
  T3Distributed(boolean secure) {
    this.secure = secure;
  }

  @Override
  public String description() {
    return "T3/T4/T5: LocalCluster 2 processes x 1 thread: map+gather, submit().result() latency, 10,000-task chains"
        + (secure ? "; every connection over mutual TLS with a token" : "");
  }

  @Override
  public void run(Settings s) throws Exception {
    if (!secure) {
      measure(s, "tcp");
      return;
    }
    java.nio.file.Path dir = java.nio.file.Path.of(TLS_DIR).toAbsolutePath();
    java.util.Map<String, Object> tls = java.util.Map.of(
        "distributed.comm.tls.cert", dir.resolve("node.pem").toString(),
        "distributed.comm.tls.key", dir.resolve("node.key").toString(),
        "distributed.comm.tls.ca", dir.resolve("ca.pem").toString(),
        "distributed.comm.tls.require-client-auth", true,
        "distributed.comm.auth.token", "benchmark-token");
    try (io.jask.engine.config.Config.Scope scope = io.jask.engine.config.Config.set(tls)) {
      measure(s, "tls");
    }
  }

  /**
   * CPU seconds used so far by this JVM (client and scheduler) and by the cluster's worker
   * processes: on a loaded machine wall time says little, the CPU time per task does.
   */
  static double cpuSeconds(LocalCluster cluster) {
    return clientCpuSeconds() + workersCpuSeconds(cluster);
  }

  /** CPU seconds used so far by this JVM (the client, and the scheduler when it runs here). */
  static double clientCpuSeconds() {
    return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L) / 1e9;
  }

  /** CPU seconds used so far by the cluster's worker processes. */
  static double workersCpuSeconds(LocalCluster cluster) {
    long nanos = 0;
    for (LocalCluster.WorkerHandle w : cluster.workers()) {
      nanos += w.processHandle().flatMap(h -> h.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(0L);
    }
    return nanos / 1e9;
  }

  private void measure(Settings s, String scheme) throws Exception {
    String variant = secure ? "_tls" : "";
    long t0 = System.nanoTime();
    try (LocalCluster cluster = LocalCluster.builder().workers(2).threadsPerWorker(1)
             .schedulerAddress(scheme + "://127.0.0.1:0").build();
         Client client = Client.connect(cluster.schedulerAddress(), false)) {
      Result.of(BENCH, "dist_processes_cluster_startup" + variant).runs(List.of(Stats.since(t0))).print();
      client.gather(client.map((Long x) -> x + 1, LongStream.range(-200, 0).boxed().toList()));
      long offset = 0;
      for (int n : new int[] {1_000, 10_000, 50_000}) {
        List<Double> runs = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> clientCpu = new ArrayList<>();
        for (int rep = 0; rep < Math.max(3, s.runs()); rep++) {
          long lo = 1_000_000 + offset;
          offset += n;
          List<Long> items = LongStream.range(lo, lo + n).boxed().toList();
          double clientCpu0 = clientCpuSeconds();
          double cpu0 = clientCpu0 + workersCpuSeconds(cluster);
          long start = System.nanoTime();
          List<Future<Long>> fs = client.map((Long x) -> x + 1, items);
          List<Long> res = client.gather(fs);
          runs.add(Stats.since(start));
          cpu.add(cpuSeconds(cluster) - cpu0);
          clientCpu.add(clientCpuSeconds() - clientCpu0);
          long sum = 0;
          for (long v : res) {
            sum += v;
          }
          Stats.check(sum == LongStream.range(lo, lo + n).sum() + n, "T3 sum");
          fs.forEach(Future::release);
          Thread.sleep(500); // as the Dask script: time.sleep(0.5) after every run
        }
        Result.of(BENCH, "dist_processes_map_gather" + variant).put("n_tasks", n).runs(runs).rate(n)
            .put("cpu_us_per_task", Result.round(Stats.median(cpu) * 1e6 / n, 1))
            .put("client_scheduler_cpu_us_per_task", Result.round(Stats.median(clientCpu) * 1e6 / n, 1))
            .put("api", "client.map((Long x) -> x + 1, items) + client.gather").print();
      }
      List<Double> lat = new ArrayList<>();
      // no CPU per task here: over 200 sequential round trips the processes' background work
      // (heartbeats, memory monitors, the JIT) outweighs the tasks, more so the slower the machine
      for (int i = 0; i < 220; i++) {
        long start = System.nanoTime();
        long r = client.submit((Long x) -> x + 1, 10_000_000L + i).result();
        double dt = Stats.since(start);
        Stats.check(r == 10_000_001L + i, "T4 value");
        if (i >= 20) {
          lat.add(dt);
        }
      }
      List<Double> sorted = new ArrayList<>(lat);
      sorted.sort(null);
      Result.of(BENCH, "dist_processes_submit_result_latency" + variant).put("n", sorted.size())
          .put("median_ms", Result.round(Stats.median(sorted) * 1e3, 3))
          .put("p10_ms", Result.round(sorted.get(sorted.size() / 10) * 1e3, 3))
          .put("p90_ms", Result.round(sorted.get(9 * sorted.size() / 10) * 1e3, 3))
          .put("min_ms", Result.round(sorted.get(0) * 1e3, 3)).print();
      int n = 10_000;
      List<Double> runs = new ArrayList<>();
      List<Double> cpu = new ArrayList<>();
      for (int rep = 0; rep < 3; rep++) {
        Map<Key, Task> chain = TaskGraphs.chain(n, "chain" + rep + "-" + System.nanoTime());
        Key last = TaskGraphs.chainEndOf(chain);
        double cpu0 = cpuSeconds(cluster);
        long start = System.nanoTime();
        Object out = client.get(chain, List.of(last)).get(last);
        runs.add(Stats.since(start));
        cpu.add(cpuSeconds(cluster) - cpu0);
        Stats.check((Integer) out == n, "T5 chain value");
        Thread.sleep(500); // as the Dask script: time.sleep(0.5) after every run
      }
      Result.of(BENCH, "dist_processes_chain_client_get" + variant).put("n_tasks", n).runs(runs).rate(n)
          .put("cpu_us_per_task", Result.round(Stats.median(cpu) * 1e6 / n, 1))
          .put("api", "client.get(raw chain, [last]); no fusion").print();
      runs = new ArrayList<>();
      cpu = new ArrayList<>();
      for (int rep = 0; rep < 3; rep++) {
        SubmitOptions impure = SubmitOptions.defaults().withPure(false);
        double cpu0 = cpuSeconds(cluster);
        long start = System.nanoTime();
        Future<Long> f = client.submit(impure, (Long x) -> x + 1, rep * 10_000_000L);
        List<Future<Long>> all = new ArrayList<>();
        all.add(f);
        for (int i = 1; i < n; i++) {
          f = client.submit(impure, (Long x) -> x + 1, f);
          all.add(f);
        }
        long out = f.result();
        runs.add(Stats.since(start));
        cpu.add(cpuSeconds(cluster) - cpu0);
        Stats.check(out == rep * 10_000_000L + n, "T5 futures chain value");
        all.forEach(Future::release);
        Thread.sleep(500); // as the Dask script: time.sleep(0.5) after every run
      }
      Result.of(BENCH, "dist_processes_chain_submit_futures" + variant).put("n_tasks", n).runs(runs).rate(n)
          .put("cpu_us_per_task", Result.round(Stats.median(cpu) * 1e6 / n, 1))
          .put("api", "10,000 x client.submit(impure, inc, previousFuture)").print();
    }
  }
}
