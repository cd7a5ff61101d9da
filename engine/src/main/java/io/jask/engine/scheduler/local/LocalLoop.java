package io.jask.engine.scheduler.local;

import io.jask.engine.JaskCancelledException;
import io.jask.engine.JaskTaskException;
import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.diagnostics.TaskEvent;
import io.jask.engine.diagnostics.TaskEvents;
import io.jask.engine.internal.CompiledGraph;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one local scheduling loop that {@code sync}, {@code threads} and {@code processes} share
 * (dask's {@code local.get_async}); they differ only in the {@link TaskRunner} that runs a ready
 * task and in how many threads run the loop.
 *
 * <p>Design: there is no central dispatcher thread. Each of the {@code n} loop threads takes the
 * ready task with the lowest static priority ({@link io.jask.engine.internal.CompiledGraph#priority}),
 * runs it outside the lock, then, under the lock, stores its result, releases every input whose
 * last reader this was, moves dependents whose inputs are all present to the ready heap and
 * immediately takes the next one itself. A chain of dependent tasks therefore runs on one thread
 * with no hand-off, and idle threads are woken only when more tasks are ready than the finishing
 * thread can take. When many tasks are ready a thread takes a small batch at once, which amortizes
 * the lock over trivial tasks. The first failure (or a cancellation) stops every thread from
 * starting anything new.
 */
public final class LocalLoop {
  private static final int MAX_BATCH = 64;

  private final CompiledGraph g;
  private final int threads;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition workAvailable = lock.newCondition();
  private final Condition terminal = lock.newCondition();
  private final int[] waiting;
  private final int[] unreleased;
  private final Object[] results;
  private final IntHeap ready;
  private int running;
  private int finished;
  private int idle;
  private RuntimeException failure;
  private boolean cancelled;
  /** Set with a failure or a cancellation; read between the tasks of a batch, outside the lock. */
  private volatile boolean stopping;

  /** A loop over {@code graph} to be run by {@code threads} threads. */
  public LocalLoop(CompiledGraph graph, int threads) {
    this.g = graph;
    this.threads = Math.max(1, threads);
    int n = graph.size;
    this.waiting = new int[n];
    this.unreleased = new int[n];
    this.results = new Object[n];
    this.ready = new IntHeap(graph.priority, n);
    for (int i = 0; i < n; i++) {
      waiting[i] = graph.deps[i].length;
      unreleased[i] = graph.dependents[i].length;
      if (waiting[i] == 0) {
        ready.add(i);
      }
    }
  }

  /**
   * Runs the whole graph on the calling thread (the {@code sync} scheduler). Interrupting the
   * thread cancels between tasks.
   */
  public Map<Key, Object> runHere(TaskRunner runner) {
    TaskEvents.tasksAdded(g.size);
    work(0, runner, true);
    return outcome();
  }

  /**
   * Runs the graph on {@code threads} loop threads of {@code pool} while the calling thread waits;
   * interrupting the calling thread cancels the computation.
   */
  public Map<Key, Object> runOn(ExecutorService pool, TaskRunner runner) {
    if (g.size == 0) {
      return outcome();
    }
    TaskEvents.tasksAdded(g.size);
    int n = Math.min(threads, g.size);
    Future<?>[] loops = new Future<?>[n];
    for (int i = 0; i < n; i++) {
      int slot = i;
      loops[i] = pool.submit(() -> work(slot, runner, false));
    }
    lock.lock();
    try {
      while (finished < g.size && failure == null && !cancelled) {
        terminal.await();
      }
    } catch (InterruptedException e) {
      cancelled = true;
      stopping = true;
      workAvailable.signalAll();
    } finally {
      lock.unlock();
    }
    if (cancelled) {
      for (Future<?> f : loops) {
        f.cancel(true);
      }
    }
    return outcome();
  }

  /** The number of intermediate results still held (0 after a successful run: a leak check). */
  public int heldIntermediates() {
    lock.lock();
    try {
      int held = 0;
      for (int i = 0; i < g.size; i++) {
        if (results[i] != null && !g.output[i]) {
          held++;
        }
      }
      return held;
    } finally {
      lock.unlock();
    }
  }

  private Map<Key, Object> outcome() {
    lock.lock();
    try {
      if (cancelled) {
        Thread.currentThread().interrupt();
        throw new JaskCancelledException("computation cancelled by an interrupt after " + finished + " of " + g.size + " tasks");
      }
      if (failure != null) {
        throw failure;
      }
      Map<Key, Object> out = new LinkedHashMap<>(g.outputs.length * 2);
      for (int o : g.outputs) {
        out.put(g.keys[o], results[o]);
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  private void work(int slot, TaskRunner runner, boolean sync) {
    int[] batch = new int[MAX_BATCH];
    Object[][] inputs = new Object[MAX_BATCH][];
    Object[] outputs = new Object[MAX_BATCH];
    lock.lock();
    try {
      while (true) {
        if (sync && Thread.interrupted()) {
          cancelled = true;
          stopping = true;
        }
        if (failure != null || cancelled || finished == g.size) {
          break;
        }
        int r = ready.size();
        if (r == 0) {
          if (running == 0) {
            break; // cannot happen for a compiled (acyclic, complete) graph
          }
          idle++;
          workAvailable.awaitUninterruptibly();
          idle--;
          continue;
        }
        int take = Math.min(MAX_BATCH, Math.max(1, r / (2 * threads)));
        for (int j = 0; j < take; j++) {
          int t = ready.poll();
          batch[j] = t;
          int[] ds = g.deps[t];
          Object[] in = new Object[ds.length];
          for (int d = 0; d < ds.length; d++) {
            in[d] = results[ds[d]];
          }
          inputs[j] = in;
        }
        running += take;
        lock.unlock();
        int done = 0;
        Throwable error = null;
        try {
          for (; done < take && !stopping; done++) {
            int t = batch[done];
            if (TaskEvents.active()) {
              outputs[done] = runObserved(slot, runner, t, inputs[done]);
            } else {
              outputs[done] = runner.run(slot, g.keys[t], g.tasks[t], inputs[done]);
            }
            inputs[done] = null;
          }
        } catch (Throwable e) {
          error = e;
        } finally {
          lock.lock();
        }
        running -= take;
        for (int j = 0; j < done; j++) {
          complete(batch[j], outputs[j]);
          outputs[j] = null;
        }
        if (error != null && failure == null && !cancelled) {
          failure = asTaskFailure(g.keys[batch[done]], error);
          stopping = true;
        }
        for (int j = done; j < take; j++) {
          inputs[j] = null; // the rest of a failed batch never starts
        }
        if (failure != null || finished == g.size) {
          terminal.signalAll();
          workAvailable.signalAll();
          break;
        }
        // this thread takes one of the ready tasks itself; wake idle threads for the others
        for (int wake = Math.min(idle, ready.size() - 1); wake > 0; wake--) {
          workAvailable.signal();
        }
      }
      if (cancelled) {
        terminal.signalAll();
        workAvailable.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Runs one task and publishes its {@link TaskEvent} (only while someone listens). */
  private Object runObserved(int slot, TaskRunner runner, int t, Object[] in) throws Exception {
    long start = TaskEvent.nowEpochNanos();
    boolean failed = true;
    try {
      Object out = runner.run(slot, g.keys[t], g.tasks[t], in);
      failed = false;
      return out;
    } finally {
      Key k = g.keys[t];
      TaskEvents.taskDone(new TaskEvent(k.toString(), k.prefix(), "local", slot, start, TaskEvent.nowEpochNanos(), failed));
    }
  }

  private void complete(int t, Object value) {
    finished++;
    int[] ds = g.deps[t];
    for (int d : ds) {
      if (--unreleased[d] == 0 && !g.output[d]) {
        results[d] = null;
      }
    }
    if (unreleased[t] > 0 || g.output[t]) {
      results[t] = value;
    }
    for (int x : g.dependents[t]) {
      if (--waiting[x] == 0) {
        ready.add(x);
      }
    }
  }

  private static RuntimeException asTaskFailure(Key key, Throwable error) {
    if (error instanceof JaskTaskException e) {
      return e;
    }
    return new JaskTaskException(key.toString(), error);
  }

  /** Runs {@code task} in this JVM with its dependencies' values in {@link Task#dependencies()} order. */
  public static Object runLocally(Task task, Object[] depValues) throws Exception {
    Key[] deps = task.dependencies();
    if (deps.length == 0) {
      return task.execute(k -> null);
    }
    if (deps.length <= 8) {
      return task.execute(k -> {
        for (int i = 0; i < deps.length; i++) {
          if (deps[i].equals(k)) {
            return depValues[i];
          }
        }
        throw new IllegalStateException("no value for " + k);
      });
    }
    Map<Key, Object> byKey = new HashMap<>(deps.length * 2);
    for (int i = 0; i < deps.length; i++) {
      byKey.put(deps[i], depValues[i]);
    }
    return task.execute(byKey::get);
  }
}
