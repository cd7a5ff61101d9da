package io.jask.engine.serialize.internal;

import io.jask.engine.serialize.ValueCodec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The codecs of one class loader and the choice of a codec for a value's class.
 *
 * <p>The choice: among the codecs whose {@code type()} is a supertype of the class, the one at the
 * smallest distance in the type hierarchy (one step per superclass or directly implemented
 * interface); ties, such as two interfaces at the same depth, go to the codec whose type is a
 * subtype of the other's, then to the name in alphabetical order so the choice is deterministic.
 * Without a match, Kryo. Choices are cached per class.
 */
public final class CodecRegistry {

  private final Map<String, ValueCodec<Object>> byName;
  private final List<ValueCodec<Object>> typed;
  private final ValueCodec<Object> fallback;
  private final Map<Class<?>, ValueCodec<Object>> choice = new ConcurrentHashMap<>();

  CodecRegistry(List<ValueCodec<?>> codecs, ValueCodec<Object> fallback) {
    this.fallback = fallback;
    Map<String, ValueCodec<Object>> names = new LinkedHashMap<>();
    names.put(fallback.name(), fallback);
    List<ValueCodec<Object>> list = new ArrayList<>();
    for (ValueCodec<?> c : codecs) {
      @SuppressWarnings("unchecked")
      ValueCodec<Object> codec = (ValueCodec<Object>) c;
      ValueCodec<Object> clash = names.putIfAbsent(codec.name(), codec);
      if (clash != null) {
        throw new IllegalStateException(
            "two value codecs are named '" + codec.name() + "': " + clash.getClass().getName()
                + " and " + codec.getClass().getName());
      }
      list.add(codec);
    }
    this.byName = Map.copyOf(names);
    this.typed = List.copyOf(list);
  }

  /** The codecs listed in {@code META-INF/services} visible to {@code loader}, then Kryo. */
  public static CodecRegistry load(ClassLoader loader, ValueCodec<Object> fallback) {
    List<ValueCodec<?>> found = new ArrayList<>();
    for (ValueCodec<?> c : ServiceLoader.load(ValueCodec.class, loader)) {
      found.add(c);
    }
    return new CodecRegistry(found, fallback);
  }

  /** All codec names, sorted. */
  public List<String> names() {
    return byName.keySet().stream().sorted().toList();
  }

  /** The codec named so. */
  public ValueCodec<Object> byName(String name) {
    ValueCodec<Object> c = byName.get(name);
    if (c == null) {
      throw new IllegalArgumentException(
          "unknown value codec '" + name + "'; known codecs: " + names()
              + " (is the module that provides it on this JVM's class path?)");
    }
    return c;
  }

  /** The codec for this value; Kryo for {@code null}. */
  public ValueCodec<Object> codecFor(Object value) {
    if (value == null || typed.isEmpty()) {
      return fallback;
    }
    return choice.computeIfAbsent(value.getClass(), this::choose);
  }

  private ValueCodec<Object> choose(Class<?> cls) {
    Map<Class<?>, Integer> distance = distances(cls);
    ValueCodec<Object> best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (ValueCodec<Object> c : typed) {
      Integer d = distance.get(c.type());
      if (d == null) {
        continue;
      }
      if (best == null || d < bestDistance || (d == bestDistance && better(c, best))) {
        best = c;
        bestDistance = d;
      }
    }
    return best == null ? fallback : best;
  }

  private static boolean better(ValueCodec<Object> a, ValueCodec<Object> b) {
    if (a.type() != b.type()) {
      if (b.type().isAssignableFrom(a.type())) {
        return true;
      }
      if (a.type().isAssignableFrom(b.type())) {
        return false;
      }
    }
    return Comparator.<String>naturalOrder().compare(a.name(), b.name()) < 0;
  }

  /** Breadth-first distances from {@code cls} to each of its supertypes. */
  private static Map<Class<?>, Integer> distances(Class<?> cls) {
    Map<Class<?>, Integer> distance = new HashMap<>();
    Deque<Class<?>> queue = new ArrayDeque<>();
    Set<Class<?>> seen = new HashSet<>();
    queue.add(cls);
    seen.add(cls);
    distance.put(cls, 0);
    while (!queue.isEmpty()) {
      Class<?> c = queue.poll();
      int d = distance.get(c);
      List<Class<?>> parents = new ArrayList<>(List.of(c.getInterfaces()));
      if (c.getSuperclass() != null) {
        parents.add(0, c.getSuperclass());
      }
      for (Class<?> p : parents) {
        if (seen.add(p)) {
          distance.put(p, d + 1);
          queue.add(p);
        }
      }
    }
    return distance;
  }
}
