package io.jask.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** readText over random files and random block sizes gives exactly the files' lines, in order. */
class TextReadTest {
  @TempDir Path dir;

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
    return Cases.schedulersAndSeeds();
  }

  @ParameterizedTest(name = "[{index}] scheduler={0} seed={1}")
  @MethodSource("cases")
  void readText_randomFilesAndBlockSizes_giveEveryLineOnceInOrder(String scheduler, long seed) throws IOException {
    Random r = new Random(seed);
    List<String> expected = new ArrayList<>();
    int files = 1 + r.nextInt(4);
    for (int f = 0; f < files; f++) {
      expected.addAll(writeRandomFile(r, dir.resolve(String.format("part-%02d.txt", f)), false));
    }
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int trial = 0; trial < 6; trial++) {
        long blocksize = trial == 0 ? 0 : 1 + r.nextInt(trial < 3 ? 40 : 400);
        Bag<String> b = Bag.readText(dir + "/part-*.txt", blocksize);
        assertEquals(expected, b.compute(), "seed " + seed + " blocksize " + blocksize);
      }
      assertEquals(expected.size(), (long) Bag.readText(dir + "/part-*.txt", 7).count().compute());
    }
  }

  @ParameterizedTest(name = "[{index}] scheduler={0} seed={1}")
  @MethodSource("cases")
  void readText_gzipAndPlainMixed_givesEveryLine(String scheduler, long seed) throws IOException {
    Random r = new Random(seed + 100);
    List<String> expected = new ArrayList<>();
    expected.addAll(writeRandomFile(r, dir.resolve("a.txt.gz"), true));
    expected.addAll(writeRandomFile(r, dir.resolve("b.txt"), false));
    expected.addAll(writeRandomFile(r, dir.resolve("c.txt.gz"), true));
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Bag<String> b = Bag.readText(dir + "/*.txt*", 16);
      assertEquals(expected, b.compute());
    }
  }

  @Test
  void readText_blockBoundaries_everyBlockSizeOnOneFile() throws IOException {
    Path f = dir.resolve("x.txt");
    String content = "a\n\nbb\r\nccc\nd\n\n\neeeee\nf";
    Files.writeString(f, content);
    List<String> expected = List.of("a", "", "bb", "ccc", "d", "", "", "eeeee", "f");
    try (Config.Scope s = Config.set("scheduler", "sync")) {
      for (int bs = 1; bs <= content.length() + 1; bs++) {
        assertEquals(expected, Bag.readText(f.toString(), bs).compute(), "blocksize " + bs);
      }
    }
  }

  @Test
  void readText_noMatch_namesThePattern() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Bag.readText(dir + "/nothing-*.txt"));
    assertTrue(e.getMessage().contains("nothing-*.txt"), e.getMessage());
  }

  @Test
  void take_computesOnlyTheLeadingPartitions() throws IOException {
    Files.writeString(dir.resolve("0.txt"), "a\nb\nc\n");
    Files.writeString(dir.resolve("1.txt"), "d\n");
    Files.writeString(dir.resolve("2.txt"), "e\n");
    Bag<String> b = Bag.readText(dir + "/*.txt").map(String::toUpperCase);
    Files.delete(dir.resolve("2.txt")); // reading partition 2 would now fail
    for (String scheduler : List.of("sync", "threads")) {
      try (Config.Scope s = Config.set("scheduler", scheduler)) {
        assertEquals(List.of("A", "B"), b.take(2));
        assertEquals(List.of("A", "B", "C", "D"), b.take(4));
      }
    }
  }

  @Test
  void elementWiseChain_isOneTaskPerPartition() throws IOException {
    Files.writeString(dir.resolve("0.json"), "{\"a\":1}\n");
    Files.writeString(dir.resolve("1.json"), "{\"a\":2}\n");
    Bag<Object> b = Bag.readText(dir + "/*.json").map(Json::parse).filter(m -> m.containsKey("a")).pluck("a")
        .map(x -> x);
    assertEquals(2, b.graph().materialize(b.keys()).size(), "read, map, filter, pluck, map fused");
    assertEquals(1, b.graph().layers().size());
    try (Config.Scope s = Config.set("scheduler", "sync")) {
      assertEquals(List.of(1, 2), b.compute());
    }
  }

  /** Random lines (some empty, some long, some non-ASCII), with or without a final newline. */
  static List<String> writeRandomFile(Random r, Path p, boolean gzip) throws IOException {
    int n = r.nextInt(60);
    List<String> lines = new ArrayList<>();
    StringBuilder b = new StringBuilder();
    boolean finalNewline = r.nextBoolean();
    for (int i = 0; i < n; i++) {
      int len = r.nextInt(10) == 0 ? r.nextInt(200) : r.nextInt(12);
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < len; c++) {
        line.append(r.nextInt(15) == 0 ? 'é' : (char) ('a' + r.nextInt(26)));
      }
      lines.add(line.toString());
      b.append(line);
      if (i < n - 1 || finalNewline) {
        b.append('\n');
      }
    }
    if (n > 0 && lines.get(n - 1).isEmpty() && !finalNewline) {
      lines.remove(n - 1); // a file ending in "\n" then nothing has no extra empty line
    }
    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
      out.write(bytes);
    }
    return lines;
  }
}
