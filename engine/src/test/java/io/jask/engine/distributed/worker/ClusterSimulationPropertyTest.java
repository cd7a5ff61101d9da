package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.distributed.scheduler.Event;
import io.jask.engine.distributed.scheduler.SchedulerState;
import io.jask.engine.distributed.scheduler.Send;
import io.jask.engine.distributed.scheduler.TaskState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scheduler's state machine and real {@link WorkerState}s, joined by message queues that
 * deliver in order per direction but at random moments relative to each other (as TCP connections
 * do), with tasks and fetches that take random time, workers that pause and resume for memory, work
 * stealing and speculative assignment. The unit tests of each side check one side's answers to
 * messages; this one checks that the two sides agree: after every seeded random run, once the
 * workers resume and every message, fetch and task has been delivered, every key a client wants is
 * in memory (or erred), and no task is left waiting, processing or queued. A task that is stuck
 * (the scheduler thinks a worker has it, the worker does not, or it waits on an input nobody
 * computes) fails the run with the scheduler's stuck report and the workers' task tables.
 *
 * <p>The graphs are the shape of {@code MemorySpillIT} (a tree sum over blocks computed first,
 * each level submitted on its own, inputs of 2 MiB so that only tasks whose other inputs are on
 * the same worker go ahead of time) and random DAGs with small results.
 */
class ClusterSimulationPropertyTest {

  static final long BIG = 2L << 20;

  /** One simulated worker process: its real state machine and what it is doing. */
  final class SimWorker {
    final String address;
    final WorkerState state;
    final ArrayDeque<Msg> inbox = new ArrayDeque<>(); // scheduler → worker, in order
    final ArrayDeque<Msg> outbox = new ArrayDeque<>(); // worker → scheduler, in order
    final List<Msg.TaskSpec> running = new ArrayList<>();
    final List<WorkerInstruction.Fetch> fetching = new ArrayList<>();
    final int nthreads;
    boolean paused;

    SimWorker(String address, int nthreads) {
      this.address = address;
      this.nthreads = nthreads;
      this.state = new WorkerState(address, nthreads, 12L << 20);
    }

    void handle(WorkerEvent e) {
      trace(address + "<-", e);
      for (WorkerInstruction i : state.handle(e)) {
        trace(address + "->", i);
        if (i instanceof WorkerInstruction.Send s) {
          outbox.add(s.msg());
        } else if (i instanceof WorkerInstruction.Execute x) {
          running.add(x.spec());
        } else if (i instanceof WorkerInstruction.Fetch f) {
          fetching.add(f);
        }
      }
    }
  }

  private Random rnd;
  private SchedulerState s;
  private long now;
  private final Map<String, SimWorker> workers = new LinkedHashMap<>();
  private final Map<Key, Long> sizes = new LinkedHashMap<>();
  private final Map<Key, Boolean> fails = new LinkedHashMap<>();
  private int graphs;
  private int lossOneIn;

