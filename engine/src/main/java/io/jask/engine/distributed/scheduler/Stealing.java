package io.jask.engine.distributed.scheduler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Work stealing, a simpler cousin of dask's {@code stealing.py}.
 *
 * <p>A worker is <em>idle</em> when it processes fewer tasks than it has threads, and
 * <em>saturated</em> when it processes more (the extra ones sit in its local queue). On every tick
 * the scheduler asks saturated workers to give back some of their extra tasks, as many as idle
 * threads exist elsewhere. It picks the tasks least likely to have started and cheapest to move:
 * fewest input bytes first (moving a task means moving its inputs), then the lowest priority
 * (workers run their queue highest priority first). A task with a steal request in flight, or
 * with restrictions no idle worker satisfies, is left alone.
 *
 * <p>A worker paused for memory starts no task, so every task it has not started counts as extra
 * there: a worker that stays paused (its memory does not go down) does not keep the last tasks of a
 * graph from the others.
 *
 * <p>The victim answers {@code StealResponse}: if it gave the task back, the scheduler places it
 * again with {@link Placement#decideWorker} excluding the victim; if it had started, nothing
 * changes. Results that arrive for a task that moved are freed on the worker that sent them.
 */
final class Stealing {

  /** One steal request to send. */
  record Steal(WorkerRecord victim, TaskRecord task) {}

  private static final Comparator<TaskRecord> CHEAPEST_LEAST_URGENT =
      Comparator.comparingLong(Stealing::inputBytes)
          .thenComparing(TaskRecord.BY_PRIORITY.reversed());

  List<Steal> plan(Collection<WorkerRecord> workers) {
    List<WorkerRecord> idle = new ArrayList<>();
    int idleSlots = 0;
    for (WorkerRecord w : workers) {
      if (w.running() && w.processing.size() < w.nthreads) {
        idle.add(w);
        idleSlots += w.nthreads - w.processing.size();
      }
    }
    List<Steal> out = new ArrayList<>();
    if (idle.isEmpty()) {
      return out; // the common case on a busy cluster: no walk over every processing task per tick
    }
    for (WorkerRecord w : workers) {
      for (TaskRecord t : w.processing) {
        if (t.stealFrom != null) {
          idleSlots--; // already on its way to an idle thread
        }
      }
    }
    List<WorkerRecord> busiest = new ArrayList<>(workers);
    busiest.sort(
        Comparator.comparingDouble((WorkerRecord w) -> -(double) w.processing.size() / w.nthreads)
            .thenComparing(w -> w.address));
    for (WorkerRecord victim : busiest) {
      if (idleSlots <= 0) {
        break;
      }
      int inFlight = 0;
      int started = 0;
      List<TaskRecord> candidates = new ArrayList<>();
      for (TaskRecord t : victim.processing) {
        if (t.stealFrom != null) {
          inFlight++;
        } else if (t.startedOnWorker) {
          started++;
        } else if (idle.stream().anyMatch(t::allows)) {
          candidates.add(t);
        }
      }
      // a paused worker starts nothing: every task of its queue is extra, not just those beyond its threads
      int extra = victim.processing.size() - (victim.running() ? victim.nthreads : started) - inFlight;
      if (extra <= 0) {
        continue;
      }
      candidates.sort(CHEAPEST_LEAST_URGENT);
      for (int i = 0; i < candidates.size() && extra > 0 && idleSlots > 0; i++) {
        out.add(new Steal(victim, candidates.get(i)));
        extra--;
        idleSlots--;
      }
    }
    return out;
  }

  static long inputBytes(TaskRecord t) {
    long sum = 0;
    for (TaskRecord d : t.dependencies) {
      sum += Placement.bytesNeeded(t, d);
    }
    return sum;
  }
}
