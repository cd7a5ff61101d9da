package io.jask.engine.distributed.scheduler;

/**
 * The scheduler's view of one key, as in dask.distributed. A key that is neither computed nor
 * needed is {@link #RELEASED} (its spec is kept while a dependent may need it again) or {@link
 * #FORGOTTEN} (the scheduler no longer tracks it at all).
 */
public enum TaskState {
  /** Known, not computed, not scheduled (kept so it can be recomputed). */
  RELEASED,
  /** Needed; some dependencies are not in memory yet. */
  WAITING,
  /** Ready root task held back until a worker has a free slot. */
  QUEUED,
  /** Ready, but no allowed worker is connected and running. */
  NO_WORKER,
  /** Sent to exactly one worker. */
  PROCESSING,
  /** The result is held by at least one worker. */
  MEMORY,
  /** Failed (itself or through a dependency). */
  ERRED,
  /** Not tracked any more. */
  FORGOTTEN;

  /** True for the states in which the key is on its way to be computed. */
  boolean active() {
    return this == WAITING || this == QUEUED || this == NO_WORKER || this == PROCESSING;
  }
}
