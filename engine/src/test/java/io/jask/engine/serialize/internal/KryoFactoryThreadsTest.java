package io.jask.engine.serialize.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@link KryoFactory} hands out idle Kryo instances from lock-free slots: values serialized inside
 * the serialization of another (a serializer that writes or reads a value of its own through the
 * factory) and threads that serialize at once must each get a Kryo no one else is using, and a
 * failed read must leave the factory usable.
 */
class KryoFactoryThreadsTest {
  private static final KryoFactory FACTORY = new KryoFactory(KryoFactoryThreadsTest.class.getClassLoader());

  /** Carries a map that it writes as bytes of its own, through the factory, while being written. */
  static final class Nested implements KryoSerializable {
    Map<String, List<Long>> inner;
    String label;

    Nested() {}

    Nested(Map<String, List<Long>> inner, String label) {
      this.inner = inner;
      this.label = label;
    }

    @Override
    public void write(Kryo kryo, Output output) {
      byte[] bytes = FACTORY.toBytes(inner); // while this thread's Kryo is writing this object
      output.writeInt(bytes.length);
      output.writeBytes(bytes);
      output.writeString(label);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void read(Kryo kryo, Input input) {
      byte[] bytes = input.readBytes(input.readInt());
      inner = (Map<String, List<Long>>) FACTORY.fromBytes(bytes); // while this thread's Kryo is reading
      label = input.readString();
    }
  }

  private static Map<String, List<Long>> randomMap(Random r) {
    Map<String, List<Long>> m = new HashMap<>();
    int n = r.nextInt(6);
    for (int i = 0; i < n; i++) {
      List<Long> l = new ArrayList<>();
      int k = r.nextInt(5);
      for (int j = 0; j < k; j++) {
        l.add(r.nextLong());
      }
      m.put("k" + r.nextInt(1000), l);
    }
    return m;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void nestedValues_roundTrip(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 50; i++) {
      Nested in = new Nested(randomMap(r), "n" + r.nextInt());
      List<Object> outer = List.of(in, randomMap(r), new Nested(randomMap(r), null));
      @SuppressWarnings("unchecked")
      List<Object> back = (List<Object>) FACTORY.fromBytes(FACTORY.toBytes(outer));
      Nested first = (Nested) back.get(0);
      assertEquals(in.inner, first.inner);
      assertEquals(in.label, first.label);
      assertEquals(outer.get(1), back.get(1));
      assertEquals(((Nested) outer.get(2)).inner, ((Nested) back.get(2)).inner);
    }
  }

  @Test
  void threadsAtOnce_eachGetTheirOwnValuesBack() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        long seed = 100 + t;
        done.add(pool.submit(() -> {
          Random r = new Random(seed);
          for (int i = 0; i < 2_000; i++) {
            Object v = switch (r.nextInt(3)) {
              case 0 -> randomMap(r);
              case 1 -> new long[] {r.nextLong(), r.nextLong(), seed};
              default -> new Nested(randomMap(r), "t" + seed + "-" + i);
            };
            byte[] bytes = FACTORY.toBytes(v);
            Object back = FACTORY.fromBytes(bytes);
            if (v instanceof long[] a) {
              assertArrayEquals(a, (long[]) back);
            } else if (v instanceof Nested n) {
              assertEquals(n.inner, ((Nested) back).inner);
              assertEquals(n.label, ((Nested) back).label);
            } else {
              assertEquals(v, back);
            }
          }
          return 2_000;
        }));
      }
      for (Future<Integer> f : done) {
        assertEquals(2_000, f.get(60, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void failedRead_leavesTheFactoryUsable() {
    byte[] good = FACTORY.toBytes(List.of("a", 1L, Arrays.asList(2, 3)));
    byte[] corrupt = Arrays.copyOf(good, good.length - 3);
    assertThrows(IllegalArgumentException.class, () -> FACTORY.fromBytes(corrupt));
    assertEquals(List.of("a", 1L, Arrays.asList(2, 3)), FACTORY.fromBytes(good));
    assertThrows(IllegalArgumentException.class, () -> FACTORY.toBytes(new Thread(() -> {})));
    assertEquals(Map.of("x", List.of(1L)), FACTORY.fromBytes(FACTORY.toBytes(Map.of("x", List.of(1L)))));
  }
}
