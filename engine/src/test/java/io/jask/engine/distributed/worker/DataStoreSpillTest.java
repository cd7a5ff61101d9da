package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.serialize.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The spilling store: LRU order, target, transparent reads, compression, files removed. */
class DataStoreSpillTest {

  @TempDir Path tmp;

  private final Serialization ser = Serialization.get();

  private DataStore store(boolean compress, long target) {
    return new DataStore(new DataStore.Spill(tmp.resolve("spill"), compress, target, ser), Runnable::run);
  }

  private static long[] block(long seed, int n) {
    long[] a = new long[n];
    Random r = new Random(seed);
    for (int i = 0; i < n; i++) {
      a[i] = r.nextInt(1000); // compressible, not constant
    }
    return a;
  }

  private long filesOnDisk() throws IOException {
    Path d = tmp.resolve("spill");
    if (!Files.exists(d)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.count();
    }
  }

  @Test
  void put_aboveTarget_spillsLeastRecentlyUsedFirst() throws IOException {
    try (DataStore s = store(false, 250)) {
      for (int i = 0; i < 5; i++) {
        s.put(Key.of("k", i), block(i, 10), 100);
      }
      // 500 bytes against a 250 target: the three oldest are on disk
      for (int i = 0; i < 5; i++) {
        assertEquals(i < 3, s.isSpilled(Key.of("k", i)), "k" + i);
      }
      assertEquals(200, s.managedBytes());
      assertEquals(3, s.spilledCount());
      assertEquals(3, filesOnDisk());
      assertTrue(s.spilledBytes() > 0);
      // reading k0 loads it back and makes it the most recent: k3 (now the oldest in memory) goes
      assertArrayEquals(block(0, 10), (long[]) s.get(Key.of("k", 0)).orElseThrow().value());
      assertFalse(s.isSpilled(Key.of("k", 0)));
      assertTrue(s.isSpilled(Key.of("k", 3)));
      assertFalse(s.isSpilled(Key.of("k", 4)));
      assertEquals(200, s.managedBytes());
      assertEquals(3, filesOnDisk());
    }
    assertFalse(Files.exists(tmp.resolve("spill")), "close deletes the spill directory");
  }

  @Test
  void getEncoded_ofSpilledValue_servesFileWithoutLoading() {
    try (DataStore s = store(true, 1)) {
      s.put(Key.of("a"), block(7, 1000), 8016);
      s.put(Key.of("b"), block(8, 1000), 8016);
      assertTrue(s.isSpilled(Key.of("a")));
      Object back = ser.decode(s.getEncoded(Key.of("a"), ser).orElseThrow());
      assertArrayEquals(block(7, 1000), (long[]) back);
      assertTrue(s.isSpilled(Key.of("a")), "serving does not load the value");
      assertTrue(s.getEncoded(Key.of("none"), ser).isEmpty());
    }
  }

  @Test
  void compression_onAndOff_sameValues_compressedFilesSmaller() {
    long[] sizes = new long[2];
    for (int c = 0; c < 2; c++) {
      boolean compress = c == 1;
      try (DataStore s = new DataStore(new DataStore.Spill(tmp.resolve("spill" + c), compress, 0, ser), Runnable::run)) {
        long[] periodic = new long[100_000];
        for (int i = 0; i < periodic.length; i++) {
          periodic[i] = (i % 7) * 1_000_003L;
        }
        s.put(Key.of("x"), periodic.clone(), 800_016);
        assertEquals(800_016, s.evict(1));
        sizes[c] = s.spilledBytes();
        assertArrayEquals(periodic, (long[]) s.get(Key.of("x")).orElseThrow().value(), "compress=" + compress);
        assertEquals(0, s.spilledBytes());
      }
    }
    assertTrue(sizes[1] < sizes[0] / 2, "lz4 " + sizes[1] + " vs raw " + sizes[0]);
  }

