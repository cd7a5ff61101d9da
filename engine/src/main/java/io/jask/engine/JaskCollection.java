package io.jask.engine;

import java.util.List;

/**
 * What every lazy collection is to the engine (Dask's collection protocol:
 * {@code __dask_graph__}, {@code __dask_keys__}, {@code __dask_postcompute__},
 * {@code __dask_postpersist__}). {@code Delayed}, {@code DArray}, {@code DFrame} and {@code Bag}
 * implement it, so that {@link Jask#compute} can run several of them in one graph.
 *
 * @param <R> what {@code compute()} returns
 */
public interface JaskCollection<R> {

  /** The high-level graph that produces this collection's keys. */
  Graph graph();

  /** The keys whose results make up this collection (for example one per partition). */
  List<Key> keys();

  /** Builds the final result from the results of {@link #keys()}, in that order. */
  R finalize(List<Object> results);

  /**
   * The same collection over another graph that produces the same keys; {@code persist()} uses it
   * to swap in a graph of already computed values.
   */
  JaskCollection<R> rebuild(Graph graph);

  /** Computes this collection with the scheduler the configuration picks. */
  default R compute() {
    @SuppressWarnings("unchecked")
    R r = (R) Jask.compute(this).get(0);
    return r;
  }
}
