package io.jask.engine.serialize.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.serialize.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-written serializers of the hot messages: random messages (nulls, empty and large
 * collections, negative numbers, byte arrays) come back with every field equal (the oracle is the
 * message itself, compared field by field, arrays by content), inside a {@link Msg.Batch} and
 * alone; corrupt counts fail before allocating, naming the field.
 */
class ProtocolSerializersTest {

  private static final Serialization S = Serialization.create(ProtocolSerializersTest.class.getClassLoader());

  private static Key key(Random r) {
    return r.nextInt(10) == 0 ? Key.of("k-" + r.nextInt(100)) : Key.of("inc-" + Long.toHexString(r.nextLong()), r.nextInt(3), r.nextInt(1000));
  }

  private static List<Key> keys(Random r, boolean nullable) {
    if (nullable && r.nextInt(5) == 0) {
      return null;
    }
    List<Key> out = new ArrayList<>();
    for (int i = r.nextInt(4) == 0 ? 300 : r.nextInt(4); i > 0; i--) {
      out.add(key(r));
    }
    return out;
  }

  private static byte[] bytes(Random r) {
    if (r.nextInt(3) == 0) {
      return null;
    }
    byte[] b = new byte[r.nextInt(5) == 0 ? 20_000 : r.nextInt(50)];
    r.nextBytes(b);
    return b;
  }

