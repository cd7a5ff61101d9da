package io.jask.dataframe;

import io.jask.engine.Graph;
import io.jask.engine.JaskCollection;
import io.jask.engine.Key;
import java.util.List;

/**
 * A lazy single value computed from a frame, such as {@code df.sum("x")}; compute it alone or
 * together with other collections in one graph ({@code Jask.compute(a, b)}).
 *
 * <pre>{@code
 * DScalar<Double> total = df.sum("x");
 * DScalar<Long> n = df.count("x");
 * List<Object> both = Jask.compute(total, n);   // one pass over the shared partitions
 * double t = total.compute();
 * }</pre>
 *
 * @param <T> the value's type
 */
public final class DScalar<T> implements JaskCollection<T> {
  private final Key key;
  private final Graph graph;

  DScalar(Key key, Graph graph) {
    this.key = key;
    this.graph = graph;
  }

  /** The key of the value. */
  public Key key() {
    return key;
  }

  @Override
  public Graph graph() {
    return graph;
  }

  @Override
  public List<Key> keys() {
    return List.of(key);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T finalize(List<Object> results) {
    return (T) results.get(0);
  }

  @Override
  public DScalar<T> rebuild(Graph graph) {
    return new DScalar<>(key, graph);
  }

  /** Computes the value with the configured scheduler. */
  @Override
  public T compute() {
    return JaskCollection.super.compute();
  }

  @Override
  public String toString() {
    return "DScalar(" + key + ")";
  }
}
