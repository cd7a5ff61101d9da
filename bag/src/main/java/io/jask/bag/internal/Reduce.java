package io.jask.bag.internal;

import io.jask.engine.Fn;
import io.jask.engine.TaskFn;
import java.util.List;

/**
 * The task functions of a tree reduction (dask's {@code Bag.reduction}): {@code perPartition} turns
 * each partition into a partial result; {@code combine} turns a list of partial results into one
 * (at every level of the tree, {@code splitEvery} at a time); {@code finish} turns the last partial
 * result into the answer.
 */
public final class Reduce {
  private Reduce() {}

  /** The partial result of one partition. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public record PerPartition(Fn.F1 f) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      return f.apply(args[0]);
    }
  }

  /** The combination of the partial results given as one list argument, then {@code finish} if not null. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public record Combine(Fn.F1 combine, Fn.F1 finish) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      Object r = combine.apply((List<?>) args[0]);
      return finish == null ? r : finish.apply(r);
    }
  }
}