  private static List<String> strings(Random r) {
    if (r.nextInt(5) == 0) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      out.add(r.nextInt(6) == 0 ? null : "tcp://127.0.0.1:" + r.nextInt(65536) + "/é");
    }
    return out;
  }

  private static Msg.TaskSpec spec(Random r) {
    Map<Key, List<Integer>> parts = null;
    if (r.nextBoolean()) {
      parts = new LinkedHashMap<>();
      for (int i = r.nextInt(3); i > 0; i--) {
        List<Integer> ps = new ArrayList<>();
        for (int j = r.nextInt(5); j > 0; j--) {
          ps.add(r.nextInt(1 << 20));
        }
        parts.put(key(r), r.nextInt(6) == 0 ? null : ps);
      }
    }
    List<String> allowed = strings(r);
    int h = r.nextInt(HEADS.size() + 1);
    return new Msg.TaskSpec(r.nextInt(20) == 0 ? null : key(r), bytes(r), keys(r, true), r.nextLong(), r.nextInt(5) - 1,
        allowed == null ? null : new LinkedHashSet<>(allowed), r.nextBoolean(), parts, h == HEADS.size() ? null : HEADS.get(h));
  }

  /** Shared heads (as the tasks of one map share their function's): specs of a batch repeat them. */
  private static final List<byte[]> HEADS = List.of(new byte[] {0, 3, 7, 8, 9}, new byte[200], new byte[] {0, 1, -1});

  private static Msg message(Random r) {
    switch (r.nextInt(6)) {
      case 0: {
        List<Msg.TaskSpec> ts = new ArrayList<>();
        for (int i = r.nextInt(6); i > 0; i--) {
          ts.add(spec(r));
        }
        return new Msg.UpdateGraph("client-" + r.nextInt(), r.nextInt(10) == 0 ? null : ts, keys(r, true), r.nextInt() % 100);
      }
      case 1: {
        Map<Key, List<String>> whoHas = new HashMap<>();
        Map<Key, Long> nbytes = new HashMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
          Key k = key(r);
          whoHas.put(k, strings(r));
          nbytes.put(k, r.nextInt(7) == 0 ? null : r.nextLong());
        }
        return new Msg.ComputeTask(spec(r), r.nextInt(8) == 0 ? null : whoHas, r.nextInt(8) == 0 ? null : nbytes, keys(r, true));
      }
      case 2:
        return new Msg.TaskFinished(key(r), r.nextLong(), r.nextInt(5) == 0 ? null : "Long", r.nextLong(), r.nextLong(), bytes(r));
      case 3:
        return new Msg.KeyInMemory(key(r), strings(r), r.nextLong(), r.nextBoolean() ? "Long" : null, bytes(r));
      case 4:
        return new Msg.FreeKeys(keys(r, true));
      default:
        return new Msg.Ping(r.nextLong()); // a message of the generic path, inside a batch
    }
  }

  /** Every field, arrays by content, collections by elements in order. */
  private static Object canon(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof byte[] b) {
      return "bytes" + Arrays.toString(b);
    }
    if (o instanceof Msg.Batch b) {
      return List.of("Batch", canon(b.messages()));
    }
    if (o instanceof Record rec) {
      List<Object> out = new ArrayList<>();
      out.add(rec.getClass().getSimpleName());
      for (var c : rec.getClass().getRecordComponents()) {
        try {
          out.add(canon(c.getAccessor().invoke(rec)));
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
      return out;
    }
    if (o instanceof Set<?> s) {
      List<Object> out = new ArrayList<>();
      s.forEach(x -> out.add(canon(x)));
      return List.of("set", out);
    }
    if (o instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(canon(x)));
      return out;
    }
    if (o instanceof Map<?, ?> m) {
      Map<Object, Object> out = new HashMap<>();
      m.forEach((k, v) -> out.put(canon(k), canon(v)));
      return out;
    }
    return o;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void hotMessages_roundTripFieldByField(long seed) {
    Random r = new Random(seed);
    List<Msg> batch = new ArrayList<>();
    for (int i = 1 + r.nextInt(30); i > 0; i--) {
      Msg m = message(r);
      batch.add(m);
      assertEquals(canon(m), canon(S.fromBytes(S.toBytes(m))), m.getClass().getSimpleName());
    }
    byte[] bytes = S.toBytes(new Msg.Batch(batch));
    assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("io.jask"), "a class name is in the stream");
    assertEquals(canon(new Msg.Batch(batch)), canon(S.fromBytes(bytes)));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void sharedHeads_areWrittenOncePerMessage_andSharedAgainWhenRead(long seed) {
    Random r = new Random(seed);
    byte[] head = new byte[1000 + r.nextInt(1000)];
    r.nextBytes(head);
    int n = 20 + r.nextInt(30);
    List<Msg> batch = new ArrayList<>();
    List<Msg.TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Msg.TaskSpec spec = new Msg.TaskSpec(key(r), new byte[] {(byte) i, 7}, List.of(), i, 0, Set.of(), true, Map.of(), head);
      specs.add(spec);
      batch.add(new Msg.ComputeTask(spec, Map.of(), Map.of(), List.of()));
    }
    // a batch of ComputeTasks (scheduler to worker) and one UpdateGraph (client to scheduler)
    Msg graph = new Msg.UpdateGraph("client-1", specs, List.of(), 0);
    for (Msg whole : List.of(new Msg.Batch(batch), graph)) {
      byte[] bytes = S.toBytes(whole);
      assertTrue(bytes.length < 2 * head.length + 200 * n, bytes.length + " bytes for " + n + " tasks of one " + head.length + "-byte head");
      Msg back = (Msg) S.fromBytes(bytes);
      assertEquals(canon(whole), canon(back));
      List<Msg.TaskSpec> got = new ArrayList<>();
      if (back instanceof Msg.Batch b) {
        b.messages().forEach(m -> got.add(((Msg.ComputeTask) m).spec()));
      } else {
        got.addAll(((Msg.UpdateGraph) back).tasks());
      }
      assertEquals(n, got.size());
      for (Msg.TaskSpec t : got) {
        assertArrayEquals(head, t.head());
        assertSame(got.get(0).head(), t.head(), "the tasks of one message share the head they were written with");
      }
    }
    // a message alone carries its head: nothing is kept from the one before
    Msg.TaskSpec one = ((Msg.ComputeTask) S.fromBytes(S.toBytes(batch.get(n - 1)))).spec();
    assertArrayEquals(head, one.head());
  }

  @Test
  void headReference_beyondTheHeadsRead_failsNamingTheField() {
    Msg.TaskSpec spec = new Msg.TaskSpec(Key.of("x"), new byte[] {1}, List.of(), 0, 0, Set.of(), true, Map.of(), new byte[] {0, 1, 2});
    byte[] good = S.toBytes(spec);
    // the head's tag (1: a new head) is right before its length (3 + 1) and its three bytes, then the parts count (0 + 1)
    byte[] bad = good.clone();
    int tag = good.length - 1 - 3 - 1 - 1;
    assertEquals(1, good[tag]);
    bad[tag] = 5; // head number 3, none read yet
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S.fromBytes(bad));
    assertTrue(e.getMessage().contains("TaskSpec.head"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void hugeCounts_failNamingTheField_beforeAllocating(long seed) {
    Random r = new Random(seed);
    Key k = key(r);
    int id = S.toBytes(new Msg.FreeKeys(null)).length - 1; // the class id's bytes, then the count
    byte[] good = S.toBytes(new Msg.FreeKeys(List.of(k)));
    // the count is count + 1 as a varint: announce 2^28 keys in a few bytes
    byte[] bad = Arrays.copyOf(good, id + 5 + r.nextInt(3));
    bad[id] = (byte) 0x81;
    bad[id + 1] = (byte) 0x80;
    bad[id + 2] = (byte) 0x80;
    bad[id + 3] = (byte) 0x80;
    bad[id + 4] = (byte) 0x01;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> S.fromBytes(bad));
    assertTrue(e.getMessage().contains("FreeKeys.keys"), e.getMessage());
    byte[] finished = S.toBytes(new Msg.TaskFinished(k, 1, "Long", 2, 3, new byte[] {1, 2, 3}));
    byte[] cut = Arrays.copyOf(finished, finished.length - 2); // the inline array announces more than is left
    e = assertThrows(IllegalArgumentException.class, () -> S.fromBytes(cut));
    assertTrue(e.getMessage().contains("TaskFinished.inline"), e.getMessage());
  }
}
