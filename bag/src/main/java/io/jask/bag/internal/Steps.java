package io.jask.bag.internal;

import io.jask.engine.Fn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The element-wise steps. */
public final class Steps {
  private Steps() {}

  /** {@code f(x)}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public record MapStep(Fn.F1 f) implements Step {
    @Override
    public void push(Object x, Sink down) throws Exception {
      down.accept(f.apply(x));
    }
  }

  /** {@code x} if {@code p(x)}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public record FilterStep(Fn.F1 p) implements Step {
    @Override
    public void push(Object x, Sink down) throws Exception {
      Object keep = p.apply(x);
      if (!(keep instanceof Boolean b)) {
        throw new IllegalArgumentException("filter predicate returned " + keep + " (not a Boolean) for " + x);
      }
      if (b) {
        down.accept(x);
      }
    }
  }

  /** Every element of {@code f(x)}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public record FlatMapStep(Fn.F1 f) implements Step {
    @Override
    public void push(Object x, Sink down) throws Exception {
      Object r = f.apply(x);
      if (!(r instanceof Iterable<?> it)) {
        throw new IllegalArgumentException("flatMap/flatten needs an Iterable, got " + describe(r) + " from " + x);
      }
      for (Object y : it) {
        down.accept(y);
      }
    }
  }

  /** {@code x.get(key)} for a map, {@code x.get(i)} for a list or array. */
  public record PluckStep(Object key) implements Step {
    @Override
    public void push(Object x, Sink down) throws Exception {
      down.accept(pluck(x, key));
    }
  }

  /** The value of {@code key} in {@code x}: a map's value, or a list's or array's element. */
  public static Object pluck(Object x, Object key) {
    if (x instanceof Map<?, ?> m) {
      Object v = m.get(key);
      if (v == null && !m.containsKey(key)) {
        throw new IllegalArgumentException("pluck: no key " + key + " in " + abbreviate(m));
      }
      return v;
    }
    if (key instanceof Integer i) {
      if (x instanceof List<?> l) {
        if (i < 0 || i >= l.size()) {
          throw new IllegalArgumentException("pluck: index " + i + " out of range for a list of " + l.size());
        }
        return l.get(i);
      }
      if (x instanceof Object[] a) {
        if (i < 0 || i >= a.length) {
          throw new IllegalArgumentException("pluck: index " + i + " out of range for an array of " + a.length);
        }
        return a[i];
      }
    }
    throw new IllegalArgumentException("pluck(" + key + ") needs a Map, or a List/array with an int key; got "
        + describe(x));
  }

  /**
   * For each element, one pair (element, match) per element of {@code other} with the same key, in
   * {@code other}'s order. The index of {@code other} by key is built once per JVM, on first use.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static final class JoinStep implements Step, io.jask.engine.Tokenize.Tokenizable {
    private static final long serialVersionUID = 1L;
    private final List<Object> other;
    private final Fn.F1 onSelf;
    private final Fn.F1 onOther;
    private transient volatile Map<Object, List<Object>> index;

    public JoinStep(List<Object> other, Fn.F1 onSelf, Fn.F1 onOther) {
      this.other = other;
      this.onSelf = onSelf;
      this.onOther = onOther;
    }

    @Override
    public void push(Object x, Sink down) throws Exception {
      Map<Object, List<Object>> idx = index;
      if (idx == null) {
        idx = new HashMap<>();
        for (Object o : other) {
          idx.computeIfAbsent(onOther.apply(o), k -> new ArrayList<>()).add(o);
        }
        index = idx;
      }
      List<Object> matches = idx.get(onSelf.apply(x));
      if (matches != null) {
        for (Object m : matches) {
          down.accept(new io.jask.bag.Pair<>(x, m));
        }
      }
    }

    @Override
    public Object tokenParts() {
      return List.of(other, onSelf, onOther);
    }
  }

  static String describe(Object x) {
    return x == null ? "null" : x.getClass().getName();
  }

  private static String abbreviate(Object x) {
    String s = String.valueOf(x);
    return s.length() <= 100 ? s : s.substring(0, 97) + "...";
  }
}
