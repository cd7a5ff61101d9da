package io.jask.engine.serialize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class KryoSerializationTest {

  private final Serialization s = Serialization.get();

  interface SerFn<A, B> extends Function<A, B>, Serializable {}

  record Task(String key, SerFn<Object, Object> fn, List<Object> args) {}

  record Point(int x, double y, String label) {}

  static final class NoDefaultCtor {
    final String name;
    final int count;

    NoDefaultCtor(String name, int count) {
      this.name = name;
      this.count = count;
    }
  }

  static final class CodedException extends RuntimeException {
    final int code;

    CodedException(String message, int code, Throwable cause) {
      super(message, cause);
      this.code = code;
    }
  }

  /** Kryo refuses streams; Java serialization can still write this one. */
  static final class SerializableStream extends InputStream implements Serializable {
    final String content;

    SerializableStream(String content) {
      this.content = content;
    }

    @Override
    public int read() {
      return -1;
    }
  }

  static final class StreamHoldingException extends Exception {
    final SerializableStream source;

    StreamHoldingException(String message, SerializableStream source) {
      super(message);
      this.source = source;
    }
  }

  private Object roundTrip(Object v) {
    return s.decode(s.encode(v));
  }

  // ---- lambdas and method references

  @Test
  void roundTrip_capturingSerializableLambda_computesSame() {
    int offset = 7;
    List<Integer> table = List.of(10, 20, 30);
    SerFn<Integer, Integer> f = x -> table.get(x) + offset;
    @SuppressWarnings("unchecked")
    SerFn<Integer, Integer> back = (SerFn<Integer, Integer>) roundTrip(f);
    assertNotSame(f, back);
    assertEquals(27, back.apply(1));
  }

  @Test
  void roundTrip_intersectionCastLambda_computesSame() {
    double factor = 2.5;
    Function<Double, Double> f = (Function<Double, Double> & Serializable) x -> x * factor;
    @SuppressWarnings("unchecked")
    Function<Double, Double> back = (Function<Double, Double>) s.copy(f);
    assertEquals(10.0, back.apply(4.0));
  }

  @Test
  void roundTrip_methodReferences_unboundAndBound_computeSame() {
    SerFn<String, Integer> length = String::length;
    String prefix = "jask";
    SerFn<String, Boolean> startsWith = prefix::startsWith;
    SerFn<String, Integer> lengthBack = s.copy(length);
    SerFn<String, Boolean> startsWithBack = s.copy(startsWith);
    assertEquals(5, lengthBack.apply("hello"));
    assertTrue(startsWithBack.apply("ja"));
    assertEquals(false, startsWithBack.apply("dask"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void roundTrip_taskRecordHoldingLambda_runsRemotelyTheSame() {
    String suffix = "!";
    Task t = new Task("inc-1", o -> o + suffix, List.of("a", 1));
    Task back = (Task) s.fromBytes(s.toBytes(t));
    assertEquals("inc-1", back.key());
    assertEquals(t.args(), back.args());
    assertEquals("x!", back.fn().apply("x"));
  }

  @Test
  void toBytes_nonSerializableLambda_explainsHowToFix() {
    Function<Integer, Integer> f = x -> x + 1;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.toBytes(f));
    String m = e.getMessage();
    assertTrue(m.contains(f.getClass().getName()), m);
    assertTrue(m.contains("is not serializable"), m);
    assertTrue(m.contains("java.io.Serializable"), m);
  }

  @Test
  void encode_nonSerializableLambdaInsideList_explainsHowToFix() {
    Runnable r = () -> {};
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.encode(new ArrayList<>(List.of(r))));
    assertTrue(e.getMessage().contains("java.io.Serializable"), e.getMessage());
    assertTrue(e.getMessage().contains("java.util.ArrayList"), e.getMessage());
  }

  @Test
  void toBytes_thread_refusedWithReason() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.toBytes(new Thread(() -> {})));
    assertTrue(e.getMessage().contains("java.lang.Thread"), e.getMessage());
    assertTrue(e.getMessage().contains("thread belongs to this JVM"), e.getMessage());
  }

  // ---- objects

  @Test
  void roundTrip_record_equal() {
    Point p = new Point(3, -1.5, "ünïcødé 🚀");
    assertEquals(p, roundTrip(p));
  }

  @Test
  void roundTrip_classWithoutNoArgConstructor_keepsFields() {
    NoDefaultCtor back = (NoDefaultCtor) roundTrip(new NoDefaultCtor("n", 42));
    assertEquals("n", back.name);
    assertEquals(42, back.count);
  }

  @Test
  void roundTrip_sharedAndCyclicReferences_keepShape() {
    List<Object> shared = new ArrayList<>(List.of("x"));
    List<Object> outer = new ArrayList<>();
    outer.add(shared);
    outer.add(shared);
    outer.add(outer);
    @SuppressWarnings("unchecked")
    List<Object> back = (List<Object>) roundTrip(outer);
    assertSame(back.get(0), back.get(1));
    assertSame(back, back.get(2));
  }

  @Test
  void roundTrip_jdkValueTypes_equal() {
    BitSet bits = new BitSet();
    bits.set(3);
    bits.set(100);
    List<Object> values =
        List.of(
            LocalDate.of(2024, 2, 29),
            LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6),
            Instant.ofEpochSecond(1_700_000_000L, 123),
            Duration.ofMillis(1500),
            ZonedDateTime.of(2024, 1, 1, 0, 0, 0, 0, ZoneId.of("Europe/Paris")),
            Optional.of("x"),
            Optional.empty(),
            TimeUnit.SECONDS,
            bits,
            UUID.randomUUID(),
            new BigDecimal("12345678901234567890.000123"),
            new BigInteger("-98765432109876543210"),
            String.class,
            int[].class,
            Point.class);
    for (Object v : values) {
      assertEquals(v, roundTrip(v), () -> "value " + v);
    }
  }

  // ---- collections

  @Test
  void roundTrip_immutableListOf_staysImmutable() {
    assertImmutableCopy(List.of(1, 2, 3, 4), List.of(1, 2, 3, 4));
    assertImmutableCopy(List.of("one"), List.of("one"));
    assertImmutableCopy(List.of(), List.of());
    assertImmutableCopy(List.copyOf(new ArrayList<>(List.of(5, 6))), List.of(5, 6));
    // a sublist of an immutable list comes back as a plain immutable list (same content, no view)
    Object sub = roundTrip(List.of(1, 2, 3, 4, 5).subList(1, 3));
    assertEquals(List.of(2, 3), sub);
    assertEquals(List.of(2, 3).getClass(), sub.getClass());
  }

  @Test
  void roundTrip_collectorsToUnmodifiableList_staysImmutable() {
    List<Integer> l = Stream.of(3, 1, 2).collect(Collectors.toUnmodifiableList());
    assertImmutableCopy(l, List.of(3, 1, 2));
  }

  @Test
  void roundTrip_streamToListWithNull_staysImmutableAndKeepsNull() {
    List<String> l = Stream.of("a", null, "c").toList();
    assertImmutableCopy(l, Arrays.asList("a", null, "c"));
  }

  @Test
  void roundTrip_immutableSetAndMapOf_stayImmutable() {
    assertImmutableCopy(Set.of("a", "b", "c"), Set.of("c", "b", "a"));
    assertImmutableCopy(Set.of(1), Set.of(1));
    assertImmutableCopy(Map.of("k", 1, "j", 2), Map.of("j", 2, "k", 1));
    assertImmutableCopy(Map.of("k", List.of(1)), Map.of("k", List.of(1)));
  }

  @Test
  void roundTrip_unmodifiableWrappers_stayUnmodifiableOfSameKind() {
    TreeMap<String, Integer> tm = new TreeMap<>(Collections.reverseOrder());
    tm.put("a", 1);
    tm.put("b", 2);
    List<Object> wrappers =
        List.of(
            Collections.unmodifiableList(new ArrayList<>(List.of(1, 2))),
            Collections.unmodifiableList(new java.util.LinkedList<>(List.of(1, 2))),
            Collections.unmodifiableSet(new java.util.HashSet<>(Set.of("x", "y"))),
            Collections.unmodifiableMap(new HashMap<>(Map.of("k", "v"))),
            Collections.unmodifiableSortedMap(tm),
            Collections.unmodifiableNavigableMap(tm),
            Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(3, 1, 2))),
            Collections.unmodifiableCollection(new ArrayList<>(List.of("c"))),
            Collections.emptySortedSet(),
            Collections.emptyNavigableMap(),
            Collections.emptyList(),
            Collections.emptyMap(),
            Collections.singletonList("only"),
            Collections.singleton(1),
            Collections.singletonMap("k", 2));
    for (Object w : wrappers) {
      Object back = roundTrip(w);
      if (!(w instanceof Collection<?> c && !(w instanceof List) && !(w instanceof Set))) {
        assertEquals(w, back, () -> "wrapper " + w.getClass().getName());
      } else {
        assertEquals(new ArrayList<>(c), new ArrayList<>((Collection<?>) back));
      }
      assertUnmodifiable(back);
    }
    @SuppressWarnings("unchecked")
    NavigableMap<String, Integer> nav =
        (NavigableMap<String, Integer>) roundTrip(Collections.unmodifiableNavigableMap(tm));
    assertEquals("b", nav.firstKey(), "comparator must travel");
    SortedSet<?> ss = (SortedSet<?>) roundTrip(Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(2, 1))));
    assertEquals(1, ss.first());
  }

  @Test
  void roundTrip_arraysAsList_staysFixedSize() {
    List<String> l = Arrays.asList("a", "b", null);
    @SuppressWarnings("unchecked")
    List<String> back = (List<String>) roundTrip(l);
    assertEquals(l, back);
    assertEquals(l.getClass(), back.getClass());
    back.set(0, "z");
    assertThrows(UnsupportedOperationException.class, () -> back.add("c"));
  }

  @Test
  void roundTrip_views_comeBackAsCopies() {
    List<Integer> base = new ArrayList<>(List.of(1, 2, 3, 4));
    Map<String, Integer> m = new HashMap<>(Map.of("a", 1, "b", 2));
    assertEquals(List.of(2, 3), roundTrip(base.subList(1, 3)));
    assertEquals(m.keySet(), roundTrip(m.keySet()));
    assertEquals(new ArrayList<>(m.values()), new ArrayList<>((Collection<?>) roundTrip(m.values())));
  }

  private void assertImmutableCopy(Object original, Object expected) {
    Object back = roundTrip(original);
    assertEquals(expected, back);
    assertEquals(original.getClass(), back.getClass(), "same JDK immutable class");
    assertUnmodifiable(back);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void assertUnmodifiable(Object c) {
    if (c instanceof Collection col) {
      assertThrows(UnsupportedOperationException.class, () -> col.add(null));
    } else if (c instanceof Map map) {
      assertThrows(UnsupportedOperationException.class, () -> map.put("new-key", null));
    }
  }

  // ---- exceptions

  @Test
  void roundTrip_exceptionWithCause_keepsClassMessageStackTraceAndCause() {
    Exception original;
    try {
      try {
        throw new IOException("disk full");
      } catch (IOException io) {
        throw new IllegalStateException("task failed", io);
      }
    } catch (IllegalStateException e) {
      original = e;
    }
    Throwable back = (Throwable) roundTrip(original);
    assertEquals(IllegalStateException.class, back.getClass());
    assertEquals("task failed", back.getMessage());
    assertArrayEquals(original.getStackTrace(), back.getStackTrace());
    assertTrue(back.getStackTrace().length > 0);
    assertEquals(IOException.class, back.getCause().getClass());
    assertEquals("disk full", back.getCause().getMessage());
    assertArrayEquals(original.getCause().getStackTrace(), back.getCause().getStackTrace());
    assertEquals(null, back.getCause().getCause());
    back.addSuppressed(new RuntimeException("later"));
    assertEquals(1, back.getSuppressed().length);
  }

  @Test
  void roundTrip_customExceptionWithoutNoArgCtor_keepsFieldsAndSuppressed() {
    CodedException e = new CodedException("bad input", 17, null);
    e.addSuppressed(new IllegalArgumentException("also"));
    CodedException back = (CodedException) roundTrip(e);
    assertEquals(17, back.code);
    assertEquals("bad input", back.getMessage());
    assertEquals(null, back.getCause());
    assertEquals(1, back.getSuppressed().length);
    assertEquals("also", back.getSuppressed()[0].getMessage());
    assertArrayEquals(e.getStackTrace(), back.getStackTrace());
  }

  @Test
  void roundTrip_exceptionKryoCannotWrite_fallsBackToJavaSerialization() {
    StreamHoldingException e = new StreamHoldingException("read failed", new SerializableStream("abc"));
    StreamHoldingException back = (StreamHoldingException) roundTrip(e);
    assertEquals("read failed", back.getMessage());
    assertEquals("abc", back.source.content);
    assertArrayEquals(e.getStackTrace(), back.getStackTrace());
  }

  @Test
  void roundTrip_exceptionInsideResultRecord_keepsMessage() {
    record Failure(String key, Throwable error) {}
    Failure f = new Failure("k", new ArithmeticException("/ by zero"));
    Failure back = (Failure) roundTrip(f);
    assertEquals("/ by zero", back.error().getMessage());
    assertEquals(ArithmeticException.class, back.error().getClass());
  }

  /** A value whose Kryo reader reads another value through {@code fromBytes} (as a codec may). */
  static final class Nesting implements com.esotericsoftware.kryo.KryoSerializable {
    String name;
    byte[] inner;
    Object innerValue;
    String tail;

    Nesting() {}

    Nesting(String name, Object innerValue, String tail) {
      this.name = name;
      this.inner = Serialization.get().toBytes(innerValue);
      this.tail = tail;
    }

    @Override
    public void write(com.esotericsoftware.kryo.Kryo kryo, com.esotericsoftware.kryo.io.Output out) {
      out.writeString(name);
      out.writeVarInt(inner.length, true);
      out.writeBytes(inner);
      out.writeString(tail);
    }

    @Override
    public void read(com.esotericsoftware.kryo.Kryo kryo, com.esotericsoftware.kryo.io.Input in) {
      name = in.readString();
      inner = in.readBytes(in.readVarInt(true));
      innerValue = Serialization.get().fromBytes(inner); // this thread's reader is in use further up
      tail = in.readString(); // the outer read goes on after the nested one
    }
  }

  /** {@code fromBytes} inside {@code fromBytes}: each read gets its own input, and later reads still work. */
  @Test
  void nestedReads_eachGetTheirOwnInput() {
    Serialization s = Serialization.get();
    for (int i = 0; i < 3; i++) {
      List<Object> innerValue = List.of("x" + i, (long) i, "é".repeat(i + 1));
      byte[] bytes = s.toBytes(new Nesting("outer" + i, innerValue, "tail".repeat(i + 1)));
      Nesting back = (Nesting) s.fromBytes(bytes);
      assertEquals("outer" + i, back.name);
      assertEquals(innerValue, back.innerValue);
      assertEquals("tail".repeat(i + 1), back.tail);
      assertEquals(List.of("y", 1L), s.fromBytes(s.toBytes(List.of("y", 1L))), "a read after the nested ones");
    }
  }
}
