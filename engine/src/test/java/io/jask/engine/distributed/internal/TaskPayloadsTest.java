package io.jask.engine.distributed.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Fn;
import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import io.jask.engine.serialize.Serialization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Task payloads: a map's function is serialized once and decoded once per worker, the tasks come
 * back with their own arguments and compute what the original tasks compute (the oracle: running
 * the original {@link Task} here), the whole form is still read, and corrupt payloads fail with a
 * message that says what is wrong. Also {@link Tokenize#shared}, which must give the very names
 * {@link Tokenize#name} gives.
 */
class TaskPayloadsTest {

  private static final Serialization S = Serialization.create(TaskPayloadsTest.class.getClassLoader());

  private static Object randomArg(Random r) {
    return switch (r.nextInt(7)) {
      case 0 -> r.nextLong();
      case 1 -> "s" + r.nextInt(1000);
      case 2 -> r.nextDouble();
      case 3 -> r.nextBoolean() ? Double.NaN : -0.0;
      case 4 -> new ArrayList<>(List.of(r.nextInt(10), "x", 2.5));
      case 5 -> new long[] {r.nextLong(), r.nextLong()};
      default -> Map.of("k", r.nextInt());
    };
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void mapPayloads_roundTrip_andDecodeTheFunctionOnce(long seed) throws Exception {
    Random r = new Random(seed);
    long offset = r.nextLong();
    TaskFn fn = Fn.task((Object x) -> Arrays.deepToString(new Object[] {x}) + offset);
    TaskPayloads.Encoder enc = new TaskPayloads.Encoder(S);
    TaskPayloads.Decoder dec = new TaskPayloads.Decoder(S);
    int n = 1 + r.nextInt(200);
    byte[] first = null;
    for (int i = 0; i < n; i++) {
      Object arg = randomArg(r);
      Task original = Task.of(fn, arg);
      byte[] payload = enc.encode(original);
      assertEquals(TaskPayloads.SPLIT, payload[0]);
      Task back = dec.decode(payload);
      assertArrayEquals(new Object[] {arg}, back.args());
      assertEquals(original.execute(k -> null), back.execute(k -> null), "task " + i);
      if (first == null) {
        first = payload;
      } else {
        assertSame(dec.decode(first).fn(), back.fn(), "the function is decoded once and shared");
      }
    }
    assertEquals(1, dec.cached());
  }

  /**
   * The two-part form ({@code Msg.TaskSpec.head} + payload): the same bytes as the one-part form,
   * the same tasks decoded, one head array per function, the function decoded once, and the same
   * {@link TaskPayloads#functionHash}.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void sharedHeadPayloads_equalTheOnePartForm(long seed) throws Exception {
    Random r = new Random(seed);
    long offset = r.nextLong();
    TaskFn fn = Fn.task((Object x, Object y) -> Arrays.deepToString(new Object[] {x, y}) + offset);
    TaskPayloads.Encoder enc = new TaskPayloads.Encoder(S);
    TaskPayloads.Decoder dec = new TaskPayloads.Decoder(S);
    byte[] head = null;
    TaskFn decoded = null;
    for (int i = 0, n = 1 + r.nextInt(100); i < n; i++) {
      Object arg = randomArg(r);
      Key dep = Key.of("in-" + r.nextInt(50));
      Task original = Task.of(fn, arg, dep);
      byte[] h = enc.headOf(original);
      byte[] rest = enc.args(original);
      byte[] whole = new byte[h.length + rest.length];
      System.arraycopy(h, 0, whole, 0, h.length);
      System.arraycopy(rest, 0, whole, h.length, rest.length);
      assertArrayEquals(enc.encode(original), whole, "task " + i);
      assertEquals(TaskPayloads.functionHash(whole), TaskPayloads.functionHash(h, rest));
      if (head == null) {
        head = h;
      }
      assertSame(head, h, "one head array per function");
      // the first task's head arrives as a copy (another message), later ones share it
      Task back = dec.decode(i == 0 ? h.clone() : h, rest);
      assertArrayEquals(original.dependencies(), back.dependencies());
      assertEquals(original.execute(k -> 7L), back.execute(k -> 7L), "task " + i);
      if (decoded == null) {
        decoded = back.fn();
      }
      assertSame(decoded, back.fn(), "the function is decoded once");
    }
    assertEquals(1, dec.cached());
    Task lit = Task.literal(List.of(r.nextInt()));
    assertEquals(null, enc.headOf(lit));
    assertEquals(lit.execute(k -> null), dec.decode(null, enc.args(lit)).execute(k -> null));
    byte[] bad = head.clone();
    bad[1] = (byte) (bad[1] + 1); // the function's length no longer matches the head's
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dec.decode(bad, enc.args(lit)));
    assertTrue(e.getMessage().contains("head"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void distinctFunctions_decodeApart_andKeysStayDependencies(long seed) throws Exception {
    Random r = new Random(seed);
    TaskPayloads.Encoder enc = new TaskPayloads.Encoder(S);
    TaskPayloads.Decoder dec = new TaskPayloads.Decoder(S);
    int fns = 2 + r.nextInt(5);
    for (int f = 0; f < fns; f++) {
      long add = f * 1000L;
      TaskFn fn = Fn.task((Long a, Long b) -> a + b + add);
      Key dep = Key.of("dep-" + r.nextInt(100), r.nextInt(4));
      long lit = r.nextLong();
      Task original = Task.of(fn, dep, lit);
      Task back = dec.decode(enc.encode(original));
      assertArrayEquals(original.dependencies(), back.dependencies());
      assertEquals(original.execute(k -> 7L), back.execute(k -> 7L));
    }
    assertEquals(fns, dec.cached());
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void literalsAndWholeTasks_travelWhole(long seed) throws Exception {
    Random r = new Random(seed);
    TaskPayloads.Encoder enc = new TaskPayloads.Encoder(S);
    TaskPayloads.Decoder dec = new TaskPayloads.Decoder(S);
    List<Object> value = new ArrayList<>(List.of(r.nextInt(), "v"));
    byte[] lit = enc.encode(Task.literal(value));
    assertNotEquals(TaskPayloads.SPLIT, lit[0]);
    Task a = dec.decode(lit);
    Task b = dec.decode(lit);
    assertEquals(value, a.execute(k -> null));
    assertTrue(a.execute(k -> null) != b.execute(k -> null), "a literal value is never shared between tasks");
    Task whole = Task.of(Fn.task((Long x) -> x * 3), r.nextLong());
    assertEquals(whole.execute(k -> null), dec.decode(S.toBytes(whole)).execute(k -> null));
    assertEquals(0, dec.cached());
  }

  /**
   * {@link TaskPayloads#functionHash}: one value for every task of a function whatever its
   * arguments, different values for different functions (the oracle: the functions' own bytes
   * differ), 0 for the whole form and for bytes that do not parse, never an exception.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void functionHash_isPerFunction_andZeroForWholeOrCorrupt(long seed) {
    Random r = new Random(seed);
    int fns = 2 + r.nextInt(6);
    List<Long> hashes = new ArrayList<>();
    List<byte[]> heads = new ArrayList<>();
    for (int f = 0; f < fns; f++) {
      long add = r.nextLong();
      TaskFn fn = Fn.task((Object x) -> String.valueOf(x) + add);
      TaskPayloads.Encoder enc = new TaskPayloads.Encoder(S);
      long h = TaskPayloads.functionHash(enc.encode(Task.of(fn, randomArg(r))));
      assertNotEquals(0L, h);
      for (int i = 0; i < 20; i++) {
        assertEquals(h, TaskPayloads.functionHash(new TaskPayloads.Encoder(S).encode(Task.of(fn, randomArg(r)))), "task " + i);
      }
      byte[] head = TaskPayloads.head(S, fn);
      for (int g = 0; g < heads.size(); g++) {
        if (!Arrays.equals(heads.get(g), head)) {
          assertNotEquals(hashes.get(g), h, "functions " + g + " and " + f);
        }
      }
      hashes.add(h);
      heads.add(head);
    }
    assertEquals(0L, TaskPayloads.functionHash(S.toBytes(Task.of(Fn.task((Long x) -> x * 3), r.nextLong()))));
    assertEquals(0L, TaskPayloads.functionHash(new byte[0]));
    assertEquals(0L, TaskPayloads.functionHash(new byte[] {0}));
    assertEquals(0L, TaskPayloads.functionHash(new byte[] {0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F}));
    assertEquals(0L, TaskPayloads.functionHash(new byte[] {0, 0x7F, 1, 2}));
    assertEquals(0L, TaskPayloads.functionHash(new byte[] {0, 0}));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void corruptPayloads_failWithAClearMessage(long seed) {
    Random r = new Random(seed);
    TaskPayloads.Decoder dec = new TaskPayloads.Decoder(S);
    byte[] good = new TaskPayloads.Encoder(S).encode(Task.of(Fn.task((Long x) -> x + 1), r.nextLong()));
    List<byte[]> bad = new ArrayList<>();
    bad.add(new byte[0]);
    bad.add(new byte[] {0});
    bad.add(new byte[] {0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0x7F});
    bad.add(new byte[] {0, 0x7F, 1, 2});
    bad.add(new byte[] {0, 0});
    bad.add(Arrays.copyOf(good, 1 + r.nextInt(good.length - 1))); // truncated
    byte[] flipped = good.clone();
    flipped[1 + r.nextInt(3)] ^= (byte) (1 + r.nextInt(255)); // the length or the function's first bytes
    bad.add(flipped);
    bad.add(S.toBytes("not a task"));
    for (byte[] b : bad) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dec.decode(b), Arrays.toString(b));
      assertTrue(e.getMessage() != null && (e.getMessage().contains("task payload") || e.getMessage().contains("deserialize")),
          e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void sharedTokens_equalWholeTokens(long seed) {
    Random r = new Random(seed);
    long c = r.nextLong();
    Fn.F1<Long, Long> f = x -> x + c;
    Tokenize.Shared shared = Tokenize.shared(2, f);
    for (int i = 0; i < 50; i++) {
      Object[] args = {randomArg(r)};
      assertEquals(Tokenize.name("inc", f, List.of(args)), shared.name("inc", List.of(args)));
    }
    Tokenize.Shared three = Tokenize.shared(3, "a", 1L);
    Object last = randomArg(r);
    assertEquals(Tokenize.token("a", 1L, last), three.token(last));
    assertThrows(IllegalArgumentException.class, () -> three.token(1, 2));
  }
}
