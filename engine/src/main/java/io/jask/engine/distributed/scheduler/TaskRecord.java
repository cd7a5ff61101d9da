package io.jask.engine.distributed.scheduler;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.Comparator;

/**
 * Everything the scheduler knows about one key (dask's {@code TaskState}). Mutable and owned by
 * {@link SchedulerState}; identity equality, so it can sit in hash sets cheaply.
 */
final class TaskRecord {
  /**
   * Ready tasks in run order: priority, then arrival (first submitted first: tasks of one {@code
   * client.map} all have graph order 0), then key for determinism.
   */
  static final Comparator<TaskRecord> BY_PRIORITY =
      (a, b) -> {
        if (a == b) {
          return 0;
        }
        int c = a.priority.compareTo(b.priority);
        if (c != 0) {
          return c;
        }
        c = Long.compare(a.arrival, b.arrival);
        return c != 0 ? c : a.key.compareTo(b.key);
      };

  final Key key;
  /** The spec to (re)compute the key; null for data scattered by a client. */
  Msg.TaskSpec spec;
  Priority priority;
  /** When the scheduler took its spec, counted per scheduler (ties of {@link #priority}). */
  long arrival;
  /** Read freely; write only through {@link #setState}, which keeps the counts of dependencies. */
  TaskState state = TaskState.RELEASED;
  /** How many dependents are in an active state (dask's {@code waiters}, as a count). */
  int activeDependents;

  // small insertion-ordered sets: most tasks have none or one of each (see SmallSet); each is the
  // shared empty set until its first add, which goes through the mutable... method (a client.map's
  // task keeps two sets instead of five: it holds all 50,000 of them at once)
  SmallSet<TaskRecord> dependencies = SmallSet.none();
  SmallSet<TaskRecord> dependents = SmallSet.none();
  /** Dependencies not in memory yet, while {@link TaskState#WAITING}. */
  SmallSet<TaskRecord> waitingOn = SmallSet.none();
  /** Clients holding a future for this key. */
  SmallSet<String> whoWants = SmallSet.none();
  /** Workers holding the result, while {@link TaskState#MEMORY}. */
  SmallSet<WorkerRecord> whoHas = SmallSet.none();

  SmallSet<TaskRecord> mutableDependencies() {
    return dependencies = SmallSet.addable(dependencies);
  }

  SmallSet<TaskRecord> mutableDependents() {
    return dependents = SmallSet.addable(dependents);
  }

  SmallSet<TaskRecord> mutableWaitingOn() {
    return waitingOn = SmallSet.addable(waitingOn);
  }

  SmallSet<String> mutableWhoWants() {
    return whoWants = SmallSet.addable(whoWants);
  }

  SmallSet<WorkerRecord> mutableWhoHas() {
    return whoHas = SmallSet.addable(whoHas);
  }
  /** The worker computing it, while {@link TaskState#PROCESSING}. */
  WorkerRecord processingOn;
  /**
   * While {@link TaskState#WAITING}: the worker it was sent to ahead of time, where its one missing
   * dependency is being computed (speculative assignment), or null.
   */
  WorkerRecord preassignedTo;
  /** The worker asked to give it back (a steal request in flight), or null. */
  WorkerRecord stealFrom;
  /** The worker answered a steal request with "it has started": do not ask again. */
  boolean startedOnWorker;

  /** Its slot in the root-task queue ({@link TaskQueue}), or -1. */
  int queueIndex = -1;
  /** The generation of the last {@code UpdateGraph} that named it as wanted (to skip repeats). */
  long wantedInGeneration;
  /** While processing: the duration its worker's occupancy counts for it. */
  long expectedNanos;
  /** The duration estimate of its prefix, looked up once ({@link Placement#durationOf}). */
  Placement.PrefixDuration duration;

  long nbytes;
  String type = "";
  int retriesLeft;
  /** How many workers died while computing it. */
  int suspicious;
  Failure failure;

  /** Why a key is erred: the key that failed and its exception. */
  record Failure(Key blame, byte[] exception, String exceptionClass, String message) {}

  TaskRecord(Key key, Msg.TaskSpec spec, Priority priority) {
    this(key, spec, priority, 0);
  }

  TaskRecord(Key key, Msg.TaskSpec spec, Priority priority, long arrival) {
    this.arrival = arrival;
    this.key = key;
    this.spec = spec;
    this.priority = priority;
    this.retriesLeft = spec == null ? 0 : Math.max(0, spec.retries());
  }

  /** Root-ish: no dependencies and no worker restrictions, so any worker will do (queuable). */
  boolean rootish() {
    return dependencies.isEmpty() && (spec == null || spec.allowedWorkers() == null || spec.allowedWorkers().isEmpty());
  }

  void setState(TaskState s) {
    boolean was = state.active();
    state = s;
    if (was != s.active()) {
      int delta = was ? -1 : 1;
      for (TaskRecord d : dependencies) {
        d.activeDependents += delta;
      }
    }
  }

  /** Whether some client or some dependent still on its way to be computed needs this result. */
  boolean needed() {
    return !whoWants.isEmpty() || activeDependents > 0;
  }

  /** Whether {@code w} may run this task. */
  boolean allows(WorkerRecord w) {
    if (spec == null || spec.allowedWorkers() == null || spec.allowedWorkers().isEmpty()) {
      return true;
    }
    return spec.allowedWorkers().contains(w.address) || spec.allowedWorkers().contains(w.name);
  }

  String prefix() {
    return key.prefix();
  }

  /**
   * The key's (cached) hash: records still compare by identity, but hash sets of records (a
   * worker's held keys, a client's wants) need not compute an identity hash per record.
   */
  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public String toString() {
    return key + "<" + state + ">";
  }
}
