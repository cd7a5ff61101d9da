package io.jask.engine.serialize.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Serializers, by content, for the JDK collections that Kryo's field-by-field or add-based
 * serializers cannot rebuild: the immutable ones ({@code List.of}, {@code Set.of}, {@code Map.of},
 * {@code List.copyOf}, {@code Collectors.toUnmodifiableList()}, {@code Stream.toList()} with
 * nulls), the {@code Collections.unmodifiable…} wrappers (and the empty sorted/navigable ones built
 * on them), {@code Arrays.asList}, and views such as {@code subList} or {@code keySet()}.
 *
 * <p>Each is written as its elements (and comparator, for sorted kinds) and read back as a
 * collection of the same kind: immutable stays immutable, unmodifiable stays unmodifiable with the
 * same interface (a {@code NavigableMap} wrapper comes back as one), {@code Arrays.asList} stays a
 * fixed-size list. Views come back as plain copies ({@code ArrayList} or {@code LinkedHashSet}).
 * The wrapped collection's own class is not kept: an unmodifiable {@code HashMap} comes back as an
 * unmodifiable {@code LinkedHashMap} with the same entries.
 */
final class JdkCollectionSerializers {

  private JdkCollectionSerializers() {}

  private enum Kind {
    IMMUTABLE,
    UNMODIFIABLE,
    ARRAYS_AS_LIST,
    VIEW_COPY
  }

  /** The serializer for this class, or {@code null} to leave it to Kryo. */
  static Serializer<?> forClass(Class<?> type) {
    String name = type.getName();
    if (!name.startsWith("java.util.")) {
      return null;
    }
    boolean isCollection = Collection.class.isAssignableFrom(type);
    boolean isMap = Map.class.isAssignableFrom(type);
    if (!isCollection && !isMap) {
      return null;
    }
    if (name.startsWith("java.util.ImmutableCollections$")) {
      return new ContentSerializer(Kind.IMMUTABLE, type);
    }
    if (name.startsWith("java.util.Collections$Unmodifiable")) {
      return new ContentSerializer(Kind.UNMODIFIABLE, type);
    }
    if (name.equals("java.util.Arrays$ArrayList")) {
      return new ContentSerializer(Kind.ARRAYS_AS_LIST, type);
    }
    if (isCollection
        && (name.endsWith("$SubList")
            || name.endsWith("$RandomAccessSubList")
            || name.endsWith("$KeySet")
            || name.endsWith("$Values")
            || name.endsWith("$LinkedKeySet")
            || name.endsWith("$LinkedValues")
            || name.endsWith("$KeySetView")
            || name.endsWith("$ValuesView"))) {
      return new ContentSerializer(Kind.VIEW_COPY, type);
    }
    return null;
  }

  /** Writes comparator (sorted kinds), size, elements (or keys and values); reads by kind. */
  private static final class ContentSerializer extends Serializer<Object> {
    private final Kind kind;
    private final boolean map;
    private final boolean sorted;

    ContentSerializer(Kind kind, Class<?> type) {
      this.kind = kind;
      this.map = Map.class.isAssignableFrom(type);
      this.sorted = SortedMap.class.isAssignableFrom(type) || SortedSet.class.isAssignableFrom(type);
    }

    @Override
    public void write(Kryo kryo, Output out, Object value) {
      if (sorted) {
        Comparator<?> cmp =
            map ? ((SortedMap<?, ?>) value).comparator() : ((SortedSet<?>) value).comparator();
        kryo.writeClassAndObject(out, cmp);
      }
      if (map) {
        Map<?, ?> m = (Map<?, ?>) value;
        out.writeVarInt(m.size(), true);
        for (Map.Entry<?, ?> e : m.entrySet()) {
          kryo.writeClassAndObject(out, e.getKey());
          kryo.writeClassAndObject(out, e.getValue());
        }
      } else {
        Collection<?> c = (Collection<?>) value;
        out.writeVarInt(c.size(), true);
        for (Object o : c) {
          kryo.writeClassAndObject(out, o);
        }
      }
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Object read(Kryo kryo, Input in, Class<?> type) {
      Comparator cmp = sorted ? (Comparator) kryo.readClassAndObject(in) : null;
      int n = in.readVarInt(true);
      if (map) {
        Map m = sorted ? new TreeMap(cmp) : new LinkedHashMap(Math.max(16, n * 4 / 3 + 1));
        boolean nulls = false;
        for (int i = 0; i < n; i++) {
          Object k = kryo.readClassAndObject(in);
          Object v = kryo.readClassAndObject(in);
          nulls |= k == null || v == null;
          m.put(k, v);
        }
        return finishMap(type, m, nulls);
      }
      Object[] elements = new Object[n];
      boolean nulls = false;
      for (int i = 0; i < n; i++) {
        elements[i] = kryo.readClassAndObject(in);
        nulls |= elements[i] == null;
      }
      return finishCollection(type, elements, cmp, nulls);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object finishMap(Class<?> type, Map m, boolean nulls) {
      switch (kind) {
        case IMMUTABLE:
          if (nulls) {
            return Collections.unmodifiableMap(m); // cannot happen for Map.of; keep the data
          }
          return Map.ofEntries(
              ((Set<Map.Entry>) m.entrySet())
                  .stream()
                  .map(e -> new AbstractMap.SimpleImmutableEntry(e.getKey(), e.getValue()))
                  .toArray(Map.Entry[]::new));
        case UNMODIFIABLE:
          if (NavigableMap.class.isAssignableFrom(type)) {
            return Collections.unmodifiableNavigableMap((NavigableMap) m);
          }
          if (SortedMap.class.isAssignableFrom(type)) {
            return Collections.unmodifiableSortedMap((SortedMap) m);
          }
          return Collections.unmodifiableMap(m);
        default:
          return m;
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object finishCollection(Class<?> type, Object[] a, Comparator cmp, boolean nulls) {
      boolean isList = List.class.isAssignableFrom(type);
      boolean isSet = Set.class.isAssignableFrom(type);
      switch (kind) {
        case IMMUTABLE:
          if (isSet) {
            return Set.of(a);
          }
          // Stream.toList() gives an immutable list that allows nulls; List.of does not.
          return nulls ? Stream.of(a).toList() : List.of(a);
        case ARRAYS_AS_LIST:
          return Arrays.asList(a);
        case UNMODIFIABLE:
          if (sorted) {
            TreeSet s = new TreeSet(cmp);
            Collections.addAll(s, a);
            return NavigableSet.class.isAssignableFrom(type)
                ? Collections.unmodifiableNavigableSet(s)
                : Collections.unmodifiableSortedSet(s);
          }
          if (isSet) {
            return Collections.unmodifiableSet(new LinkedHashSet(Arrays.asList(a)));
          }
          if (isList) {
            return Collections.unmodifiableList(new ArrayList(Arrays.asList(a)));
          }
          return Collections.unmodifiableCollection(new ArrayList(Arrays.asList(a)));
        default:
          if (isSet) {
            return sorted ? addAll(new TreeSet(cmp), a) : new LinkedHashSet(Arrays.asList(a));
          }
          return new ArrayList(Arrays.asList(a));
      }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Collection addAll(Collection c, Object[] a) {
      Collections.addAll(c, a);
      return c;
    }
  }
}
