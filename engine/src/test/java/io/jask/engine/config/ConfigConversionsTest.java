package io.jask.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Typed getters: accepted forms, byte sizes, durations and the wording of errors. */
class ConfigConversionsTest {
  @TempDir Path tmp;

  ConfigStore store(Map<String, String> env) {
    return ConfigStore.of(
        new Sources(getClass().getClassLoader(), env, new Properties(), tmp, tmp));
  }

  ConfigStore with(String key, Object value) {
    ConfigStore c = store(Map.of());
    c.set(Map.of(key, value));
    return c;
  }

  @Test
  void getInt_fromEnvironmentString_failsNamingKeyValueAndVariable() {
    ConfigStore c = store(Map.of("JASK_NUM_WORKERS", "abc"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> c.getInt("num-workers", 1));
    assertEquals(
        "config key 'num-workers' = 'abc' (from environment JASK_NUM_WORKERS) is not an integer",
        e.getMessage());
  }

  @Test
  void getDouble_fromSetValue_failsNamingConfigSet() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> with("distributed.worker.memory.target", "lots").getDouble("distributed.worker.memory.target", 0));
    assertTrue(e.getMessage().contains("'distributed.worker.memory.target' = 'lots'"), e.getMessage());
    assertTrue(e.getMessage().contains("(from Config.set)"), e.getMessage());
    assertTrue(e.getMessage().endsWith("is not a number"), e.getMessage());
  }

  @Test
  void getInt_acceptsIntegersStringsAndWholeDoubles_rejectsFractionsAndOverflow() {
    assertEquals(4, with("n", 4).getInt("n", 0));
    assertEquals(4, with("n", "4").getInt("n", 0));
    assertEquals(4, with("n", 4.0).getInt("n", 0));
    assertThrows(IllegalArgumentException.class, () -> with("n", 4.5).getInt("n", 0));
    assertThrows(IllegalArgumentException.class, () -> with("n", 1L << 40).getInt("n", 0));
    assertThrows(IllegalArgumentException.class, () -> with("n", true).getInt("n", 0));
    assertEquals(1L << 40, with("n", 1L << 40).getLong("n", 0));
  }

  @Test
  void getters_returnDefault_whenKeyAbsent() {
    ConfigStore c = store(Map.of());
    assertEquals(7, c.getInt("missing", 7));
    assertEquals(7L, c.getLong("missing", 7L));
    assertEquals(0.7, c.getDouble("missing", 0.7));
    assertTrue(c.getBoolean("missing", true));
    assertEquals("d", c.getString("missing", "d"));
    assertTrue(c.getString("missing").isEmpty());
    assertTrue(c.get("missing").isEmpty());
    assertEquals(5L, c.getBytes("missing", 5L));
    assertEquals(Duration.ofSeconds(5), c.getDuration("missing", Duration.ofSeconds(5)));
  }

  @Test
  void getBoolean_acceptsBooleansAndWords_rejectsNumbers() {
    assertTrue(with("b", true).getBoolean("b", false));
    assertFalse(with("b", "False").getBoolean("b", true));
    assertTrue(with("b", "yes").getBoolean("b", false));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> with("b", 1).getBoolean("b", false));
    assertTrue(e.getMessage().contains("is not a boolean"), e.getMessage());
  }

  @Test
  void getString_givesScalarsAsText_rejectsLists() {
    assertEquals("8786", with("p", 8786).getString("p", "?"));
    assertEquals("true", with("p", true).getString("p", "?"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> with("p", List.of(1, 2)).getString("p"));
    assertTrue(e.getMessage().contains("is not a string"), e.getMessage());
    assertEquals(List.of(1, 2), with("p", List.of(1, 2)).get("p").orElseThrow());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0, 0",
    "123, 123",
    "100kB, 100000",
    "100 kb, 100000",
    "512MB, 512000000",
    "4GiB, 4294967296",
    "4gib, 4294967296",
    "1.5GB, 1500000000",
    "2KiB, 2048",
    "3Mi, 3145728",
    "1TB, 1000000000000",
    "1PiB, 1125899906842624",
    "10B, 10",
    "auto, 99",
    "AUTO, 99",
  })
  void getBytes_parsesSizes(String text, long expected) {
    assertEquals(expected, with("size", text).getBytes("size", 99));
  }

  @Test
  void getBytes_fromYamlNumbers_andEnvironment() {
    assertEquals(1024, with("size", 1024).getBytes("size", 0));
    assertEquals(2_000_000_000L, with("size", 2e9).getBytes("size", 0));
    ConfigStore c = store(Map.of("JASK_DISTRIBUTED__WORKER__MEMORY__LIMIT", "4GiB"));
    assertEquals(4L << 30, c.getBytes("distributed.worker.memory.limit", 0));
  }

  @ParameterizedTest
  @CsvSource({"lots", "-5MB", "5XB", "1.2.3GB", "''"})
  void getBytes_rejectsNonSizes_namingKeyAndValue(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> with("size", text).getBytes("size", 0));
    assertTrue(e.getMessage().startsWith("config key 'size' = '" + text + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("byte size"), e.getMessage());
  }

  @Test
  void getBytes_overflow_isReported() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> with("size", "100000PiB").getBytes("size", 0));
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
  }

  @ParameterizedTest(name = "{0} -> {1} ms")
  @CsvSource({
    "30s, 30000",
    "100ms, 100",
    "2m, 120000",
    "2min, 120000",
    "1h, 3600000",
    "1d, 86400000",
    "1.5s, 1500",
    "0.5, 500",
    "10, 10000",
    "250 ms, 250",
    "1S, 1000",
  })
  void getDuration_parsesDurations(String text, long expectedMillis) {
    assertEquals(
        Duration.ofMillis(expectedMillis), with("t", text).getDuration("t", Duration.ZERO));
  }

  @Test
  void getDuration_fineUnits_andNumbersAndDurationValues() {
    assertEquals(Duration.ofNanos(1500), with("t", "1500ns").getDuration("t", Duration.ZERO));
    assertEquals(Duration.ofNanos(2000), with("t", "2us").getDuration("t", Duration.ZERO));
    assertEquals(Duration.ofSeconds(3), with("t", 3).getDuration("t", Duration.ZERO));
    assertEquals(Duration.ofMillis(250), with("t", 0.25).getDuration("t", Duration.ZERO));
    assertEquals(
        Duration.ofMinutes(7), with("t", Duration.ofMinutes(7)).getDuration("t", Duration.ZERO));
  }

  @ParameterizedTest
  @CsvSource({"soon", "-1s", "5 parsecs", "s"})
  void getDuration_rejectsNonDurations(String text) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> with("t", text).getDuration("t", Duration.ZERO));
    assertTrue(e.getMessage().contains("'t' = '" + text + "'"), e.getMessage());
    assertTrue(e.getMessage().contains("is not a duration"), e.getMessage());
  }

  @Test
  void engineDefaultDurations_areParseable() {
    ConfigStore c = store(Map.of());
    assertEquals(
        Duration.ofSeconds(30), c.getDuration("distributed.scheduler.worker-ttl", Duration.ZERO));
    assertEquals(
        Duration.ofSeconds(1), c.getDuration("distributed.worker.heartbeat-interval", Duration.ZERO));
    assertEquals(
        Duration.ofSeconds(30), c.getDuration("distributed.comm.timeouts.connect", Duration.ZERO));
  }
}
