package io.jask.engine;

import java.io.Serializable;

/**
 * The function of a {@link Task}: it receives the task's arguments with every {@link Key}
 * replaced by that key's result. Serializable, so that a lambda or method reference can travel
 * to a child JVM or a worker. It must not modify the array it is given.
 *
 * <pre>{@code
 * TaskFn add = args -> (Integer) args[0] + (Integer) args[1];
 * }</pre>
 */
@FunctionalInterface
public interface TaskFn extends Serializable {
  /** Computes the task's result from its resolved arguments. */
  Object apply(Object[] args) throws Exception;

  /**
   * The function of a task whose result already exists outside the graph (for example a result
   * persisted on a cluster). Such a task is never fused into another and a distributed scheduler
   * does not ship it: it refers to the existing result.
   */
  interface Held extends TaskFn {}
}
