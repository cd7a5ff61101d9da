package io.jask.delayed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Jask;
import io.jask.engine.JaskTaskException;
import io.jask.engine.config.Config;
import io.jask.engine.diagnostics.ConsoleProgress;
import io.jask.engine.diagnostics.Diagnostics;
import io.jask.engine.diagnostics.PerformanceReport;
import io.jask.engine.diagnostics.TaskEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import io.jask.testing.AllSchedulers;
import org.junit.jupiter.api.io.TempDir;

/** The performance report and the console progress bar see every task, on every scheduler. */
class DiagnosticsTest {

  /** n independent tasks on distinct seeded inputs, summed by one more task. */
  private static List<Delayed<Long>> parts(long seed, int n) {
    Random r = new Random(seed);
    List<Delayed<Long>> parts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long x = r.nextInt(1_000_000);
      parts.add(Delayed.call((Long v) -> v * v, x));
    }
    return parts;
  }

  private static long expected(long seed, int n) {
    Random r = new Random(seed);
    long sum = 0;
    for (int i = 0; i < n; i++) {
      long x = r.nextInt(1_000_000);
      sum += x * x;
    }
    return sum;
  }

  @AllSchedulers
  void performanceReport_recordsEveryTask_andWritesOneStandaloneFile(String scheduler, @TempDir Path dir) throws Exception {
    long seed = 42 + scheduler.hashCode();
    int n = 24;
    Path file = dir.resolve("report.html");
    List<TaskEvent> events;
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      List<Delayed<Long>> parts = parts(seed, n);
      Delayed<Long> total = Delayed.callN(xs -> {
        long t = 0;
        for (Object x : xs) {
          t += (Long) x;
        }
        return t;
      }, parts.toArray());
      try (PerformanceReport report = Diagnostics.performanceReport(file)) {
        assertEquals(expected(seed, n), total.compute());
        events = report.events();
      }
      Set<String> ran = events.stream().map(TaskEvent::key).collect(Collectors.toSet());
      for (Delayed<Long> p : parts) {
        assertTrue(ran.contains(p.keys().get(0).toString()), "no event for " + p.keys().get(0) + " on " + scheduler + ": " + ran);
      }
      assertTrue(ran.contains(total.keys().get(0).toString()), "no event for the sum on " + scheduler);
      for (TaskEvent e : events) {
        assertFalse(e.failed(), e.toString());
        assertTrue(e.stopEpochNanos() >= e.startEpochNanos(), e.toString());
        assertTrue(e.thread() >= 0, e.toString());
      }
    }
    String html = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(html.startsWith("<!DOCTYPE html>"), "standalone HTML");
    assertFalse(java.util.regex.Pattern.compile("(src|href)\\s*=\\s*[\"']?(https?:)?//").matcher(html).find(), "no external assets");
    assertTrue(html.contains(parts(seed, n).get(0).keys().get(0).prefix()), "the prefix table names the tasks' prefix");
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "only the report, no temporary file left");
    }
  }

  @AllSchedulers
  void performanceReport_marksAFailedTask(String scheduler, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("failed.html");
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Delayed<Integer> bad = Delayed.call((Integer x) -> {
        if (x > 0) {
          throw new IllegalStateException("boom " + x);
        }
        return x;
      }, 7);
      List<TaskEvent> events;
      try (PerformanceReport report = Diagnostics.performanceReport(file)) {
        assertThrows(JaskTaskException.class, bad::compute);
        events = report.events();
      }
      String key = bad.keys().get(0).toString();
      assertTrue(events.stream().anyMatch(e -> e.key().equals(key) && e.failed()), "failed event for " + key + ": " + events);
    }
    assertTrue(Files.size(file) > 0);
  }

  @AllSchedulers
  void consoleProgress_countsTheTasksOfACompute(String scheduler) {
    long seed = 7 + scheduler.length();
    int n = 30;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      List<Delayed<Long>> parts = parts(seed, n);
      ConsoleProgress bar;
      List<Object> values;
      try (ConsoleProgress p = ConsoleProgress.startOn("compute", new PrintStream(out, true, StandardCharsets.UTF_8))) {
        bar = p;
        values = Jask.compute(parts.toArray(new Delayed<?>[0]));
      }
      assertEquals(expected(seed, n), values.stream().mapToLong(v -> (Long) v).sum());
      assertTrue(bar.shown());
      assertTrue(bar.done() >= n, "done " + bar.done() + " of at least " + n + " tasks on " + scheduler);
      assertEquals(bar.total(), bar.done(), "every task added was finished on " + scheduler);
    }
    String drawn = out.toString(StandardCharsets.UTF_8);
    assertTrue(drawn.contains("compute") && drawn.contains("100%"), "the last frame is full: " + drawn);
  }

  @AllSchedulers
  void consoleProgress_drawsNothingWithoutAConsole(String scheduler) {
    // test JVMs have no console: the bar that compute() opens must be a silent no-op
    try (Config.Scope s = Config.set("scheduler", scheduler); ConsoleProgress p = ConsoleProgress.start("compute")) {
      assertEquals(System.console() != null, p.shown());
    }
  }
}
