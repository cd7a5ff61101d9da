package io.jask.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.bag.io.MalformedLine;
import io.jask.engine.JaskTaskException;
import io.jask.engine.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** JSON lines: parsing, projection, malformed lines named by file and line, or skipped and counted. */
class JsonTest {
  @TempDir Path dir;

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
    return Cases.schedulersAndSeeds();
  }

  @Test
  void parse_buildsMapsListsAndNumbers() {
    Map<String, Object> m = Json.parse("{\"s\":\"x\",\"i\":1,\"l\":12345678901,\"d\":1.5,\"b\":true,\"n\":null,"
        + "\"a\":[1,\"y\"],\"o\":{\"k\":false}}");
    assertEquals("x", m.get("s"));
    assertEquals(1, m.get("i"));
    assertEquals(12345678901L, m.get("l"));
    assertEquals(1.5, m.get("d"));
    assertEquals(true, m.get("b"));
    assertTrue(m.containsKey("n"));
    assertEquals(List.of(1, "y"), m.get("a"));
    assertEquals(Map.of("k", false), m.get("o"));
    assertEquals(List.of("s", "i", "l", "d", "b", "n", "a", "o"), new ArrayList<>(m.keySet()));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("[1]"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1} x"));
  }

  @ParameterizedTest(name = "[{index}] scheduler={0} seed={1}")
  @MethodSource("cases")
  void readJson_pipeline_matchesStreamsOverTheSameLines(String scheduler, long seed) throws IOException {
    Random r = new Random(seed);
    List<String> lines = new ArrayList<>();
    for (int f = 0; f < 3; f++) {
      List<String> file = new ArrayList<>();
      for (int i = r.nextInt(80); i > 0; i--) {
        file.add(String.format("{\"id\":%d,\"name\":\"n%d\",\"active\":%b,\"tags\":[\"t%d\",{\"x\":[]}]}",
            r.nextInt(1000), r.nextInt(6), r.nextBoolean(), r.nextInt(3)));
      }
      Files.write(dir.resolve("p" + f + ".json"), file);
      lines.addAll(file);
    }
    List<Map.Entry<String, Long>> expected = lines.stream().map(Json::parse)
        .filter(m -> (Boolean) m.get("active")).map(m -> (String) m.get("name"))
        .collect(Collectors.groupingBy(x -> x, java.util.LinkedHashMap::new, Collectors.counting()))
        .entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
        .collect(Collectors.toList());
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Bag<Map.Entry<Object, Long>> viaText = Bag.readText(dir + "/*.json", 1 + r.nextInt(500)).map(Json::parse)
          .filter(m -> (Boolean) m.get("active")).pluck("name").frequencies().topk(3, Map.Entry::getValue);
      assertEquals(expected, viaText.compute());
      JsonOptions projected = JsonOptions.defaults().fields("name", "active").blocksize(1 + r.nextInt(300));
      Bag<Map.Entry<Object, Long>> viaJson = Bag.readJson(dir + "/*.json", projected)
          .filter(m -> (Boolean) m.get("active")).pluck("name").frequencies().topk(3, Map.Entry::getValue);
      assertEquals(expected, viaJson.compute());
      assertEquals(List.of("name", "active"), new ArrayList<>(Bag.readJson(dir + "/*.json", projected).take(1).stream()
          .findFirst().orElse(Map.of("name", 0, "active", 0)).keySet()));
    }
  }

  @ParameterizedTest(name = "[{index}] scheduler={0} seed={1}")
  @MethodSource("cases")
  void readJson_malformedLine_errorNamesFileAndLine_orIsSkippedAndCounted(String scheduler, long seed) throws IOException {
    Random r = new Random(seed);
    List<String> good = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      good.add("{\"i\":" + i + "}");
    }
    Files.write(dir.resolve("a.json"), good);
    List<String> withBad = new ArrayList<>(good);
    int badLine = 5 + r.nextInt(30); // 1-based
    withBad.set(badLine - 1, "{\"i\": oops");
    Files.write(dir.resolve("b.json"), withBad);
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (long blocksize : new long[] {0, 1 + r.nextInt(60)}) {
        JaskTaskException e = assertThrows(JaskTaskException.class,
            () -> Bag.readJson(dir + "/*.json", JsonOptions.defaults().blocksize(blocksize)).count().compute());
        assertTrue(e.getMessage().contains(dir.resolve("b.json") + " line " + badLine), e.getMessage());
      }
      Bag<Map<String, Object>> skipping = Bag.readJson(dir + "/*.json", JsonOptions.skipMalformed().blocksize(50));
      assertEquals(79L, skipping.count().compute());
      List<MalformedLine> bad = Bag.readJsonErrors(dir + "/*.json").compute();
      assertEquals(1, bad.size());
      assertEquals(dir.resolve("b.json").toString(), bad.get(0).file());
      assertEquals(badLine, bad.get(0).line());
      assertEquals("{\"i\": oops", bad.get(0).text());
    }
  }
}
