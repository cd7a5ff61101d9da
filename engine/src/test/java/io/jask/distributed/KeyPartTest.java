package io.jask.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.jask.engine.Graph;
import io.jask.engine.Key;
import io.jask.engine.KeyPart;
import io.jask.engine.Layer;
import io.jask.engine.Parted;
import io.jask.engine.Task;
import io.jask.engine.scheduler.Schedulers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link KeyPart} dependencies: a linear shuffle (n split tasks whose values are {@link Parted},
 * m output tasks each naming part j of every split) gives the same result as a plain loop on the
 * local schedulers and on an in-process cluster, where the whole split values never travel.
 */
@ExtendWith(ClusterExtension.class)
class KeyPartTest {
  static final AtomicInteger WHOLE_WRITES = new AtomicInteger();
  static final int PART_LEN = 4000; // 32 KB per part: above the inline limit, so parts travel peer to peer

  /** A split's output: part j holds the values v of the input with v mod m == j, padded. */
  static final class Pieces implements Parted, KryoSerializable {
    long[][] parts;

    Pieces() {}

    Pieces(long[][] parts) {
      this.parts = parts;
    }

    @Override
    public int parts() {
      return parts.length;
    }

    @Override
    public Object part(int i) {
      return parts[i];
    }

    @Override
    public void write(Kryo kryo, Output output) {
      WHOLE_WRITES.incrementAndGet();
      kryo.writeObject(output, parts);
    }

    @Override
    public void read(Kryo kryo, Input input) {
      parts = kryo.readObject(input, long[][].class);
    }
  }

  static long[] input(int i) {
    Random r = new Random(100 + i);
    long[] v = new long[PART_LEN];
    for (int k = 0; k < v.length; k++) {
      v[k] = r.nextInt(1_000_000);
    }
    return v;
  }

  /** The graph: split i cuts input(i) by value mod m; output j sums part j of every split. */
  static Graph shuffle(String name, int n, int m) {
    Map<Key, Task> split = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      int fi = i;
      split.put(Key.of(name + "-split", i), Task.of(a -> {
        long[] in = input(fi);
        long[][] parts = new long[m][PART_LEN];
        for (int j = 0; j < m; j++) {
          java.util.Arrays.fill(parts[j], -1);
        }
        int[] at = new int[m];
        for (long v : in) {
          int j = (int) (v % m);
          parts[j][at[j]++] = v;
        }
        return new Pieces(parts);
      }));
    }
    Map<Key, Task> out = new LinkedHashMap<>();
    for (int j = 0; j < m; j++) {
      List<Object> parts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        parts.add(KeyPart.of(Key.of(name + "-split", i), j));
      }
      int fj = j;
      out.put(Key.of(name, j), Task.of(a -> {
        long s = 0;
        for (Object p : (List<?>) a[0]) {
          for (long v : (long[]) p) {
            if (v >= 0) {
              if (v % m != fj) {
                throw new IllegalStateException("value " + v + " in output " + fj);
              }
              s += v;
            }
          }
        }
        return s;
      }, parts));
    }
    return Graph.empty().with(Layer.of(name + "-split", Set.of(), split)).with(Layer.of(name, Set.of(name + "-split"), out));
  }

  static long[] expected(int n, int m) {
    long[] s = new long[m];
    for (int i = 0; i < n; i++) {
      for (long v : input(i)) {
        s[(int) (v % m)] += v;
      }
    }
    return s;
  }

  static long[] sums(Map<Key, Object> got, String name, int m) {
    long[] s = new long[m];
    for (int j = 0; j < m; j++) {
      s[j] = (Long) got.get(Key.of(name, j));
    }
    return s;
  }

  static List<Key> outputs(String name, int m) {
    List<Key> keys = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      keys.add(Key.of(name, j));
    }
    return keys;
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "threads"})
  void localSchedulers_takeThePartFromMemory(String scheduler) {
    Graph g = shuffle("kp-local-" + scheduler, 5, 3);
    Map<Key, Object> got = Schedulers.get(scheduler).get(g.materialize(), outputs("kp-local-" + scheduler, 3));
    assertArrayEquals(expected(5, 3), sums(got, "kp-local-" + scheduler, 3));
  }

  @Test
  void cluster_fetchesOnlyParts_neverTheWholeValue(Client client) {
    WHOLE_WRITES.set(0);
    Graph g = shuffle("kp-cluster", 6, 4);
    Map<Key, Object> got = client.compute(g, outputs("kp-cluster", 4));
    assertArrayEquals(expected(6, 4), sums(got, "kp-cluster", 4));
    assertEquals(0, WHOLE_WRITES.get(), "a whole split value was serialized");
  }

  @Test
  void partKey_roundTrips() {
    KeyPart p = KeyPart.of(Key.of("split-ab", 3, 1), 7);
    assertEquals(p, KeyPart.fromKey(p.asKey()));
    assertNull(KeyPart.fromKey(Key.of("split-ab", 3)));
    assertEquals(List.of(p), Task.of(a -> a[0], List.of(p, Key.of("x"))).parts());
  }
}
