package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.config.Config;
import io.jask.engine.distributed.protocol.Msg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker with a small memory limit spills its results to files under {@code
 * temporary-directory}; tasks on it, a peer worker and a data client all read them back
 * transparently; heartbeats report the spilled bytes; closing deletes the files. (The process
 * thresholds are off: these workers share the test JVM.)
 */
@Timeout(120)
class WorkerSpillTest {

  @TempDir Path tmp;

  static long[] block(int i) {
    long[] a = new long[16_384]; // 128 KiB
    for (int j = 0; j < a.length; j++) {
      a[j] = (long) i * 1_000_003L + j % 97;
    }
    return a;
  }

  static long total(Object[] blocks) {
    long s = 0;
    for (Object b : blocks) {
      for (long v : (long[]) b) {
        s += v;
      }
    }
    return s;
  }

  @Test
  void resultsAboveTarget_spilled_readBackByTasksPeersAndClients_filesDeletedOnClose() throws Exception {
    Map<String, Object> conf = new HashMap<>();
    conf.put("temporary-directory", tmp.toString());
    conf.put("distributed.worker.memory.target", 0.5);
    conf.put("distributed.worker.memory.spill", false);
    conf.put("distributed.worker.memory.pause", false);
    try (Config.Scope c = Config.set(conf);
         FakeScheduler scheduler = new FakeScheduler("inproc://", 50)) {
      Worker a = Worker.start(new Worker.Options(scheduler.address(), "inproc://", "a", 1, 1L << 20, null));
      Worker b = Worker.start(new Worker.Options(scheduler.address(), "inproc://", "b", 1, 0, null));
      try (a; b) {
        List<Key> keys = new ArrayList<>();
        long expected = 0;
        for (int i = 0; i < 8; i++) {
          Key k = Key.of("block", i);
          keys.add(k);
          int n = i;
          scheduler.send(a.address(), WorkerTesting.compute(k, Task.of(args -> block(n)), 0, Map.of()));
          scheduler.await(Msg.TaskFinished.class, f -> f.key().equals(k));
          expected += total(new Object[] {block(i)});
        }
        // 8 x 128 KiB against a target of half of 1 MiB: at least half are on disk, oldest first
        assertTrue(a.store().spilledCount() >= 4, "spilled " + a.store().spilledCount());
        assertTrue(a.store().isSpilled(keys.get(0)));
        assertTrue(a.store().managedBytes() <= 512 * 1024);
        try (Stream<Path> files = Files.walk(tmp)) {
          assertEquals(a.store().spilledCount(), files.filter(p -> p.toString().endsWith(".spill")).count());
        }

        Task sum = Task.of(WorkerSpillTest::total, keys.toArray(new Key[0]));
        scheduler.send(a.address(), WorkerTesting.compute(Key.of("local"), sum, 0, Map.of()));
        scheduler.await(Msg.TaskFinished.class, f -> f.key().equals(Key.of("local")));
        Map<Key, List<String>> onA = new HashMap<>();
        keys.forEach(k -> onA.put(k, List.of(a.address())));
        scheduler.send(b.address(), WorkerTesting.compute(Key.of("peer"), sum, 0, onA));
        scheduler.await(Msg.TaskFinished.class, f -> f.key().equals(Key.of("peer")));
        try (DataClient dc = new DataClient(a.address()); DataClient db = new DataClient(b.address())) {
          assertEquals(Map.of(Key.of("local"), expected), dc.get(Key.of("local")));
          assertEquals(Map.of(Key.of("peer"), expected), db.get(Key.of("peer")));
          Key spilled = keys.stream().filter(k -> a.store().isSpilled(k)).findFirst().orElseThrow();
          assertArrayEquals(block(keys.indexOf(spilled)), (long[]) dc.get(spilled).get(spilled));
        }
        Msg.Heartbeat h = scheduler.await(Msg.Heartbeat.class,
            hb -> hb.memory() != null && hb.memory().limit() == 1L << 20 && hb.memory().spilled() > 0);
        assertEquals(h.spilledBytes(), h.memory().spilled());
        assertFalse(h.memory().paused());
      }
      try (Stream<Path> left = Files.list(tmp)) {
        assertEquals(List.of(), left.toList(), "closing deletes the spill directory");
      }
    }
  }
}
