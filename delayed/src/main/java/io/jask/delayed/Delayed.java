package io.jask.delayed;

import io.jask.engine.Fn;
import io.jask.engine.Graph;
import io.jask.engine.Jask;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.SingleValue;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A lazy value: a literal, or a call of a function whose arguments may themselves be lazy, like
 * {@code dask.delayed}. Nothing runs until {@link #compute()}; then the whole graph of calls runs on
 * the configured scheduler, each call once.
 *
 * <pre>{@code
 * Delayed<Integer> a = Delayed.call((Integer x, Integer y) -> x + y, 1, 2);
 * Delayed<Integer> b = Delayed.call((Integer x) -> x * 10, a);      // a becomes a dependency
 * int ten = b.compute();                                             // 30
 * List<Object> both = Jask.compute(a, b);                            // [3, 30], a runs once
 * }</pre>
 *
 * <p>An argument of a call is either a value of the parameter's type or a {@code Delayed} that
 * produces one; a {@link List} argument may mix both. Keys are deterministic: the same function
 * applied to the same arguments gets the same key (as with {@code dask.delayed(pure=True)}), so a
 * function with side effects or randomness should take an argument that tells calls apart.
 *
 * @param <T> the type of the value
 */
public final class Delayed<T> extends SingleValue<T> {

  private Delayed(Key key, Graph graph) {
    super(key, graph);
  }

  /** A lazy literal; its key is derived from the value's content. */
  public static <T> Delayed<T> value(T value) {
    Key k = Key.of(Tokenize.name(prefixOf(value), value));
    return new Delayed<>(k, Graph.of(Layer.of(k.name(), Set.of(), Map.of(k, Task.literal(value)))));
  }

  /** A lazy call of a function of no arguments. */
  public static <R> Delayed<R> call(Fn.F0<R> f) {
    return make(Tokenize.functionName(f), f, Fn.task(f), new Object[0]);
  }

  /** A lazy call {@code f(a)}; {@code a} may be a {@code Delayed}. */
  public static <A, R> Delayed<R> call(Fn.F1<A, R> f, Object a) {
    return make(Tokenize.functionName(f), f, Fn.task(f), new Object[] {a});
  }

  /** A lazy call {@code f(a, b)}; each argument may be a {@code Delayed}. */
  public static <A, B, R> Delayed<R> call(Fn.F2<A, B, R> f, Object a, Object b) {
    return make(Tokenize.functionName(f), f, Fn.task(f), new Object[] {a, b});
  }

  /** A lazy call {@code f(a, b, c)}; each argument may be a {@code Delayed}. */
  public static <A, B, C, R> Delayed<R> call(Fn.F3<A, B, C, R> f, Object a, Object b, Object c) {
    return make(Tokenize.functionName(f), f, Fn.task(f), new Object[] {a, b, c});
  }

  /** A lazy call {@code f(a, b, c, d)}; each argument may be a {@code Delayed}. */
  public static <A, B, C, D, R> Delayed<R> call(Fn.F4<A, B, C, D, R> f, Object a, Object b, Object c, Object d) {
    return make(Tokenize.functionName(f), f, Fn.task(f), new Object[] {a, b, c, d});
  }

  /** A lazy call of a function of any number of arguments. */
  public static <R> Delayed<R> callN(Fn.FN<R> f, Object... args) {
    return make(Tokenize.functionName(f), f, Fn.task(f), args.clone());
  }

  /** A lazy {@code f(this)}. */
  public <R> Delayed<R> map(Fn.F1<? super T, R> f) {
    return call(f::apply, this);
  }





  @Override
  public Delayed<T> rebuild(Graph graph) {
    return new Delayed<>(key(), graph);
  }


  /**
   * Computes this value and returns a {@code Delayed} whose graph holds the result (in memory, or
   * on the workers with the distributed scheduler), so later computations start from it.
   */
  @SuppressWarnings("unchecked")
  public Delayed<T> persist() {
    return (Delayed<T>) Jask.persist(this).get(0);
  }

  /** Writes the task graph to {@code file}: DOT, or SVG/PNG when Graphviz {@code dot} is installed. */
  public Path visualize(Path file) {
    return Jask.visualize(file, this);
  }


  private static <R> Delayed<R> make(String prefix, Object fn, TaskFn taskFn, Object[] args) {
    List<Graph> graphs = new ArrayList<>();
    Set<String> deps = new HashSet<>();
    Object[] taskArgs = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      taskArgs[i] = toArg(args[i], graphs, deps);
    }
    Key k = Key.of(Tokenize.name(prefix, fn, List.of(taskArgs)));
    Layer layer = Layer.of(k.name(), deps, Map.of(k, Task.of(taskFn, taskArgs)));
    return new Delayed<>(k, Graph.merge(graphs).with(layer));
  }

  /** Delayed → its key (a dependency); a list → element-wise; a literal key → a literal task. */
  private static Object toArg(Object a, List<Graph> graphs, Set<String> deps) {
    if (a instanceof Delayed<?> d) {
      graphs.add(d.graph());
      deps.add(d.key().name());
      return d.key();
    }
    if (a instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(toArg(o, graphs, deps));
      }
      return out;
    }
    if (a instanceof Key) {
      return toArg(value(a), graphs, deps); // a key given as data must not read as a dependency
    }
    return a;
  }

  private static String prefixOf(Object value) {
    return value == null ? "none" : value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }
}
