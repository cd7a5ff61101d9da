package io.jask.engine.scheduler.local;

import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.config.Config;
import io.jask.engine.internal.CompiledGraph;
import io.jask.engine.scheduler.Scheduler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code sync} and {@code threads} backends: the {@link LocalLoop} on the calling thread, or
 * on {@code num-workers} threads of a shared pool of daemon threads (default: the number of
 * processors). Each computation is a {@link LocalCompute} its tasks can see.
 */
public final class LocalScheduler implements Scheduler {
  private static final AtomicInteger THREAD_IDS = new AtomicInteger();
  /** Shared by every threads computation; threads are reused and end after a minute idle. */
  static final ExecutorService POOL =
      new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "jask-threads-" + THREAD_IDS.incrementAndGet());
        t.setDaemon(true);
        return t;
      });

  private final String name;
  private final boolean sync;

  private LocalScheduler(String name, boolean sync) {
    this.name = name;
    this.sync = sync;
  }

  /** The single-threaded, deterministic backend: tasks run on the caller's thread. */
  public static LocalScheduler sync() {
    return new LocalScheduler("sync", true);
  }

  /** The thread-pool backend. */
  public static LocalScheduler threads() {
    return new LocalScheduler("threads", false);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Map<Key, Object> get(Map<Key, Task> tasks, List<Key> outputs) {
    CompiledGraph g = CompiledGraph.compile(tasks, outputs);
    try (LocalCompute compute = new LocalCompute()) {
      TaskRunner runner = (slot, key, task, deps) -> compute.run(TaskRunner.IN_THREAD, slot, key, task, deps);
      if (sync) {
        return new LocalLoop(g, 1).runHere(runner);
      }
      return new LocalLoop(g, numWorkers()).runOn(POOL, runner);
    }
  }

  /** The {@code num-workers} configuration key, or the number of processors. */
  public static int numWorkers() {
    int n = Config.getInt("num-workers", 0);
    return n > 0 ? n : Runtime.getRuntime().availableProcessors();
  }

  @Override
  public String toString() {
    return "LocalScheduler[" + name + "]";
  }

  /** Service provider of {@code sync}. */
  public static final class SyncProvider implements io.jask.engine.scheduler.SchedulerProvider {
    private static final LocalScheduler INSTANCE = sync();

    @Override
    public String name() {
      return "sync";
    }

    @Override
    public Scheduler scheduler() {
      return INSTANCE;
    }
  }

  /** Service provider of {@code threads}. */
  public static final class ThreadsProvider implements io.jask.engine.scheduler.SchedulerProvider {
    private static final LocalScheduler INSTANCE = threads();

    @Override
    public String name() {
      return "threads";
    }

    @Override
    public Scheduler scheduler() {
      return INSTANCE;
    }
  }
}
