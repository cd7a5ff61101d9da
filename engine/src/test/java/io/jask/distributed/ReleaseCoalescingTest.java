package io.jask.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jask.engine.Key;
import io.jask.engine.distributed.scheduler.TaskState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client sends the releases of many futures as few {@code ReleaseKeys}, ahead of any later
 * message: released keys are forgotten by the scheduler, and keys submitted again right after
 * their release (pure tasks: the same keys) are computed and kept, not lost to a late release.
 */
@ExtendWith(ClusterExtension.class)
class ReleaseCoalescingTest {

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13})
  void releaseMany_thenResubmitSome_keepsOnlyTheResubmitted(long seed, Client client, LocalCluster cluster) throws Exception {
    Random r = new Random(seed);
    int n = 200 + r.nextInt(800);
    long base = seed * 1_000_000;
    List<Long> items = LongStream.range(base, base + n).boxed().toList();
    List<Future<Long>> first = client.map((Long x) -> x + 1, items);
    assertEquals(items.stream().map(x -> x + 1).toList(), client.gather(first));
    List<Key> keys = first.stream().map(Future::key).toList();

    List<Long> again = new ArrayList<>();
    for (Long x : items) {
      if (r.nextInt(3) == 0) {
        again.add(x);
      }
    }
    first.forEach(Future::release);
    List<Future<Long>> second = client.map((Long x) -> x + 1, again); // same pure keys, right after
    assertEquals(again.stream().map(x -> x + 1).toList(), client.gather(second));

    Set<Key> kept = new HashSet<>();
    second.forEach(f -> kept.add(f.key()));
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (true) {
      List<TaskState> states = cluster.scheduler().inspect(s -> keys.stream().map(s::stateOf).toList());
      boolean settled = true;
      for (int i = 0; i < keys.size(); i++) {
        TaskState want = kept.contains(keys.get(i)) ? TaskState.MEMORY : TaskState.FORGOTTEN;
        if (states.get(i) != want) {
          settled = false;
          if (System.nanoTime() > deadline) {
            assertEquals(want, states.get(i), "state of " + keys.get(i));
          }
        }
      }
      if (settled) {
        break;
      }
      Thread.sleep(20);
    }
    // still held: the values come back without recomputation problems
    assertEquals(again.stream().map(x -> x + 1).toList(), client.gather(second));
    second.forEach(Future::release);
  }
}
