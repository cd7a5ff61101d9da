package io.jask.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key normalization: case, '_' vs '-', environment and system-property names. */
class ConfigKeysTest {
  @TempDir Path tmp;

  @Test
  void normalize_lowercasesAndTurnsUnderscoresIntoDashes() {
    assertEquals("distributed.worker.memory-target", Keys.normalize("Distributed.Worker.Memory_Target"));
    assertEquals("num-workers", Keys.normalize(" NUM_WORKERS "));
    assertEquals("a.b", Keys.normalize("a . b"));
  }

  @Test
  void normalize_rejectsNullAndEmptySegments() {
    assertThrows(IllegalArgumentException.class, () -> Keys.normalize(null));
    assertThrows(IllegalArgumentException.class, () -> Keys.normalize(""));
    assertThrows(IllegalArgumentException.class, () -> Keys.normalize("a."));
    assertThrows(IllegalArgumentException.class, () -> Keys.normalize(".a"));
  }

  @Test
  void fromEnvironment_mapsDoubleUnderscoreToDot() {
    assertEquals(
        "distributed.worker.memory.target",
        Keys.fromEnvironment("JASK_DISTRIBUTED__WORKER__MEMORY__TARGET"));
    assertEquals("num-workers", Keys.fromEnvironment("JASK_NUM_WORKERS"));
    assertEquals("scheduler", Keys.fromEnvironment("JASK_SCHEDULER"));
    assertNull(Keys.fromEnvironment("JASK_"));
    assertNull(Keys.fromEnvironment("JAVA_HOME"));
    assertNull(Keys.fromEnvironment("jask_scheduler"));
  }

  @Test
  void fromSystemProperty_stripsPrefix() {
    assertEquals("distributed.worker.memory.target",
        Keys.fromSystemProperty("jask.distributed.worker.memory.target"));
    assertEquals("num-workers", Keys.fromSystemProperty("jask.num_workers"));
    assertNull(Keys.fromSystemProperty("jask."));
    assertNull(Keys.fromSystemProperty("java.version"));
  }

  @Test
  void getters_acceptAnySpellingOfAKey() {
    ConfigStore c =
        ConfigStore.of(
            new Sources(
                getClass().getClassLoader(), Map.of(), new Properties(), tmp, tmp));
    assertEquals(8786, c.getInt("DISTRIBUTED.SCHEDULER.PORT", 0));
    assertEquals(3, c.getInt("distributed.scheduler.allowed_failures", 0));
    try (Config.Scope s = c.set(Map.of("Num_Workers", 5))) {
      assertEquals(5, c.getInt("num-workers", 0));
      assertEquals(5, c.getInt("NUM_WORKERS", 0));
    }
  }
}
