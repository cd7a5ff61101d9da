package io.jask.engine.distributed.scheduler;

/**
 * The order in which ready tasks run, smallest first, as dask's {@code (-user priority,
 * generation, graph order)}: a higher user priority first, then earlier submissions (first come,
 * first served across clients), then the static graph ordering.
 */
record Priority(int userPriority, long generation, long graphOrder) implements Comparable<Priority> {

  @Override
  public int compareTo(Priority o) {
    int c = Integer.compare(o.userPriority, userPriority);
    if (c != 0) {
      return c;
    }
    c = Long.compare(generation, o.generation);
    return c != 0 ? c : Long.compare(graphOrder, o.graphOrder);
  }
}
