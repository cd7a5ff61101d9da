package io.jask.engine.distributed.scheduler;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributed scheduler's brain: tasks, workers and clients as plain objects, driven by
 * {@link Event}s and answering with {@link Send}s (dask.distributed's {@code SchedulerState}).
 * No I/O, no threads, no clock: the server calls {@link #handle} from one thread with the time
 * (the class is not thread-safe; the read-only views must be called from that thread too).
 *
 * <pre>{@code
 * SchedulerState s = new SchedulerState(SchedulerState.Options.defaults());
 * List<Send> out = new ArrayList<>();
 * s.handle(now, new Event.WorkerConnected("tcp://w1:9000", registration), out);
 * s.handle(now, new Event.FromClient("c1", updateGraph), out);   // out: ComputeTask to w1 ...
 * }</pre>
 *
 * <h2>Design</h2>
 *
 * <p><b>Task states.</b> Every key the scheduler tracks is in one {@link TaskState}:
 *
 * <pre>
 *   released ──request──▶ waiting ──deps in memory──▶ queued | no-worker | processing ──▶ memory
 *      ▲  ▲                  │                          (root-ish)  (no valid worker)      │
 *      │  └──── lost / cancelled / retried / stolen ◀──────────────────────────────────────┤
 *      │                                                 failed, retries used up ─▶ erred  │
 *      └──────────── not needed: FreeKeys to holders ◀──────────────────────────────────────┘
 *   released or erred, with no dependents and no client ─▶ forgotten (dropped)
 * </pre>
 *
 * A key is <em>needed</em> while a client wants it or a dependent is on its way to be computed
 * (waiting, queued, no-worker, processing). Needed keys are brought to memory: {@code request}
 * walks down from a key through its released dependencies and makes them all waiting, deepest
 * first. After every event, keys that may have stopped being needed (a dependent finished or
 * failed, a client released a key) are revisited: a result nobody needs is freed on every worker
 * holding it, work nobody needs is cancelled, and a key with neither dependents nor clients is
 * forgotten. Released keys keep their spec while a dependent is tracked, so a lost result can be
 * recomputed from its inputs, which are recomputed too if they were freed.
 *
 * <p><b>Placement</b> ({@link Placement}). A ready task with dependencies goes at once to the
 * worker where it would start first: queue length ({@code occupancy / nthreads}) plus the time to
 * fetch the input bytes that worker lacks. Root-ish tasks (no dependencies, no restrictions) wait
 * in a priority queue and go to a worker only while it has fewer than {@code ceil(nthreads ×
 * workerSaturation)} tasks, so a large fan-in graph is consumed breadth-first in priority order
 * instead of being dumped on the workers. Priorities are {@code (-userPriority, generation,
 * graph order, arrival)}: one generation per {@code UpdateGraph} makes clients first come, first
 * served, and tasks of equal graph order (a {@code client.map}'s) run in the order they were
 * submitted.
 *
 * <p><b>Speculative assignment.</b> A waiting task whose one missing dependency is processing on
 * worker W, or is itself assigned ahead to W, is sent to W at once ({@code ComputeTask} naming
 * that dependency in {@code pendingHere}) if W may run it and its other inputs on other workers
 * are small; it stays {@code waiting} here with {@code preassignedTo = W}. W starts it the moment
 * the dependency is done there; when the dependency's result arrives from W the task becomes
 * processing on W without another message, and its result arrives as usual. A chain of dependent
 * tasks thus runs on W back to back. If the dependency ends any other way (it errs, is stolen,
 * freed or rescheduled, W dies, W reports its input missing) or the task itself stops being needed
 * or waits for another input again, the task is taken back: freed on W (W drops such tasks on its
 * own too) and placed normally later. Off with {@code distributed.scheduler.speculative-assignment}.
 *
 * <p><b>Failures.</b> A task that fails is retried while its retries last, then it and every
 * dependent on its way to be computed become erred, and every client wanting one of them is told.
 * A worker that disappears (connection lost or silent for {@code workerTtl}) takes its processing
 * tasks back to released and they are requested again; a task that was processing on more than
 * {@code allowedFailures} dead workers is erred as {@code KilledWorker}. Results only that worker
 * held are lost: dependents that assumed them in memory go back to waiting, and lost keys still
 * needed are recomputed. {@code MissingData} from a worker does the same for the replicas it
 * could not fetch.
 *
 * <p><b>Stealing</b> ({@link Stealing}). On each tick, saturated workers (more processing tasks
 * than threads) are asked to give back their cheapest, least urgent extra tasks while other
 * workers have idle threads; a task given back is placed again excluding its old worker.
 *
 * <p><b>Protocol details the server, workers and clients rely on.</b> A worker is welcomed with
 * a heartbeat interval of a tenth of the ttl (between 100 ms and 1 s). After {@code MissingData}
 * the task is taken back with {@code FreeKeys} and sent again later with fresh holders. A worker
 * that reports itself paused in a heartbeat ({@link Msg.WorkerMemory#paused()}: its process
 * memory is above its {@code distributed.worker.memory.pause} fraction) gets no new tasks, queued
 * root tasks included, until a heartbeat reports it running again; a heartbeat without that
 * report counts as paused above 80% of the limit. Keys a client wants that the graph cannot produce (missing dependency,
 * cycle) are answered with {@code KeyCancelled}; lost scattered data too, and its dependents err
 * with {@value #LOST_DATA}.
 *
 * <p><b>Robustness.</b> Peers are not trusted: unknown keys, messages from unknown or dead
 * workers, duplicate or late results, and results for tasks that moved are logged and ignored
 * (a stray result is freed on the worker that sent it). Whatever the order of events, a
 * processing task is on exactly one live worker and a key in memory has a live holder.
 */
public final class SchedulerState {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerState.class);

  /** Exception class reported for a task that was on too many workers that died. */
  public static final String KILLED_WORKER = "io.jask.distributed.KilledWorker";
  /** Exception class reported for scattered data whose every copy was lost. */
  public static final String LOST_DATA = "io.jask.distributed.LostData";
  /** A worker reporting memory above this fraction of its limit is treated as paused. */
  static final double PAUSE_FRACTION = 0.8;

  /**
   * Tuning of the scheduler.
   *
   * @param allowedFailures deaths of workers a task may survive before it is erred
   * @param workStealing whether ticks move queued work from busy to idle workers
   * @param workerTtlNanos a worker silent this long is considered dead
   * @param workerSaturation root tasks per thread a worker gets at most (infinite: no queuing)
   * @param defaultTaskDurationNanos expected duration of a task of an unseen prefix
   * @param bandwidthBytesPerSec expected transfer speed between workers
   * @param queueBudgetNanos a saturated worker still gets queued root tasks while its expected
   *     work per thread is below this (0: off). Tiny tasks would otherwise leave a worker idle for
   *     a scheduler round trip after each one; tasks longer than this are queued as in Dask.
   * @param speculativeAssignment a task whose one missing input is being computed on a worker (or
   *     is itself assigned there ahead of time) is sent to that worker at once, which starts it
   *     when the input is done, without waiting for the scheduler (see the design comment)
   */
  public record Options(
      int allowedFailures,
      boolean workStealing,
      long workerTtlNanos,
      double workerSaturation,
      long defaultTaskDurationNanos,
      double bandwidthBytesPerSec,
      long queueBudgetNanos,
      boolean speculativeAssignment) {

    /** Options without a queue budget (pure Dask queuing), with speculative assignment. */
    public Options(int allowedFailures, boolean workStealing, long workerTtlNanos, double workerSaturation,
        long defaultTaskDurationNanos, double bandwidthBytesPerSec) {
      this(allowedFailures, workStealing, workerTtlNanos, workerSaturation, defaultTaskDurationNanos, bandwidthBytesPerSec, 0, true);
    }

    /** Options with speculative assignment. */
    public Options(int allowedFailures, boolean workStealing, long workerTtlNanos, double workerSaturation,
        long defaultTaskDurationNanos, double bandwidthBytesPerSec, long queueBudgetNanos) {
      this(allowedFailures, workStealing, workerTtlNanos, workerSaturation, defaultTaskDurationNanos, bandwidthBytesPerSec,
          queueBudgetNanos, true);
    }

    /**
     * dask's defaults (3 failures, stealing on, 30 s ttl, saturation 1.1, 0.5 s, 100 MB/s), a 2 ms
     * queue budget and speculative assignment.
     */
    public static Options defaults() {
      return new Options(3, true, 30_000_000_000L, 1.1, 500_000_000L, 100e6, 2_000_000L, true);
    }

    /** These options with speculative assignment on or off. */
    public Options withSpeculativeAssignment(boolean on) {
      return new Options(allowedFailures, workStealing, workerTtlNanos, workerSaturation, defaultTaskDurationNanos,
          bandwidthBytesPerSec, queueBudgetNanos, on);
    }
  }

  private final Options options;
  private final Placement placement;
  private final Stealing stealing = new Stealing();
  private final Map<Key, TaskRecord> tasks = new HashMap<>();
  /** By address, sorted: iteration order (placement ties, reports) is deterministic. */
  private final Map<String, WorkerRecord> workers = new TreeMap<>();
  /** The same records for lookups by address on every worker message (no string comparisons). */
  private final Map<String, WorkerRecord> workerIndex = new HashMap<>();
  private final Map<String, Set<TaskRecord>> clients = new LinkedHashMap<>();
  private final Transitions tx;
  private final Deque<TaskRecord> releaseCandidates;
  private long generation;
  /** Records made (or reset) so far: a record's {@link TaskRecord#arrival}. */
  private long arrivals;

  /** Tests set this to see internal errors instead of having them logged. */
  boolean failFast;

  /** Where messages go outside {@link #handle}: nowhere (nothing may be sent then). */
  private static final List<Send> NO_OUT = List.of();
  private List<Send> out = NO_OUT;
  private long now;
  /**
   * The record {@link #task} found last: the server's diagnostics look a key up right before the
   * state does, so a worker's result costs one hash lookup instead of two.
   */
  private TaskRecord lastLookup;
  /** See {@link #progressCount}. */
  private long progress;

  /** A scheduler with no task, worker or client. */
  public SchedulerState(Options options) {
    this.options = options;
    this.placement = new Placement(options);
    this.tx = new Transitions(placement, tasks, workers, options.speculativeAssignment());
    this.releaseCandidates = tx.releaseCandidates;
  }

  /**
   * Handles one event at time {@code nowNanos} and appends the messages to send to {@code out}, in
   * the order they must be written. Never throws for bad input from a peer: it is logged and
   * ignored.
   */
  public void handle(long nowNanos, Event event, List<Send> out) {
    this.now = nowNanos;
    this.out = out;
    tx.out = out;
    try {
      dispatch(event);
      tx.drainReleases();
      tx.drainQueue();
    } catch (RuntimeException e) {
      if (failFast) {
        throw e;
      }
      LOG.error("scheduler error while handling {}", event, e);
    } finally {
      this.out = NO_OUT;
      tx.out = NO_OUT;
    }
  }

  /** {@code tasks.get(key)}, through the one-entry cache {@link #lastLookup}. */
  private TaskRecord task(Key key) {
    TaskRecord t = lastLookup;
    if (t != null && t.key == key && t.state != TaskState.FORGOTTEN) {
      return t; // a record not forgotten is the one in the table under its key
    }
    t = key == null ? null : tasks.get(key);
    if (t != null) {
      lastLookup = t;
    }
    return t;
  }

  // ------------------------------------------------------------------ dispatch

  private void dispatch(Event event) {
    if (!(event instanceof Event.Tick) && !(event instanceof Event.FromWorker fw && fw.msg() instanceof Msg.Heartbeat)) {
      progress++;
    }
    if (event instanceof Event.ClientConnected e) {
      connectClient(e.clientId());
    } else if (event instanceof Event.FromClient e) {
      fromClient(e.clientId(), e.msg());
    } else if (event instanceof Event.ClientGone e) {
      clientGone(e.clientId());
    } else if (event instanceof Event.WorkerConnected e) {
      workerConnected(e.worker(), e.registration());
    } else if (event instanceof Event.FromWorker e) {
      fromWorker(e.worker(), e.msg());
    } else if (event instanceof Event.WorkerGone e) {
      WorkerRecord w = e.worker() == null ? null : workerIndex.get(e.worker());
      if (w != null) {
        removeWorker(w, e.reason(), false);
      }
    } else if (event instanceof Event.Tick) {
      tick();
    } else {
      LOG.warn("unknown event {}", event);
    }
  }

  private void fromClient(String client, Msg msg) {
    if (msg instanceof Msg.RegisterClient) {
      connectClient(client);
      return;
    }
    if (!clients.containsKey(client)) {
      LOG.warn("message {} from unknown client {} ignored", name(msg), client);
      return;
    }
    if (msg instanceof Msg.UpdateGraph m) {
      updateGraph(client, m);
    } else if (msg instanceof Msg.ReleaseKeys m) {
      release(client, m.keys(), false);
    } else if (msg instanceof Msg.CancelKeys m) {
      release(client, m.keys(), true);
    } else if (msg instanceof Msg.ScatterDone m) {
      scatterDone(client, m);
    } else if (msg instanceof Msg.WhoHasRequest m) {
      Map<Key, List<String>> who = new LinkedHashMap<>();
      for (Key k : nonNull(m.keys())) {
        TaskRecord t = tasks.get(k);
        who.put(k, t == null ? List.of() : Transitions.addresses(t.whoHas));
      }
      out.add(Send.toClient(client, new Msg.WhoHasReply(m.requestId(), who)));
    } else if (msg instanceof Msg.Ping m) {
      out.add(Send.toClient(client, new Msg.Pong(m.requestId())));
    } else if (msg instanceof Msg.WorkerMemoryRequest m) {
      out.add(Send.toClient(client, new Msg.WorkerMemoryReply(m.requestId(), workerMemory())));
    } else {
      LOG.warn("unexpected message {} from client {} ignored", name(msg), client);
    }
  }

  private void fromWorker(String address, Msg msg) {
    WorkerRecord w = address == null ? null : workerIndex.get(address);
    if (w == null) {
      LOG.debug("message {} from unknown or dead worker {} ignored", name(msg), address);
      return;
    }
    w.lastSeenNanos = now;
    if (msg instanceof Msg.TaskFinished m) {
      taskFinished(w, m);
    } else if (msg instanceof Msg.TaskErred m) {
      taskErred(w, m);
    } else if (msg instanceof Msg.Heartbeat m) {
      heartbeat(w, m);
    } else if (msg instanceof Msg.MissingData m) {
      missingData(w, m);
    } else if (msg instanceof Msg.StealResponse m) {
      stealResponse(w, m);
    } else if (msg instanceof Msg.ReleasedFromWorker m) {
      releasedFromWorker(w, m);
    } else if (msg instanceof Msg.Ping m) {
      out.add(Send.toWorker(address, new Msg.Pong(m.requestId())));
    } else {
      LOG.warn("unexpected message {} from worker {} ignored", name(msg), address);
    }
  }

  // ------------------------------------------------------------------ clients

  private void connectClient(String client) {
    clients.putIfAbsent(client, new LinkedHashSet<>());
    out.add(Send.toClient(client, new Msg.ClientWelcome(client, new ArrayList<>(workers.keySet()))));
  }

  private void clientGone(String client) {
    Set<TaskRecord> wants = clients.remove(client);
    if (wants == null) {
      return;
    }
    for (TaskRecord t : wants) {
      t.whoWants.remove(client);
      releaseCandidates.add(t);
    }
  }

  private void release(String client, List<Key> keys, boolean cancel) {
    Set<TaskRecord> wants = clients.get(client);
    if (keys == null) {
      return;
    }
    for (Key k : keys) {
      if (k == null) {
        continue;
      }
      TaskRecord t = tasks.get(k);
      if (t != null && t.whoWants.remove(client)) {
        wants.remove(t);
        releaseCandidates.add(t);
      }
      if (cancel) {
        out.add(Send.toClient(client, new Msg.KeyCancelled(k, "cancelled by the client")));
      }
    }
  }

  private void updateGraph(String client, Msg.UpdateGraph m) {
    long gen = ++generation;
    GraphIntake.Plan plan = GraphIntake.plan(tasks, nonNull(m.tasks()));
    if (!plan.rejected().isEmpty()) {
      LOG.warn("client {}: tasks with missing dependencies or cycles rejected: {}", client, plan.rejected());
    }
    List<TaskRecord> reset = new ArrayList<>();
    for (Msg.TaskSpec spec : plan.accepted()) {
      Priority p = new Priority(m.userPriority(), gen, spec.priority());
      TaskRecord t = plan.resets() ? tasks.get(spec.key()) : null; // else every accepted key is new
      if (t == null) {
        t = new TaskRecord(spec.key(), spec, p, ++arrivals);
        tasks.put(t.key, t);
      } else {
        resetTask(t, spec, p);
        reset.add(t);
      }
      for (Key dk : GraphIntake.distinctDependencies(spec)) {
        TaskRecord d = dk == null ? null : tasks.get(dk);
        if (d != null && d != t) {
          t.mutableDependencies().add(d);
          d.mutableDependents().add(t);
        }
      }
      releaseCandidates.add(t);
    }
    for (TaskRecord t : reset) {
      tx.restartDependentsOf(t);
    }
    Set<TaskRecord> wants = clients.get(client);
    Set<Key> unknown = null;
    for (Key k : nonNull(m.wanted())) {
      TaskRecord t = tasks.get(k);
      if (t == null) {
        if (unknown == null) {
          unknown = new HashSet<>();
        }
        if (unknown.add(k)) {
          out.add(Send.toClient(client, new Msg.KeyCancelled(k, "unknown key or invalid graph")));
        }
        continue;
      }
      if (t.wantedInGeneration == gen) {
        continue; // named twice in this message: answered once
      }
      t.wantedInGeneration = gen;
      want(client, wants, t);
    }
  }

  /** The client wants {@code t}: answer at once if it is done, else have it computed. */
  private void want(String client, Set<TaskRecord> wants, TaskRecord t) {
    t.mutableWhoWants().add(client);
    wants.add(t);
    if (t.state == TaskState.MEMORY) {
      out.add(Send.toClient(client, tx.inMemory(t)));
    } else if (t.state == TaskState.ERRED) {
      tx.reportFailure(t, client);
    } else {
      tx.request(t);
    }
  }

  /** An impure key resubmitted after it finished or failed: forget the old result or error. */
  private void resetTask(TaskRecord t, Msg.TaskSpec spec, Priority p) {
    for (WorkerRecord w : t.whoHas) {
      w.removeReplica(t);
      tx.freeOn(w.address, t.key);
    }
    t.whoHas.clear();
    t.failure = null;
    t.setState(TaskState.RELEASED);
    for (TaskRecord d : t.dependencies) {
      d.dependents.remove(t);
      releaseCandidates.add(d);
    }
    t.dependencies.clear();
    t.spec = spec;
    t.priority = p;
    t.arrival = ++arrivals;
    t.retriesLeft = Math.max(0, spec.retries());
    t.suspicious = 0;
  }

  private void scatterDone(String client, Msg.ScatterDone m) {
    Map<Key, Long> sizes = m.nbytes() == null ? Map.of() : m.nbytes();
    for (Map.Entry<Key, String> e : nonNull(m.workerOf()).entrySet()) {
      WorkerRecord w = e.getValue() == null ? null : workerIndex.get(e.getValue());
      Key k = e.getKey();
      if (w == null || k == null) {
        LOG.warn("scatter of {} to unknown worker {} ignored", k, e.getValue());
        continue;
      }
      TaskRecord t = tasks.computeIfAbsent(k, key -> new TaskRecord(key, null, new Priority(0, generation, 0), ++arrivals));
      long nbytes = sizes.getOrDefault(k, 0L) == null ? 0 : sizes.getOrDefault(k, 0L);
      if (t.state == TaskState.MEMORY) {
        t.mutableWhoHas().add(w);
        w.addReplica(t);
      } else {
        if (t.state.active()) {
          tx.leaveActive(t, true);
        }
        tx.toMemory(t, w, nbytes, "scattered");
      }
      if (t.mutableWhoWants().add(client)) {
        clients.get(client).add(t);
      }
    }
  }

  // ------------------------------------------------------------------ workers

  private void workerConnected(String address, Msg.RegisterWorker reg) {
    if (address == null || reg == null) {
      LOG.warn("worker registration without address ignored");
      return;
    }
    WorkerRecord old = workers.get(address);
    if (old != null) {
      removeWorker(old, "registered again", false);
    }
    WorkerRecord w = new WorkerRecord(address, reg, now);
    workers.put(address, w);
    workerIndex.put(address, w);
    out.add(Send.toWorker(address, new Msg.WorkerWelcome(address, heartbeatIntervalMillis())));
    for (Key k : new LinkedHashSet<>(nonNull(reg.heldKeys()))) {
      TaskRecord t = tasks.get(k);
      if (t == null || t.state == TaskState.ERRED) {
        tx.freeOn(address, k);
      } else if (t.state == TaskState.MEMORY) {
        t.mutableWhoHas().add(w);
        w.addReplica(t);
        releaseCandidates.add(t);
      } else {
        if (t.state.active()) {
          tx.leaveActive(t, true);
        }
        tx.toMemory(t, w, t.nbytes, t.type);
      }
    }
    tx.retryNoWorker();
  }

  private long heartbeatIntervalMillis() {
    return Math.max(100, Math.min(1000, options.workerTtlNanos() / 10_000_000L));
  }

  /** Forgets a worker: its processing tasks are rescheduled, results only it held are lost. */
  private void removeWorker(WorkerRecord w, String reason, boolean close) {
    LOG.info("removing worker {}: {}", w.address, reason);
    workers.remove(w.address);
    workerIndex.remove(w.address);
    w.gone = true;
    if (close) {
      out.add(Send.toWorker(w.address, new Msg.CloseWorker(reason)));
    }
    for (TaskRecord t : new ArrayList<>(w.preassigned)) {
      tx.unassign(t); // stays waiting; placed again when its input is computed elsewhere
    }
    List<TaskRecord> rerun = new ArrayList<>();
    List<TaskRecord> killed = new ArrayList<>();
    for (TaskRecord t : new ArrayList<>(w.processing)) {
      tx.leaveActive(t, false);
      t.suspicious++;
      (t.suspicious > options.allowedFailures() ? killed : rerun).add(t);
    }
    List<TaskRecord> lost = new ArrayList<>();
    for (TaskRecord t : new ArrayList<>(w.has)) {
      w.removeReplica(t);
      t.whoHas.remove(w);
      if (t.state == TaskState.MEMORY && t.whoHas.isEmpty()) {
        t.setState(TaskState.RELEASED);
        lost.add(t);
      }
    }
    for (TaskRecord t : killed) {
      String msg = "Attempted to run task " + t.key + " on " + t.suspicious
          + " different workers, but all those workers died while running it. The last worker"
          + " that attempted to run the task was " + w.address + ".";
      tx.fail(t, new TaskRecord.Failure(t.key, new byte[0], KILLED_WORKER, msg));
    }
    for (TaskRecord t : lost) {
      tx.afterLoss(t);
    }
    for (TaskRecord t : rerun) {
      tx.requestIfNeeded(t);
    }
  }

  private void tick() {
    for (WorkerRecord w : new ArrayList<>(workers.values())) {
      if (now - w.lastSeenNanos > options.workerTtlNanos()) {
        removeWorker(w, "no message for more than the worker ttl ("
            + options.workerTtlNanos() / 1_000_000 + " ms)", true);
      }
    }
    if (options.workStealing()) {
      for (Stealing.Steal s : stealing.plan(workers.values())) {
        s.task().stealFrom = s.victim();
        out.add(Send.toWorker(s.victim().address, new Msg.StealRequest(s.task().key)));
      }
    }
  }

  private void heartbeat(WorkerRecord w, Msg.Heartbeat h) {
    w.lastHeartbeat = h;
    boolean wasPaused = w.paused;
    w.paused = h.memory() != null
        ? h.memory().paused() // the worker applies its own distributed.worker.memory.pause
        : w.memoryLimit > 0 && h.memoryBytes() >= PAUSE_FRACTION * w.memoryLimit;
    if (wasPaused && !w.paused) {
      tx.retryNoWorker();
    }
  }

  private void taskFinished(WorkerRecord w, Msg.TaskFinished m) {
    TaskRecord t = task(m.key());
    if (t != null && t.state == TaskState.PROCESSING && t.processingOn == w) {
      placement.observe(t, m.durationNanos());
      tx.toMemory(t, w, m.nbytes(), m.type() == null ? "" : m.type(), m.inline());
    } else if (t != null && t.state == TaskState.MEMORY && t.whoHas.contains(w)) {
      LOG.debug("duplicate result of {} from {} ignored", m.key(), w.address);
    } else if (t != null && t.state == TaskState.WAITING && t.preassignedTo == w) {
      // A run from before the task was sent ahead to this same worker again: the free that ended
      // that run went before the new assignment, so the worker no longer holds this result.
      // Freeing the key again would now drop the new assignment there, while this scheduler
      // still counts it as sent ahead and would later wait forever for it (the MemorySpillIT
      // hang with speculative assignment). The worker reports the new run when its input is done.
      LOG.debug("result of {} from {} is from before it was sent ahead there again; ignored", m.key(), w.address);
    } else {
      // Stale: the task moved, was cancelled or was already computed elsewhere. The worker may
      // have been told to free it already; freeing again is harmless, counting it as a replica
      // could name a worker that no longer holds the data.
      LOG.debug("result of {} from {} not expected ({}); freeing it", m.key(), w.address, t);
      tx.freeOn(w.address, m.key());
    }
  }

  private void taskErred(WorkerRecord w, Msg.TaskErred m) {
    TaskRecord t = task(m.key());
    if (t == null || t.state != TaskState.PROCESSING || t.processingOn != w) {
      LOG.debug("error of {} from {} not expected ({}); ignored", m.key(), w.address, t);
      return;
    }
    tx.leaveActive(t, false);
    if (t.retriesLeft > 0) {
      t.retriesLeft--;
      tx.requestIfNeeded(t);
    } else {
      byte[] exc = m.exception() == null ? new byte[0] : m.exception();
      tx.fail(t, new TaskRecord.Failure(t.key, exc, String.valueOf(m.exceptionClass()), String.valueOf(m.message())));
    }
  }

  private void missingData(WorkerRecord w, Msg.MissingData m) {
    TaskRecord t = m.key() == null ? null : tasks.get(m.key());
    if (t != null) {
      for (String tried : nonNull(m.triedWorkers())) {
        WorkerRecord holder = tried == null ? null : workerIndex.get(tried);
        if (holder != null && t.whoHas.remove(holder)) {
          holder.removeReplica(t);
          tx.freeOn(holder.address, t.key);
        }
      }
      if (t.state == TaskState.MEMORY && t.whoHas.isEmpty()) {
        t.setState(TaskState.RELEASED);
        tx.afterLoss(t);
      }
    }
    TaskRecord f = m.forTask() == null ? null : tasks.get(m.forTask());
    if (f != null && f.state == TaskState.PROCESSING && f.processingOn == w) {
      tx.leaveActive(f, true);
      tx.requestIfNeeded(f);
    } else if (f != null && f.preassignedTo == w) {
      tx.unassign(f); // the worker dropped it; it is placed again when its input is done
    }
  }

  private void stealResponse(WorkerRecord w, Msg.StealResponse m) {
    TaskRecord t = tasks.get(m.key());
    if (t == null || t.stealFrom != w) {
      LOG.debug("steal response for {} from {} not expected; ignored", m.key(), w.address);
      return;
    }
    t.stealFrom = null;
    if (t.state != TaskState.PROCESSING || t.processingOn != w) {
      return;
    }
    if (!m.stolen()) {
      t.startedOnWorker = true;
      return;
    }
    tx.unassignDependentsOf(t, w);
    w.removeProcessing(t);
    t.processingOn = null;
    WorkerRecord thief = placement.decideWorker(t, workers.values(), w);
    tx.sendCompute(t, thief != null ? thief : w);
  }

  private void releasedFromWorker(WorkerRecord w, Msg.ReleasedFromWorker m) {
    for (Key k : nonNull(m.keys())) {
      TaskRecord t = tasks.get(k);
      if (t == null) {
        continue;
      }
      if (t.whoHas.remove(w)) {
        w.removeReplica(t);
        if (t.state == TaskState.MEMORY && t.whoHas.isEmpty()) {
          t.setState(TaskState.RELEASED);
          tx.afterLoss(t);
        }
      }
      if (t.state == TaskState.PROCESSING && t.processingOn == w) {
        tx.leaveActive(t, false);
        tx.requestIfNeeded(t);
      } else if (t.preassignedTo == w) {
        tx.unassign(t);
      }
    }
  }

  /** {@code l} without nulls: {@code l} itself when it has none (the usual case: no copy). */
  private static <T> List<T> nonNull(List<T> l) {
    if (l == null) {
      return List.of();
    }
    boolean hasNull = false;
    for (T x : l) {
      if (x == null) {
        hasNull = true;
        break;
      }
    }
    if (!hasNull) {
      return l;
    }
    List<T> r = new ArrayList<>(l.size());
    for (T x : l) {
      if (x != null) {
        r.add(x);
      }
    }
    return r;
  }

  private static <K, V> Map<K, V> nonNull(Map<K, V> m) {
    return m == null ? Map.of() : m;
  }

  private static String name(Msg m) {
    return m == null ? "null" : m.getClass().getSimpleName();
  }

  // ------------------------------------------------------------------ read-only views

  /** The options this scheduler runs with. */
  public Options options() {
    return options;
  }

  /** The state of a key; {@link TaskState#FORGOTTEN} for a key the scheduler does not track. */
  public TaskState stateOf(Key key) {
    TaskRecord t = tasks.get(key);
    return t == null ? TaskState.FORGOTTEN : t.state;
  }

  /** The keys tracked now. */
  public Set<Key> keys() {
    return Collections.unmodifiableSet(new TreeSet<>(tasks.keySet()));
  }

  /** How many keys are in each state (forgotten ones are not counted). */
  public Map<TaskState, Integer> countsByState() {
    Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    for (TaskState s : TaskState.values()) {
      if (s != TaskState.FORGOTTEN) {
        counts.put(s, 0);
      }
    }
    for (TaskRecord t : tasks.values()) {
      counts.merge(t.state, 1, Integer::sum);
    }
    return counts;
  }

  /** Data addresses of the connected workers, sorted. */
  public List<String> workers() {
    return new ArrayList<>(workers.keySet());
  }

  /**
   * The memory each worker reported in its last heartbeat, by data address (workers that have not
   * reported yet: their limit, nothing used).
   */
  public Map<String, Msg.WorkerMemory> workerMemory() {
    Map<String, Msg.WorkerMemory> out = new java.util.TreeMap<>();
    for (WorkerRecord w : workers.values()) {
      Msg.Heartbeat h = w.lastHeartbeat;
      out.put(w.address, h != null && h.memory() != null ? h.memory()
          : new Msg.WorkerMemory(h == null ? 0 : h.managedBytes(), h == null ? 0 : Math.max(0, h.memoryBytes() - h.managedBytes()),
              h == null ? 0 : h.spilledBytes(), w.memoryLimit, w.paused));
    }
    return out;
  }

  /** A snapshot of one worker. */
  public Optional<WorkerInfo> worker(String address) {
    WorkerRecord w = workers.get(address);
    return w == null ? Optional.empty() : Optional.of(w.info());
  }

  /** The workers holding a key's result (empty unless in memory). */
  public List<String> whoHas(Key key) {
    TaskRecord t = tasks.get(key);
    return t == null ? List.of() : Transitions.addresses(t.whoHas);
  }

  /** The worker computing a key, if it is processing. */
  public Optional<String> processingOn(Key key) {
    TaskRecord t = tasks.get(key);
    return t == null || t.processingOn == null ? Optional.empty() : Optional.of(t.processingOn.address);
  }

  /**
   * Whether {@code key} is processing on {@code worker}: whether a {@code TaskFinished} or {@code
   * TaskErred} for it from that worker will be accepted (the server's diagnostics ask this for
   * every result, right before the state handles it; no allocation).
   */
  public boolean isProcessingOn(Key key, String worker) {
    return processingKey(key, worker) != null;
  }

  /**
   * The state's own instance of {@code key} if it is {@link #isProcessingOn} {@code worker}, else
   * null: a diagnostics record that keeps the key keeps this one, not the copy a message decoded.
   */
  public Key processingKey(Key key, String worker) {
    TaskRecord t = task(key);
    return t != null && t.state == TaskState.PROCESSING && t.processingOn != null
        && t.processingOn.address.equals(worker) ? t.key : null;
  }

  /** The worker a waiting key was sent to ahead of time (speculative assignment), if any. */
  public Optional<String> preassignedTo(Key key) {
    TaskRecord t = tasks.get(key);
    return t == null || t.preassignedTo == null ? Optional.empty() : Optional.of(t.preassignedTo.address);
  }

  /** The keys sent to a worker and not finished, in the order they were sent. */
  public List<Key> processing(String worker) {
    WorkerRecord w = workers.get(worker);
    List<Key> keys = new ArrayList<>();
    if (w != null) {
      w.processing.forEach(t -> keys.add(t.key));
    }
    return keys;
  }

  /** The keys a worker holds. */
  public Set<Key> heldBy(String worker) {
    WorkerRecord w = workers.get(worker);
    Set<Key> keys = new LinkedHashSet<>();
    if (w != null) {
      w.has.forEach(t -> keys.add(t.key));
    }
    return keys;
  }

  /** Queued root tasks, highest priority first. */
  public List<Key> queued() {
    List<Key> keys = new ArrayList<>();
    tx.queue.forEach(t -> keys.add(t.key));
    return keys;
  }

  /** Connected clients. */
  public Set<String> clients() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(clients.keySet()));
  }

  /** The keys a client holds futures for. */
  public Set<Key> wantedBy(String client) {
    Set<Key> keys = new LinkedHashSet<>();
    clients.getOrDefault(client, Set.of()).forEach(t -> keys.add(t.key));
    return keys;
  }

  /** The clients holding futures for a key. */
  public Set<String> wantersOf(Key key) {
    TaskRecord t = tasks.get(key);
    return t == null ? Set.of() : Set.copyOf(t.whoWants);
  }

  /** The key whose failure made this key erred, if it is erred. */
  public Optional<Key> blameOf(Key key) {
    TaskRecord t = tasks.get(key);
    return t == null || t.failure == null ? Optional.empty() : Optional.of(t.failure.blame());
  }

  /** How many workers died while computing this key. */
  public int suspiciousCount(Key key) {
    TaskRecord t = tasks.get(key);
    return t == null ? 0 : t.suspicious;
  }

  /** The expected duration of a task with this key prefix. */
  public long expectedDurationNanos(String prefix) {
    return placement.expectedDurationNanos(prefix);
  }

  /**
   * Events handled that can move a task (every event but ticks and heartbeats): a count that
   * stays the same while nothing happens, for the server's stuck-task report.
   */
  public long progressCount() {
    return progress;
  }

  /**
   * The tasks on their way to be computed (waiting, queued, no-worker, processing), at most {@code
   * max} of them, each with its state, worker, the worker it was sent to ahead of time and what it
   * waits on, then every worker's queue; empty when there is no such task. Logged by the server
   * when nothing has moved for a while, so that a hang explains itself. Walks every task: not for
   * the hot path.
   */
  public String stuckReport(int max) {
    StringBuilder sb = new StringBuilder();
    Map<TaskState, Integer> counts = countsByState();
    int active = 0;
    for (TaskRecord t : tasks.values()) {
      if (!t.state.active()) {
        continue;
      }
      if (active++ < max) {
        sb.append("\n  ").append(t.key).append(' ').append(t.state);
        if (t.processingOn != null) {
          sb.append(" on ").append(t.processingOn.address);
        }
        if (t.preassignedTo != null) {
          sb.append(" sent-ahead-to ").append(t.preassignedTo.address);
        }
        if (t.stealFrom != null) {
          sb.append(" steal-from ").append(t.stealFrom.address);
        }
        if (t.startedOnWorker) {
          sb.append(" started");
        }
        if (!t.waitingOn.isEmpty()) {
          sb.append(" waiting-on [");
          int n = 0;
          for (TaskRecord d : t.waitingOn) {
            sb.append(n++ == 0 ? "" : ", ").append(d.key).append(' ').append(d.state);
            if (d.processingOn != null) {
              sb.append(" on ").append(d.processingOn.address);
            }
            if (d.preassignedTo != null) {
              sb.append(" sent-ahead-to ").append(d.preassignedTo.address);
            }
          }
          sb.append(']');
        }
        sb.append(" wanted-by ").append(t.whoWants.size()).append(" clients, ").append(t.activeDependents).append(" active dependents");
      }
    }
    if (active == 0) {
      return "";
    }
    StringBuilder head = new StringBuilder();
    head.append(active).append(" tasks not done; by state ").append(counts).append("; queued ").append(tx.queue.size())
        .append(", no-worker ").append(tx.noWorker.size());
    for (WorkerRecord w : workers.values()) {
      Msg.Heartbeat h = w.lastHeartbeat;
      head.append("\n  worker ").append(w.address).append(": processing ").append(w.processing.size())
          .append(", sent ahead ").append(w.preassigned.size()).append(", holds ").append(w.has.size())
          .append(w.paused ? ", PAUSED" : ", running")
          .append(h == null ? "" : ", last heartbeat: executing " + h.executing() + " ready " + h.ready()
              + " memory " + (h.memoryBytes() >> 20) + " MiB spilled " + (h.spilledBytes() >> 20) + " MiB");
    }
    if (active > max) {
      sb.append("\n  ... and ").append(active - max).append(" more");
    }
    return head.append(sb).toString();
  }

  // package-private access for invariant checks in tests
  Map<Key, TaskRecord> tasksView() {
    return tasks;
  }

  Map<String, WorkerRecord> workersView() {
    return workers;
  }

  Set<TaskRecord> queueView() {
    return tx.queue;
  }

  Set<TaskRecord> noWorkerView() {
    return tx.noWorker;
  }

  Map<String, Set<TaskRecord>> clientsView() {
    return clients;
  }
}
