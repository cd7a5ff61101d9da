package io.jask.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every layer overrides the one below it; built from explicit inputs, never the real process. */
class ConfigLayersTest {
  @TempDir Path tmp;
  Path cwd;
  Path home;
  Path defaultsDir;
  final Map<String, String> env = new HashMap<>();
  final Properties props = new Properties();

  @BeforeEach
  void dirs() throws IOException {
    cwd = Files.createDirectories(tmp.resolve("cwd"));
    home = Files.createDirectories(tmp.resolve("home"));
    defaultsDir = Files.createDirectories(tmp.resolve("defaults-a"));
    writeDefaults(defaultsDir, "level: defaults\nonly-defaults: 1\n");
  }

  static void writeDefaults(Path root, String yaml) throws IOException {
    Path file = root.resolve("META-INF/jask/defaults.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
  }

  void writeHome(String yaml) throws IOException {
    Path file = home.resolve(".config/jask/jask.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
  }

  void writeCwd(String yaml) throws IOException {
    Files.writeString(cwd.resolve("jask.yaml"), yaml);
  }

  ConfigStore store(Path... defaultRoots) throws IOException {
    Path[] roots = defaultRoots.length == 0 ? new Path[] {defaultsDir} : defaultRoots;
    URL[] urls = new URL[roots.length];
    for (int i = 0; i < roots.length; i++) {
      urls[i] = roots[i].toUri().toURL();
    }
    ClassLoader loader = new URLClassLoader(urls, null);
    return ConfigStore.of(new Sources(loader, env, props, cwd, home));
  }

  @Test
  void defaults_onlyLayer_isVisible() throws IOException {
    ConfigStore c = store();
    assertEquals("defaults", c.getString("level", "?"));
    assertEquals(1, c.getInt("only-defaults", 0));
  }

  @Test
  void defaults_fromSeveralResources_areMerged() throws IOException {
    Path second = Files.createDirectories(tmp.resolve("defaults-b"));
    writeDefaults(second, "other-module:\n  key: 7\n");
    ConfigStore c = store(defaultsDir, second);
    assertEquals("defaults", c.getString("level", "?"));
    assertEquals(7, c.getInt("other-module.key", 0));
  }

  @Test
  void homeFile_overridesDefaults() throws IOException {
    writeHome("level: home\n");
    ConfigStore c = store();
    assertEquals("home", c.getString("level", "?"));
    assertEquals("file " + home.resolve(".config/jask/jask.yaml"), c.setting("level").get().origin());
    assertEquals(1, c.getInt("only-defaults", 0), "keys the file does not name keep their default");
  }

  @Test
  void workingDirectoryFile_overridesHomeFile() throws IOException {
    writeHome("level: home\nonly-home: h\n");
    writeCwd("level: cwd\n");
    ConfigStore c = store();
    assertEquals("cwd", c.getString("level", "?"));
    assertEquals("h", c.getString("only-home", "?"));
  }

  @Test
  void environment_overridesWorkingDirectoryFile() throws IOException {
    writeCwd("level: cwd\n");
    env.put("JASK_LEVEL", "env");
    ConfigStore c = store();
    assertEquals("env", c.getString("level", "?"));
    assertEquals("environment JASK_LEVEL", c.setting("level").get().origin());
  }

  @Test
  void systemProperty_overridesEnvironment() throws IOException {
    env.put("JASK_LEVEL", "env");
    props.setProperty("jask.level", "sysprop");
    ConfigStore c = store();
    assertEquals("sysprop", c.getString("level", "?"));
    assertEquals("system property jask.level", c.setting("level").get().origin());
  }

  @Test
  void set_overridesSystemProperty_untilClosed() throws IOException {
    props.setProperty("jask.level", "sysprop");
    ConfigStore c = store();
    try (Config.Scope s = c.set(Map.of("level", "set"))) {
      assertEquals("set", c.getString("level", "?"));
    }
    assertEquals("sysprop", c.getString("level", "?"));
  }

  @Test
  void yamlFile_nestedMaps_areFlattenedToDottedKeys() throws IOException {
    writeCwd("distributed:\n  worker:\n    memory:\n      target: 0.5\n");
    ConfigStore c = store();
    assertEquals(0.5, c.getDouble("distributed.worker.memory.target", 0));
    assertTrue(c.snapshot().containsKey("distributed.worker.memory.target"));
    assertFalse(c.snapshot().containsKey("distributed"));
  }

  @Test
  void yamlFile_keysWithUnderscoresAndCapitals_areNormalized() throws IOException {
    writeCwd("Distributed:\n  Worker_TTL: 10s\n");
    ConfigStore c = store();
    assertEquals("10s", c.getString("distributed.worker-ttl", "?"));
  }

  @Test
  void environment_doubleUnderscore_separatesLevels_singleUnderscore_isWordSeparator()
      throws IOException {
    env.put("JASK_DISTRIBUTED__WORKER__MEMORY__TARGET", "0.5");
    env.put("JASK_NUM_WORKERS", "4");
    env.put("NOT_JASK_NUM_WORKERS", "99");
    env.put("JASK_", "ignored");
    ConfigStore c = store();
    assertEquals(0.5, c.get("distributed.worker.memory.target").get());
    assertEquals(4, c.get("num-workers").get());
    assertFalse(c.snapshot().containsKey(""));
  }

  @Test
  void environment_valuesAreParsedAsYamlScalars() throws IOException {
    env.put("JASK_A", "0.5");
    env.put("JASK_B", "true");
    env.put("JASK_C", "null");
    env.put("JASK_D", "abc");
    env.put("JASK_E", "30s");
    env.put("JASK_F", "12");
    ConfigStore c = store();
    assertEquals(0.5, c.get("a").get());
    assertEquals(Boolean.TRUE, c.get("b").get());
    assertTrue(c.get("c").isEmpty());
    assertTrue(c.snapshot().containsKey("c"));
    assertEquals("abc", c.get("d").get());
    assertEquals("30s", c.get("e").get());
    assertEquals(12, c.get("f").get());
  }

  @Test
  void environment_mappingValue_isFlattenedUnderItsKey() throws IOException {
    env.put("JASK_DISTRIBUTED__WORKER__MEMORY", "{target: 0.4, spill: 0.5}");
    ConfigStore c = store();
    assertEquals(0.4, c.getDouble("distributed.worker.memory.target", 0));
    assertEquals(0.5, c.getDouble("distributed.worker.memory.spill", 0));
  }

  @Test
  void systemProperty_prefixIsStripped_andValueParsed() throws IOException {
    props.setProperty("jask.distributed.worker.memory.target", "0.5");
    props.setProperty("jaskx.other", "1");
    props.setProperty("user.name", "someone");
    ConfigStore c = store();
    assertEquals(0.5, c.get("distributed.worker.memory.target").get());
    assertTrue(c.get("other").isEmpty());
  }

  @Test
  void explicitNull_inHigherLayer_readsAsAbsent_butShowsInSnapshot() throws IOException {
    env.put("JASK_LEVEL", "null");
    ConfigStore c = store();
    assertEquals("fallback", c.getString("level", "fallback"));
    assertTrue(c.snapshot().containsKey("level"));
    assertNull(c.snapshot().get("level"));
  }

  @Test
  void malformedWorkingDirectoryFile_failsNamingFileAndYamlError() throws IOException {
    writeCwd("scheduler: [unclosed\n");
    ConfigStore c = store();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> c.getString("scheduler"));
    assertTrue(e.getMessage().contains(cwd.resolve("jask.yaml").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Test
  void yamlFileWhoseTopLevelIsNotAMapping_failsNamingFile() throws IOException {
    writeHome("- just\n- a list\n");
    ConfigStore c = store();
    IllegalStateException e = assertThrows(IllegalStateException.class, c::snapshot);
    assertTrue(e.getMessage().contains("jask.yaml"), e.getMessage());
    assertTrue(e.getMessage().contains("expected a mapping"), e.getMessage());
  }

  @Test
  void yamlFile_duplicateKey_isMalformed() throws IOException {
    writeCwd("a: 1\na: 2\n");
    ConfigStore c = store();
    assertThrows(IllegalStateException.class, c::snapshot);
  }

  @Test
  void emptyYamlFile_isIgnored() throws IOException {
    writeCwd("# nothing here\n");
    assertEquals("defaults", store().getString("level", "?"));
  }

  @Test
  void malformedFile_isReportedAgainOnNextUse_andFixedFileIsReadAfterwards() throws IOException {
    writeCwd("a: [\n");
    ConfigStore c = store();
    assertThrows(IllegalStateException.class, c::snapshot);
    assertThrows(IllegalStateException.class, c::snapshot);
    writeCwd("level: fixed\n");
    assertEquals("fixed", c.getString("level", "?"));
  }

  @Test
  void refresh_rereadsFiles_andKeepsOpenScopes() throws IOException {
    writeCwd("level: before\n");
    ConfigStore c = store();
    assertEquals("before", c.getString("level", "?"));
    try (Config.Scope s = c.set(Map.of("pinned", "yes-set"))) {
      writeCwd("level: after\n");
      assertEquals("before", c.getString("level", "?"), "files are read once until refresh");
      c.refresh();
      assertEquals("after", c.getString("level", "?"));
      assertEquals("yes-set", c.getString("pinned", "?"));
    }
  }

  @Test
  void refresh_withMalformedFile_keepsPreviousView() throws IOException {
    writeCwd("level: good\n");
    ConfigStore c = store();
    assertEquals("good", c.getString("level", "?"));
    writeCwd("level: [\n");
    assertThrows(IllegalStateException.class, c::refresh);
    assertEquals("good", c.getString("level", "?"));
  }

  @Test
  void snapshot_isSortedByKey() throws IOException {
    env.put("JASK_ZZZ", "1");
    env.put("JASK_AAA", "1");
    var keys = store().snapshot().keySet().stream().toList();
    assertEquals(keys.stream().sorted().toList(), keys);
  }
}
