package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.config.Config;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.serialize.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thresholds against a fake process: spill above spill until below target, pause, resume. */
class MemoryManagerTest {

  @TempDir Path tmp;

  /** A process whose memory the test sets; a collection frees {@code garbage}. */
  static final class FakeProcess implements MemoryManager.Probe {
    long bytes;
    long garbage;
    long gcs;

    @Override
    public long processBytes() {
      return bytes;
    }

    @Override
    public long gcCount() {
      return gcs;
    }

    @Override
    public void gc() {
      gcs++;
      bytes -= garbage;
      garbage = 0;
    }
  }

  private DataStore store(long target) {
    return new DataStore(new DataStore.Spill(tmp.resolve("s"), false, target, Serialization.get()), Runnable::run);
  }

  @Test
  void aboveSpill_collectsFirst_thenSpillsLeastRecentUntilBelowTarget() {
    FakeProcess p = new FakeProcess();
    List<Boolean> pauses = new ArrayList<>();
    try (DataStore s = store(0)) {
      for (int i = 0; i < 10; i++) {
        s.put(Key.of("k", i), new long[10], 50);
      }
      MemoryManager m = new MemoryManager(1000, MemoryManager.Thresholds.DEFAULTS, s, p, pauses::add, 0);
      p.bytes = 650; // between target and spill: nothing happens
      m.check();
      assertEquals(0, s.spilledCount());
      assertEquals(0, p.gcs);

      p.bytes = 760;
      p.garbage = 100; // a collection brings it to 660: below spill, nothing spilled
      m.check();
      assertEquals(1, p.gcs);
      assertEquals(0, s.spilledCount());

      p.bytes = 760; // live this time: spill 760 - 600 = 160 bytes, the 4 oldest values of 50
      m.check();
      assertEquals(4, s.spilledCount());
      for (int i = 0; i < 10; i++) {
        assertEquals(i < 4, s.isSpilled(Key.of("k", i)), "k" + i);
      }
      assertEquals(List.of(), pauses);
      Msg.WorkerMemory r = m.report();
      assertEquals(new Msg.WorkerMemory(300, 460, s.spilledBytes(), 1000, false), r);
    }
  }

  @Test
  void afterSpilling_waitsForACollection_beforeSpillingAgain() {
    FakeProcess p = new FakeProcess();
    try (DataStore s = store(0)) {
      for (int i = 0; i < 10; i++) {
        s.put(Key.of("k", i), new long[10], 50);
      }
      MemoryManager m = new MemoryManager(1000, MemoryManager.Thresholds.DEFAULTS, s, p, b -> {}, Long.MAX_VALUE / 4);
      p.bytes = 710;
      m.check(); // first check may collect once; then spills 110 → 3 values
      assertEquals(3, s.spilledCount());
      m.check(); // same reading, no collection since: the spilled values are not freed yet
      assertEquals(3, s.spilledCount());
      assertEquals(1, p.gcs, "at most one collection per interval");
    }
  }

  @Test
  void abovePause_pauses_andResumesBelow() {
    FakeProcess p = new FakeProcess();
    List<Boolean> pauses = new ArrayList<>();
    try (DataStore s = store(0)) {
      MemoryManager m = new MemoryManager(1000, MemoryManager.Thresholds.DEFAULTS, s, p, pauses::add, 0);
      p.bytes = 850; // nothing to spill: stays high
      m.check();
      assertTrue(m.paused());
      assertTrue(m.report().paused());
      m.check();
      assertEquals(List.of(true), pauses, "told once");
      p.bytes = 500;
      m.check();
      assertFalse(m.paused());
      assertEquals(List.of(true, false), pauses);
    }
  }

  @Test
  void noLimit_neverSpillsOrPauses() {
    FakeProcess p = new FakeProcess();
    List<Boolean> pauses = new ArrayList<>();
    try (DataStore s = store(0)) {
      s.put(Key.of("a"), 1L, 100);
      MemoryManager m = new MemoryManager(0, MemoryManager.Thresholds.DEFAULTS, s, p, pauses::add, 0);
      p.bytes = Long.MAX_VALUE / 2;
      m.check();
      assertEquals(0, s.spilledCount());
      assertEquals(List.of(), pauses);
      assertEquals(0, p.gcs);
    }
  }

  @Test
  void thresholdsFromConfig_falseTurnsOff() {
    try (Config.Scope c = Config.set(Map.of("distributed.worker.memory.pause", false, "distributed.worker.memory.target", 0.5))) {
      MemoryManager.Thresholds t = MemoryManager.Thresholds.fromConfig();
      assertEquals(0.5, t.target());
      assertEquals(0.7, t.spill());
      assertTrue(Double.isInfinite(t.pause()));
      assertEquals(Long.MAX_VALUE, MemoryManager.Thresholds.bytes(t.pause(), 1000));
      assertEquals(500, MemoryManager.targetBytes(1000, t));
    }
  }

  @Test
  void jvmProcessBytes_atLeastHeapUsed() {
    long heapUsed = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long p = MemoryManager.jvmProcessBytes();
    assertTrue(p > 0 && p >= heapUsed / 2, "process " + p + " heap used " + heapUsed);
  }
}
