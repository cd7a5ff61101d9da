package io.jask.engine.distributed.scheduler;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The task transitions of {@link SchedulerState} (see its design comment): the moves between
 * {@link TaskState}s, each keeping the tables (workers' processing and held keys, the root-task
 * queue, the no-worker set) consistent and appending the messages it implies to {@link #out}.
 * Event handlers decide which transitions an event causes; this class knows how to make them.
 */
final class Transitions {
  static final String LOST_DATA = SchedulerState.LOST_DATA;
  /** A task is assigned ahead of time only if it needs at most this many bytes from other workers. */
  static final long SPECULATIVE_FETCH_LIMIT = 1 << 20;

  final Placement placement;
  final Map<Key, TaskRecord> tasks;
  final Map<String, WorkerRecord> workers;
  final TaskQueue queue = new TaskQueue();
  final Set<TaskRecord> noWorker = new LinkedHashSet<>();
  /** Keys that may have stopped being needed; revisited by {@link #drainReleases}. */
  final Deque<TaskRecord> releaseCandidates = new ArrayDeque<>();
  /** Where messages go during the current event. */
  List<Send> out = new ArrayList<>();

  final boolean speculative;

  Transitions(Placement placement, Map<Key, TaskRecord> tasks, Map<String, WorkerRecord> workers, boolean speculative) {
    this.placement = placement;
    this.tasks = tasks;
    this.workers = workers;
    this.speculative = speculative;
  }

  /** Makes a released key and its released dependencies computable, deepest first. */
  void request(TaskRecord root) {
    if (root.state != TaskState.RELEASED) {
      return;
    }
    if (!anyReleased(root.dependencies)) {
      activate(root); // the common case (a root task, or inputs already on their way): no walk
      return;
    }
    List<TaskRecord> order = new ArrayList<>();
    Set<TaskRecord> seen = new LinkedHashSet<>();
    Deque<Iterator<TaskRecord>> stack = new ArrayDeque<>();
    Deque<TaskRecord> path = new ArrayDeque<>();
    seen.add(root);
    path.push(root);
    stack.push(root.dependencies.iterator());
    while (!stack.isEmpty()) {
      Iterator<TaskRecord> it = stack.peek();
      if (it.hasNext()) {
        TaskRecord d = it.next();
        if (d.state == TaskState.RELEASED && seen.add(d)) {
          path.push(d);
          stack.push(d.dependencies.iterator());
        }
      } else {
        stack.pop();
        order.add(path.pop());
      }
    }
    for (TaskRecord t : order) {
      activate(t);
    }
  }

  private static boolean anyReleased(SmallSet<TaskRecord> ts) {
    if (ts.isEmpty()) {
      return false;
    }
    for (TaskRecord d : ts) {
      if (d.state == TaskState.RELEASED) {
        return true;
      }
    }
    return false;
  }

  void requestIfNeeded(TaskRecord t) {
    if (t.state == TaskState.RELEASED && t.needed()) {
      request(t);
    } else {
      releaseCandidates.add(t);
    }
  }

  /** released → waiting (→ ready), or → erred when a dependency failed or it cannot be computed. */
  void activate(TaskRecord t) {
    if (t.state != TaskState.RELEASED) {
      return;
    }
    if (t.spec == null) {
      fail(t, new TaskRecord.Failure(t.key, new byte[0], LOST_DATA,
          "every copy of scattered data " + t.key + " was lost"));
      return;
    }
    t.waitingOn.clear();
    for (TaskRecord d : t.dependencies) {
      if (d.state == TaskState.ERRED) {
        fail(t, d.failure);
        return;
      }
      if (d.state != TaskState.MEMORY) {
        t.mutableWaitingOn().add(d);
      }
    }
    t.setState(TaskState.WAITING);
    if (t.waitingOn.isEmpty()) {
      ready(t);
    } else {
      maybePreassign(t);
    }
  }

  /** waiting with every dependency in memory → queued, no-worker or processing. */
  void ready(TaskRecord t) {
    WorkerRecord pre = t.preassignedTo;
    if (pre != null) {
      if (inputsInMemory(t)) {
        // the worker has the task already and starts it on its own once the input is there
        pre.preassigned.remove(t);
        t.preassignedTo = null;
        startProcessing(t, pre);
        return;
      }
      unassign(t);
    }
    if (placement.queuing() && t.rootish()) {
      t.setState(TaskState.QUEUED);
      queue.add(t);
      return;
    }
    WorkerRecord w = placement.decideWorker(t, workers.values(), null);
    if (w == null) {
      t.setState(TaskState.NO_WORKER);
      noWorker.add(t);
    } else {
      sendCompute(t, w);
    }
  }

  void sendCompute(TaskRecord t, WorkerRecord w) {
    startProcessing(t, w);
    out.add(Send.toWorker(w.address, computeMessage(t, null)));
    if (speculative) {
      for (TaskRecord d : t.dependents) {
        maybePreassign(d);
      }
    }
  }

  private void startProcessing(TaskRecord t, WorkerRecord w) {
    t.setState(TaskState.PROCESSING);
    t.processingOn = w;
    t.startedOnWorker = false;
    w.addProcessing(t, placement.expectedDurationNanos(t));
  }

  /** {@code pending}: the one dependency not in memory yet (speculative assignment), or null. */
  private static Msg.ComputeTask computeMessage(TaskRecord t, TaskRecord pending) {
    if (t.dependencies.isEmpty()) {
      return new Msg.ComputeTask(t.spec, Map.of(), Map.of(), List.of()); // read-only on the worker
    }
    Map<Key, List<String>> whoHas = new LinkedHashMap<>();
    Map<Key, Long> nbytes = new LinkedHashMap<>();
    for (TaskRecord d : t.dependencies) {
      whoHas.put(d.key, d == pending ? List.of() : addresses(d.whoHas));
      nbytes.put(d.key, d.nbytes);
    }
    return new Msg.ComputeTask(t.spec, whoHas, nbytes, pending == null ? List.of() : List.of(pending.key));
  }

  // ------------------------------------------------------------ speculative assignment

  /**
   * Assigns waiting tasks ahead of time, starting with {@code first}: a task waiting only for one
   * dependency that is processing, or itself assigned ahead, on worker W goes to W now (if W may run
   * it and it needs little data from elsewhere), and W starts it when the dependency is done there.
   * Only the one consumer of an input is assigned ahead (chains, reduction trees); the consumers
   * of a shared input are placed when it is done, so they can spread over the workers.
   * The task stays waiting here, with {@link TaskRecord#preassignedTo} set, until the dependency's
   * result arrives from W ({@link #ready}); if the dependency ends any other way the task is taken
   * back ({@link #unassign}). Its own waiting dependents are considered in turn (a chain goes to W
   * as a whole).
   */
  void maybePreassign(TaskRecord first) {
    if (!speculative) {
      return;
    }
    Deque<TaskRecord> todo = new ArrayDeque<>();
    todo.add(first);
    while (!todo.isEmpty()) {
      TaskRecord t = todo.poll();
      if (t.state != TaskState.WAITING || t.preassignedTo != null || t.spec == null || t.waitingOn.size() != 1) {
        continue;
      }
      TaskRecord d = t.waitingOn.first();
      WorkerRecord w = d.state == TaskState.PROCESSING ? d.processingOn
          : d.state == TaskState.WAITING ? d.preassignedTo : null;
      if (w == null || w.gone || !w.running() || !t.allows(w) || d.activeDependents != 1) {
        continue; // (an input with several consumers: they are placed when it is done, spread out)
      }
      long elsewhere = 0;
      for (TaskRecord o : t.dependencies) {
        if (o != d && !o.whoHas.contains(w)) {
          elsewhere += Math.max(0, o.nbytes);
        }
      }
      if (elsewhere > SPECULATIVE_FETCH_LIMIT) {
        continue;
      }
      t.preassignedTo = w;
      w.preassigned.add(t);
      out.add(Send.toWorker(w.address, computeMessage(t, d)));
      for (TaskRecord u : t.dependents) {
        if (u.state == TaskState.WAITING && u.preassignedTo == null && u.waitingOn.size() == 1) {
          todo.add(u);
        }
      }
    }
  }

  /**
   * Takes back a task assigned ahead of time (and, in turn, its dependents that were assigned
   * ahead because of it): it is freed on its worker, if that worker is still connected, and stays
   * waiting here.
   */
  void unassign(TaskRecord first) {
    Deque<TaskRecord> todo = new ArrayDeque<>();
    todo.add(first);
    while (!todo.isEmpty()) {
      TaskRecord t = todo.poll();
      WorkerRecord w = t.preassignedTo;
      if (w == null) {
        continue;
      }
      t.preassignedTo = null;
      w.preassigned.remove(t);
      if (!w.gone) {
        freeOn(w.address, t.key);
      }
      for (TaskRecord u : t.dependents) {
        if (u.preassignedTo == w && u.waitingOn.contains(t)) {
          todo.add(u);
        }
      }
    }
  }

  /** {@code t} stops processing on {@code w} without its result: take back what waited for it there. */
  void unassignDependentsOf(TaskRecord t, WorkerRecord w) {
    if (w.preassigned.isEmpty()) {
      return;
    }
    for (TaskRecord u : t.dependents) {
      if (u.preassignedTo == w && u.waitingOn.contains(t)) {
        unassign(u);
      }
    }
  }

  private static boolean inputsInMemory(TaskRecord t) {
    for (TaskRecord d : t.dependencies) {
      if (d.state != TaskState.MEMORY) {
        return false;
      }
    }
    return true;
  }

  /** Any active state → released; a processing task is taken back (told to its worker if asked). */
  void leaveActive(TaskRecord t, boolean tellWorker) {
    leaveActive(t, tellWorker, false);
  }

  /**
   * {@code finished}: a processing task whose result has just arrived from its worker; the tasks
   * assigned ahead of time to that worker because of it stay there (they start on their own).
   */
  private void leaveActive(TaskRecord t, boolean tellWorker, boolean finished) {
    if (t.preassignedTo != null) {
      unassign(t);
    }
    switch (t.state) {
      case QUEUED -> queue.remove(t);
      case NO_WORKER -> noWorker.remove(t);
      case PROCESSING -> {
        WorkerRecord w = t.processingOn;
        if (w != null) {
          if (!finished) {
            unassignDependentsOf(t, w);
          }
          w.removeProcessing(t);
          if (tellWorker && !w.gone) {
            freeOn(w.address, t.key);
          }
        }
      }
      default -> {}
    }
    t.processingOn = null;
    t.stealFrom = null;
    t.startedOnWorker = false;
    t.waitingOn.clear();
    t.setState(TaskState.RELEASED);
    addCandidates(t.dependencies); // they may have lost their last active dependent
  }

  /** Adds {@code ts} to {@link #releaseCandidates} (no iterator or lambda for the usual empty set). */
  void addCandidates(SmallSet<TaskRecord> ts) {
    if (!ts.isEmpty()) {
      for (TaskRecord d : ts) {
        releaseCandidates.add(d);
      }
    }
  }

  /** The result is on {@code w}: tell the clients, wake up dependents, revisit the inputs. */
  void toMemory(TaskRecord t, WorkerRecord w, long nbytes, String type) {
    toMemory(t, w, nbytes, type, null);
  }

  /** {@code inline}: the small result's bytes from the worker, passed on to waiting clients. */
  void toMemory(TaskRecord t, WorkerRecord w, long nbytes, String type, byte[] inline) {
    if (t.state.active()) {
      leaveActive(t, false, t.state == TaskState.PROCESSING && t.processingOn == w);
    }
    t.failure = null;
    t.setState(TaskState.MEMORY);
    t.nbytes = Math.max(0, nbytes);
    t.type = type == null ? "" : type;
    t.mutableWhoHas().add(w);
    w.addReplica(t);
    if (!t.whoWants.isEmpty()) {
      Msg.KeyInMemory msg = new Msg.KeyInMemory(t.key, addresses(t.whoHas), t.nbytes, t.type, inline);
      for (String c : t.whoWants) {
        out.add(Send.toClient(c, msg));
      }
    }
    if (!t.dependents.isEmpty()) {
      for (TaskRecord d : t.dependents) {
        if (d.state == TaskState.WAITING && d.waitingOn.remove(t)) {
          if (d.waitingOn.isEmpty()) {
            ready(d);
          } else if (d.waitingOn.size() == 1) {
            maybePreassign(d);
          }
        }
      }
    }
    addCandidates(t.dependencies);
    releaseCandidates.add(t);
  }

  /** {@code t} and every dependent on its way to be computed become erred; clients are told. */
  void fail(TaskRecord first, TaskRecord.Failure failure) {
    Deque<TaskRecord> todo = new ArrayDeque<>();
    todo.add(first);
    while (!todo.isEmpty()) {
      TaskRecord t = todo.poll();
      if (t.state == TaskState.ERRED) {
        continue;
      }
      if (t.state.active()) {
        leaveActive(t, true);
      }
      t.waitingOn.clear();
      t.setState(TaskState.ERRED);
      t.failure = failure;
      for (String c : t.whoWants) {
        reportFailure(t, c);
      }
      for (TaskRecord d : t.dependents) {
        if (d.state.active()) {
          todo.add(d);
        }
      }
      addCandidates(t.dependencies);
      releaseCandidates.add(t);
    }
  }

  void reportFailure(TaskRecord t, String client) {
    TaskRecord.Failure f = t.failure;
    if (LOST_DATA.equals(f.exceptionClass()) && f.blame().equals(t.key)) {
      out.add(Send.toClient(client, new Msg.KeyCancelled(t.key, f.message())));
    } else {
      out.add(Send.toClient(client, new Msg.KeyErred(t.key, f.blame(), f.exception(), f.exceptionClass(), f.message())));
    }
  }

  /**
   * {@code t} just lost its last replica (it is released): dependents that counted on it go back
   * to waiting, and it is computed again if still needed.
   */
  void afterLoss(TaskRecord t) {
    restartDependentsOf(t);
    requestIfNeeded(t);
  }

  void restartDependentsOf(TaskRecord t) {
    List<TaskRecord> restart = new ArrayList<>();
    for (TaskRecord d : t.dependents) {
      if (d.state == TaskState.WAITING) {
        if (t.state != TaskState.MEMORY && d.mutableWaitingOn().add(t) && d.preassignedTo != null) {
          unassign(d); // it waits for more than its one input on that worker now
        }
      } else if (d.state.active()) {
        leaveActive(d, true);
        restart.add(d);
      }
    }
    for (TaskRecord d : restart) {
      request(d);
    }
    for (TaskRecord d : t.dependents) {
      if (d.state == TaskState.WAITING && t.state == TaskState.RELEASED) {
        request(t);
        break;
      }
    }
  }

  void retryNoWorker() {
    if (noWorker.isEmpty()) {
      return;
    }
    List<TaskRecord> waiting = new ArrayList<>(noWorker);
    waiting.sort(TaskRecord.BY_PRIORITY);
    for (TaskRecord t : waiting) {
      WorkerRecord w = placement.decideWorker(t, workers.values(), null);
      if (w != null) {
        noWorker.remove(t);
        sendCompute(t, w);
      }
    }
  }

  void drainQueue() {
    while (!queue.isEmpty()) {
      WorkerRecord w = placement.workerForQueued(workers.values());
      if (w == null) {
        return;
      }
      sendCompute(queue.pollFirst(), w);
    }
  }

  /** Frees results nobody needs, cancels work nobody needs, forgets what nothing refers to. */
  void drainReleases() {
    while (!releaseCandidates.isEmpty()) {
      TaskRecord t = releaseCandidates.poll();
      // a record not in the table is forgotten: no lookup needed
      if (t.state == TaskState.FORGOTTEN || t.needed()) {
        continue;
      }
      if (t.state == TaskState.MEMORY) {
        for (WorkerRecord w : t.whoHas) {
          w.removeReplica(t);
          freeOn(w.address, t.key);
        }
        t.whoHas.clear();
        t.setState(TaskState.RELEASED);
      } else if (t.state.active()) {
        leaveActive(t, true); // revisits the inputs
      }
      if (t.dependents.isEmpty() && t.whoWants.isEmpty()) {
        tasks.remove(t.key);
        t.setState(TaskState.FORGOTTEN);
        for (TaskRecord d : t.dependencies) {
          d.dependents.remove(t);
        }
        addCandidates(t.dependencies);
      }
    }
  }

  /** How far back {@link #freeOn} looks for the last message to the same worker. */
  static final int FREE_MERGE_LOOKBACK = 16;

  /**
   * Appends a FreeKeys, merged into the last message to that worker when it is a FreeKeys (it is
   * the last one to that worker, so the order of what the worker receives is the same). Looks at
   * most {@value #FREE_MERGE_LOOKBACK} messages back: releasing results spread over a few workers
   * costs one message per worker, not one per key.
   */
  void freeOn(String worker, Key key) {
    for (int i = out.size() - 1, stop = Math.max(0, out.size() - FREE_MERGE_LOOKBACK); i >= stop; i--) {
      Send last = out.get(i);
      if (last.target() != Send.Target.WORKER || !last.to().equals(worker)) {
        continue;
      }
      if (last.msg() instanceof Msg.FreeKeys f && f.keys() instanceof ArrayList<Key> keys) {
        keys.add(key); // our own list, made below: appending is not quadratic in a large release
        return;
      }
      break; // the last message to that worker is something else: a FreeKeys goes after it
    }
    List<Key> keys = new ArrayList<>(4);
    keys.add(key);
    out.add(Send.toWorker(worker, new Msg.FreeKeys(keys)));
  }

  static Msg.KeyInMemory inMemory(TaskRecord t) {
    return new Msg.KeyInMemory(t.key, addresses(t.whoHas), t.nbytes, t.type);
  }

  static List<String> addresses(Set<WorkerRecord> ws) {
    List<String> a = new ArrayList<>(ws.size());
    for (WorkerRecord w : ws) {
      a.add(w.address);
    }
    return a;
  }
}
