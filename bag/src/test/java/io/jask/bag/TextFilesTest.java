package io.jask.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.JaskTaskException;
import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** toTextFiles writes whole files or none. */
class TextFilesTest {
  @TempDir Path dir;

  @AllSchedulers
  void toTextFiles_roundTripsThroughReadText_plainAndGzip(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Bag<Long> b = Bag.range(1000, 4).map(x -> x * 7);
      List<Path> plain = b.toTextFiles(dir + "/out/part-*.txt");
      assertEquals(4, plain.size());
      assertEquals(dir.resolve("out/part-3.txt"), plain.get(3));
      List<String> expected = Stream.iterate(0L, x -> x + 1).limit(1000).map(x -> Long.toString(x * 7))
          .collect(Collectors.toList());
      assertEquals(expected, Bag.readText(dir + "/out/part-*.txt").compute());
      b.toTextFiles(dir + "/gz/*.txt.gz");
      assertEquals(expected, Bag.readText(dir + "/gz/*.txt.gz").compute());
      List<Path> inDir = b.repartition(2).toTextFiles(dir + "/plain");
      assertEquals(List.of(dir.resolve("plain/0.part"), dir.resolve("plain/1.part")), inDir);
    }
  }

  @AllSchedulers
  void toTextFiles_failingPartition_leavesNoPartialOrTemporaryFile(String scheduler) throws IOException {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Bag<Long> b = Bag.range(100, 5).map(x -> {
        if (x == 55) {
          throw new IllegalStateException("boom at 55");
        }
        return x;
      });
      JaskTaskException e = assertThrows(JaskTaskException.class, () -> b.toTextFiles(dir + "/f/part-*.txt"));
      assertTrue(e.getMessage().contains("boom at 55"), e.getMessage());
      // compute() fails at the first error; partitions already being written on other threads or
      // workers finish on their own (their temporary file then becomes a whole file). Wait for them.
      awaitNoTemporaryFiles(dir.resolve("f"));
      try (Stream<Path> files = Files.exists(dir.resolve("f")) ? Files.list(dir.resolve("f")) : Stream.empty()) {
        for (Path p : files.collect(Collectors.toList())) {
          String name = p.getFileName().toString();
          assertTrue(name.matches("part-[0-4]\\.txt"), "unexpected file " + name);
          int i = Integer.parseInt(name.substring(5, 6));
          assertTrue(i != 2, "the failing partition's file exists");
          List<String> expected = Stream.iterate(i * 20L, x -> x + 1).limit(20).map(String::valueOf)
              .collect(Collectors.toList());
          assertEquals(expected, Files.readAllLines(p), "file " + name + " is whole");
        }
      }
    }
  }

  /**
   * Waits until the directory holds no temporary file and its listing stayed the same for 200 ms: a
   * straggler that was already running when compute() failed may open its temporary file after a
   * first empty look.
   */
  private static void awaitNoTemporaryFiles(Path d) throws IOException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    List<String> last = null;
    while (System.nanoTime() < deadline) {
      List<String> now;
      try (Stream<Path> files = Files.exists(d) ? Files.list(d) : Stream.empty()) {
        now = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
      }
      boolean temporary = now.stream().anyMatch(n -> n.startsWith("."));
      if (!temporary && now.equals(last)) {
        return;
      }
      last = temporary ? null : now;
      try {
        Thread.sleep(200);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
