package io.jask.engine.serialize.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * A cheap estimate of the heap bytes a value holds, for worker memory accounting; it never
 * serializes.
 *
 * <p>Rules (64-bit JVM, compressed references: 12-byte headers, 4-byte references, 8-byte
 * alignment): strings and primitive arrays exactly; boxed numbers and other leaf types their
 * shallow size; arrays of objects, collections and maps their own overhead plus their elements,
 * measuring at most {@value #SAMPLE} elements and scaling up by the count; records their shallow
 * size plus their components; any other object its shallow size (fields counted by reflection,
 * cached per class). Recursion stops at depth {@value #MAX_DEPTH}, where a value counts as one
 * reference. The result is within a small factor of the real retained size for data-like values,
 * which is what spilling decisions need.
 */
public final class SizeEstimator {

  private static final int HEADER = 12;
  private static final int ARRAY_HEADER = 16;
  private static final int REF = 4;
  private static final int SAMPLE = 32;
  private static final int MAX_DEPTH = 6;

  private static final ClassValue<Long> SHALLOW =
      new ClassValue<>() {
        @Override
        protected Long computeValue(Class<?> type) {
          long size = HEADER;
          for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
              if (!Modifier.isStatic(f.getModifiers())) {
                size += fieldSize(f.getType());
              }
            }
          }
          return align(size);
        }
      };

  private SizeEstimator() {}

  /** Estimated bytes held by {@code value}; 0 for {@code null}. */
  public static long sizeOf(Object value) {
    return sizeOf(value, 0);
  }

  private static long sizeOf(Object v, int depth) {
    if (v == null) {
      return 0;
    }
    if (depth > MAX_DEPTH) {
      return REF;
    }
    if (v instanceof String s) {
      return align(HEADER + 12) + align(ARRAY_HEADER + (long) s.length() * (isLatin1(s) ? 1 : 2));
    }
    Class<?> c = v.getClass();
    if (c.isArray()) {
      return arraySize(v, c.getComponentType(), depth);
    }
    if (v instanceof Number || v instanceof Boolean || v instanceof Character || v instanceof Enum) {
      if (v instanceof BigInteger b) {
        return align(HEADER + 24) + align(ARRAY_HEADER + b.bitLength() / 8 + 4);
      }
      if (v instanceof BigDecimal d) {
        return align(HEADER + 24) + sizeOf(d.unscaledValue(), depth + 1);
      }
      return v instanceof Enum ? 0 : SHALLOW.get(c);
    }
    if (v instanceof Collection<?> col) {
      int n = col.size();
      // ArrayList/HashSet-like overhead: a backing array plus, for hashed ones, a node per entry
      long own = align(HEADER + 16) + align(ARRAY_HEADER + (long) n * REF);
      if (v instanceof java.util.Set || v instanceof java.util.LinkedList) {
        own += (long) n * 32;
      }
      return own + sampled(col.iterator(), n, depth);
    }
    if (v instanceof Map<?, ?> m) {
      int n = m.size();
      long own = align(HEADER + 32) + align(ARRAY_HEADER + (long) n * REF) + (long) n * 32;
      long keys = sampled(m.keySet().iterator(), n, depth);
      long values = sampled(m.values().iterator(), n, depth);
      return own + keys + values;
    }
    if (v instanceof io.jask.engine.Parted p) {
      long size = SHALLOW.get(c);
      for (int i = 0; i < p.parts(); i++) {
        size += sizeOf(p.part(i), depth + 1);
      }
      return size;
    }
    if (v instanceof Optional<?> o) {
      return align(HEADER + REF) + sizeOf(o.orElse(null), depth + 1);
    }
    if (c.isRecord()) {
      long size = SHALLOW.get(c);
      for (RecordComponent rc : c.getRecordComponents()) {
        if (!rc.getType().isPrimitive()) {
          try {
            rc.getAccessor().setAccessible(true);
            size += sizeOf(rc.getAccessor().invoke(v), depth + 1);
          } catch (ReflectiveOperationException | RuntimeException e) {
            size += REF;
          }
        }
      }
      return size;
    }
    return SHALLOW.get(c);
  }

  private static long sampled(Iterator<?> it, int n, int depth) {
    long sum = 0;
    int seen = 0;
    while (seen < SAMPLE && it.hasNext()) {
      sum += sizeOf(it.next(), depth + 1);
      seen++;
    }
    return seen == 0 ? 0 : (long) (sum * ((double) n / seen));
  }

  private static long arraySize(Object array, Class<?> component, int depth) {
    int n = java.lang.reflect.Array.getLength(array);
    if (component.isPrimitive()) {
      return align(ARRAY_HEADER + (long) n * fieldSize(component));
    }
    Object[] a = (Object[]) array;
    long sum = 0;
    int seen = 0;
    // sample spread over the array, not just its head
    int step = Math.max(1, n / SAMPLE);
    for (int i = 0; i < n && seen < SAMPLE; i += step, seen++) {
      sum += sizeOf(a[i], depth + 1);
    }
    long elements = seen == 0 ? 0 : (long) (sum * ((double) n / seen));
    return align(ARRAY_HEADER + (long) n * REF) + elements;
  }

  private static int fieldSize(Class<?> t) {
    if (t == long.class || t == double.class) {
      return 8;
    }
    if (t == int.class || t == float.class) {
      return 4;
    }
    if (t == short.class || t == char.class) {
      return 2;
    }
    if (t == byte.class || t == boolean.class) {
      return 1;
    }
    return REF;
  }

  private static boolean isLatin1(String s) {
    int n = Math.min(s.length(), 64);
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) > 0xFF) {
        return false;
      }
    }
    return true;
  }

  private static long align(long n) {
    return (n + 7) & ~7L;
  }
}
