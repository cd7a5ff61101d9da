package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.serialize.Encoded;
import io.jask.engine.serialize.Serialization;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Storing what a peer sent ({@link Worker#storeFetched}): all or nothing. A fetch that fails part
 * way is reported failed as a whole, so no value of it may stay in the store (the state would never
 * free it, nor delete its spill file: MemorySpillIT found one left after an OutOfMemoryError while
 * decoding the second value of a fetch).
 */
class WorkerFetchTest {

  @TempDir Path tmp;

  private final Serialization ser = Serialization.get();

  private record Wire(Msg.DataHeader header, List<ByteBuffer> buffers) {}

  /** A data message with one value per key; the value at {@code bad} (if any) is garbage. */
  private Wire wire(List<Key> keys, List<long[]> values, int bad, Random r) {
    List<String> codecs = new ArrayList<>();
    int[] counts = new int[keys.size()];
    List<ByteBuffer> buffers = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      Encoded e = ser.encode(values.get(i));
      codecs.add(e.codec());
      counts[i] = e.frames().size();
      for (ByteBuffer f : e.frames()) {
        if (i == bad) {
          byte[] junk = new byte[f.remaining()];
          r.nextBytes(junk);
          junk[0] = (byte) 0xFF; // no class id Kryo knows
          buffers.add(ByteBuffer.wrap(junk));
        } else {
          buffers.add(f.duplicate());
        }
      }
    }
    return new Wire(new Msg.DataHeader(1, keys, codecs, counts, List.of()), buffers);
  }

  private static long[] block(Random r) {
    long[] a = new long[1 + r.nextInt(2000)];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextLong();
    }
    return a;
  }

  private long files(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void badValuePartWay_leavesNothingStored_andNoSpillFile(int seed) throws Exception {
    Random r = new Random(seed);
    int n = 2 + r.nextInt(6);
    int bad = 1 + r.nextInt(n - 1); // not the first: something was stored before it
    List<Key> keys = new ArrayList<>();
    List<long[]> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(Key.of("fetched-" + seed, i));
      values.add(block(r));
    }
    Key held = Key.of("held-" + seed);
    Path dir = tmp.resolve("spill");
    // target 1 byte: every value put is spilled to a file at once
    try (DataStore store = new DataStore(new DataStore.Spill(dir, false, 1, ser), Runnable::run)) {
      store.put(held, block(r), 8);
      Wire w = wire(keys, values, bad, r);
      assertThrows(RuntimeException.class, () -> Worker.storeFetched(store, ser, keys, w.header(), w.buffers()));
      assertEquals(List.of(held), store.keys(), "only what was held before the failed fetch");
      assertEquals(1, files(dir), "only the spill file of the value held before");

      Wire ok = wire(keys, values, -1, r);
      Map<Key, Long> got = Worker.storeFetched(store, ser, keys.subList(0, n - 1), ok.header(), ok.buffers()).sizes();
      assertEquals(n - 1, got.size(), "only the keys asked for");
      for (int i = 0; i < n - 1; i++) {
        assertArrayEquals(values.get(i), (long[]) store.get(keys.get(i)).orElseThrow().value());
      }
      assertEquals(false, store.contains(keys.get(n - 1)));
    }
  }

  /**
   * A key this worker holds already (computed or fetched here meanwhile) is kept as it is, and a
   * failed fetch that also sent it does not drop it; nor does undoing a fetch drop a value a task
   * put after the fetch stored its own.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void keysHeldOrPutMeanwhile_surviveAFailedFetch(int seed) throws Exception {
    Random r = new Random(seed);
    int n = 3 + r.nextInt(5);
    List<Key> keys = new ArrayList<>();
    List<long[]> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(Key.of("fetched-" + seed, i));
      values.add(block(r));
    }
    int held = r.nextInt(n - 1); // held before the fetch, and before the value that fails
    int bad = held + 1 + r.nextInt(n - 1 - held);
    long[] mine = block(r);
    Path dir = tmp.resolve("spill-" + seed);
    boolean spilling = r.nextBoolean(); // target 1 byte: every value is spilled at once
    try (DataStore store = spilling ? new DataStore(new DataStore.Spill(dir, false, 1, ser), Runnable::run) : new DataStore()) {
      store.put(keys.get(held), mine, 8);
      Wire w = wire(keys, values, bad, r);
      assertThrows(RuntimeException.class, () -> Worker.storeFetched(store, ser, keys, w.header(), w.buffers()));
      assertEquals(List.of(keys.get(held)), store.keys(), "the value held before stays, nothing else");
      assertArrayEquals(mine, (long[]) store.get(keys.get(held)).orElseThrow().value(), "and it is the one held, not the fetched one");

      Wire ok = wire(keys, values, -1, r);
      Worker.Fetched fetched = Worker.storeFetched(store, ser, keys, ok.header(), ok.buffers());
      assertEquals(n, fetched.sizes().size(), "every key asked for counts as received");
      assertEquals(n - 1, fetched.generations().size(), "but the held one was not stored again");
      int replaced = (held + 1 + r.nextInt(n - 1)) % n; // not the held one
      long[] computed = block(r);
      store.put(keys.get(replaced), computed, 8); // a task computed it here meanwhile
      fetched.undo(store); // e.g. the fetch is reported failed after all
      assertEquals(java.util.Set.of(keys.get(held), keys.get(replaced)), java.util.Set.copyOf(store.keys()));
      assertArrayEquals(mine, (long[]) store.get(keys.get(held)).orElseThrow().value());
      assertArrayEquals(computed, (long[]) store.get(keys.get(replaced)).orElseThrow().value());
      if (spilling) {
        store.evict(store.managedBytes());
        assertEquals(2, files(dir), "the spill files of the undone values are gone");
      }
    }
  }
}
