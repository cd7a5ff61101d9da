package io.jask.bag.internal;

import io.jask.engine.Fn;
import io.jask.engine.TaskFn;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hash shuffle through tasks (dask's {@code groupby(shuffle="tasks")}, in one stage): each input
 * partition is split into {@code n} lists by the hash of each element's key ({@link Split}); output
 * partition {@code j} takes list {@code j} of every split, in input order, and groups them by key
 * ({@link Gather}). Every output depends on every input: {@code n_in × n_out} pieces move.
 *
 * <p>The hash must agree between JVMs (a process or a worker may split one partition and another
 * split the next): strings, numbers, booleans, lists and records of those do; an enum hashes by its
 * name; an object with identity hash code would scatter one key over several outputs.
 */
public final class Shuffle {
  private Shuffle() {}

  /** The output partition of a key. */
  public static int bucket(Object key, int n) {
    int h = key instanceof Enum<?> e ? e.name().hashCode() : java.util.Objects.hashCode(key);
    h ^= h >>> 16;
    return Math.floorMod(h * 0x9E3779B9, n);
  }

  /** Splits a partition into {@code n} lists by key. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public record Split(Fn.F1 key, int n) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      List<List<Object>> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(new ArrayList<>());
      }
      for (Object x : (List<?>) args[0]) {
        out.get(bucket(key.apply(x), n)).add(x);
      }
      return out;
    }
  }

  /** Output partition {@code j}: piece {@code j} of every split, grouped by key in order of first appearance. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public record Gather(Fn.F1 key, int j) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      Map<Object, List<Object>> groups = new LinkedHashMap<>();
      for (Object split : (List<?>) args[0]) {
        for (Object x : (List<?>) ((List<?>) split).get(j)) {
          groups.computeIfAbsent(key.apply(x), k -> new ArrayList<>()).add(x);
        }
      }
      List<Object> out = new ArrayList<>(groups.size());
      groups.forEach((k, v) -> out.add(new AbstractMap.SimpleImmutableEntry<>(k, v)));
      return out;
    }
  }
}
