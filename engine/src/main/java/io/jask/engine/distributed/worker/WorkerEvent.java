package io.jask.engine.distributed.worker;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.List;
import java.util.Map;

/** What happened, as fed to {@link WorkerState#handle}: scheduler messages and I/O outcomes. */
sealed interface WorkerEvent {

  /** The scheduler assigned a task. */
  record Compute(Msg.ComputeTask msg) implements WorkerEvent {}

  /** The scheduler released keys (results and queued tasks). */
  record Free(List<Key> keys) implements WorkerEvent {}

  /** The scheduler wants a task back if it has not started. */
  record Steal(Key key) implements WorkerEvent {}

  /** Values were stored by a client (PutData); they are owned, like computed results. */
  record Scattered(Map<Key, Long> nbytes) implements WorkerEvent {}

  /** A GetData to {@code peer} answered: {@code received} are now in the store, with sizes. */
  record FetchDone(String peer, Map<Key, Long> received, List<Key> missing) implements WorkerEvent {}

  /** A GetData to {@code peer} failed (connection, timeout, malformed answer). */
  record FetchFailed(String peer, List<Key> keys, String error) implements WorkerEvent {}

  /** A task ran; its result is already in the store. */
  record TaskSucceeded(Key key, long nbytes, String type, long startNanos, long durationNanos, byte[] inline)
      implements WorkerEvent {
    /** A success whose result is not sent inline. */
    public TaskSucceeded(Key key, long nbytes, String type, long startNanos, long durationNanos) {
      this(key, nbytes, type, startNanos, durationNanos, null);
    }
  }

  /** A task threw (or could not be decoded). */
  record TaskFailed(Key key, byte[] exception, String exceptionClass, String message, long durationNanos)
      implements WorkerEvent {}

  /** The memory manager paused the worker (start no task) or let it run again. */
  record Paused(boolean paused) implements WorkerEvent {}

  /** The scheduler connection was lost: forget every task (the scheduler reschedules them). */
  record SchedulerLost() implements WorkerEvent {}
}
