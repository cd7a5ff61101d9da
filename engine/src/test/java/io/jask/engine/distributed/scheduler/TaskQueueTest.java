package io.jask.engine.distributed.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.jask.engine.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link TaskQueue} against a {@code TreeSet} with the same comparator (the oracle). */
class TaskQueueTest {

  static LongStream seeds() {
    return LongStream.range(0, 30);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomOperations_comeOutInTreeSetOrder(long seed) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(seed % 2 == 0 ? 10 : 300);
    List<TaskRecord> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      // few distinct priorities: ties are broken by key, as in the scheduler
      Priority p = new Priority(r.nextInt(3) - 1, r.nextInt(3), r.nextBoolean() ? i : r.nextInt(5));
      records.add(new TaskRecord(Key.of("t-" + r.nextInt(1_000_000), i), null, p, r.nextBoolean() ? i : r.nextInt(3)));
    }
    TaskQueue q = new TaskQueue();
    TreeSet<TaskRecord> oracle = new TreeSet<>(TaskRecord.BY_PRIORITY);
    // half the seeds mostly add in priority order (a client.map: the queue's ascending run)
    boolean ascending = seed % 2 == 1;
    records.sort(ascending ? TaskRecord.BY_PRIORITY : (a, b) -> 0);
    int cursor = 0;
    for (int step = 0; step < 5_000; step++) {
      TaskRecord t = ascending && r.nextInt(5) > 0 ? records.get(cursor++ % n) : records.get(r.nextInt(n));
      switch (r.nextInt(6)) {
        case 0, 1, 2 -> assertEquals(oracle.add(t), q.add(t), "add " + t);
        case 3 -> assertEquals(oracle.remove(t), q.remove(t), "remove " + t);
        case 4 -> assertSame(oracle.pollFirst(), q.pollFirst(), "pollFirst");
        default -> assertEquals(oracle.contains(t), q.contains(t), "contains " + t);
      }
      assertEquals(oracle.size(), q.size());
      if (step % 97 == 0) {
        assertEquals(new ArrayList<>(oracle), q.inOrder(), "same order at step " + step);
      }
    }
    while (!oracle.isEmpty()) {
      assertSame(oracle.pollFirst(), q.pollFirst());
    }
    assertEquals(null, q.pollFirst());
    for (TaskRecord t : records) {
      assertEquals(-1, t.queueIndex, "no slot once out of the queue");
    }
  }
}
