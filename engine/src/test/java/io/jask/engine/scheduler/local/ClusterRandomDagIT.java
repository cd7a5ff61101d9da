package io.jask.engine.scheduler.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jask.distributed.Client;
import io.jask.distributed.Future;
import io.jask.distributed.LocalCluster;
import io.jask.engine.Key;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The random-DAG property on a real cluster (two worker JVMs): results equal direct evaluation. */
class ClusterRandomDagIT {
  static LocalCluster cluster;
  static Client client;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder().workers(2).threadsPerWorker(2).memoryLimit("512MiB").build();
    client = Client.connect(cluster.schedulerAddress(), false);
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  static Stream<Long> seeds() {
    return LongStream.range(2000, 2040).boxed();
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void randomDag_onCluster_matchesDirectEvaluation(long seed) throws Exception {
    RandomDags.Dag dag = RandomDags.generate(seed, 2000);
    List<Future<Object>> fs = client.submitGraph(io.jask.engine.Graph.empty().with(
        io.jask.engine.Layer.of("all-" + seed, java.util.Set.of(), dag.tasks())), dag.outputs());
    for (int i = 0; i < fs.size(); i++) {
      Object v;
      try {
        v = fs.get(i).result(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        Map<?, ?> counts = cluster.scheduler().inspect(s -> s.countsByState());
        Key stuck = fs.get(i).key();
        throw new AssertionError(dag + ": timed out on " + stuck + " state "
            + cluster.scheduler().inspect(s -> s.stateOf(stuck)) + " counts " + counts);
      }
      Key k = dag.outputs().get(i);
      assertEquals(dag.expected()[Arrays.asList(dag.keys()).indexOf(k)], v, dag + " key " + k);
    }
    fs.forEach(Future::release);
  }

  static Stream<Long> processSeeds() {
    return LongStream.range(3000, 3010).boxed();
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("processSeeds")
  void randomDag_onProcessesScheduler_matchesDirectEvaluation(long seed) {
    RandomDags.Dag dag = RandomDags.generate(seed, 2000);
    Map<Key, Object> out = io.jask.engine.scheduler.Schedulers.get("processes").get(dag.tasks(), dag.outputs());
    for (Key k : dag.outputs()) {
      assertEquals(dag.expected()[Arrays.asList(dag.keys()).indexOf(k)], out.get(k), dag + " key " + k);
    }
  }
}
