package io.jask.engine.distributed.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random DAGs, random worker joins, deaths, results, errors, steals and releases, with simulated
 * workers that do what they were told. After every event the invariants hold; once the surviving
 * workers finish everything, every wanted key is in memory or erred.
 */
class RandomEventsPropertyTest {

  /** A worker as the scheduler's messages leave it. */
  static final class SimWorker {
    final String address;
    final Map<Key, Msg.ComputeTask> assigned = new LinkedHashMap<>();
    final Set<Key> held = new LinkedHashSet<>();
    final Set<Key> stealRequests = new LinkedHashSet<>();

    SimWorker(String address) {
      this.address = address;
    }
  }

  private Random rnd;
  private Harness h;
  private final Map<String, SimWorker> live = new LinkedHashMap<>();
  private final Map<String, SimWorker> dead = new LinkedHashMap<>();
  private final List<Key> everSubmitted = new ArrayList<>();
  private int graphs;
  private int scatters;
  private int wantedChecked;
  private int workerNames;
  private int speculativeDrops;
  private int speculativeWaits; // tasks assigned ahead

  @Test
  void randomEventSequences_keepInvariants_andFinishWantedKeys() {
    for (long seed = 1; seed <= Long.getLong("jask.seeds", 200); seed++) {
      try {
        run(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    }
    assertTrue(wantedChecked > 1000, "the runs end with many wanted keys to check: " + wantedChecked);
    assertTrue(speculativeWaits > 100, "tasks were assigned ahead: " + speculativeWaits);
    assertTrue(speculativeDrops > 10, "tasks assigned ahead were taken back or dropped: " + speculativeDrops);
  }

  private void run(long seed) {
    rnd = new Random(seed);
    SchedulerState.Options d = SchedulerState.Options.defaults();
    h = new Harness(new SchedulerState.Options(rnd.nextInt(3), rnd.nextBoolean(), d.workerTtlNanos(),
        rnd.nextBoolean() ? 1.1 : Double.POSITIVE_INFINITY, d.defaultTaskDurationNanos(), d.bandwidthBytesPerSec(),
        0, rnd.nextInt(4) != 0));
    live.clear();
    dead.clear();
    everSubmitted.clear();
    graphs = 0;
    scatters = 0;
    workerNames = 0;
    deliver(h.client("c0"));
    deliver(h.client("c1"));
    int steps = 150 + rnd.nextInt(150);
    for (int i = 0; i < steps; i++) {
      h.now += rnd.nextInt(200_000_000);
      randomStep();
    }
    finishEverything();
  }

  private void randomStep() {
    int r = rnd.nextInt(100);
    if (r < 10 && graphs < 12) {
      submitRandomGraph();
    } else if (r < 16) {
      joinWorker();
    } else if (r < 20 && !live.isEmpty()) {
      SimWorker w = pick(live);
      kill(w);
    } else if (r < 60 && !live.isEmpty()) {
      work(pick(live), rnd.nextInt(10) == 0);
    } else if (r < 68 && !live.isEmpty()) {
      answerSteals(pick(live));
    } else if (r < 76) {
      deliver(h.tick());
    } else if (r < 82 && !live.isEmpty()) {
      // a heartbeat; one in three says the worker is paused for memory (or resumed): a paused
      // worker gets no new tasks and none sent ahead, and stealing may take its queue
      SimWorker w = pick(live);
      Msg.WorkerMemory m = rnd.nextInt(3) == 0 ? new Msg.WorkerMemory(0, 0, 0, 1L << 30, rnd.nextBoolean()) : null;
      deliver(h.fromWorker(w.address, new Msg.Heartbeat(0, 0, 0, 0, 0, 0, m)));
    } else if (r < 85) {
      String c = "c" + rnd.nextInt(2);
      List<Key> wanted = new ArrayList<>(h.s.wantedBy(c));
      if (!wanted.isEmpty()) {
        deliver(h.release(c, wanted.get(rnd.nextInt(wanted.size()))));
      }
    } else if (r < 90) {
      if (rnd.nextInt(4) != 0) {
        return;
      }
      String c = "c" + rnd.nextInt(2);
      deliver(h.on(new Event.ClientGone(c)));
      deliver(h.client(c));
    } else if (r < 95) {
      strayMessage();
    } else if (r < 97 && !everSubmitted.isEmpty() && !live.isEmpty()) {
      SimWorker w = pick(live);
      Key k = everSubmitted.get(rnd.nextInt(everSubmitted.size()));
      deliver(h.fromWorker(w.address, new Msg.MissingData(k, k, new ArrayList<>(h.s.whoHas(k)))));
    } else if (r < 98 && !live.isEmpty()) {
      SimWorker w = pick(live);
      Key k = Key.of("scattered", scatters++);
      w.held.add(k);
      everSubmitted.add(k);
      String c = "c" + rnd.nextInt(2);
      deliver(h.on(new Event.FromClient(c, new Msg.ScatterDone(c, Map.of(k, w.address), Map.of(k, 100L)))));
    } else if (r < 99 && !everSubmitted.isEmpty()) {
      String c = "c" + rnd.nextInt(2);
      Key k = everSubmitted.get(rnd.nextInt(everSubmitted.size()));
      deliver(h.on(new Event.FromClient(c, new Msg.CancelKeys(c, List.of(k), false))));
    } else if (!live.isEmpty()) {
      SimWorker w = pick(live);
      if (!w.held.isEmpty()) {
        Key k = w.held.iterator().next();
        w.held.remove(k);
        deliver(h.fromWorker(w.address, new Msg.ReleasedFromWorker(List.of(k))));
      }
    }
  }

  private void submitRandomGraph() {
    int g = graphs++;
    int n = 1 + rnd.nextInt(12);
    List<Msg.TaskSpec> specs = new ArrayList<>();
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Key key = Key.of("g" + g + "-t", i);
      List<Key> deps = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        if (rnd.nextInt(4) == 0) {
          deps.add(keys.get(j));
        }
      }
      if (!everSubmitted.isEmpty() && rnd.nextInt(6) == 0) {
        deps.add(everSubmitted.get(rnd.nextInt(everSubmitted.size()))); // may be forgotten: rejected
      }
      Set<String> allowed = rnd.nextInt(15) == 0 ? Set.of("w0") : Set.of();
      specs.add(new Msg.TaskSpec(key, new byte[0], deps, i, rnd.nextInt(4) == 0 ? 1 : 0, allowed, rnd.nextInt(10) != 0));
      keys.add(key);
    }
    List<Key> wanted = new ArrayList<>();
    for (Key k : keys) {
      if (rnd.nextInt(3) == 0) {
        wanted.add(k);
      }
    }
    wanted.add(keys.get(n - 1));
    everSubmitted.addAll(keys);
    deliver(h.submit("c" + rnd.nextInt(2), rnd.nextInt(3), specs, wanted.toArray(Key[]::new)));
  }

