package io.jask.engine.serialize.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import io.jask.engine.Key;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys by value through {@link KeySerializer}: round trips, shared keys, and corrupt streams. */
class KeySerializerTest {

  private final KryoFactory kryo = new KryoFactory(KeySerializerTest.class.getClassLoader());

  private static Key randomKey(Random r) {
    String[] words = {"inc", "sum", "lambda", "x", "getitem", "read-csv", "ünïcode", "a-b-c"};
    StringBuilder name = new StringBuilder(words[r.nextInt(words.length)]);
    if (r.nextBoolean()) {
      name.append('-').append(Long.toHexString(r.nextLong() | Long.MIN_VALUE));
    }
    int[] index = new int[r.nextInt(4)];
    for (int i = 0; i < index.length; i++) {
      index[i] = r.nextInt(5) == 0 ? r.nextInt() : r.nextInt(1000); // negatives and large ones too
    }
    return Key.of(name.toString(), index);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 17, 123456789})
  void keys_roundTrip_alone_andShared_insideCollections(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 200; i++) {
      Key k = randomKey(r);
      Key back = (Key) kryo.fromBytes(kryo.toBytes(k));
      assertEquals(k, back);
      assertEquals(k.hashCode(), back.hashCode());
      assertEquals(k.name(), back.name());
      assertArrayEquals(k.indices(), back.indices());
      assertEquals(k.prefix(), back.prefix());
    }
    // a key repeated in one value (written twice, by value) and keys as map keys and values
    List<Object> many = new ArrayList<>();
    Map<Key, List<Key>> deps = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      Key k = randomKey(r);
      many.add(k);
      many.add(k);
      deps.put(k, List.of(randomKey(r), k));
    }
    many.add(deps);
    assertEquals(many, kryo.fromBytes(kryo.toBytes(many)));
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, KeySerializer.MAX_RANK + 1, Integer.MAX_VALUE})
  void corruptRank_failsNamingTheKey(int rank) {
    byte[] bytes = write(k -> {
      k.out.writeString("inc-1");
      k.out.writeVarInt(rank, true);
    });
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kryo.fromBytes(bytes));
    assertTrue(e.getMessage().contains("corrupt key") && e.getMessage().contains("inc-1"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\0null"})
  void emptyOrNullName_failsAsCorruptKey(String name) {
    byte[] bytes = write(k -> {
      k.out.writeString(name.equals("\0null") ? null : name);
      k.out.writeVarInt(0, true);
    });
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kryo.fromBytes(bytes));
    assertTrue(e.getMessage().contains("corrupt key"), e.getMessage());
  }

  private record Writer(Kryo kryo, Output out) {}

  /** A stream that announces a {@link Key} and then has what {@code body} writes. */
  private byte[] write(java.util.function.Consumer<Writer> body) {
    Kryo k = kryo.newKryo();
    Output out = new Output(64, -1);
    k.writeClass(out, Key.class);
    body.accept(new Writer(k, out));
    return out.toBytes();
  }
}