  static List<Long> seeds() {
    List<Long> out = new ArrayList<>();
    for (long seed = Long.getLong("jask.seedFrom", 1); seed <= Long.getLong("jask.seeds", 300); seed++) {
      out.add(seed);
    }
    return out;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void schedulerAndRealWorkers_agree_andFinishEverything(long seed) {
    rnd = new Random(seed);
    now = 0;
    graphs = 0;
    lossOneIn = rnd.nextBoolean() ? 200 : 2000;
    workers.clear();
    sizes.clear();
    fails.clear();
    SchedulerState.Options d = SchedulerState.Options.defaults();
    s = new SchedulerState(new SchedulerState.Options(3, rnd.nextInt(4) != 0, d.workerTtlNanos() * 1000,
        rnd.nextBoolean() ? 1.1 : Double.POSITIVE_INFINITY, d.defaultTaskDurationNanos(), d.bandwidthBytesPerSec(),
        rnd.nextBoolean() ? 0 : 2_000_000L, rnd.nextInt(5) != 0));
    scheduler(new Event.ClientConnected("c"));
    int nworkers = 1 + rnd.nextInt(3);
    for (int i = 0; i < nworkers; i++) {
      SimWorker w = new SimWorker("w" + i, 1 + rnd.nextInt(2));
      workers.put(w.address, w);
      scheduler(new Event.WorkerConnected(w.address, new Msg.RegisterWorker(w.address, w.address, w.nthreads, 256L << 20, 1, List.of())));
    }
    List<Key> wanted = new ArrayList<>();
    boolean tree = rnd.nextBoolean();
    List<Key> level = tree ? submitBlocks(8 + rnd.nextInt(40), wanted) : List.of();
    int steps = 3000 + rnd.nextInt(3000);
    for (int i = 0; i < steps; i++) {
      now += rnd.nextInt(50_000_000);
      if (tree && level.size() > 1 && rnd.nextInt(40) == 0) {
        level = submitLevel(level, wanted);
      } else if (!tree && graphs < 8 && rnd.nextInt(300) == 0) {
        submitRandomGraph(wanted);
      } else {
        step(false);
      }
    }
    while (tree && level.size() > 1) {
      level = submitLevel(level, wanted);
    }
    // the end: memory goes down, every worker resumes; deliver everything until nothing moves
    for (SimWorker w : workers.values()) {
      setPaused(w, false);
    }
    for (int round = 0; round < 200_000 && step(true); round++) {
      now += 1_000_000;
    }
    Map<TaskState, Integer> counts = s.countsByState();
    String why = s.stuckReport(30) + workerTables();
    for (TaskState st : List.of(TaskState.WAITING, TaskState.PROCESSING, TaskState.QUEUED, TaskState.NO_WORKER)) {
      assertEquals(0, counts.get(st), "seed " + seed + ": nothing left " + st + " " + counts + "\n" + why);
    }
    for (Key k : wanted) {
      TaskState st = s.stateOf(k);
      assertTrue(st == TaskState.MEMORY || st == TaskState.ERRED, "seed " + seed + ": " + k + " is " + st + "\n" + why);
    }
    for (SimWorker w : workers.values()) {
      assertEquals(0, w.state.taskCount(), "seed " + seed + ": " + w.address + " has tasks left\n" + why);
    }
  }

  private String workerTables() {
    StringBuilder sb = new StringBuilder();
    for (SimWorker w : workers.values()) {
      sb.append("\n").append(w.address).append(": ").append(w.state.describe(30));
    }
    return sb.toString();
  }

  // ---- graphs

  private List<Key> submitBlocks(int n, List<Key> wanted) {
    List<Msg.TaskSpec> specs = new ArrayList<>();
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Key k = Key.of("block", i);
      specs.add(new Msg.TaskSpec(k, new byte[0], List.of(), i, 0, Set.of(), true));
      keys.add(k);
      sizes.put(k, BIG);
    }
    submit(specs, keys, wanted);
    return keys;
  }

  private List<Key> submitLevel(List<Key> level, List<Key> wanted) {
    int g = graphs++;
    List<Msg.TaskSpec> specs = new ArrayList<>();
    List<Key> next = new ArrayList<>();
    List<Key> made = new ArrayList<>();
    for (int i = 0; i + 1 < level.size(); i += 2) {
      Key k = Key.of("add-" + g, i / 2);
      specs.add(new Msg.TaskSpec(k, new byte[0], List.of(level.get(i), level.get(i + 1)), i, 0, Set.of(), true));
      sizes.put(k, BIG);
      next.add(k);
      made.add(k);
    }
    if (level.size() % 2 == 1) {
      next.add(level.get(level.size() - 1));
    }
    submit(specs, made, wanted);
    return next;
  }