  private void joinWorker() {
    String address;
    List<Key> held = new ArrayList<>();
    if (!dead.isEmpty() && rnd.nextBoolean()) {
      SimWorker old = pick(dead);
      dead.remove(old.address);
      address = old.address;
      for (Key k : old.held) {
        if (rnd.nextBoolean()) {
          held.add(k);
        }
      }
    } else {
      address = "w" + workerNames++;
    }
    if (rnd.nextInt(5) == 0) {
      held.add(Key.of("junk", rnd.nextInt(3)));
    }
    SimWorker w = new SimWorker(address);
    w.held.addAll(held);
    live.put(address, w);
    int threads = 1 + rnd.nextInt(3);
    deliver(h.on(new Event.WorkerConnected(address, new Msg.RegisterWorker(address, address, threads, 0, 1, held))));
  }

  private void kill(SimWorker w) {
    live.remove(w.address);
    dead.put(w.address, w);
    w.assigned.clear();
    w.stealRequests.clear();
    deliver(h.gone(w.address));
  }

  /**
   * The worker runs its first assigned task that is not waiting for an input assigned here too:
   * fetch inputs, then finish (or fail). A task assigned ahead whose input is neither held nor
   * assigned here any more is dropped without a word, as the real worker does.
   */
  private void work(SimWorker w, boolean fail) {
    Msg.ComputeTask ct = null;
    for (Msg.ComputeTask c : new ArrayList<>(w.assigned.values())) {
      boolean waits = false;
      boolean orphan = false;
      for (Key p : c.pendingHere()) {
        if (!w.held.contains(p)) {
          waits = true;
          orphan |= !w.assigned.containsKey(p);
        }
      }
      if (orphan) {
        w.assigned.remove(c.spec().key());
        speculativeDrops++;
      } else if (!waits) {
        ct = c;
        break;
      }
    }
    if (ct == null) {
      return;
    }
    Key key = ct.spec().key();
    for (Map.Entry<Key, List<String>> e : ct.whoHas().entrySet()) {
      if (ct.pendingHere(e.getKey()) && w.held.contains(e.getKey())) {
        continue; // computed here
      }
      boolean got = w.held.contains(e.getKey());
      for (String holder : e.getValue()) {
        SimWorker hw = live.get(holder);
        got |= hw != null && hw.held.contains(e.getKey());
      }
      if (!got) {
        w.assigned.remove(key);
        deliver(h.fromWorker(w.address, new Msg.MissingData(key, e.getKey(), e.getValue())));
        return;
      }
    }
    w.assigned.remove(key);
    w.stealRequests.remove(key);
    if (fail) {
      deliver(h.err(w.address, key));
    } else {
      w.held.add(key);
      deliver(h.fromWorker(w.address, new Msg.TaskFinished(key, rnd.nextInt(1 << 20), "T", 0, rnd.nextInt(1_000_000))));
    }
  }

  private void answerSteals(SimWorker w) {
    for (Key k : new ArrayList<>(w.stealRequests)) {
      w.stealRequests.remove(k);
      boolean stolen = w.assigned.containsKey(k) && rnd.nextBoolean();
      if (stolen) {
        w.assigned.remove(k);
      }
      deliver(h.fromWorker(w.address, new Msg.StealResponse(k, stolen)));
    }
  }

