package io.jask.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.JaskTaskException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A task that runs out of heap once is run again after the worker spills; twice, it fails. */
@ExtendWith(ClusterExtension.class)
class OutOfMemoryRetryTest {
  static final ConcurrentHashMap<Integer, AtomicInteger> CALLS = new ConcurrentHashMap<>();

  static int failFirstTimes(int id, int times) {
    int n = CALLS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    if (n <= times) {
      throw new OutOfMemoryError("Java heap space (simulated, call " + n + ")");
    }
    return id * 10 + n;
  }

  @Test
  void outOfMemoryOnce_isRetriedOnTheSameWorker(Client client) throws Exception {
    Future<Integer> f = client.submit((Integer id) -> failFirstTimes(id, 1), 4711);
    assertEquals(4711 * 10 + 2, f.result(), "ran twice: the first call ran out of heap");
    assertEquals(2, CALLS.get(4711).get());
  }

  @Test
  void outOfMemoryTwice_isTheTasksFailure(Client client) {
    Future<Integer> f = client.submit((Integer id) -> failFirstTimes(id, 5), 4712);
    JaskTaskException e = assertThrows(JaskTaskException.class, f::result);
    assertTrue(e.getMessage().contains("OutOfMemoryError"), e.getMessage());
    assertEquals(2, CALLS.get(4712).get(), "one retry, not more");
  }
}
