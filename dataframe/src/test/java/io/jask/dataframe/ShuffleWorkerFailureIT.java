package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jask.distributed.Client;
import io.jask.distributed.LocalCluster;
import io.jask.engine.config.Config;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A worker process killed ({@code kill -9}) in the middle of a shuffle, on a real cluster of three
 * worker processes: the split outputs it held are recomputed from the graph and the sort and the
 * hash merge still give the answer of one Tablesaw table.
 */
class ShuffleWorkerFailureIT {
  static LocalCluster cluster;
  static Client client;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder().workers(3).threadsPerWorker(1).memoryLimit("512MiB").build();
    client = Client.connect(cluster.schedulerAddress(), true);
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  static Stream<Long> seeds() {
    return LongStream.range(0, 4).boxed();
  }

  static Table table(Random r, int rows) {
    LongColumn id = LongColumn.create("id");
    StringColumn k = StringColumn.create("k");
    DoubleColumn x = DoubleColumn.create("x");
    for (int i = 0; i < rows; i++) {
      id.append(i);
      k.append("k" + r.nextInt(50));
      x.append(r.nextDouble());
    }
    return Table.create("t", id, k, x);
  }

  /** The partitions of {@code t}, each taking a while to produce (so the kill lands mid-shuffle). */
  static DFrame slow(Table t, int parts) {
    return DFrame.fromTable(t, parts).mapPartitions(p -> {
      Thread.sleep(150);
      return p;
    }, DFrame.fromTable(t, 1).schema());
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void killMinus9_duringSortAndMerge_resultsAreStillCorrect(long seed) throws Exception {
    cluster.scale(3); // replaces the worker killed by the previous case
    Random r = new Random(seed);
    Table t = table(r, 20_000);
    Table small = table(r, 3_000);
    try (Config.Scope s = Config.set("scheduler", "distributed")) {
      DFrame sorted = slow(t, 24).sortValues("x"); // samples computed now, before the kill
      DFrame merged = slow(t, 24).merge(slow(small, 6), DFrame.How.INNER, 8, "k");
      CompletableFuture<Table> sortedF = CompletableFuture.supplyAsync(sorted::compute);
      CompletableFuture<Table> mergedF = CompletableFuture.supplyAsync(merged::compute);
      Thread.sleep(150 + r.nextInt(500));
      LocalCluster.WorkerHandle victim = cluster.workers().get(r.nextInt(cluster.workers().size()));
      // at least 24 x 150 ms / 3 workers of input before any output: the kill lands mid-shuffle
      assertFalse(sortedF.isDone() || mergedF.isDone(), "seed " + seed + ": finished before the kill");
      victim.processHandle().orElseThrow().destroyForcibly(); // SIGKILL
      Table got = sortedF.get(180, TimeUnit.SECONDS);
      Table expected = t.sortAscendingOn("x");
      assertArrayEquals(((DoubleColumn) expected.column("x")).asDoubleArray(), ((DoubleColumn) got.column("x")).asDoubleArray(),
          "seed " + seed + " sorted x");
      assertArrayEquals(((LongColumn) expected.column("id")).asLongArray(), ((LongColumn) got.column("id")).asLongArray(),
          "seed " + seed + " sorted id");
      Table m = mergedF.get(180, TimeUnit.SECONDS);
      List<List<Object>> oracle = MergeTest.oracle(t, small, List.of("k"), DFrame.How.INNER);
      assertEquals(oracle.size(), m.rowCount(), "seed " + seed + " merged rows");
      Frames.assertRowsEqual(ShuffleOpsTest.sorted(oracle), ShuffleOpsTest.sorted(Frames.rows(m)), "seed " + seed + " merge");
    }
  }
}