  private void strayMessage() {
    Key k = everSubmitted.isEmpty() || rnd.nextInt(4) == 0
        ? Key.of("unknown", rnd.nextInt(5))
        : everSubmitted.get(rnd.nextInt(everSubmitted.size()));
    String from = !dead.isEmpty() && rnd.nextBoolean() ? pick(dead).address : live.isEmpty() ? "nobody" : pick(live).address;
    switch (rnd.nextInt(3)) {
      case 0 -> {
        SimWorker w = live.get(from);
        if (w == null || w.held.contains(k)) { // a duplicate result comes only from a real holder
          deliver(h.fromWorker(from, new Msg.TaskFinished(k, 1, "T", 0, 1)));
        }
      }
      case 1 -> deliver(h.err(from, k));
      default -> deliver(h.fromWorker(from, new Msg.StealResponse(k, rnd.nextBoolean())));
    }
  }

  private void finishEverything() {
    if (!live.containsKey("w0")) {
      if (dead.containsKey("w0")) {
        dead.remove("w0");
      }
      SimWorker w = new SimWorker("w0");
      live.put("w0", w);
      deliver(h.on(new Event.WorkerConnected("w0", new Msg.RegisterWorker("w0", "w0", 2, 0, 1, List.of()))));
    }
    for (SimWorker w : live.values()) { // memory went down: every worker runs again
      deliver(h.fromWorker(w.address, new Msg.Heartbeat(0, 0, 0, 0, 0, 0, new Msg.WorkerMemory(0, 0, 0, 1L << 30, false))));
    }
    for (int round = 0; round < 20_000; round++) {
      boolean busy = false;
      for (SimWorker w : new ArrayList<>(live.values())) {
        answerSteals(w);
        if (!w.assigned.isEmpty()) {
          busy = true;
          work(w, false);
        }
      }
      if (!busy) {
        deliver(h.tick());
        if (live.values().stream().allMatch(w -> w.assigned.isEmpty() && w.stealRequests.isEmpty())) {
          break;
        }
      }
    }
    Map<TaskState, Integer> counts = h.s.countsByState();
    assertEquals(0, counts.get(TaskState.PROCESSING), "nothing left processing " + counts);
    assertEquals(0, counts.get(TaskState.QUEUED), "nothing left queued " + counts);
    assertEquals(0, counts.get(TaskState.WAITING), "nothing left waiting " + counts);
    assertEquals(0, counts.get(TaskState.NO_WORKER), "nothing left without worker " + counts);
    if (Boolean.getBoolean("jask.simstats")) {
      long kim = h.all.stream().filter(x -> x.msg() instanceof Msg.KeyInMemory).count();
      long ke = h.all.stream().filter(x -> x.msg() instanceof Msg.KeyErred).count();
      long st = h.all.stream().filter(x -> x.msg() instanceof Msg.StealRequest).count();
      long md = h.all.stream().filter(x -> x.msg() instanceof Msg.ComputeTask).count();
      System.out.println("STATS " + counts + " kim=" + kim + " erred=" + ke + " steals=" + st + " computes=" + md
          + " wanted=" + h.s.wantedBy("c0").size() + "+" + h.s.wantedBy("c1").size() + " dead=" + dead.size());
    }
    for (String c : h.s.clients()) {
      for (Key k : h.s.wantedBy(c)) {
        TaskState st = h.s.stateOf(k);
        assertTrue(st == TaskState.MEMORY || st == TaskState.ERRED, k + " wanted by " + c + " is " + st);
        wantedChecked++;
      }
    }
  }

  /** Applies the scheduler's messages to the simulated workers. */
  private void deliver(List<Send> sends) {
    for (Send s : sends) {
      if (s.target() != Send.Target.WORKER) {
        continue;
      }
      SimWorker w = live.get(s.to());
      if (w == null) {
        continue;
      }
      if (s.msg() instanceof Msg.ComputeTask ct) {
        w.assigned.put(ct.spec().key(), ct);
        speculativeWaits += ct.pendingHere().isEmpty() ? 0 : 1;
      } else if (s.msg() instanceof Msg.FreeKeys f) {
        for (Key k : f.keys()) {
          Msg.ComputeTask was = w.assigned.remove(k);
          speculativeDrops += was != null && !was.pendingHere().isEmpty() ? 1 : 0;
          w.held.remove(k);
          w.stealRequests.remove(k);
        }
      } else if (s.msg() instanceof Msg.StealRequest sr) {
        w.stealRequests.add(sr.key());
      } else if (s.msg() instanceof Msg.CloseWorker) {
        live.remove(w.address);
        dead.put(w.address, w);
        w.assigned.clear();
      }
    }
  }

  private <T> T pick(Map<String, T> m) {
    List<T> values = new ArrayList<>(m.values());
    return values.get(rnd.nextInt(values.size()));
  }
}
