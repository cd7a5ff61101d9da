package io.jask.engine.distributed.scheduler;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a ready task runs (dask's {@code decide_worker} and {@code worker_objective}) and how long
 * tasks are expected to take.
 *
 * <p>A task's expected start time on worker {@code w} is {@code occupancy(w) / nthreads(w) +
 * missingInputBytes(w) / bandwidth}: the time its queue needs to drain plus the time to fetch the
 * inputs it does not hold. The task goes to the valid worker (alive, not paused, allowed by the
 * spec's restrictions) with the smallest start time; ties go to the worker with fewer processing
 * tasks, then to the smaller address. So the holder of most input bytes wins unless its queue is
 * much longer than the transfer would take elsewhere.
 *
 * <p>Occupancy uses an exponential moving average of observed durations per key prefix ({@code
 * "sum-a81f"} → {@code "sum"}), as dask does; an unseen prefix is assumed to take {@link
 * SchedulerState.Options#defaultTaskDurationNanos()}.
 *
 * <p>Root-ish tasks (no dependencies, no restrictions) are not placed eagerly: a worker takes them
 * only while it has fewer than {@code ceil(nthreads × saturation)} tasks processing; the others
 * wait in the scheduler's queue ({@link TaskState#QUEUED}).
 */
final class Placement {
  private final SchedulerState.Options options;
  private final Map<String, PrefixDuration> durationByPrefix = new HashMap<>();

  /**
   * The running duration estimate of one key prefix. A task record keeps a reference to its
   * prefix's ({@link TaskRecord#duration}), so the per-task path does no string-keyed lookup.
   */
  static final class PrefixDuration {
    /** Meaningful once {@link #seen}. */
    long averageNanos;
    boolean seen;
  }

  Placement(SchedulerState.Options options) {
    this.options = options;
  }

  long expectedDurationNanos(String prefix) {
    PrefixDuration d = durationByPrefix.get(prefix);
    return d != null && d.seen ? d.averageNanos : options.defaultTaskDurationNanos();
  }

  /** The expected duration of {@code t}, from its prefix's average. */
  long expectedDurationNanos(TaskRecord t) {
    PrefixDuration d = durationOf(t);
    return d.seen ? d.averageNanos : options.defaultTaskDurationNanos();
  }

  /** The task's prefix estimate, looked up (or made) once per task record. */
  PrefixDuration durationOf(TaskRecord t) {
    PrefixDuration d = t.duration;
    if (d == null) {
      d = durationByPrefix.computeIfAbsent(t.prefix(), p -> new PrefixDuration());
      t.duration = d;
    }
    return d;
  }

  /** Folds an observed duration of {@code t} into its prefix's average (weight ½, as dask). */
  void observe(TaskRecord t, long durationNanos) {
    if (durationNanos < 0) {
      return;
    }
    PrefixDuration d = durationOf(t);
    d.averageNanos = d.seen ? (d.averageNanos + durationNanos) / 2 : durationNanos;
    d.seen = true;
  }

  /** Whether root tasks are held back in the scheduler's queue at all. */
  boolean queuing() {
    double s = options.workerSaturation();
    return !Double.isInfinite(s) && !Double.isNaN(s) && s > 0;
  }

  /** How many more tasks the worker may take before it is saturated. */
  int freeSlots(WorkerRecord w) {
    int cap = (int) Math.max(1, Math.ceil(w.nthreads * options.workerSaturation()));
    int free = cap - w.processing.size();
    if (free <= 0 && w.occupancyNanos / w.nthreads < options.queueBudgetNanos()) {
      return 1; // its queued work is shorter than a round trip: keep it fed
    }
    return free;
  }

  /** The best worker for a ready task, or null when no valid worker exists. */
  WorkerRecord decideWorker(TaskRecord t, Collection<WorkerRecord> workers, WorkerRecord exclude) {
    WorkerRecord best = null;
    double bestCost = 0;
    for (WorkerRecord w : workers) {
      if (w == exclude || !w.running() || !t.allows(w)) {
        continue;
      }
      double cost = startTimeSeconds(t, w);
      if (best == null || cost < bestCost || (cost == bestCost && better(w, best))) {
        best = w;
        bestCost = cost;
      }
    }
    return best;
  }

  /** The least loaded worker with a free slot for a queued root task, or null. */
  WorkerRecord workerForQueued(Collection<WorkerRecord> workers) {
    WorkerRecord best = null;
    double bestLoad = 0;
    for (WorkerRecord w : workers) {
      if (!w.running() || freeSlots(w) <= 0) {
        continue;
      }
      double load = (double) w.processing.size() / w.nthreads;
      if (best == null || load < bestLoad || (load == bestLoad && better(w, best))) {
        best = w;
        bestLoad = load;
      }
    }
    return best;
  }

  /** What fetching one input from another worker costs besides its bytes: a round trip. */
  static final double TRANSFER_LATENCY_SECONDS = 0.001;

  double startTimeSeconds(TaskRecord t, WorkerRecord w) {
    long missing = 0;
    int missingCount = 0;
    for (TaskRecord d : t.dependencies) {
      if (!d.whoHas.contains(w)) {
        missing += bytesNeeded(t, d);
        missingCount++;
      }
    }
    double stack = w.occupancyNanos / 1e9 / w.nthreads;
    double bandwidth = options.bandwidthBytesPerSec() > 0 ? options.bandwidthBytesPerSec() : 1e8;
    // tiny inputs still cost a round trip to fetch: a chain stays on the worker that holds its input
    return stack + missing / bandwidth + missingCount * TRANSFER_LATENCY_SECONDS;
  }

  /**
   * The bytes task {@code t} moves to fetch its input {@code d}: all of them, or for a task that takes only some
   * parts of it (a shuffle's output taking its piece of every split) that share of them. The
   * scheduler does not know how many parts {@code d} has; its dependents are taken as its parts
   * (each output of a shuffle takes one part of each split), so a split of 200 MB read by 20
   * outputs costs each of them 10 MB, not 200 MB. Counting the whole value made every output of a
   * shuffle go to the worker that held a few more splits, until its queue outweighed the whole
   * splits' transfer time (14 of 20 sort outputs on one of two workers).
   */
  static long bytesNeeded(TaskRecord t, TaskRecord d) {
    long bytes = Math.max(0, d.nbytes);
    List<Integer> parts = t.spec == null ? null : t.spec.partsOf(d.key);
    if (parts == null || parts.isEmpty()) {
      return bytes;
    }
    int of = Math.max(parts.size(), d.dependents.size());
    return bytes / of * parts.size();
  }

  private static boolean better(WorkerRecord a, WorkerRecord b) {
    if (a.processing.size() != b.processing.size()) {
      return a.processing.size() < b.processing.size();
    }
    return a.address.compareTo(b.address) < 0;
  }
}
