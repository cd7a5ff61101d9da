package io.jask.bag.internal;

import io.jask.engine.Fn;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The per-partition and combine functions of the bag's reductions. Partial results are plain
 * lists, maps and numbers, so they travel between processes with the default codec.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class Aggs {
  private Aggs() {}

  /** Count: partition size; sum of counts. */
  public record Count() implements Fn.F1<List<?>, Long> {
    @Override
    public Long apply(List<?> part) {
      return (long) part.size();
    }
  }

  /** Sum of longs. */
  public record SumLongs() implements Fn.F1<List<Long>, Long> {
    @Override
    public Long apply(List<Long> xs) {
      long s = 0;
      for (Long x : xs) {
        s = Math.addExact(s, x);
      }
      return s;
    }
  }

  /** Sum of numbers: a {@code Long} while every number is integral, else a {@code Double}. */
  public record SumNumbers() implements Fn.F1<List<?>, Number> {
    @Override
    public Number apply(List<?> xs) {
      long l = 0;
      double d = 0;
      boolean integral = true;
      for (Object o : xs) {
        if (!(o instanceof Number n)) {
          throw new IllegalArgumentException("sum needs numbers, got " + Steps.describe(o) + ": " + o);
        }
        if (integral && (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte)) {
          l = Math.addExact(l, n.longValue());
        } else {
          if (integral) {
            d = l;
            integral = false;
          }
          d += n.doubleValue();
        }
      }
      return integral ? (Number) l : (Number) d;
    }
  }

  /** Mean: {@code [sum, count]} per partition; added; divided. */
  public record MeanPart() implements Fn.F1<List<?>, double[]> {
    @Override
    public double[] apply(List<?> xs) {
      double s = 0;
      for (Object o : xs) {
        if (!(o instanceof Number n)) {
          throw new IllegalArgumentException("mean needs numbers, got " + Steps.describe(o) + ": " + o);
        }
        s += n.doubleValue();
      }
      return new double[] {s, xs.size()};
    }
  }

  /** Adds {@code [sum, count]} pairs. */
  public record MeanCombine() implements Fn.F1<List<double[]>, double[]> {
    @Override
    public double[] apply(List<double[]> xs) {
      double[] r = new double[2];
      for (double[] x : xs) {
        r[0] += x[0];
        r[1] += x[1];
      }
      return r;
    }
  }

  /** {@code sum / count}; NaN for an empty bag (like dask's 0/0). */
  public record MeanFinish() implements Fn.F1<double[], Double> {
    @Override
    public Double apply(double[] x) {
      return x[0] / x[1];
    }
  }

  /** Min or max of a list of comparables as a list of at most one element (empty for an empty list). */
  public record Extreme(boolean max) implements Fn.F1<List<?>, List<Object>> {
    @Override
    public List<Object> apply(List<?> xs) {
      Comparable best = null;
      boolean any = false;
      for (Object o : xs) {
        if (!(o instanceof Comparable)) {
          throw new IllegalArgumentException((max ? "max" : "min") + " needs Comparable elements, got " + Steps.describe(o));
        }
        Comparable c = (Comparable) o;
        if (!any || (max ? c.compareTo(best) > 0 : c.compareTo(best) < 0)) {
          best = c;
          any = true;
        }
      }
      List<Object> out = new ArrayList<>(1);
      if (any) {
        out.add(best);
      }
      return out;
    }
  }

  /** The only element of a list of at most one, or an error naming the operation. */
  public record Only(String what) implements Fn.F1<List<?>, Object> {
    @Override
    public Object apply(List<?> xs) {
      if (xs.isEmpty()) {
        throw new NoSuchElementException(what + " of an empty bag");
      }
      return xs.get(0);
    }
  }

  /** Fold of a partition: {@code binop(...binop(initial, x0)..., xn)}, as a list of one. */
  public record FoldPart(boolean hasInitial, Object initial, Fn.F2 binop) implements Fn.F1<List<?>, List<Object>> {
    @Override
    public List<Object> apply(List<?> xs) throws Exception {
      boolean any = hasInitial;
      Object acc = initial;
      for (Object x : xs) {
        acc = any ? binop.apply(acc, x) : x;
        any = true;
      }
      List<Object> out = new ArrayList<>(1);
      if (any) {
        out.add(acc);
      }
      return out;
    }
  }

  /** Combines lists of at most one partial result with {@code combine}. */
  public record FoldCombine(Fn.F2 combine) implements Fn.F1<List<List<Object>>, List<Object>> {
    @Override
    public List<Object> apply(List<List<Object>> parts) throws Exception {
      boolean any = false;
      Object acc = null;
      for (List<Object> p : parts) {
        if (!p.isEmpty()) {
          acc = any ? combine.apply(acc, p.get(0)) : p.get(0);
          any = true;
        }
      }
      List<Object> out = new ArrayList<>(1);
      if (any) {
        out.add(acc);
      }
      return out;
    }
  }

  /** Per-key fold of a partition into an insertion-ordered map. */
  public record FoldByPart(Fn.F1 key, boolean hasInitial, Object initial, Fn.F2 binop)
      implements Fn.F1<List<?>, Map<Object, Object>> {
    @Override
    public Map<Object, Object> apply(List<?> xs) throws Exception {
      Map<Object, Object> m = new LinkedHashMap<>();
      for (Object x : xs) {
        Object k = key.apply(x);
        if (m.containsKey(k)) {
          m.put(k, binop.apply(m.get(k), x));
        } else {
          m.put(k, hasInitial ? binop.apply(initial, x) : x);
        }
      }
      return m;
    }
  }

  /** Merges per-key maps with {@code combine}, keeping the order of first appearance. */
  public record FoldByCombine(Fn.F2 combine) implements Fn.F1<List<Map<Object, Object>>, Map<Object, Object>> {
    @Override
    public Map<Object, Object> apply(List<Map<Object, Object>> maps) throws Exception {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map<Object, Object> m : maps) {
        for (Map.Entry<Object, Object> e : m.entrySet()) {
          Object k = e.getKey();
          out.put(k, out.containsKey(k) ? combine.apply(out.get(k), e.getValue()) : e.getValue());
        }
      }
      return out;
    }
  }

  /** Counts of each element of a partition. */
  public record CountsPart() implements Fn.F1<List<?>, Map<Object, Long>> {
    @Override
    public Map<Object, Long> apply(List<?> xs) {
      Map<Object, long[]> m = new LinkedHashMap<>();
      for (Object x : xs) {
        long[] c = m.get(x);
        if (c == null) {
          m.put(x, new long[] {1});
        } else {
          c[0]++;
        }
      }
      Map<Object, Long> out = new LinkedHashMap<>(m.size() * 2);
      m.forEach((k, v) -> out.put(k, v[0]));
      return out;
    }
  }

  /** The entries of a map as a list of immutable entries. */
  public record Entries() implements Fn.F1<Map<Object, Object>, List<Object>> {
    @Override
    public List<Object> apply(Map<Object, Object> m) {
      List<Object> out = new ArrayList<>(m.size());
      m.forEach((k, v) -> out.add(new AbstractMap.SimpleImmutableEntry<>(k, v)));
      return out;
    }
  }

  /** The {@code k} largest by {@code key}, largest first; ties keep their order (a stable sort). */
  public record TopK(int k, Fn.F1 key) implements Fn.F1<List<?>, List<Object>> {
    @Override
    public List<Object> apply(List<?> xs) throws Exception {
      List<Object[]> decorated = new ArrayList<>(xs.size());
      for (Object x : xs) {
        decorated.add(new Object[] {key.apply(x), x});
      }
      decorated.sort(Comparator.comparing((Object[] a) -> (Comparable) a[0]).reversed());
      List<Object> out = new ArrayList<>(Math.min(k, decorated.size()));
      for (int i = 0; i < k && i < decorated.size(); i++) {
        out.add(decorated.get(i)[1]);
      }
      return out;
    }
  }

  /** Concatenates lists, then applies {@code then}. */
  public record ConcatThen(Fn.F1 then) implements Fn.F1<List<List<?>>, Object> {
    @Override
    public Object apply(List<List<?>> parts) throws Exception {
      List<Object> all = new ArrayList<>();
      for (List<?> p : parts) {
        all.addAll(p);
      }
      return then.apply(all);
    }
  }

  /** Distinct elements in order of first appearance. */
  public record Distinct() implements Fn.F1<List<?>, List<Object>> {
    @Override
    public List<Object> apply(List<?> xs) {
      return new ArrayList<>(new LinkedHashSet<>(xs));
    }
  }
}
