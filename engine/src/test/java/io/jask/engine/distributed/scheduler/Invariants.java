package io.jask.engine.distributed.scheduler;

import io.jask.engine.Key;
import java.util.Map;
import java.util.Set;

/** Consistency rules that must hold after every event. */
final class Invariants {
  private Invariants() {}

  static void check(SchedulerState s) {
    Map<Key, TaskRecord> tasks = s.tasksView();
    Map<String, WorkerRecord> workers = s.workersView();
    for (TaskRecord t : tasks.values()) {
      String where = t.key + " in " + t.state;
      require(tasks.get(t.key) == t, "record mapped under its key " + where);
      require(t.state != TaskState.FORGOTTEN, "forgotten task still tracked " + where);
      require((t.state == TaskState.PROCESSING) == (t.processingOn != null), "processingOn iff processing " + where);
      if (t.state == TaskState.PROCESSING) {
        require(workers.get(t.processingOn.address) == t.processingOn, "processing on a live worker " + where);
        for (WorkerRecord w : workers.values()) {
          require(w.processing.contains(t) == (w == t.processingOn), "on exactly one worker " + where);
        }
      }
      require((t.state == TaskState.MEMORY) == !t.whoHas.isEmpty(), "holders iff memory " + where + " " + t.whoHas);
      for (WorkerRecord w : t.whoHas) {
        require(workers.get(w.address) == w, "holder is live " + where + " " + w);
        require(w.has.contains(t), "holder knows it " + where);
      }
      require((t.state == TaskState.QUEUED) == s.queueView().contains(t), "queued iff in queue " + where);
      require((t.state == TaskState.NO_WORKER) == s.noWorkerView().contains(t), "no-worker set " + where);
      require(t.state == TaskState.WAITING || t.waitingOn.isEmpty(), "waitingOn only while waiting " + where);
      if (t.state == TaskState.WAITING) {
        require(!t.waitingOn.isEmpty(), "waiting on something " + where);
      }
      require(t.state != TaskState.ERRED || t.failure != null, "erred has failure " + where);
      if (t.preassignedTo != null) {
        WorkerRecord w = t.preassignedTo;
        require(t.state == TaskState.WAITING, "only waiting tasks are assigned ahead " + where);
        require(workers.get(w.address) == w, "assigned ahead to a live worker " + where);
        require(w.preassigned.contains(t), "worker knows its task assigned ahead " + where);
        require(t.waitingOn.size() == 1, "assigned ahead while waiting for one input " + where + " " + t.waitingOn);
        TaskRecord d = t.waitingOn.iterator().next();
        require((d.state == TaskState.PROCESSING && d.processingOn == w)
            || (d.state == TaskState.WAITING && d.preassignedTo == w),
            "the input it waits for is computed on the same worker " + where + " dep " + d + " on " + d.processingOn + "/" + d.preassignedTo);
      }
      for (TaskRecord d : t.dependencies) {
        require(tasks.get(d.key) == d, "dependency tracked " + where + " dep " + d);
        require(d.dependents.contains(t), "dependents mirror dependencies " + where);
        if (t.state.active()) {
          require(d.state == TaskState.MEMORY || d.state.active(), "active task's inputs are coming " + where + " dep " + d);
          if (t.state == TaskState.WAITING) {
            require(d.state == TaskState.MEMORY || t.waitingOn.contains(d), "waits on non-memory inputs " + where + " dep " + d);
          } else {
            require(d.state == TaskState.MEMORY, "ready task's inputs in memory " + where + " dep " + d);
          }
        }
      }
      int active = 0;
      for (TaskRecord d : t.dependents) {
        require(tasks.get(d.key) == d, "dependent tracked " + where);
        active += d.state.active() ? 1 : 0;
      }
      require(active == t.activeDependents, "active dependents counted " + where);
      if (t.state == TaskState.RELEASED || t.state == TaskState.ERRED) {
        require(!t.dependents.isEmpty() || !t.whoWants.isEmpty(), "unreferenced keys are forgotten " + where);
      }
      if (t.state == TaskState.MEMORY || t.state.active()) {
        require(t.needed(), "only needed keys are kept or computed " + where);
      }
      for (String c : t.whoWants) {
        require(s.clientsView().getOrDefault(c, Set.of()).contains(t), "client knows its want " + where);
      }
    }
    for (WorkerRecord w : workers.values()) {
      long occ = 0;
      for (TaskRecord t : w.processing) {
        require(t.processingOn == w && t.state == TaskState.PROCESSING, "worker processing consistent " + t);
        occ += t.expectedNanos;
      }
      require(occ == w.occupancyNanos, "occupancy sums up on " + w);
      for (TaskRecord t : w.preassigned) {
        require(t.preassignedTo == w && tasks.get(t.key) == t, "assigned-ahead task tracked and mirrored " + t + " on " + w);
      }
      for (TaskRecord t : w.has) {
        require(t.whoHas.contains(w) && tasks.get(t.key) == t, "held key tracked and mirrored " + t + " on " + w);
      }
    }
    for (TaskRecord t : s.queueView()) {
      require(tasks.get(t.key) == t && t.state == TaskState.QUEUED, "queue holds queued tasks " + t);
    }
    for (Map.Entry<String, Set<TaskRecord>> e : s.clientsView().entrySet()) {
      for (TaskRecord t : e.getValue()) {
        require(tasks.get(t.key) == t && t.whoWants.contains(e.getKey()), "wanted key tracked " + t);
      }
    }
    int sum = s.countsByState().values().stream().mapToInt(Integer::intValue).sum();
    require(sum == tasks.size(), "counts add up");
  }

  private static void require(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("invariant broken: " + what);
    }
  }
}
