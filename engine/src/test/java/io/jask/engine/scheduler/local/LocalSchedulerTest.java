package io.jask.engine.scheduler.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.JaskCancelledException;
import io.jask.engine.JaskTaskException;
import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.config.Config;
import io.jask.engine.scheduler.Scheduler;
import io.jask.engine.scheduler.Schedulers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalSchedulerTest {
  /** Per-test shared state for task functions (they run in this JVM for sync and threads). */
  static final Map<String, AtomicInteger> COUNTERS = new ConcurrentHashMap<>();
  static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();

  private static Scheduler scheduler(String name) {
    return Schedulers.get(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "threads"})
  void failingTask_failsComputeWithKeyAndCause_noFurtherTasksStart(String name) throws Exception {
    String id = name + "-fail";
    COUNTERS.put(id, new AtomicInteger());
    Map<Key, Task> g = new LinkedHashMap<>();
    List<Key> outs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Key k = Key.of("work", i);
      int ii = i;
      g.put(k, Task.of(args -> {
        COUNTERS.get(id).incrementAndGet();
        Thread.sleep(1);
        if (ii == 20) {
          throw new ArithmeticException("boom at 20");
        }
        return ii;
      }));
      outs.add(k);
    }
    JaskTaskException e = assertThrows(JaskTaskException.class, () -> scheduler(name).get(g, outs));
    assertEquals("('work', 20)", e.key());
    assertInstanceOf(ArithmeticException.class, e.getCause());
    assertEquals("boom at 20", e.getCause().getMessage());
    assertTrue(e.getMessage().contains("('work', 20)"), e.getMessage());
    assertTrue(e.getCause().getStackTrace().length > 0);
    int atFailure = COUNTERS.get(id).get();
    Thread.sleep(200);
    assertTrue(COUNTERS.get(id).get() <= atFailure + LocalScheduler.numWorkers(),
        "tasks kept starting after the failure: " + atFailure + " -> " + COUNTERS.get(id).get());
    assertTrue(COUNTERS.get(id).get() < 200, "every task ran despite the failure");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "threads"})
  void interruptingCaller_cancelsComputation(String name) throws Exception {
    String id = name + "-cancel";
    COUNTERS.put(id, new AtomicInteger());
    LATCHES.put(id, new CountDownLatch(1));
    Map<Key, Task> g = new LinkedHashMap<>();
    g.put(Key.of("slow", 0), Task.of(args -> {
      COUNTERS.get(id).incrementAndGet();
      LATCHES.get(id).countDown();
      try {
        Thread.sleep(name.equals("sync") ? 300 : 30_000);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
      return 1;
    }));
    for (int i = 1; i < 50; i++) {
      g.put(Key.of("slow", i), Task.of(args -> {
        COUNTERS.get(id).incrementAndGet();
        Thread.sleep(300);
        return 1;
      }, Key.of("slow", i - 1)));
    }
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread caller = new Thread(() -> {
      try {
        scheduler(name).get(g, List.of(Key.of("slow", 49)));
      } catch (Throwable t) {
        thrown.set(t);
        flag.set(Thread.currentThread().isInterrupted());
      }
    });
    caller.start();
    assertTrue(LATCHES.get(id).await(10, TimeUnit.SECONDS));
    caller.interrupt();
    caller.join(10_000);
    assertTrue(!caller.isAlive(), "compute did not return after the interrupt");
    assertInstanceOf(JaskCancelledException.class, thrown.get());
    assertEquals(Boolean.TRUE, flag.get(), "the interrupt flag is set again");
    Thread.sleep(400);
    assertTrue(COUNTERS.get(id).get() <= 2, "tasks started after cancellation: " + COUNTERS.get(id).get());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "threads"})
  void cycle_isRejectedNamingTheKeys(String name) {
    Map<Key, Task> g = new LinkedHashMap<>();
    g.put(Key.of("a"), Task.of(x -> 1, Key.of("c")));
    g.put(Key.of("b"), Task.of(x -> 1, Key.of("a")));
    g.put(Key.of("c"), Task.of(x -> 1, Key.of("b")));
    g.put(Key.of("out"), Task.of(x -> 1, Key.of("c")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scheduler(name).get(g, List.of(Key.of("out"))));
    assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    for (String k : List.of("a", "b", "c")) {
      assertTrue(e.getMessage().contains(k + " -> ") || e.getMessage().endsWith(k), e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "threads"})
  void missingDependency_isRejectedNamingBothKeys(String name) {
    Map<Key, Task> g = Map.of(Key.of("y", 1), Task.of(x -> 1, Key.of("x", 7)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> scheduler(name).get(g, List.of(Key.of("y", 1))));
    assertTrue(e.getMessage().contains("('y', 1) needs ('x', 7)"), e.getMessage());
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> scheduler(name).get(g, List.of(Key.of("z"))));
    assertTrue(e2.getMessage().contains("z"), e2.getMessage());
  }

  @Test
  void schedulerKey_picksBackend_unknownNameListsKnownOnes() {
    try (Config.Scope s = Config.set("scheduler", "sync")) {
      assertSame(Schedulers.get("sync"), Schedulers.current());
    }
    try (Config.Scope s = Config.set("scheduler", "nope")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Schedulers::current);
      assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("sync") && e.getMessage().contains("threads"), e.getMessage());
    }
    assertEquals("threads", Schedulers.current().name());
  }

  @Test
  void numWorkers_limitsConcurrency() throws Exception {
    String id = "concurrency";
    COUNTERS.put(id, new AtomicInteger());
    COUNTERS.put(id + "-max", new AtomicInteger());
    Map<Key, Task> g = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      g.put(Key.of("p", i), Task.of(args -> {
        int now = COUNTERS.get(id).incrementAndGet();
        COUNTERS.get(id + "-max").accumulateAndGet(now, Math::max);
        Thread.sleep(5);
        COUNTERS.get(id).decrementAndGet();
        return 0;
      }));
    }
    try (Config.Scope s = Config.set("num-workers", 3)) {
      scheduler("threads").get(g, new ArrayList<>(g.keySet()));
    }
    assertEquals(3, COUNTERS.get(id + "-max").get());
  }

  @Test
  void threads_runIndependentTasksInParallel() throws Exception {
    // two tasks that wait for each other can only finish if they run at the same time
    CountDownLatch both = new CountDownLatch(2);
    LATCHES.put("pair", both);
    Map<Key, Task> g = new LinkedHashMap<>();
    for (int i = 0; i < 2; i++) {
      g.put(Key.of("pair", i), Task.of(args -> {
        LATCHES.get("pair").countDown();
        return LATCHES.get("pair").await(10, TimeUnit.SECONDS);
      }));
    }
    try (Config.Scope s = Config.set("num-workers", 2)) {
      Map<Key, Object> out = scheduler("threads").get(g, new ArrayList<>(g.keySet()));
      assertEquals(Boolean.TRUE, out.get(Key.of("pair", 0)));
      assertEquals(Boolean.TRUE, out.get(Key.of("pair", 1)));
    }
  }
}
