package io.jask.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The engine's defaults.yaml: its values, and that docs/configuration.md lists every key. */
class ConfigDefaultsTest {
  private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\| ([^|]+) \\|");

  static Map<String, Object> engineDefaults() throws IOException {
    try (InputStream in =
        ConfigDefaultsTest.class.getResourceAsStream("/" + Sources.DEFAULTS_RESOURCE)) {
      Map<String, Object> flat = new TreeMap<>();
      Keys.flatten("", new Yaml().load(in), flat::put);
      return flat;
    }
  }

  @Test
  void engineDefaults_haveTheDocumentedValues() throws IOException {
    Map<String, Object> d = engineDefaults();
    assertTrue(d.containsKey("scheduler") && d.get("scheduler") == null);
    assertTrue(d.containsKey("num-workers") && d.get("num-workers") == null);
    assertEquals(true, d.get("optimization.fuse.active"));
    assertEquals(8786, d.get("distributed.scheduler.port"));
    assertEquals(3, d.get("distributed.scheduler.allowed-failures"));
    assertEquals(0.6, d.get("distributed.worker.memory.target"));
    assertEquals(0.7, d.get("distributed.worker.memory.spill"));
    assertEquals(0.8, d.get("distributed.worker.memory.pause"));
    assertEquals(0.95, d.get("distributed.worker.memory.terminate"));
    assertEquals(8787, d.get("distributed.dashboard.port"));
  }

  @Test
  void docsTable_listsEveryDefaultKey_withItsDefault() throws IOException {
    // Surefire runs in the module directory; the docs live at the repository root.
    Path doc = Path.of("..", "docs", "configuration.md");
    Map<String, String> documented = new TreeMap<>();
    for (String line : Files.readAllLines(doc)) {
      Matcher m = TABLE_ROW.matcher(line);
      if (m.find()) {
        documented.put(m.group(1), m.group(2).trim().replace("`", ""));
      }
    }
    Map<String, Object> defaults = engineDefaults();
    assertEquals(new TreeSet<>(defaults.keySet()), new TreeSet<>(documented.keySet()));
    defaults.forEach(
        (key, value) ->
            assertEquals(String.valueOf(value), documented.get(key), "default of " + key));
  }
}
