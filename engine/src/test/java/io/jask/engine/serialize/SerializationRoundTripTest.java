package io.jask.engine.serialize;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: any value built from the shapes Jask moves around (nested collections of every JDK
 * kind, records, arrays, boxed numbers, unicode strings, null, Optional) comes back from {@code
 * encode}/{@code decode} and from {@code toBytes}/{@code fromBytes} deeply equal, with the same
 * classes all the way down (so an immutable list stays immutable). 200 cases from a fixed seed;
 * a failure prints its seed and value, and {@code generate(seed)} rebuilds it.
 */
class SerializationRoundTripTest {

  private static final long BASE_SEED = 0x5EEDL;

  private final Serialization s = Serialization.get();

  record Leaf(int id, String name, double weight) {}

  record Node(String label, List<Object> children, Map<String, Object> attributes) {}

  record WithArray(long[] values, Object extra) {}

  static Stream<Long> seeds() {
    return LongStream.range(0, 200).mapToObj(i -> BASE_SEED * 1_000 + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void roundTrip_randomNestedValue_deepEqualWithSameClasses(long seed) {
    Object value = generate(seed);
    Object viaEncode;
    Object viaBytes;
    try {
      viaEncode = s.decode(s.encode(value));
      viaBytes = s.fromBytes(s.toBytes(value));
    } catch (RuntimeException e) {
      throw new AssertionError("seed " + seed + " failed on value " + show(value), e);
    }
    String diff = diff(value, viaEncode, "$");
    if (diff == null) {
      diff = diff(value, viaBytes, "$");
    }
    if (diff != null) {
      fail("seed " + seed + ": " + diff + "\nvalue: " + show(value));
    }
  }

  /** The value for a seed; deterministic. */
  static Object generate(long seed) {
    return new Gen(new Random(seed)).any(0);
  }

  private static final class Gen {
    private final Random r;

    Gen(Random r) {
      this.r = r;
    }

    Object any(int depth) {
      int kinds = depth >= 3 ? 12 : 30;
      int k = r.nextInt(kinds);
      return switch (k) {
        case 0 -> null;
        case 1 -> r.nextInt();
        case 2 -> r.nextLong();
        case 3 -> r.nextBoolean() ? r.nextDouble() * 1e6 : pick(Double.NaN, -0.0, Double.MAX_VALUE);
        case 4 -> string();
        case 5 -> (float) r.nextGaussian();
        case 6 -> (short) r.nextInt();
        case 7 -> (byte) r.nextInt();
        case 8 -> (char) ('a' + r.nextInt(26));
        case 9 -> r.nextBoolean();
        case 10 -> pick(new BigDecimal(r.nextInt() + "." + r.nextInt(1000)), BigInteger.valueOf(r.nextLong()).pow(3));
        case 11 -> pick(TimeUnit.values()[r.nextInt(7)], new UUID(r.nextLong(), r.nextLong()),
            LocalDate.ofEpochDay(r.nextInt(40_000)), Instant.ofEpochMilli(r.nextLong() >>> 20));
        case 12 -> new Leaf(r.nextInt(100), string(), r.nextDouble());
        case 13 -> new Node(string(), mutableList(depth), stringMap(depth));
        case 14 -> new WithArray(r.longs(r.nextInt(5)).toArray(), any(depth + 1));
        case 15 -> mutableList(depth);
        case 16 -> List.copyOf(nonNullList(depth));
        case 17 -> Set.copyOf(hashables(depth));
        case 18 -> Map.copyOf(stringMapNonNull(depth));
        case 19 -> new HashSet<>(hashables(depth));
        case 20 -> new TreeSet<>(strings());
        case 21 -> stringMap(depth);
        case 22 -> pick(Collections.unmodifiableList(mutableList(depth)),
            Collections.unmodifiableMap(stringMap(depth)),
            Collections.unmodifiableSet(new HashSet<>(hashables(depth))));
        case 23 -> Arrays.asList(mutableList(depth).toArray());
        case 24 -> nonNullList(depth).stream().collect(Collectors.toUnmodifiableList());
        case 25 -> r.nextBoolean() ? Optional.empty() : Optional.of(nonNull(depth));
        case 26 -> pick(r.ints(r.nextInt(8)).toArray(), r.doubles(r.nextInt(8)).toArray(), bytes());
        case 27 -> objectArray(depth);
        case 28 -> pick(Collections.emptyList(), Collections.singletonList(any(depth + 1)),
            Collections.singletonMap(string(), any(depth + 1)), Collections.emptySet());
        default -> new LinkedList<>(mutableList(depth));
      };
    }

    @SafeVarargs
    private <T> T pick(T... options) {
      return options[r.nextInt(options.length)];
    }

    String string() {
      String[] alphabet = {"a", "Z", "0", " ", "é", "ß", "中", "文", "🚀", "👩‍💻", "\u0000", "\n", "Ω", "\uD834\uDD1E"};
      int n = r.nextInt(12);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        sb.append(alphabet[r.nextInt(alphabet.length)]);
      }
      return sb.toString();
    }

    byte[] bytes() {
      byte[] b = new byte[r.nextInt(16)];
      r.nextBytes(b);
      return b;
    }

    List<String> strings() {
      List<String> l = new ArrayList<>();
      for (int i = r.nextInt(6); i > 0; i--) {
        l.add(string());
      }
      return l;
    }

    Object nonNull(int depth) {
      Object v;
      do {
        v = any(depth + 1);
      } while (v == null);
      return v;
    }

    List<Object> mutableList(int depth) {
      List<Object> l = new ArrayList<>();
      for (int i = r.nextInt(5); i > 0; i--) {
        l.add(any(depth + 1));
      }
      return l;
    }

    List<Object> nonNullList(int depth) {
      List<Object> l = new ArrayList<>();
      for (int i = r.nextInt(5); i > 0; i--) {
        l.add(nonNull(depth));
      }
      return l;
    }

    /** Elements with value-based equals and hashCode (no arrays inside). */
    List<Object> hashables(int depth) {
      List<Object> l = new ArrayList<>();
      for (int i = r.nextInt(5); i > 0; i--) {
        l.add(switch (r.nextInt(5)) {
          case 0 -> r.nextInt(1000);
          case 1 -> string();
          case 2 -> new Leaf(r.nextInt(10), string(), r.nextInt(3));
          case 3 -> List.of(r.nextInt(5), string());
          default -> r.nextLong();
        });
      }
      return l;
    }

    Map<String, Object> stringMap(int depth) {
      Map<String, Object> m = r.nextBoolean() ? new HashMap<>() : r.nextBoolean() ? new LinkedHashMap<>() : new TreeMap<>();
      for (int i = r.nextInt(5); i > 0; i--) {
        m.put(string(), any(depth + 1));
      }
      return m;
    }

    Map<String, Object> stringMapNonNull(int depth) {
      Map<String, Object> m = new HashMap<>();
      for (int i = r.nextInt(5); i > 0; i--) {
        m.put(string(), nonNull(depth));
      }
      return m;
    }

    Object[] objectArray(int depth) {
      Object[] a = r.nextBoolean() ? new Object[r.nextInt(5)] : new String[r.nextInt(5)];
      for (int i = 0; i < a.length; i++) {
        a[i] = a instanceof String[] ? string() : any(depth + 1);
      }
      return a;
    }
  }

  /** {@code null} when equal with the same classes throughout, else where they differ. */
  static String diff(Object a, Object b, String path) {
    if (a == null || b == null) {
      return a == b ? null : path + ": " + show(a) + " vs " + show(b);
    }
    if (a.getClass() != b.getClass()) {
      return path + ": class " + a.getClass().getName() + " vs " + b.getClass().getName();
    }
    Class<?> c = a.getClass();
    if (c.isArray()) {
      int n = Array.getLength(a);
      if (n != Array.getLength(b)) {
        return path + ": array length " + n + " vs " + Array.getLength(b);
      }
      for (int i = 0; i < n; i++) {
        String d = diff(Array.get(a, i), Array.get(b, i), path + "[" + i + "]");
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) {
        try {
          String d = diff(rc.getAccessor().invoke(a), rc.getAccessor().invoke(b), path + "." + rc.getName());
          if (d != null) {
            return d;
          }
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return null;
    }
    if (a instanceof List<?> la) {
      List<?> lb = (List<?>) b;
      if (la.size() != lb.size()) {
        return path + ": size " + la.size() + " vs " + lb.size();
      }
      for (int i = 0; i < la.size(); i++) {
        String d = diff(la.get(i), lb.get(i), path + "[" + i + "]");
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (a instanceof Map<?, ?> ma) {
      Map<?, ?> mb = (Map<?, ?>) b;
      if (!ma.keySet().equals(mb.keySet())) {
        return path + ": keys " + ma.keySet() + " vs " + mb.keySet();
      }
      for (Map.Entry<?, ?> e : ma.entrySet()) {
        String d = diff(e.getValue(), mb.get(e.getKey()), path + "{" + e.getKey() + "}");
        if (d != null) {
          return d;
        }
      }
      if (a instanceof LinkedHashMap || a instanceof TreeMap) {
        Iterator<?> ia = ma.keySet().iterator();
        Iterator<?> ib = mb.keySet().iterator();
        while (ia.hasNext()) {
          if (!Objects.equals(ia.next(), ib.next())) {
            return path + ": key order differs";
          }
        }
      }
      return null;
    }
    if (a instanceof Optional<?> oa) {
      return diff(oa.orElse(null), ((Optional<?>) b).orElse(null), path + ".get()");
    }
    if (a instanceof Collection<?> && !(a instanceof Set<?>)) {
      return diff(new ArrayList<>((Collection<?>) a), new ArrayList<>((Collection<?>) b), path);
    }
    return a.equals(b) ? null : path + ": " + show(a) + " vs " + show(b);
  }

  static String show(Object v) {
    if (v == null) {
      return "null";
    }
    if (v.getClass().isArray()) {
      Object[] boxed = new Object[Array.getLength(v)];
      for (int i = 0; i < boxed.length; i++) {
        boxed[i] = Array.get(v, i);
      }
      return v.getClass().getSimpleName() + Arrays.deepToString(boxed);
    }
    return v.getClass().getSimpleName() + ":" + v;
  }
}
