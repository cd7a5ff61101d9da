package io.jask.engine.distributed.worker;

import io.jask.engine.Key;
import io.jask.engine.KeyPart;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.distributed.worker.WorkerEvent.Compute;
import io.jask.engine.distributed.worker.WorkerEvent.FetchDone;
import io.jask.engine.distributed.worker.WorkerEvent.FetchFailed;
import io.jask.engine.distributed.worker.WorkerEvent.Free;
import io.jask.engine.distributed.worker.WorkerEvent.Scattered;
import io.jask.engine.distributed.worker.WorkerEvent.SchedulerLost;
import io.jask.engine.distributed.worker.WorkerEvent.Steal;
import io.jask.engine.distributed.worker.WorkerEvent.TaskFailed;
import io.jask.engine.distributed.worker.WorkerEvent.TaskSucceeded;
import io.jask.engine.distributed.worker.WorkerInstruction.Discard;
import io.jask.engine.distributed.worker.WorkerInstruction.Execute;
import io.jask.engine.distributed.worker.WorkerInstruction.Fetch;
import io.jask.engine.distributed.worker.WorkerInstruction.Send;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The worker's decisions, as a state machine that does no I/O (after distributed's {@code
 * WorkerState.handle_stimulus}): {@link #handle} takes one {@link WorkerEvent} and returns the
 * {@link WorkerInstruction}s to carry out. Not thread-safe: the {@link Worker} calls it from its
 * single loop thread.
 *
 * <h2>Tasks</h2>
 *
 * A task the scheduler assigns ({@code ComputeTask}) is {@code FETCHING} while some dependency is
 * not held here, then {@code READY}, then {@code EXECUTING}; when it ends its entry goes away and
 * its result (if it succeeded) is a held key. Ready tasks wait in a queue ordered by the
 * scheduler's priority (lower first, then arrival); whenever fewer than {@code nthreads} tasks
 * are executing the best ready one is handed to the pool ({@link Execute}), except while the
 * worker is paused for memory ({@link WorkerEvent.Paused}): then ready tasks wait and executing
 * ones finish. A task that is not
 * executing can be stolen back or freed; an executing one cannot be interrupted, so freeing it
 * marks it cancelled and its result is discarded when it ends.
 *
 * <p>A task may come ahead of time (speculative assignment): a dependency the message names in
 * {@code pendingHere} is a task assigned here that has not ended. The task waits for it like for a
 * fetch and becomes ready the moment it succeeds here, with no scheduler round trip. If that
 * dependency ends any other way (fails, is freed, stolen, cancelled, misses its own input) the
 * tasks waiting for it here are dropped silently, in a chain; the scheduler takes them back on
 * learning how the dependency ended.
 *
 * <h2>Fetching</h2>
 *
 * A missing dependency becomes a wanted key with the holders the scheduler named ({@code whoHas},
 * this worker excluded), tried in order. Wanted keys whose next holder is the same peer are
 * batched into one {@code GetData} ({@link Fetch}), with at most {@link #FETCHES_PER_PEER} such
 * requests in flight per peer, and at most {@code transferLimit} bytes of values in flight in all
 * (by the sizes the scheduler reports; {@code distributed.worker.memory.transfer}, 0.05, of the memory
 * limit), so fetching cannot fill the memory; keys that come up while a peer is saturated or the
 * limit is reached wait for the next batch. A holder that fails or answers {@code missing} is crossed off and the key goes to its
 * next holder; with none left, every task waiting for the key is dropped and reported with {@code
 * MissingData} (the scheduler finds the data elsewhere or recomputes it).
 *
 * <p>A dependency the task uses only parts of ({@link KeyPart}, named in the spec's {@code parts})
 * and that is not held here is wanted as its part keys ({@link KeyPart#asKey()}): the peer cuts
 * the parts out of the value it holds and sends only those; they are replicas here like any
 * fetched value.
 *
 * <h2>Held keys</h2>
 *
 * Results computed here and values scattered here are owned: kept until the scheduler frees them.
 * Values fetched from peers are replicas: kept while a task here still needs them and discarded
 * ({@link Discard}) after the last one ends; the scheduler does not know about them. The values
 * themselves live in the {@link DataStore}; this class tracks which keys are held and their sizes.
 */
final class WorkerState {

  /** The most GetData requests in flight to one peer at a time. */
  static final int FETCHES_PER_PEER = 2;

  enum Phase {
    FETCHING,
    READY,
    EXECUTING
  }

  private static final class TaskEntry {
    final Msg.TaskSpec spec;
    final long seq;
    final Set<Key> missing = new HashSet<>();
    /** What the task waits for and holds on to: dependencies, or part keys of those it uses parts of. */
    final List<Key> needs = new ArrayList<>();
    /** Dependencies assigned to this worker too, that this task waits for here (speculative assignment). */
    Set<Key> local;
    Phase phase;
    boolean cancelled;

    TaskEntry(Msg.TaskSpec spec, long seq) {
      this.spec = spec;
      this.seq = seq;
    }
  }

  /** A dependency being fetched. */
  private static final class Wanted {
    final List<String> holders = new ArrayList<>();
    final List<String> tried = new ArrayList<>();
    String inFlightTo;
    long nbytes; // as the scheduler reported it
  }

  private record Held(long nbytes, String type, boolean replica) {}

  private final String self;
  private final int nthreads;
  private final Map<Key, TaskEntry> tasks = new HashMap<>();
  private final PriorityQueue<TaskEntry> ready =
      new PriorityQueue<>(
          Comparator.<TaskEntry>comparingLong(t -> t.spec.priority()).thenComparingLong(t -> t.seq));
  private final Map<Key, Held> held = new HashMap<>();
  private final Map<Key, Wanted> wanted = new LinkedHashMap<>();
  private final Map<Key, Set<Key>> dependents = new HashMap<>();
  private final Map<String, Integer> inFlight = new HashMap<>();
  private int executing;
  private long seq;
  private long changes;
  private boolean paused;
  private final long transferLimit;
  private long incomingBytes;

  /**
   * @param self this worker's data address (never fetched from)
   * @param nthreads how many tasks may execute at once
   */
  WorkerState(String self, int nthreads) {
    this(self, nthreads, Long.MAX_VALUE);
  }

  /**
   * @param transferLimit the most bytes of values being fetched at once (by the sizes the
   *     scheduler reports); one value is always allowed when nothing is in flight
   */
  WorkerState(String self, int nthreads, long transferLimit) {
    if (nthreads < 1) {
      throw new IllegalArgumentException("nthreads must be at least 1: " + nthreads);
    }
    this.self = self;
    this.nthreads = nthreads;
    this.transferLimit = transferLimit <= 0 ? Long.MAX_VALUE : transferLimit;
  }

  /** The bytes of values being fetched now. */
  long incomingBytes() {
    return incomingBytes;
  }

  /** Applies one event and returns what to do, in order. */
  List<WorkerInstruction> handle(WorkerEvent event) {
    List<WorkerInstruction> out = new ArrayList<>();
    if (event instanceof Compute c) {
      onCompute(c.msg(), out);
    } else if (event instanceof Free f) {
      f.keys().forEach(k -> onFree(k, out));
    } else if (event instanceof Steal s) {
      onSteal(s.key(), out);
    } else if (event instanceof Scattered s) {
      s.nbytes().forEach((k, n) -> arrived(k, new Held(n, "", false), out));
    } else if (event instanceof FetchDone d) {
      peerDone(d.peer());
      d.received().forEach((k, n) -> arrived(k, new Held(n, "", true), out));
      crossOff(d.peer(), d.missing(), out);
    } else if (event instanceof FetchFailed f) {
      peerDone(f.peer());
      crossOff(f.peer(), f.keys(), out);
    } else if (event instanceof TaskSucceeded s) {
      onTaskEnd(s.key(), s, out);
    } else if (event instanceof TaskFailed f) {
      onTaskEnd(f.key(), f, out);
    } else if (event instanceof SchedulerLost) {
      onSchedulerLost(out);
    } else if (event instanceof WorkerEvent.Paused p) {
      paused = p.paused();
    }
    if (!(event instanceof WorkerEvent.Paused)) {
      changes++;
    }
    ensureCommunicating(out);
    ensureComputing(out);
    return out;
  }

  // ---- queries for heartbeats and registration

  int executingCount() {
    return executing;
  }

  int readyCount() {
    return ready.size();
  }

  /** Whether no task is started (the memory manager paused the worker). */
  boolean paused() {
    return paused;
  }

  /** Tasks assigned here and not ended (fetching, ready or executing). */
  int taskCount() {
    return tasks.size();
  }

  /** The phase of an assigned task, or null if it is not (or no longer) assigned here. */
  Phase phase(Key key) {
    TaskEntry t = tasks.get(key);
    return t == null ? null : t.phase;
  }

  /** Whether {@code key} is held here. */
  boolean holds(Key key) {
    return held.containsKey(key);
  }

  /** Keys held that the scheduler knows about (results and scattered values, not replicas). */
  List<Key> ownedKeys() {
    List<Key> out = new ArrayList<>();
    held.forEach((k, h) -> {
      if (!h.replica()) {
        out.add(k);
      }
    });
    return out;
  }

  /** Events handled that can change a task here (every event but a pause or resume). */
  long changeCount() {
    return changes;
  }

  /**
   * This worker's tasks and keys by state, for its metrics and stuck report.
   *
   * @param fetching tasks waiting for a value from a peer (and perhaps for one computed here)
   * @param waitingLocal tasks sent ahead of time that wait only for inputs computed here
   * @param wanted keys to fetch; {@code inFlight} of them asked for now
   * @param replicas held keys fetched from peers (the rest are owned)
   */
  record Counts(int executing, int ready, int fetching, int waitingLocal, int wanted, int inFlight,
      long incomingBytes, boolean paused, int held, int replicas) {}

  Counts counts() {
    int fetching = 0;
    int waitingLocal = 0;
    for (TaskEntry t : tasks.values()) {
      if (t.phase == Phase.FETCHING) {
        boolean onlyLocal = t.local != null && t.local.containsAll(t.missing);
        if (onlyLocal) {
          waitingLocal++;
        } else {
          fetching++;
        }
      }
    }
    int inFlightKeys = 0;
    for (Wanted w : wanted.values()) {
      if (w.inFlightTo != null) {
        inFlightKeys++;
      }
    }
    int replicas = 0;
    for (Held h : held.values()) {
      if (h.replica()) {
        replicas++;
      }
    }
    return new Counts(executing, ready.size(), fetching, waitingLocal, wanted.size(), inFlightKeys, incomingBytes,
        paused, held.size(), replicas);
  }

  /** {@link #counts} and up to {@code max} tasks that are not executing, with what each waits for. */
  String describe(int max) {
    StringBuilder sb = new StringBuilder(counts().toString());
    sb.append("; requests in flight per peer ").append(inFlight);
    int n = 0;
    for (TaskEntry t : tasks.values()) {
      if (t.phase == Phase.EXECUTING) {
        continue;
      }
      if (n++ >= max) {
        sb.append("\n  ...");
        break;
      }
      sb.append("\n  ").append(t.spec.key()).append(' ').append(t.phase);
      if (t.cancelled) {
        sb.append(" cancelled");
      }
      if (!t.missing.isEmpty()) {
        sb.append(" missing [");
        int i = 0;
        for (Key k : t.missing) {
          sb.append(i++ == 0 ? "" : ", ").append(k);
          if (t.local != null && t.local.contains(k)) {
            TaskEntry d = tasks.get(k);
            sb.append(" (computed here: ").append(d == null ? "NOT ASSIGNED HERE" : d.phase.toString()).append(')');
          } else {
            Wanted w = wanted.get(k);
            sb.append(w == null ? " (NOT WANTED)" : " (holders " + w.holders + ", tried " + w.tried + ", asked " + w.inFlightTo + ")");
          }
        }
        sb.append(']');
      }
    }
    return sb.toString();
  }

  // ---- events

  private void onCompute(Msg.ComputeTask msg, List<WorkerInstruction> out) {
    Msg.TaskSpec spec = msg.spec();
    Key key = spec.key();
    Key aheadOf = null; // sent ahead of this input, which is not done here yet
    if (msg.pendingHere() != null) {
      for (Key dep : msg.pendingHere()) {
        if (dep != null && !held.containsKey(dep)) {
          aheadOf = dep;
          break;
        }
      }
    }
    Held h = held.get(key);
    TaskEntry existing = tasks.get(key);
    if (aheadOf != null && (h != null || existing != null)) {
      // Sent ahead of time, but the result is here already (a replica kept for a task here) or
      // an earlier run is still executing (cancelled by a free). The scheduler counts a task
      // sent ahead as waiting until its input is done here, refuses a result before that, and
      // then counts it as running here: the result sent now would be lost and the scheduler
      // would wait for it forever. Decline instead: the scheduler takes the task back (the
      // earlier run stays cancelled) and places it normally once its input is done.
      out.add(new Send(new Msg.MissingData(key, aheadOf, List.of())));
      return;
    }
    if (h != null) {
      // Already here (computed before, or a replica): now owned, report it again.
      held.put(key, new Held(h.nbytes(), h.type(), false));
      out.add(new Send(new Msg.TaskFinished(key, h.nbytes(), h.type(), 0, 0)));
      return;
    }
    if (existing != null) {
      existing.cancelled = false; // assigned again while executing after a free: keep the result
      return;
    }
    TaskEntry t = new TaskEntry(spec, seq++);
    t.phase = Phase.FETCHING;
    for (Key dep : spec.dependencies()) {
      if (msg.pendingHere(dep) && !held.containsKey(dep)) {
        if (!tasks.containsKey(dep)) {
          // Assigned ahead of an input computed here that has failed or gone meanwhile: the
          // scheduler learns that from the input's own end and takes this task back; say so
          // anyway, so that the task is placed again whatever the reason.
          out.add(new Send(new Msg.MissingData(key, dep, List.of())));
          return;
        }
        if (t.local == null) {
          t.local = new HashSet<>();
        }
        t.local.add(dep);
      }
    }
    tasks.put(key, t);
    for (Key dep : spec.dependencies()) {
      List<Integer> parts = spec.partsOf(dep);
      if (parts == null || held.containsKey(dep) || (t.local != null && t.local.contains(dep))) {
        t.needs.add(dep);
      } else {
        // only parts of it are needed here: fetch those, under their part keys, from its holders
        for (int p : parts) {
          t.needs.add(KeyPart.of(dep, p).asKey());
        }
      }
    }
    for (Key need : t.needs) {
      dependents.computeIfAbsent(need, k -> new HashSet<>()).add(key);
      if (held.containsKey(need)) {
        continue;
      }
      t.missing.add(need);
      if (t.local != null && t.local.contains(need)) {
        continue; // computed here: woken up when it ends (onTaskEnd)
      }
      Wanted w = wanted.get(need);
      if (w == null) {
        w = new Wanted();
        KeyPart asPart = KeyPart.fromKey(need);
        // a part's size is not known here: count the whole value (conservative for the transfer budget)
        Key sized = asPart == null ? need : asPart.key();
        w.nbytes = Math.max(0, msg.nbytes() == null ? 0 : msg.nbytes().getOrDefault(sized, 0L));
        wanted.put(need, w);
      }
      KeyPart part = KeyPart.fromKey(need);
      Key holderKey = part == null ? need : part.key();
      for (String holder : msg.whoHas().getOrDefault(holderKey, List.of())) {
        if (holder.equals(self)) {
          // the scheduler thinks the value is here, but it is not: say so with the report, so
          // that it crosses this worker off instead of sending the same assignment again
          if (!w.tried.contains(self)) {
            w.tried.add(self);
          }
        } else if (!w.holders.contains(holder) && !w.tried.contains(holder)) {
          w.holders.add(holder);
        }
      }
      if (w.holders.isEmpty() && w.inFlightTo == null) {
        giveUp(need, w, out);
        if (!tasks.containsKey(key)) {
          return;
        }
      }
    }
    if (t.missing.isEmpty()) {
      makeReady(t);
    }
  }

  private void onFree(Key key, List<WorkerInstruction> out) {
    TaskEntry t = tasks.get(key);
    if (t != null) {
      if (t.phase == Phase.EXECUTING) {
        t.cancelled = true;
      } else {
        dropTask(t, out);
      }
    }
    Held h = held.get(key);
    if (h != null) {
      if (dependents.containsKey(key)) {
        held.put(key, new Held(h.nbytes(), h.type(), true)); // kept for the tasks here that need it
      } else {
        held.remove(key);
        out.add(new Discard(List.of(key)));
      }
    }
  }

  private void onSteal(Key key, List<WorkerInstruction> out) {
    TaskEntry t = tasks.get(key);
    boolean stolen;
    if (t != null) {
      stolen = t.phase != Phase.EXECUTING;
      if (stolen) {
        dropTask(t, out);
      }
    } else {
      // Not here at all: it will not run here, so the scheduler may place it elsewhere.
      stolen = !held.containsKey(key);
    }
    out.add(new Send(new Msg.StealResponse(key, stolen)));
  }

  /** {@code peer} did not deliver {@code keys}: try their next holders, or give up. */
  private void crossOff(String peer, List<Key> keys, List<WorkerInstruction> out) {
    for (Key k : keys) {
      Wanted w = wanted.get(k);
      if (w == null || !peer.equals(w.inFlightTo)) {
        continue;
      }
      w.inFlightTo = null;
      incomingBytes -= w.nbytes;
      w.holders.remove(peer);
      w.tried.add(peer);
      if (!dependents.containsKey(k)) {
        wanted.remove(k);
      } else if (w.holders.isEmpty()) {
        giveUp(k, w, out);
      }
    }
  }

  private void onTaskEnd(Key key, WorkerEvent end, List<WorkerInstruction> out) {
    TaskEntry t = tasks.get(key);
    if (t == null || t.phase != Phase.EXECUTING) {
      return; // not ours (stale event); nothing to account
    }
    executing--;
    tasks.remove(key);
    if (t.cancelled) {
      if (end instanceof TaskSucceeded && !held.containsKey(key)) {
        out.add(new Discard(List.of(key)));
      }
      dropLocalDependents(key, out);
    } else if (end instanceof TaskSucceeded s) {
      held.put(key, new Held(s.nbytes(), s.type(), false));
      out.add(
          new Send(
              new Msg.TaskFinished(key, s.nbytes(), s.type(), s.startNanos(), s.durationNanos(), s.inline())));
      // tasks assigned here ahead of time start now, without waiting for the scheduler
      for (Key dependent : dependents.getOrDefault(key, Set.of())) {
        TaskEntry d = tasks.get(dependent);
        if (d != null && d.phase == Phase.FETCHING && d.local != null && d.local.remove(key)
            && d.missing.remove(key) && d.missing.isEmpty()) {
          makeReady(d);
        }
      }
    } else if (end instanceof TaskFailed f) {
      out.add(
          new Send(
              new Msg.TaskErred(
                  key, f.exception(), f.exceptionClass(), f.message(), f.durationNanos())));
      dropLocalDependents(key, out);
    }
    releaseDependencies(t, out);
  }

  /**
   * {@code key}, assigned here, ended without a result (failed, cancelled, stolen, freed, its own
   * input missing): the tasks assigned here ahead of time to wait for it are dropped without a
   * report; the scheduler takes them back when it learns how {@code key} ended.
   */
  private void dropLocalDependents(Key key, List<WorkerInstruction> out) {
    ArrayDeque<Key> ended = new ArrayDeque<>();
    ended.add(key);
    while (!ended.isEmpty()) {
      Key k = ended.poll();
      Set<Key> ds = dependents.get(k);
      if (ds == null) {
        continue;
      }
      for (Key dependent : List.copyOf(ds)) {
        TaskEntry d = tasks.get(dependent);
        if (d != null && d.phase == Phase.FETCHING && d.local != null && d.local.contains(k)) {
          removeTask(d, out);
          ended.add(dependent); // a chain assigned ahead goes as a whole
        }
      }
    }
  }

  private void onSchedulerLost(List<WorkerInstruction> out) {
    for (TaskEntry t : List.copyOf(tasks.values())) {
      if (tasks.get(t.spec.key()) != t) {
        continue; // dropped with the input it waited for
      }
      if (t.phase == Phase.EXECUTING) {
        t.cancelled = true;
      } else {
        dropTask(t, out);
      }
    }
  }

  // ---- helpers

  /** A value is now in the store (fetched, scattered): wake the tasks that waited for it. */
  private void arrived(Key k, Held h, List<WorkerInstruction> out) {
    Wanted w = wanted.remove(k);
    if (w != null && w.inFlightTo != null) {
      incomingBytes -= w.nbytes;
    }
    Held before = held.get(k);
    if (h.replica() && !dependents.containsKey(k)) {
      if (before == null) {
        out.add(new Discard(List.of(k))); // fetched, but nobody here needs it any more
      }
      return;
    }
    if (before == null || before.replica()) {
      held.put(k, h);
    }
    if (w == null) {
      return;
    }
    for (Key dependent : dependents.getOrDefault(k, Set.of())) {
      TaskEntry t = tasks.get(dependent);
      if (t != null && t.phase == Phase.FETCHING && t.missing.remove(k) && t.missing.isEmpty()) {
        makeReady(t);
      }
    }
  }

  /** No holder left for {@code k}: report and drop every task waiting for it. */
  private void giveUp(Key k, Wanted w, List<WorkerInstruction> out) {
    wanted.remove(k);
    for (Key dependent : List.copyOf(dependents.getOrDefault(k, Set.of()))) {
      TaskEntry t = tasks.get(dependent);
      if (t != null && t.phase == Phase.FETCHING) {
        KeyPart part = KeyPart.fromKey(k); // the scheduler knows the key, not its parts
        out.add(new Send(new Msg.MissingData(dependent, part == null ? k : part.key(), List.copyOf(w.tried))));
        dropTask(t, out);
      }
    }
  }

  private void makeReady(TaskEntry t) {
    t.phase = Phase.READY;
    ready.add(t);
  }

  /** Removes a task that is not executing, releasing what it held on to. */
  private void dropTask(TaskEntry t, List<WorkerInstruction> out) {
    removeTask(t, out);
    dropLocalDependents(t.spec.key(), out);
  }

  private void removeTask(TaskEntry t, List<WorkerInstruction> out) {
    tasks.remove(t.spec.key());
    if (t.phase == Phase.READY) {
      ready.remove(t);
    }
    releaseDependencies(t, out);
  }

  /** The task no longer needs its dependencies: discard replicas and fetches nobody else needs. */
  private void releaseDependencies(TaskEntry t, List<WorkerInstruction> out) {
    Key key = t.spec.key();
    for (Key dep : t.needs) {
      Set<Key> ds = dependents.get(dep);
      if (ds == null || !ds.remove(key) || !ds.isEmpty()) {
        continue;
      }
      dependents.remove(dep);
      Held h = held.get(dep);
      if (h != null && h.replica()) {
        held.remove(dep);
        out.add(new Discard(List.of(dep)));
      }
      Wanted w = wanted.get(dep);
      if (w != null && w.inFlightTo == null) {
        wanted.remove(dep); // an in-flight one is discarded when it arrives
      }
    }
  }

  private void peerDone(String peer) {
    inFlight.computeIfPresent(peer, (p, n) -> n <= 1 ? null : n - 1);
  }

  /** Starts GetData requests: wanted keys batched by their next holder, within per-peer limits. */
  private void ensureCommunicating(List<WorkerInstruction> out) {
    Map<String, List<Key>> byPeer = new LinkedHashMap<>();
    wanted.forEach(
        (k, w) -> {
          if (w.inFlightTo == null && !w.holders.isEmpty()) {
            byPeer.computeIfAbsent(w.holders.get(0), p -> new ArrayList<>()).add(k);
          }
        });
    byPeer.forEach(
        (peer, keys) -> {
          if (inFlight.getOrDefault(peer, 0) >= FETCHES_PER_PEER) {
            return;
          }
          List<Key> batch = new ArrayList<>();
          for (Key k : keys) {
            Wanted w = wanted.get(k);
            if (incomingBytes > 0 && incomingBytes + w.nbytes > transferLimit) {
              break; // the rest waits until fetched values have arrived
            }
            w.inFlightTo = peer;
            incomingBytes += w.nbytes;
            batch.add(k);
          }
          if (!batch.isEmpty()) {
            inFlight.merge(peer, 1, Integer::sum);
            out.add(new Fetch(peer, List.copyOf(batch)));
          }
        });
  }

  private void ensureComputing(List<WorkerInstruction> out) {
    while (!paused && executing < nthreads && !ready.isEmpty()) {
      TaskEntry t = ready.poll();
      t.phase = Phase.EXECUTING;
      executing++;
      out.add(new Execute(t.spec));
    }
  }
}
