package io.jask.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.internal.CompiledGraph;
import io.jask.engine.internal.Fuse;
import io.jask.engine.scheduler.Schedulers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GraphTest {

  @Test
  void key_equalityHashAndPrintedForm() {
    assertEquals(Key.of("sum-a81f", 3, 0), Key.of("sum-a81f", 3, 0));
    assertNotEquals(Key.of("sum-a81f", 3, 0), Key.of("sum-a81f", 0, 3));
    assertEquals(Key.of("x", 1).hashCode(), Key.of("x", 1).hashCode());
    assertEquals("('sum-a81f', 3, 0)", Key.of("sum-a81f", 3, 0).toString());
    assertEquals("total", Key.of("total").toString());
    assertEquals("sum", Key.of("sum-0123456789abcdef0123456789abcdef", 1).prefix());
    assertEquals("read-csv", Key.of("read-csv-0123456789abcdef").prefix());
  }

  @Test
  void task_dependenciesIncludeKeysInsideLists_onceEach() {
    Task t = Task.of(a -> null, Key.of("a"), List.of(Key.of("b"), List.of(Key.of("c"), Key.of("a"))), "lit");
    assertEquals(List.of(Key.of("a"), Key.of("b"), Key.of("c")), List.of(t.dependencies()));
  }

  @Test
  void tokenize_isDeterministicAndContentBased() {
    assertEquals(Tokenize.token("add", 1, List.of(2.0, "x")), Tokenize.token("add", 1, List.of(2.0, "x")));
    assertNotEquals(Tokenize.token("add", 1), Tokenize.token("add", 2));
    assertEquals(Tokenize.token(Map.of("a", 1, "b", 2)), Tokenize.token(new java.util.TreeMap<>(Map.of("b", 2, "a", 1))));
    assertEquals(Tokenize.token(new double[] {1, 2}), Tokenize.token(new double[] {1, 2}));
    record Point(int x, int y) {}
    assertEquals(Tokenize.token(new Point(1, 2)), Tokenize.token(new Point(1, 2)));
    TaskFn f = a -> a.length;
    assertEquals(Tokenize.token(f), Tokenize.token(f));
    int captured = 5;
    TaskFn g1 = a -> captured;
    assertEquals(32, Tokenize.token(g1).length());
    Object opaque = new Object();
    assertNotEquals(Tokenize.token(opaque), Tokenize.token(opaque), "unknown objects never collide");
  }

  @Test
  void materialize_buildsOnlyTheLayersTheOutputsNeed() {
    AtomicInteger built = new AtomicInteger();
    Layer a = Layer.of("a", Set.of(), Map.of(Key.of("a", 0), Task.literal(1)));
    Layer unused = Layer.lazy("unused", Set.of("a"), () -> {
      built.incrementAndGet();
      return Map.of(Key.of("unused", 0), Task.of(x -> x[0], Key.of("a", 0)));
    });
    Layer b = Layer.of("b", Set.of("a"), Map.of(Key.of("b", 0), Task.of(x -> (Integer) x[0] + 1, Key.of("a", 0))));
    Graph g = Graph.of(b, Graph.of(unused, Graph.of(a)));
    Map<Key, Task> tasks = g.materialize(List.of(Key.of("b", 0)));
    assertEquals(Set.of(Key.of("a", 0), Key.of("b", 0)), tasks.keySet());
    assertEquals(0, built.get());
    assertEquals(2, Schedulers.get("sync").compute(g, List.of(Key.of("b", 0))).get(Key.of("b", 0)));
  }

  @Test
  void cull_dropsTasksNoOutputNeeds() {
    Map<Key, Task> g = new LinkedHashMap<>();
    g.put(Key.of("x"), Task.literal(1));
    g.put(Key.of("y"), Task.of(a -> (Integer) a[0] + 1, Key.of("x")));
    g.put(Key.of("z"), Task.of(a -> { throw new IllegalStateException("not needed"); }, Key.of("x")));
    assertEquals(Set.of(Key.of("x"), Key.of("y")), CompiledGraph.cull(g, List.of(Key.of("y"))).keySet());
    assertEquals(2, Schedulers.get("threads").get(g, List.of(Key.of("y"))).get(Key.of("y")));
  }

  @Test
  void fuse_collapsesLinearChains_keepsOutputsAndFanOut_sameValues() {
    Map<Key, Task> g = new LinkedHashMap<>();
    g.put(Key.of("a"), Task.literal(1));
    g.put(Key.of("b"), Task.of(x -> (Integer) x[0] + 1, Key.of("a")));
    g.put(Key.of("c"), Task.of(x -> (Integer) x[0] * 10, Key.of("b")));
    g.put(Key.of("d"), Task.of(x -> (Integer) x[0] - 3, Key.of("c")));   // c has two readers: d and e
    g.put(Key.of("e"), Task.of(x -> (Integer) x[0] + 100, Key.of("c")));
    g.put(Key.of("out"), Task.of(x -> (Integer) x[0] + (Integer) x[1], Key.of("d"), Key.of("e")));
    Map<Key, Task> fused = Fuse.linear(g, List.of(Key.of("out")));
    // a -> b -> c collapse into c; d, e read c; out reads d and e
    assertEquals(Set.of(Key.of("c"), Key.of("d"), Key.of("e"), Key.of("out")), fused.keySet());
    assertEquals(0, fused.get(Key.of("c")).dependencies().length);
    Object direct = Schedulers.get("sync").get(g, List.of(Key.of("out"))).get(Key.of("out"));
    Object viaFused = Schedulers.get("sync").get(fused, List.of(Key.of("out"))).get(Key.of("out"));
    assertEquals(17 + 120, direct);
    assertEquals(direct, viaFused);
    assertTrue(Fuse.linear(g, List.of(Key.of("b"), Key.of("out"))).containsKey(Key.of("b")), "outputs are never fused away");
  }

  @Test
  void fusedChain_failure_namesTheInnerKey() {
    Map<Key, Task> g = new LinkedHashMap<>();
    g.put(Key.of("a"), Task.literal(1));
    g.put(Key.of("b"), Task.of(x -> { throw new IllegalStateException("in b"); }, Key.of("a")));
    g.put(Key.of("c"), Task.of(x -> x[0], Key.of("b")));
    Map<Key, Task> fused = Fuse.linear(g, List.of(Key.of("c")));
    JaskTaskException e = org.junit.jupiter.api.Assertions.assertThrows(JaskTaskException.class,
        () -> Schedulers.get("sync").get(fused, List.of(Key.of("c"))));
    assertEquals("b", e.key());
  }

  @Test
  void order_treeReduction_finishesEachBranchBeforeStartingTheNext() {
    // out = sum(p0..p3); p_i = sum of 4 leaves; with dask.order-like priorities each p_i directly
    // follows its own leaves, so at most 4 leaves are ever held
    Map<Key, Task> g = new LinkedHashMap<>();
    List<Key> partials = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      List<Key> leaves = new ArrayList<>();
      for (int l = 0; l < 4; l++) {
        Key leaf = Key.of("leaf", p * 4 + l);
        g.put(leaf, Task.literal(p * 4 + l));
        leaves.add(leaf);
      }
      Key pk = Key.of("partial", p);
      g.put(pk, Task.of(x -> ((List<?>) x[0]).stream().mapToInt(o -> (Integer) o).sum(), leaves));
      partials.add(pk);
    }
    g.put(Key.of("out"), Task.of(x -> ((List<?>) x[0]).stream().mapToInt(o -> (Integer) o).sum(), partials));
    CompiledGraph cg = CompiledGraph.compile(g, List.of(Key.of("out")));
    Integer[] byPriority = new Integer[cg.size];
    for (int i = 0; i < cg.size; i++) {
      byPriority[cg.priority[i]] = i;
    }
    List<String> run = new ArrayList<>();
    for (Integer i : byPriority) {
      run.add(cg.keys[i].name());
    }
    assertEquals(List.of("leaf", "leaf", "leaf", "leaf", "partial", "leaf", "leaf", "leaf", "leaf", "partial",
        "leaf", "leaf", "leaf", "leaf", "partial", "leaf", "leaf", "leaf", "leaf", "partial", "out"), run);
    for (int i = 0; i < cg.size; i++) {
      for (int d : cg.deps[i]) {
        assertTrue(cg.priority[d] < cg.priority[i]);
      }
    }
    assertFalse(run.isEmpty());
    assertEquals(120, Schedulers.get("threads").get(g, List.of(Key.of("out"))).get(Key.of("out")));
  }
}
