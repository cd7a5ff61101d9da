package io.jask.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jask.engine.Key;
import io.jask.engine.config.Config;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chains of dependent tasks on a real (in-JVM) cluster of two one-thread workers, where every task
 * is assigned ahead to the worker computing its input: as one graph and as dependent futures, over
 * the in-process and the TCP transport. The value is the chain length (a known answer).
 */
class SpeculativeChainTest {
  static final TaskFn INC = args -> (Integer) args[0] + 1;

  @ParameterizedTest
  @ValueSource(strings = {"inproc://", "tcp://127.0.0.1:0"})
  void chains_finishWithTheRightValue(String address) {
    try (Config.Scope on = Config.set("distributed.scheduler.speculative-assignment", true);
         LocalCluster cluster = LocalCluster.builder().workers(2).threadsPerWorker(1).processes(false)
             .schedulerAddress(address).build();
         Client client = Client.connect(cluster.schedulerAddress(), false)) {
      for (int rep = 0; rep < 3; rep++) {
        int n = 3_000;
        Map<Key, Task> g = new LinkedHashMap<>();
        String name = "chain" + rep;
        g.put(Key.of(name, 0), Task.of(INC, 0));
        for (int i = 1; i < n; i++) {
          g.put(Key.of(name, i), Task.of(INC, Key.of(name, i - 1)));
        }
        Key last = Key.of(name, n - 1);
        Object out = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> client.get(g, List.of(last)).get(last),
            () -> "chain " + name + " did not finish");
        assertEquals(n, out);
      }
      SubmitOptions impure = SubmitOptions.defaults().withPure(false);
      for (int rep = 0; rep < 2; rep++) {
        int n = 2_000;
        long first = rep * 1_000_000L;
        Future<Long> f = client.submit(impure, (Long x) -> x + 1, first);
        List<Future<Long>> all = new ArrayList<>();
        all.add(f);
        for (int i = 1; i < n; i++) {
          f = client.submit(impure, (Long x) -> x + 1, f);
          all.add(f);
        }
        Future<Long> end = f;
        long v = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> end.result(), "futures chain did not finish");
        assertEquals(first + n, v);
        all.forEach(Future::release);
      }
    }
  }
}
