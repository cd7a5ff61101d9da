package io.jask.engine;

import java.util.List;

/**
 * Base of collections that stand for one lazy value under one key: {@code Delayed}, a bag's
 * {@code Item}, a frame's {@code DScalar}. Holds the key and the graph and answers the collection
 * protocol; a subclass adds its own operations and {@link #rebuild}.
 *
 * <pre>{@code
 * final class Answer<T> extends SingleValue<T> {
 *   Answer(Key key, Graph graph) { super(key, graph); }
 *   public Answer<T> rebuild(Graph g) { return new Answer<>(key(), g); }
 * }
 * }</pre>
 *
 * @param <T> the value's type
 */
public abstract class SingleValue<T> implements JaskCollection<T> {
  private final Key key;
  private final Graph graph;

  /** A value named {@code key}, produced by {@code graph}. */
  protected SingleValue(Key key, Graph graph) {
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

  /** Computes the value with the scheduler the configuration picks. */
  @Override
  public T compute() {
    return JaskCollection.super.compute();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + key + ")";
  }
}
