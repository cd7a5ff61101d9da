package io.jask.engine.distributed.worker;

import io.jask.engine.config.Config;
import io.jask.engine.distributed.internal.JvmLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a worker in a child JVM and supervises it, like dask's {@code Nanny}: {@code bin/jask
 * worker --nanny}. The child gets a heap sized from the memory limit ({@link
 * JvmLauncher#workerHeap}) and the nanny's {@code distributed.worker.*} configuration. Every
 * {@code distributed.worker.memory.monitor-interval} the nanny reads the child's resident set
 * size; above {@code distributed.worker.memory.terminate} of the limit it kills the child and
 * starts a new one (the scheduler reschedules the dead worker's tasks). A child that dies
 * otherwise (crash, {@code kill -9}) is started again too; one that exits on its own (closed by the
 * scheduler: 0, scheduler unreachable: 2) ends the nanny with the same status. The spill directory
 * of a dead child is deleted. Stopping the nanny ({@code SIGTERM}) stops the child.
 *
 * <pre>{@code
 * java -cp jask.jar io.jask.engine.distributed.worker.Nanny tcp://10.0.0.1:8786 --memory-limit 4GiB
 * }</pre>
 */
public final class Nanny {
  private static final Logger log = LoggerFactory.getLogger(Nanny.class);

  private final List<String> workerArgs;
  private final long memoryLimit;
  private final String name;
  private volatile Process child;
  private volatile boolean stopping;
  private int restarts;

  private Nanny(List<String> workerArgs, long memoryLimit, String name) {
    this.workerArgs = workerArgs;
    this.memoryLimit = memoryLimit;
    this.name = name;
  }

  /**
   * The JVM options of a worker process with this memory limit: this JVM's {@code
   * distributed.worker.*}, {@code distributed.comm.*} and {@code temporary-directory} settings as
   * {@code -Djask.KEY=VALUE}, and with a tight limit (under {@link JvmLauncher#TIGHT_MEMORY_LIMIT})
   * {@link JvmLauncher#WORKER_LIMITED_FLAGS}, otherwise {@link JvmLauncher#WORKER_HEAP_FLAGS}.
   */
  public static List<String> workerJvmOptions(long memoryLimit) {
    return workerJvmOptions(memoryLimit, 1);
  }

  /**
   * As {@link #workerJvmOptions(long)} for a worker of {@code threads} task threads: with {@link
   * JvmLauncher#WORKER_HEAP_FLAGS} also its young generation's cap ({@link JvmLauncher#workerYoungFlag})
   * and its collector threads ({@link JvmLauncher#workerGcThreadsFlag}).
   */
  public static List<String> workerJvmOptions(long memoryLimit, int threads) {
    List<String> out = new ArrayList<>();
    Config.snapshot().forEach((k, v) -> {
      // the token and TLS settings go through the environment (JvmLauncher.passCommSecurity): a
      // command line is visible to every user of the machine
      boolean secret = JvmLauncher.COMM_KEYS.contains(k) || k.startsWith("distributed.comm.auth.") || k.startsWith("distributed.comm.tls.");
      if (v != null && !secret && (k.startsWith("distributed.worker.") || k.startsWith("distributed.comm.") || k.equals("temporary-directory"))) {
        out.add("-Djask." + k + "=" + v);
      }
    });
    if (memoryLimit > 0 && memoryLimit < JvmLauncher.TIGHT_MEMORY_LIMIT) {
      out.addAll(JvmLauncher.WORKER_LIMITED_FLAGS);
    } else {
      out.addAll(JvmLauncher.WORKER_HEAP_FLAGS);
      out.add(JvmLauncher.workerYoungFlag(threads));
      out.add(JvmLauncher.workerGcThreadsFlag(threads));
    }
    return out;
  }

  /**
   * Runs the nanny: {@code Nanny SCHEDULER [worker options]}, the options of {@link Worker#main}.
   * Exits with the worker's status when it exits on its own, 1 on bad arguments.
   */
  public static void main(String[] args) {
    Worker.Options o;
    try {
      o = WorkerArgs.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("jask nanny: " + e.getMessage());
      System.err.println(WorkerArgs.USAGE);
      System.exit(Worker.EXIT_FATAL);
      return;
    }
    List<String> childArgs = new ArrayList<>(List.of(args));
    if (!childArgs.contains("--memory-limit")) {
      childArgs.addAll(List.of("--memory-limit", Long.toString(o.memoryLimitBytes())));
    }
    if (!childArgs.contains("--name")) {
      childArgs.addAll(List.of("--name", o.name())); // the same name across restarts
    }
    Nanny n = new Nanny(childArgs, o.memoryLimitBytes(), o.name());
    Runtime.getRuntime().addShutdownHook(new Thread(n::stop, "jask-nanny-shutdown"));
    System.exit(n.run());
  }

  private int run() {
    long interval = Math.max(10, Config.getDuration("distributed.worker.memory.monitor-interval", Duration.ofMillis(100)).toMillis());
    double terminate = SpillDirs.terminateFraction();
    long killAt = memoryLimit <= 0 || Double.isInfinite(terminate) ? Long.MAX_VALUE : (long) (terminate * memoryLimit);
    Path spillBase = SpillDirs.base();
    while (!stopping) {
      Process p;
      try {
        p = startChild();
      } catch (IOException e) {
        System.err.println("jask nanny: cannot start the worker: " + e);
        return Worker.EXIT_FATAL;
      }
      boolean killed = false;
      try {
        while (!p.waitFor(interval, TimeUnit.MILLISECONDS)) {
          long rss = JvmLauncher.rssBytes(p.pid());
          if (rss > killAt) {
            log.warn("Worker {} (pid {}) uses {} MiB, above the terminate threshold of its {} MiB limit: restarting it",
                name, p.pid(), rss >> 20, memoryLimit >> 20);
            p.destroyForcibly();
            p.waitFor();
            killed = true;
            break;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Worker.EXIT_FATAL;
      }
      SpillDirs.deleteFor(spillBase, p.pid());
      int status = p.exitValue();
      if (stopping || (!killed && (status == Worker.EXIT_CLOSED || status == Worker.EXIT_SCHEDULER_LOST || status == Worker.EXIT_FATAL))) {
        return status;
      }
      restarts++;
      log.warn("Worker {} {} (exit status {}); starting it again (restart {})", name, killed ? "was killed" : "died", status, restarts);
    }
    return Worker.EXIT_CLOSED;
  }

  /** The child's task threads, from its arguments (as the worker reads them). */
  private int threads() {
    try {
      return WorkerArgs.parse(workerArgs.toArray(new String[0])).nthreads();
    } catch (RuntimeException e) {
      return 1; // the child reports its bad arguments itself
    }
  }

  private synchronized Process startChild() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(
        JvmLauncher.command(Worker.class.getName(), JvmLauncher.workerHeap(memoryLimit), workerJvmOptions(memoryLimit, threads()), workerArgs));
    JvmLauncher.workerMallocEnv(pb.environment());
    JvmLauncher.passCommSecurity(pb.environment());
    JvmLauncher.passBlasCoreType(pb.environment());
    pb.inheritIO();
    child = pb.start();
    return child;
  }

  private void stop() {
    stopping = true;
    Process p = child;
    if (p != null && p.isAlive()) {
      p.destroy();
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
  }
}
