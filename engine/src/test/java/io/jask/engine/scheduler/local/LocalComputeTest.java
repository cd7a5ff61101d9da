package io.jask.engine.scheduler.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.JaskTaskException;
import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.scheduler.Schedulers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tasks of sync/threads computations see their LocalCompute; its end actions run once, also on failure. */
class LocalComputeTest {
  static final Map<String, AtomicInteger> ENDED = new ConcurrentHashMap<>();
  static final Map<String, Set<Object>> SEEN = new ConcurrentHashMap<>();

  private static Map<Key, Task> graph(String id, int n, int failAt) {
    Map<Key, Task> g = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      int ii = i;
      g.put(Key.of("t", i), Task.of(args -> {
        LocalCompute c = LocalCompute.current().orElseThrow();
        AtomicInteger shared = c.state("counter", k -> new AtomicInteger());
        SEEN.get(id).add(shared);
        shared.incrementAndGet();
        c.onEnd(() -> ENDED.get(id).incrementAndGet());
        if (ii == failAt) {
          throw new IllegalStateException("boom");
        }
        return ii;
      }));
    }
    return g;
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "threads"})
  void tasksShareOneState_andEndActionsRunAfterTheCompute(String name) {
    String id = name + "-ok";
    ENDED.put(id, new AtomicInteger());
    SEEN.put(id, ConcurrentHashMap.newKeySet());
    List<Key> outs = new ArrayList<>(graph(id, 50, -1).keySet());
    Map<Key, Object> r = Schedulers.get(name).get(graph(id, 50, -1), outs);
    assertEquals(50, r.size());
    assertEquals(50, ENDED.get(id).get(), "one end action per task, run when the compute ended");
    assertEquals(1, SEEN.get(id).size(), "one state object per computation");
    assertTrue(LocalCompute.current().isEmpty(), "no computation outside tasks");
    // a second computation has its own state
    Schedulers.get(name).get(graph(id, 5, -1), new ArrayList<>(graph(id, 5, -1).keySet()));
    assertEquals(2, SEEN.get(id).size());
    assertEquals(55, ENDED.get(id).get());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "threads"})
  void endActionsRun_whenATaskFails(String name) {
    String id = name + "-fail";
    ENDED.put(id, new AtomicInteger());
    SEEN.put(id, ConcurrentHashMap.newKeySet());
    Map<Key, Task> g = graph(id, 30, 10);
    assertThrows(JaskTaskException.class, () -> Schedulers.get(name).get(g, new ArrayList<>(g.keySet())));
    AtomicInteger started = (AtomicInteger) SEEN.get(id).iterator().next();
    // tasks still running on other loop threads when the failure returned register late and run at once
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (ENDED.get(id).get() != started.get() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(started.get(), ENDED.get(id).get(), "every registered end action ran");
    assertTrue(started.get() >= 11 || name.equals("threads"), "sync ran the tasks before the failing one");
  }
}