  private void submitRandomGraph(List<Key> wanted) {
    int g = graphs++;
    int n = 1 + rnd.nextInt(20);
    List<Msg.TaskSpec> specs = new ArrayList<>();
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Key key = Key.of("g" + g + "-t", i);
      List<Key> deps = new ArrayList<>();
      if (i > 0 && rnd.nextInt(3) != 0) {
        deps.add(keys.get(i - 1)); // chains: what speculative assignment sends ahead
      }
      for (int j = 0; j < i - 1; j++) {
        if (rnd.nextInt(5) == 0) {
          deps.add(keys.get(j));
        }
      }
      specs.add(new Msg.TaskSpec(key, new byte[0], deps, i, rnd.nextInt(4) == 0 ? 1 : 0, Set.of(), true));
      keys.add(key);
      sizes.put(key, rnd.nextInt(3) == 0 ? BIG : 100L);
      if (rnd.nextInt(25) == 0) {
        fails.put(key, true);
      }
    }
    List<Key> want = new ArrayList<>();
    for (Key k : keys) {
      if (rnd.nextInt(3) == 0) {
        want.add(k);
      }
    }
    want.add(keys.get(n - 1));
    submit(specs, want, wanted);
  }

  private void submit(List<Msg.TaskSpec> specs, List<Key> want, List<Key> wanted) {
    wanted.addAll(want);
    scheduler(new Event.FromClient("c", new Msg.UpdateGraph("c", specs, want, 0)));
  }

  // ---- delivery

  /** What the runs did, over all seeds: each kind must happen often for the runs to mean anything. */
  static final Map<String, Integer> STATS = new java.util.TreeMap<>();

  @org.junit.jupiter.api.AfterAll
  static void everyPathWasTaken() {
    System.out.println("ClusterSimulationPropertyTest: " + STATS);
    for (String kind : List.of("ComputeTask-ahead", "StealRequest", "StealResponse-stolen", "pause", "MissingData", "TaskErred")) {
      assertTrue(STATS.getOrDefault(kind, 0) > 20, kind + " happened in the runs: " + STATS);
    }
  }

  private static void count(String kind) {
    STATS.merge(kind, 1, Integer::sum);
  }

  private static final String TRACE = System.getProperty("jask.trace");

  private static void trace(String what, Object o) {
    if (TRACE != null && String.valueOf(o).contains(TRACE)) {
      System.out.println(what + " " + o);
    }
  }

  private void scheduler(Event e) {
    trace("S<-", e);
    List<Send> out = new ArrayList<>();
    if (e instanceof Event.FromWorker fw) {
      count(fw.msg() instanceof Msg.StealResponse sr ? "StealResponse-" + (sr.stolen() ? "stolen" : "kept") : fw.msg().getClass().getSimpleName());
    }
    s.handle(now, e, out);
    for (Send send : out) {
      trace("S->", send);
      count(send.msg() instanceof Msg.ComputeTask ct && !ct.pendingHere().isEmpty() ? "ComputeTask-ahead" : send.msg().getClass().getSimpleName());
      if (send.target() == Send.Target.WORKER) {
        SimWorker w = workers.get(send.to());
        if (w != null) {
          w.inbox.add(send.msg());
        }
      }
    }
  }

  private void setPaused(SimWorker w, boolean paused) {
    if (w.paused == paused) {
      return;
    }
    w.paused = paused;
    count(paused ? "pause" : "resume");
    w.handle(new WorkerEvent.Paused(paused));
    // the worker tells the scheduler at once, with a heartbeat
    w.outbox.add(new Msg.Heartbeat(w.state.executingCount(), w.state.readyCount(), 0, 0, 0, 0,
        new Msg.WorkerMemory(0, 0, 0, 256L << 20, paused)));
  }

  /**
   * One random thing happens; {@code draining}: no pauses, and a tick only when nothing else is
   * pending. Returns whether anything was pending.
   */
  private boolean step(boolean draining) {
    List<Runnable> options = new ArrayList<>();
    for (SimWorker w : workers.values()) {
      if (!w.inbox.isEmpty()) {
        options.add(() -> toWorker(w, w.inbox.poll()));
      }
      if (!w.outbox.isEmpty()) {
        options.add(() -> scheduler(new Event.FromWorker(w.address, w.outbox.poll())));
      }
      if (!w.running.isEmpty()) {
        options.add(() -> finishTask(w, w.running.remove(rnd.nextInt(w.running.size()))));
      }
      if (!w.fetching.isEmpty()) {
        options.add(() -> finishFetch(w, w.fetching.remove(rnd.nextInt(w.fetching.size()))));
      }
      if (!draining && rnd.nextInt(30) == 0) {
        options.add(() -> setPaused(w, !w.paused));
      }
    }
    if (!draining && rnd.nextInt(lossOneIn) == 0) {
      options.add(this::spuriousLoss);
    }
    boolean pending = !options.isEmpty();
    if (!draining || options.isEmpty()) {
      options.add(() -> scheduler(new Event.Tick()));
      for (SimWorker w : workers.values()) {
        options.add(() -> w.outbox.add(new Msg.Heartbeat(w.state.executingCount(), w.state.readyCount(), 0, 0, 0, 0,
            new Msg.WorkerMemory(0, 0, 0, 256L << 20, w.paused))));
      }
    }
    options.get(rnd.nextInt(options.size())).run();
    if (draining && !pending) {
      // a tick or heartbeat may have started something (a steal): keep going while it does
      return workers.values().stream().anyMatch(w -> !w.inbox.isEmpty() || !w.outbox.isEmpty() || !w.running.isEmpty()
          || !w.fetching.isEmpty());
    }
    return pending;
  }

  /**
   * A worker reports a held value of another worker missing (its fetch timed out under load, the
   * holder could not read its spill file): the scheduler counts that copy lost, frees it there and
   * restarts what depended on it, which cancels dependents that are executing.
   */
  private void spuriousLoss() {
    List<Key> inMemory = new ArrayList<>();
    for (Key k : s.keys()) {
      if (s.stateOf(k) == TaskState.MEMORY && !s.whoHas(k).isEmpty()) {
        inMemory.add(k);
      }
    }
    if (inMemory.isEmpty()) {
      return;
    }
    Key k = inMemory.get(rnd.nextInt(inMemory.size()));
    List<String> holders = s.whoHas(k);
    String holder = holders.get(rnd.nextInt(holders.size()));
    List<String> others = new ArrayList<>(workers.keySet());
    others.remove(holder);
    String reporter = others.isEmpty() ? holder : others.get(rnd.nextInt(others.size()));
    count("spurious-loss");
    workers.get(reporter).outbox.add(new Msg.MissingData(Key.of("no-such-task", 0), k, List.of(holder)));
  }

  private void toWorker(SimWorker w, Msg m) {
    if (m instanceof Msg.ComputeTask ct) {
      w.handle(new WorkerEvent.Compute(ct));
    } else if (m instanceof Msg.FreeKeys f) {
      w.handle(new WorkerEvent.Free(f.keys()));
    } else if (m instanceof Msg.StealRequest sr) {
      w.handle(new WorkerEvent.Steal(sr.key()));
    }
  }

  private void finishTask(SimWorker w, Msg.TaskSpec spec) {
    Key k = spec.key();
    if (fails.getOrDefault(k, false)) {
      w.handle(new WorkerEvent.TaskFailed(k, new byte[0], "java.lang.ArithmeticException", "boom", 1));
    } else {
      w.handle(new WorkerEvent.TaskSucceeded(k, sizes.getOrDefault(k, 100L), "T", 0, 1000 + rnd.nextInt(1_000_000)));
    }
  }

  private void finishFetch(SimWorker w, WorkerInstruction.Fetch f) {
    SimWorker peer = workers.get(f.peer());
    Map<Key, Long> received = new LinkedHashMap<>();
    List<Key> missing = new ArrayList<>();
    for (Key k : f.keys()) {
      if (peer != null && peer.state.holds(k)) {
        received.put(k, sizes.getOrDefault(k, 100L));
      } else {
        missing.add(k);
      }
    }
    w.handle(new WorkerEvent.FetchDone(f.peer(), received, missing));
  }
}
