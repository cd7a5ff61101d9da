package io.jask.cli;

import io.jask.delayed.Delayed;
import io.jask.engine.Jask;
import io.jask.engine.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code bin/jask demo}: a short tour that computes real things and checks them. */
@Command(name = "demo", description = "Run a short demo of Jask's collections and schedulers.")
final class DemoCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.out.println("== Delayed: a tree sum of squares, 1..1000, on every local scheduler");
    for (String scheduler : List.of("sync", "threads")) {
      try (Config.Scope s = Config.set("scheduler", scheduler)) {
        List<Delayed<Long>> squares = new ArrayList<>();
        for (long i = 1; i <= 1000; i++) {
          squares.add(Delayed.call((Long x) -> x * x, i));
        }
        while (squares.size() > 1) {
          List<Delayed<Long>> next = new ArrayList<>();
          for (int i = 0; i < squares.size(); i += 2) {
            next.add(i + 1 < squares.size() ? Delayed.call((Long a, Long b) -> a + b, squares.get(i), squares.get(i + 1)) : squares.get(i));
          }
          squares = next;
        }
        long t0 = System.nanoTime();
        long total = squares.get(0).compute();
        long expected = 1000L * 1001 * 2001 / 6;
        System.out.printf("   %-8s sum = %d (expected %d) in %.1f ms%n", scheduler, total, expected, (System.nanoTime() - t0) / 1e6);
        if (total != expected) {
          return 1;
        }
      }
    }
    Delayed<Integer> a = Delayed.call((Integer x, Integer y) -> x + y, 1, 2);
    Delayed<Integer> b = Delayed.call((Integer x) -> x * 10, a);
    System.out.println("   Jask.compute(a, b) = " + Jask.compute(a, b) + "   (a is computed once)");
    return 0;
  }
}
