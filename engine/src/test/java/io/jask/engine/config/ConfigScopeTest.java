package io.jask.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoped overrides: stacking, out-of-order close, visibility across threads. */
class ConfigScopeTest {
  @TempDir Path tmp;

  ConfigStore store() {
    return ConfigStore.of(
        new Sources(getClass().getClassLoader(), Map.of(), new Properties(), tmp, tmp));
  }

  @Test
  void nestedScopes_innermostWins_andOuterReturnsOnClose() {
    ConfigStore c = store();
    try (Config.Scope outer = c.set(Map.of("scheduler", "threads"))) {
      assertEquals("threads", c.getString("scheduler", "?"));
      try (Config.Scope inner = c.set(Map.of("scheduler", "sync"))) {
        assertEquals("sync", c.getString("scheduler", "?"));
      }
      assertEquals("threads", c.getString("scheduler", "?"));
    }
    assertEquals("?", c.getString("scheduler", "?"), "the engine default of scheduler is null");
  }

  @Test
  void closingOuterScopeFirst_removesOnlyItsOwnOverlay() {
    ConfigStore c = store();
    Config.Scope outer = c.set(Map.of("scheduler", "threads", "num-workers", 3));
    Config.Scope inner = c.set(Map.of("scheduler", "sync"));
    outer.close();
    assertEquals("sync", c.getString("scheduler", "?"), "inner is still open");
    assertEquals(-1, c.getInt("num-workers", -1), "outer's other key is gone");
    inner.close();
    assertEquals("?", c.getString("scheduler", "?"));
  }

  @Test
  void closingInnerScopeOutOfOrder_revealsTheScopeBelowIt() {
    ConfigStore c = store();
    Config.Scope a = c.set(Map.of("x", "a"));
    Config.Scope b = c.set(Map.of("x", "b"));
    Config.Scope d = c.set(Map.of("x", "d"));
    b.close();
    assertEquals("d", c.getString("x", "?"));
    d.close();
    assertEquals("a", c.getString("x", "?"));
    a.close();
    assertTrue(c.get("x").isEmpty());
  }

  @Test
  void closingTwice_doesNotRemoveAnotherScope() {
    ConfigStore c = store();
    Config.Scope a = c.set(Map.of("x", "same"));
    Config.Scope b = c.set(Map.of("x", "same"));
    b.close();
    b.close();
    assertEquals("same", c.getString("x", "?"), "a equal overlay of another scope stays");
    a.close();
    assertTrue(c.get("x").isEmpty());
  }

  @Test
  void set_withNullValue_hidesLowerLayerUntilClosed() {
    ConfigStore c = store();
    try (Config.Scope a = c.set(Map.of("x", 1))) {
      Map<String, Object> unset = new HashMap<>();
      unset.put("x", null);
      try (Config.Scope b = c.set(unset)) {
        assertEquals(9, c.getInt("x", 9));
        assertTrue(c.snapshot().containsKey("x"));
      }
      assertEquals(1, c.getInt("x", 9));
    }
  }

  @Test
  void set_mapValue_isFlattenedUnderKey_andKeysNormalized() {
    ConfigStore c = store();
    try (Config.Scope s =
        c.set(Map.of("Distributed.Worker", Map.of("Memory", Map.of("TARGET", 0.3))))) {
      assertEquals(0.3, c.getDouble("distributed.worker.memory.target", 0));
      assertEquals("Config.set", c.setting("distributed.worker.memory.target").get().origin());
    }
  }

  @Test
  void set_withBlankKey_isRejected() {
    ConfigStore c = store();
    assertThrows(IllegalArgumentException.class, () -> c.set(Map.of(" ", 1)));
    assertThrows(IllegalArgumentException.class, () -> c.set(Map.of("a..b", 1)));
  }

  @Test
  void set_isVisibleToOtherThreads() throws Exception {
    ConfigStore c = store();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Config.Scope s = c.set(Map.of("scheduler", "sync"))) {
      assertEquals("sync", pool.submit(() -> c.getString("scheduler", "?")).get());
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void concurrentSetAndGet_fromManyThreads_leavesNoOverlayBehind() throws Exception {
    ConfigStore c = store();
    int threads = 8;
    int rounds = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    try (Config.Scope base = c.set(Map.of("shared", "base"))) {
      for (int t = 0; t < threads; t++) {
        String own = "key-" + t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < rounds; i++) {
                    try (Config.Scope s = c.set(Map.of(own, i, "shared", own))) {
                      // our own key cannot be touched by anyone else
                      assertEquals(i, c.getInt(own, -1));
                      // the shared key is always some thread's value or the base
                      String shared = c.getString("shared", "?");
                      assertTrue(shared.equals("base") || shared.startsWith("key-"), shared);
                    }
                    assertEquals(-1, c.getInt(own, -1));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertEquals("base", c.getString("shared", "?"));
    } finally {
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
    assertTrue(c.get("shared").isEmpty());
  }

  @Test
  void globalConfig_set_overridesAndRestores() {
    String before = Config.getString("scheduler", "unset");
    try (Config.Scope s = Config.set("scheduler", "sync")) {
      assertEquals("sync", Config.getString("scheduler", "unset"));
      assertEquals("sync", Config.snapshot().get("scheduler"));
      try (Config.Scope t = Config.set(Map.of("scheduler", "threads"))) {
        assertEquals("threads", Config.getString("scheduler").orElseThrow());
      }
    }
    assertEquals(before, Config.getString("scheduler", "unset"));
  }

  @Test
  void globalConfig_readsEngineDefaults() {
    assertEquals(8786, Config.getInt("distributed.scheduler.port", 0));
    assertEquals(0.95, Config.getDouble("distributed.worker.memory.terminate", 0));
  }
}
