package io.jask.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Graph;
import io.jask.engine.JaskCancelledException;
import io.jask.engine.JaskCollection;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.distributed.scheduler.TaskState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Fast tests on an in-process cluster (scheduler and workers in this JVM, inproc transport). */
@ExtendWith(ClusterExtension.class)
class InProcessClusterTest {
  static final Map<String, CountDownLatch> LATCHES = new java.util.concurrent.ConcurrentHashMap<>();

  /** A minimal collection: n partitions of numbers, finalized as their sum. */
  record Numbers(Graph graph, List<Key> keys) implements JaskCollection<Long> {
    static Numbers of(String name, int parts) {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      List<Key> keys = new ArrayList<>();
      for (int i = 0; i < parts; i++) {
        long v = i;
        Key k = Key.of(name, i);
        tasks.put(k, Task.of(a -> v * v));
        keys.add(k);
      }
      return new Numbers(Graph.empty().with(Layer.of(name, Set.of(), tasks)), keys);
    }

    @Override
    public Long finalize(List<Object> results) {
      return results.stream().mapToLong(o -> (Long) o).sum();
    }

    @Override
    public Numbers rebuild(Graph g) {
      return new Numbers(g, keys);
    }
  }

  @Test
  void compute_collectionOnCluster_returnsFinalResult(Client client) {
    Future<Long> f = client.compute(Numbers.of("sq-compute", 10));
    assertEquals(285L, f.result());
  }

  @Test
  void persist_keepsPartitionsOnWorkers_laterGraphsReuseThem(Client client, LocalCluster cluster) {
    Numbers kept = client.persist(Numbers.of("sq-persist", 8)); // returns at once, like Dask
    assertEquals(140L, kept.compute()); // a local scheduler fetches the persisted partitions
    for (Key k : kept.keys()) {
      assertEquals(TaskState.MEMORY, cluster.scheduler().inspect(s -> s.stateOf(k)));
    }
    Key total = Key.of("total-persist");
    Graph g = kept.graph().with(Layer.of("total-persist", Set.of("sq-persist"),
        Map.of(total, Task.of(a -> ((List<?>) a[0]).stream().mapToLong(o -> (Long) o).sum(), kept.keys()))));
    assertEquals(140L, client.compute(g, List.of(total)).get(total));
  }

  /** A task returning {@code x} once the new latch {@code name} is counted down (at most 30 s). */
  private static Future<Integer> heldBy(Client client, String name, int x) {
    LATCHES.put(name, new CountDownLatch(1));
    return client.submit((Integer v) -> {
      LATCHES.get(name).await(30, TimeUnit.SECONDS);
      return v;
    }, x);
  }

  @Test
  void cancel_pendingFuture_failsItAsCancelled(Client client) throws Exception {
    Future<Integer> slow = heldBy(client, "block", 1);
    Future<Integer> dependent = client.submit((Integer x) -> x + 1, slow);
    assertTrue(dependent.cancel(true));
    assertThrows(JaskCancelledException.class, dependent::result);
    assertTrue(dependent.isCancelled());
    LATCHES.get("block").countDown();
    assertEquals(1, slow.result());
  }

  /**
   * A thread that runs a task inline on a worker also serves that worker's connections: a client's
   * blocking wait there could wait for good, so it fails at once instead (the worker then runs the
   * task again on its pool). A result already there is returned without waiting.
   */
  @Test
  void result_onAThreadRunningATaskInline_failsInsteadOfBlocking(Client client) throws Exception {
    Future<Integer> pending = heldBy(client, "inline-guard", 7);
    Future<Integer> done = client.submit((Integer x) -> x + 1, 1);
    assertEquals(2, done.result());
    io.jask.engine.distributed.internal.InlineTasks.running(true);
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, pending::result);
      assertTrue(e.getMessage().contains("would block the worker thread"), e.getMessage());
      assertEquals(2, done.result(), "a result already there needs no wait");
    } finally {
      io.jask.engine.distributed.internal.InlineTasks.running(false);
    }
    LATCHES.get("inline-guard").countDown();
    assertEquals(7, pending.result());
  }

  @Test
  void fireAndForget_taskRunsToCompletion_afterItsClientReleasedItAndLeft(LocalCluster cluster) throws Exception {
    LATCHES.put("faf", new CountDownLatch(1));
    Client leaving = Client.connect(cluster.schedulerAddress(), false);
    Future<Boolean> f = leaving.submit((Integer x) -> {
      Thread.sleep(300);
      LATCHES.get("faf").countDown();
      return true;
    }, 7);
    leaving.fireAndForget(f);
    f.release();
    leaving.close();
    assertTrue(LATCHES.get("faf").await(30, TimeUnit.SECONDS), "the task ran although its client left");
    Key k = f.key();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (cluster.scheduler().inspect(s -> s.stateOf(k)) != TaskState.FORGOTTEN && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(TaskState.FORGOTTEN, cluster.scheduler().inspect(s -> s.stateOf(k)), "released once done");
  }

  @Test
  void scale_addsAndRemovesWorkers(LocalCluster cluster, Client client) throws Exception {
    cluster.scale(3);
    assertEquals(3, cluster.workers().size());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (client.workers().size() != 3 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(3, client.workers().size());
    cluster.scale(1);
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (client.workers().size() != 1 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(1, client.workers().size());
    assertEquals(5, client.submit((Integer x) -> x + 1, 4).result());
  }

  @Test
  void ping_roundTripsToTheScheduler(Client client) {
    assertTrue(client.ping() > 0);
  }
}
