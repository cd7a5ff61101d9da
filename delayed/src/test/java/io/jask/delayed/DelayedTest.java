package io.jask.delayed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Jask;
import io.jask.engine.JaskTaskException;
import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelayedTest {

  @AllSchedulers
  void call_withDelayedArguments_computesLikeDirectCalls(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Delayed<Integer> a = Delayed.call((Integer x, Integer y) -> x + y, 1, 2);
      Delayed<Integer> b = Delayed.call((Integer x) -> x * 10, a);
      Delayed<String> c = Delayed.call((Integer x, String y, Integer z) -> y + (x + z), a, "n=", b);
      assertEquals(30, b.compute());
      assertEquals("n=33", c.compute());
      assertEquals(Integer.valueOf(33), Delayed.call(() -> 33).compute());
      assertEquals(4, Delayed.callN(args -> args.length, 1, a, b, "x").compute());
      assertEquals(31, b.map(x -> x + 1).compute());
    }
  }

  @AllSchedulers
  void listArgument_mixingDelayedAndValues_becomesDependencies(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      List<Object> parts = new ArrayList<>();
      long expected = 0;
      for (int i = 0; i < 50; i++) {
        int ii = i;
        parts.add(i % 3 == 0 ? (Object) (long) i : Delayed.call((Integer x) -> (long) x * x, ii));
        expected += i % 3 == 0 ? i : (long) i * i;
      }
      Delayed<Long> total = Delayed.call((List<Long> xs) -> xs.stream().mapToLong(Long::longValue).sum(), parts);
      assertEquals(expected, total.compute());
    }
  }

  @AllSchedulers
  void jaskCompute_sharedTasksRunOnce(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      // the shared task returns a fresh random number: if it ran twice, a and b would disagree
      Delayed<Double> shared = Delayed.call((Integer seed) -> Math.random() + seed, 0);
      Delayed<Double> a = Delayed.call((Double x) -> x + 1, shared);
      Delayed<Double> b = Delayed.call((Double x) -> x + 2, shared);
      List<Object> out = Jask.compute(a, b, shared);
      assertEquals((Double) out.get(2) + 1, (Double) out.get(0), 1e-12);
      assertEquals((Double) out.get(2) + 2, (Double) out.get(1), 1e-12);
    }
  }

  @AllSchedulers
  void persist_keepsTheValue_laterComputationsStartFromIt(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Delayed<Double> random = Delayed.call((Integer seed) -> Math.random() * seed, 1000);
      Delayed<Double> kept = random.persist();
      double first = kept.compute();
      assertEquals(first, kept.compute());
      assertEquals(first * 2, Delayed.call((Double x) -> x * 2, kept).compute(), 1e-9);
      assertEquals(random.key(), kept.key());
    }
  }

  @AllSchedulers
  void failingCall_raisesJaskTaskExceptionWithKeyAndCause(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Delayed<Integer> bad = Delayed.call((Integer x) -> x / 0, 7);
      Delayed<Integer> after = Delayed.call((Integer x) -> x + 1, bad);
      JaskTaskException e = assertThrows(JaskTaskException.class, after::compute);
      assertEquals(bad.key().toString(), e.key());
      assertEquals("java.lang.ArithmeticException", e.remoteClass());
      assertInstanceOf(ArithmeticException.class, e.getCause());
    }
  }

  @AllSchedulers
  void randomExpressionTrees_matchDirectEvaluation(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (long seed = 0; seed < 20; seed++) {
        Random r = new Random(seed);
        List<Delayed<Long>> lazy = new ArrayList<>();
        List<Long> eager = new ArrayList<>();
        for (int i = 0; i < 1 + r.nextInt(200); i++) {
          if (lazy.isEmpty() || r.nextInt(4) == 0) {
            long v = r.nextInt(1000);
            lazy.add(Delayed.value(v));
            eager.add(v);
          } else {
            int a = r.nextInt(lazy.size());
            int b = r.nextInt(lazy.size());
            long m = r.nextInt(7) + 1;
            lazy.add(Delayed.call((Long x, Long y) -> (x * m + y) % 1_000_003L, lazy.get(a), lazy.get(b)));
            eager.add((eager.get(a) * m + eager.get(b)) % 1_000_003L);
          }
        }
        assertEquals(eager.get(eager.size() - 1), lazy.get(lazy.size() - 1).compute(), "seed " + seed);
      }
    }
  }

  @Test
  void keys_areDeterministic_sameCallSameKey() {
    Delayed<Integer> a1 = Delayed.call((Integer x) -> x + 1, 5);
    Delayed<Integer> a2 = Delayed.call((Integer x) -> x + 1, 5);
    Delayed<Integer> a3 = Delayed.call((Integer x) -> x + 1, 6);
    assertEquals(Delayed.value(List.of(1, 2)).key(), Delayed.value(List.of(1, 2)).key());
    assertNotEquals(a1.key(), a3.key());
    assertTrue(a1.key().name().startsWith("lambda-"), a1.key().toString());
    assertEquals(a1.key().name().length(), a2.key().name().length());
  }

  @Test
  void visualize_writesDot_andSvgWhenGraphvizIsInstalled(@TempDir Path dir) throws Exception {
    Delayed<Integer> a = Delayed.call((Integer x, Integer y) -> x + y, 1, 2);
    Delayed<Integer> b = Delayed.call((Integer x) -> x * 10, a);
    Path dot = b.visualize(dir.resolve("g.dot"));
    String text = Files.readString(dot);
    assertTrue(text.startsWith("digraph"), text);
    assertTrue(text.contains(a.key().toString()) && text.contains(b.key().toString()), text);
    assertTrue(text.contains("\"k" + a.key() + "\" -> \"f" + b.key() + "\""), "edge a -> b: " + text);
    boolean haveDot = new ProcessBuilder("sh", "-c", "command -v dot").start().waitFor() == 0;
    if (haveDot) {
      Path svg = b.visualize(dir.resolve("g.svg"));
      assertTrue(Files.readString(svg).contains("<svg"), "an SVG document");
    } else {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.visualize(dir.resolve("g.svg")));
      assertTrue(e.getMessage().contains("Graphviz"), e.getMessage());
      assertTrue(Files.notExists(dir.resolve("g.svg")), "no partial file");
    }
  }

  @Test
  void longChain_buildsAndComputes_withoutDeepRecursion() {
    // 10,000 dependent calls: building is linear (graphs share their inputs) and fusion runs
    // the chain as one task without recursion
    Delayed<Long> x = Delayed.value(0L);
    for (int i = 0; i < 10_000; i++) {
      x = Delayed.call((Long v) -> v + 1, x);
    }
    assertEquals(10_000L, x.compute());
    assertEquals(10_001, x.graph().layers().size());
  }
}
