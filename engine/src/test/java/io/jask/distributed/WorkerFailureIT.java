package io.jask.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Graph;
import io.jask.engine.JaskTaskException;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.config.Config;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Worker failures on a real cluster: {@code kill -9} of a worker process at a random point of a
 * job, for 20 seeds, must still give the right answer; a task that keeps killing its workers fails
 * as KilledWorker; garbage sent to the scheduler closes only that connection.
 */
class WorkerFailureIT {
  static LocalCluster cluster;
  static Client client;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder().workers(3).threadsPerWorker(1).memoryLimit("512MiB").build();
    client = Client.connect(cluster.schedulerAddress(), false);
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  static Stream<Long> seeds() {
    return LongStream.range(0, 20).boxed();
  }

  /** A tree job: 60 leaves of 10 ms, 6 partial sums, one total; unique keys per seed. */
  static Graph job(long seed, List<Key> out) {
    Map<Key, Task> leaves = new LinkedHashMap<>();
    Map<Key, Task> partials = new LinkedHashMap<>();
    String leaf = "leaf-" + seed + "-" + System.nanoTime();
    String part = "part-" + seed + "-" + System.nanoTime();
    String total = "total-" + seed + "-" + System.nanoTime();
    for (int i = 0; i < 60; i++) {
      long v = seed * 1000 + i;
      leaves.put(Key.of(leaf, i), Task.of(a -> {
        Thread.sleep(10);
        return v;
      }));
    }
    List<Key> parts = new ArrayList<>();
    for (int p = 0; p < 6; p++) {
      List<Key> in = new ArrayList<>();
      for (int i = p * 10; i < p * 10 + 10; i++) {
        in.add(Key.of(leaf, i));
      }
      partials.put(Key.of(part, p), Task.of(a -> ((List<?>) a[0]).stream().mapToLong(o -> (Long) o).sum(), in));
      parts.add(Key.of(part, p));
    }
    Key t = Key.of(total);
    out.add(t);
    return Graph.empty()
        .with(Layer.of(leaf, Set.of(), leaves))
        .with(Layer.of(part, Set.of(leaf), partials))
        .with(Layer.of(total, Set.of(part), Map.of(t, Task.of(a -> ((List<?>) a[0]).stream().mapToLong(o -> (Long) o).sum(), parts))));
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void killMinus9_workerAtRandomPoint_resultIsStillCorrect(long seed) throws Exception {
    cluster.scale(3); // replaces the worker killed by the previous case
    Random r = new Random(seed);
    List<Key> out = new ArrayList<>();
    Graph g = job(seed, out);
    long expected = LongStream.range(0, 60).map(i -> seed * 1000 + i).sum();
    List<Future<Object>> futures = client.submitGraph(g, out);
    Thread.sleep(r.nextInt(350));
    LocalCluster.WorkerHandle victim = cluster.workers().get(r.nextInt(cluster.workers().size()));
    ProcessHandle ph = victim.processHandle().orElseThrow();
    ph.destroyForcibly(); // SIGKILL
    assertEquals(expected, futures.get(0).result(120, java.util.concurrent.TimeUnit.SECONDS), "seed " + seed);
    futures.forEach(Future::release);
  }

  @Test
  void taskThatKillsItsWorkers_failsAsKilledWorker_afterAllowedFailures() throws Exception {
    LocalCluster small;
    try (Config.Scope s = Config.set("distributed.scheduler.allowed-failures", 1)) {
      small = LocalCluster.builder().workers(3).threadsPerWorker(1).memoryLimit("256MiB").build();
    }
    try (small; Client c = Client.connect(small.schedulerAddress(), false)) {
      Future<Integer> poison = c.submit((Integer x) -> {
        Runtime.getRuntime().halt(3);
        return x;
      }, 1);
      JaskTaskException e = assertThrows(JaskTaskException.class, () -> poison.result(120, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals("io.jask.distributed.KilledWorker", e.remoteClass());
      assertTrue(e.getMessage().contains(poison.key().toString()), e.getMessage());
      long deadline = System.nanoTime() + 10_000_000_000L; // the OS may reap the dead a moment later
      long alive = small.workers().stream().filter(w -> w.process().isAlive()).count();
      while (alive > 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);
        alive = small.workers().stream().filter(w -> w.process().isAlive()).count();
      }
      assertEquals(1, alive, "exactly allowed-failures + 1 = 2 workers died");
      assertEquals(2, c.submit((Integer x) -> x + 1, 1).result(), "the surviving worker still computes");
    }
  }

  @Test
  void garbageOnTheSchedulerPort_closesOnlyThatConnection() throws Exception {
    URI u = URI.create(cluster.schedulerAddress());
    try (Socket s = new Socket(u.getHost(), u.getPort())) {
      OutputStream o = s.getOutputStream();
      o.write(new byte[] {0, 0, 0, 12, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4, 5, 6, 7, 8});
      o.flush();
      s.setSoTimeout(10_000);
      // The scheduler greets (38 bytes, "JASK"…), sees garbage instead of a greeting, and closes.
      byte[] got = s.getInputStream().readAllBytes();
      assertTrue(got.length <= 38 && (got.length == 0 || got[0] == 'J'), "only the greeting, then the close");
    }
    assertEquals(11, client.submit((Integer x) -> x + 1, 10).result());
    try (Client other = Client.connect(cluster.schedulerAddress(), false)) {
      assertEquals(4, other.submit((Integer x) -> x * 2, 2).result());
    }
  }
}
