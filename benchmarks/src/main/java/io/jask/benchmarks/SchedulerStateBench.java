package io.jask.benchmarks;

import io.jask.engine.Key;
import io.jask.engine.distributed.diagnostics.SchedulerDiagnostics;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.distributed.scheduler.Event;
import io.jask.engine.distributed.scheduler.SchedulerState;
import io.jask.engine.distributed.scheduler.Send;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's own cost per task in T3's shape, without I/O: one {@link SchedulerState} and
 * its {@link SchedulerDiagnostics} (as the server's event thread drives them), 2 workers × 1
 * thread and 1 client; per run one {@code UpdateGraph} of {@code n} independent tasks (what {@code
 * client.map} sends), then the workers' {@code TaskFinished} events fed back as the {@code
 * ComputeTask}s come out (each simulated worker answers up to {@value #WORKER_BATCH} of its
 * tasks per turn, as a batched write does), then one {@code ReleaseKeys} of every key, which frees
 * and forgets them all. Reports wall and this thread's CPU per task (the event loop is one
 * thread, so its CPU is what bounds T3's rate). Every run checks that each key reached the
 * client exactly once, that each task was computed once and that the state is empty at the end.
 *
 * <pre>
 * java $(cat benchmarks/target/jvm.flags) -cp benchmarks/target/jask-benchmarks.jar \
 *     io.jask.benchmarks.Runner --warmup 3 --runs 5 sched
 * </pre>
 */
final class SchedulerStateBench implements Workload {
  static final String BENCH = "scheduler";
  static final int WORKER_BATCH = 64;
  private static final int[] SIZES = {50_000};

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Override
  public String description() {
    return "SchedulerState alone, T3's shape: UpdateGraph of 50,000 tasks, 2 workers x 1 thread, results, release; us/task wall and CPU";
  }

  @Override
  public void run(Settings s) throws Exception {
    for (int n : SIZES) {
      long base = 0;
      for (int i = 0; i < s.warmup(); i++) {
        once(n, base);
        base += n;
      }
      List<Double> wall = new ArrayList<>();
      List<Double> cpu = new ArrayList<>();
      for (int i = 0; i < s.runs(); i++) {
        double[] r = once(n, base);
        base += n;
        wall.add(r[0]);
        cpu.add(r[1]);
      }
      Result.of(BENCH, "state_map_gather_release").put("n_tasks", n).runs(wall).rate(n)
          .put("us_per_task_wall", Result.round(Stats.median(wall) * 1e6 / n, 3))
          .put("us_per_task_cpu", Result.round(Stats.median(cpu) * 1e6 / n, 3))
          .put("cpu_runs_s", cpu.stream().map(c -> Result.round(c, 5)).toList())
          .put("api", "SchedulerDiagnostics.observe + SchedulerState.handle per event, no I/O")
          .print();
    }
  }

  /** One run: {wall seconds, thread CPU seconds}. */
  private static double[] once(int n, long base) {
    SchedulerState state = new SchedulerState(SchedulerState.Options.defaults());
    SchedulerDiagnostics diag = new SchedulerDiagnostics();
    List<Send> out = new ArrayList<>();
    String[] workers = {"tcp://127.0.0.1:40001", "tcp://127.0.0.1:40002"};
    Map<String, ArrayDeque<Key>> queues = new HashMap<>();
    long now = 1;
    for (String w : workers) {
      feed(state, diag, now, new Event.WorkerConnected(w, new Msg.RegisterWorker(w, w, 1, 1L << 32, 1, List.of())), out);
      queues.put(w, new ArrayDeque<>());
    }
    feed(state, diag, now, new Event.ClientConnected("c"), out);
    out.clear();

    List<Msg.TaskSpec> specs = new ArrayList<>(n);
    List<Key> keys = new ArrayList<>(n);
    byte[] payload = new byte[48];
    for (int i = 0; i < n; i++) {
      Key k = Key.of("inc-" + Long.toHexString(0x9e3779b97f4a7c15L * (base + i + 1)));
      keys.add(k);
      specs.add(new Msg.TaskSpec(k, payload, List.of(), 0, 0, null, true)); // as Client.map: graph order 0
    }
    byte[] inline = new byte[9];
    long inMemory = 0;
    long computed = 0;
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    feed(state, diag, now, new Event.FromClient("c", new Msg.UpdateGraph("c", specs, keys, 0)), out);
    boolean moved = true;
    while (moved) {
      moved = false;
      for (Send send : out) {
        if (send.msg() instanceof Msg.ComputeTask ct) {
          queues.get(send.to()).add(ct.spec().key());
        } else if (send.msg() instanceof Msg.KeyInMemory) {
          inMemory++;
        }
      }
      out.clear();
      for (String w : workers) {
        ArrayDeque<Key> q = queues.get(w);
        for (int i = 0; i < WORKER_BATCH && !q.isEmpty(); i++) {
          now += 20_000;
          Key k = q.poll();
          computed++;
          feed(state, diag, now, new Event.FromWorker(w, new Msg.TaskFinished(k, 8, "java.lang.Long", now, 15_000, inline)), out);
          moved = true;
        }
      }
    }
    feed(state, diag, now, new Event.FromClient("c", new Msg.ReleaseKeys("c", keys)), out);
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
    Stats.check(inMemory == n, "every key in memory once: " + inMemory);
    Stats.check(computed == n, "every task computed once: " + computed);
    Stats.check(state.keys().isEmpty(), "state forgets every key: " + state.keys().size() + " left");
    return new double[] {wall, cpu};
  }

  private static void feed(SchedulerState state, SchedulerDiagnostics diag, long now, Event e, List<Send> out) {
    if (!diag.observe(e, state)) {
      state.handle(now, e, out);
    }
  }
}