  @Test
  void remove_andReplace_deleteFiles_andAccountingFollows() throws IOException {
    try (DataStore s = store(false, 0)) {
      for (int i = 0; i < 4; i++) {
        s.put(Key.of("k", i), block(i, 100), 816);
      }
      assertEquals(4 * 816, s.evict(4 * 816));
      assertEquals(4, filesOnDisk());
      assertEquals(0, s.managedBytes());
      assertTrue(s.remove(Key.of("k", 0)));
      s.put(Key.of("k", 1), "replaced", 10); // replaces a spilled value
      assertEquals(2, filesOnDisk());
      assertEquals(2, s.spilledCount());
      assertEquals(10, s.managedBytes());
      assertEquals("replaced", s.get(Key.of("k", 1)).orElseThrow().value());
      s.clear();
      assertEquals(0, filesOnDisk());
      assertEquals(0, s.spilledBytes());
      assertEquals(0, s.size());
    }
  }

  @Test
  void unserializableValue_staysInMemory() {
    try (DataStore s = store(false, 0)) {
      Thread t = new Thread(() -> {});
      s.put(Key.of("t"), t, 100);
      s.put(Key.of("n"), 5L, 100);
      assertEquals(100, s.evict(200), "only the Long can be spilled");
      assertFalse(s.isSpilled(Key.of("t")));
      assertEquals(t, s.get(Key.of("t")).orElseThrow().value());
      assertEquals(5L, s.get(Key.of("n")).orElseThrow().value());
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (long seed = 1; seed <= 12; seed++) {
      out.add(Arguments.of(seed, seed % 2 == 0));
    }
    return out.stream();
  }

  /**
   * Random puts, gets, removes and evictions against a plain map and an LRU list: values always
   * read back equal; managed memory stays at or below the target after a put; the keys in memory
   * are always the most recently used ones; one file per spilled value; nothing left after close.
   */
  @ParameterizedTest(name = "seed {0} compress {1}")
  @MethodSource("cases")
  void randomOperations_matchOracle(long seed, boolean compress) throws IOException {
    Random r = new Random(seed);
    long target = 2_000 + r.nextInt(6_000);
    Map<Key, long[]> oracle = new HashMap<>();
    LinkedHashSet<Key> lru = new LinkedHashSet<>(); // least recent first
    String where = "seed " + seed + " compress " + compress + " target " + target;
    try (DataStore s = store(compress, target)) {
      for (int step = 0; step < 400; step++) {
        Key k = Key.of("k", r.nextInt(30));
        int op = r.nextInt(10);
        if (op < 5) {
          long[] v = block(r.nextLong(), 1 + r.nextInt(200));
          long n = 16 + 8L * v.length;
          s.put(k, v, n);
          oracle.put(k, v);
          lru.remove(k);
          lru.add(k);
          assertTrue(s.managedBytes() <= Math.max(target, n), where + " step " + step + ": managed " + s.managedBytes());
        } else if (op < 8) {
          var got = s.get(k);
          assertEquals(oracle.containsKey(k), got.isPresent(), where + " step " + step);
          if (got.isPresent()) {
            assertArrayEquals(oracle.get(k), (long[]) got.get().value(), where + " step " + step);
            lru.remove(k);
            lru.add(k);
          }
        } else if (op < 9) {
          assertEquals(oracle.remove(k) != null, s.remove(k), where + " step " + step);
          lru.remove(k);
        } else {
          s.evict(r.nextInt(3_000));
        }
        // in-memory keys are a suffix of the LRU order
        boolean seenInMemory = false;
        for (Key key : lru) {
          boolean spilled = s.isSpilled(key);
          assertFalse(seenInMemory && spilled, where + " step " + step + ": " + key + " spilled after a more recent key in memory");
          seenInMemory |= !spilled;
        }
        assertEquals(s.spilledCount(), filesOnDisk(), where + " step " + step);
        assertEquals(oracle.size(), s.size(), where + " step " + step);
      }
      for (Map.Entry<Key, long[]> e : oracle.entrySet()) {
        assertArrayEquals(e.getValue(), (long[]) s.get(e.getKey()).orElseThrow().value(), where);
      }
    }
    assertFalse(Files.exists(tmp.resolve("spill")), where);
  }
}
