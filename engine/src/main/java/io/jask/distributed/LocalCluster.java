package io.jask.distributed;

import io.jask.engine.config.Config;
import io.jask.engine.distributed.diagnostics.Dashboard;
import io.jask.engine.distributed.internal.JvmLauncher;
import io.jask.engine.distributed.server.SchedulerServer;
import io.jask.engine.distributed.worker.Worker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler in this JVM plus workers on this machine, like {@code distributed.LocalCluster}.
 * Workers are separate JVM processes started with this JVM's class path and flags (or threads of
 * this JVM with {@code processes(false)}). {@link #close()} ends everything it started, and so does
 * the JVM's exit.
 *
 * <p>With a {@link Builder#memoryLimit memory limit}, each worker process gets a heap sized from
 * it, and this cluster acts as the workers' nanny: a worker process whose resident memory goes
 * above {@code distributed.worker.memory.terminate} of the limit is killed and started again
 * under the same name (its tasks are rescheduled by the scheduler; see {@link #restarts()}). The
 * spill directory of a worker process that died is deleted. Workers that die for other reasons
 * are not restarted ({@link #scale} replaces them). This JVM's {@code distributed.worker.*},
 * {@code distributed.comm.*} and {@code temporary-directory} settings are passed on to the
 * workers. See {@code docs/memory.md}.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.builder().workers(2).threadsPerWorker(2).build();
 *      Client client = Client.connect(cluster)) {
 *   client.submit((Integer x) -> x + 1, 1).result();   // 2
 *   cluster.scale(4);
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

  private final Builder options;
  private final SchedulerServer scheduler;
  private final Dashboard dashboard;
  private final List<WorkerHandle> workers = new ArrayList<>();
  private final Thread shutdownHook;
  private int started;
  private volatile boolean closed;
  private final Thread nanny;
  private final java.util.concurrent.atomic.AtomicInteger restarts = new java.util.concurrent.atomic.AtomicInteger();
  /** Worker processes found dead whose spill directories were deleted. */
  private final java.util.Set<Long> cleaned = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** A started worker: a child process or an in-process worker. */
  public record WorkerHandle(String name, String address, Process process, Worker inProcess) {
    /** The worker process's handle (empty for in-process workers). */
    public java.util.Optional<ProcessHandle> processHandle() {
      return process == null ? java.util.Optional.empty() : java.util.Optional.of(process.toHandle());
    }
  }

  private LocalCluster(Builder b) throws IOException {
    this.options = b;
    this.scheduler = SchedulerServer.start(b.schedulerAddress);
    try {
      this.dashboard = startDashboard(scheduler, b.dashboardAddress);
    } catch (RuntimeException e) {
      scheduler.close();
      throw e;
    }
    this.shutdownHook = new Thread(this::closeQuietly, "jask-local-cluster-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    this.nanny = new Thread(this::watch, "jask-local-cluster-nanny");
    nanny.setDaemon(true);
    try {
      scale(b.workers);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    if (b.processes) {
      nanny.start();
    }
  }

  /** A builder with Dask's defaults: workers and threads from the processors, worker processes. */
  public static Builder builder() {
    return new Builder();
  }

  /** The scheduler's address. */
  public String schedulerAddress() {
    return scheduler.address();
  }

  /**
   * The dashboard's address, like {@code http://127.0.0.1:8787/status}, or empty if the dashboard
   * is turned off ({@code dashboardAddress(null)} or {@code distributed.dashboard.enabled: false}).
   */
  public java.util.Optional<String> dashboardLink() {
    return dashboard == null ? java.util.Optional.empty() : java.util.Optional.of(dashboard.link());
  }

  /**
   * Serves the dashboard at {@code address} ({@code host:port} or {@code :port}; no host means
   * 127.0.0.1); if that port is taken, at a free port (as Dask does), with a warning.
   */
  private static Dashboard startDashboard(SchedulerServer scheduler, String address) {
    if (address == null) {
      return null;
    }
    int colon = address.lastIndexOf(':');
    String host = colon <= 0 ? "127.0.0.1" : address.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("dashboard address must be HOST:PORT or :PORT, got '" + address + "'", e);
    }
    try {
      return Dashboard.startOrFallback(scheduler, host, port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the dashboard at " + address, e);
    }
  }

  /** The scheduler server (for diagnostics and tests). */
  public SchedulerServer scheduler() {
    return scheduler;
  }

  /**
   * How many worker processes the nanny has restarted because their resident memory went above
   * {@code distributed.worker.memory.terminate} of the memory limit.
   */
  public int restarts() {
    return restarts.get();
  }

  /** The running workers. */
  public synchronized List<WorkerHandle> workers() {
    return List.copyOf(workers);
  }

  /** Starts or stops workers until there are {@code n}. */
  public synchronized void scale(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("cannot scale to " + n + " workers");
    }
    workers.removeIf(w -> w.process() != null && !w.process().isAlive()); // died or was killed
    List<CompletableFuture<WorkerHandle>> starting = new ArrayList<>();
    while (workers.size() + starting.size() < n) {
      String name = "worker-" + started++;
      starting.add(CompletableFuture.supplyAsync(() -> startWorker(name)));
    }
    for (CompletableFuture<WorkerHandle> f : starting) {
      workers.add(f.join());
    }
    while (workers.size() > n) {
      stop(workers.remove(workers.size() - 1));
    }
  }

  private WorkerHandle startWorker(String name) {
    try {
      if (!options.processes) {
        Worker w = Worker.start(new Worker.Options(scheduler.address(), listenAddress(), name, options.threadsPerWorker, options.memoryLimit, null));
        return new WorkerHandle(name, w.address(), null, w);
      }
      List<String> args = new ArrayList<>(List.of(scheduler.address(), "--name", name, "--nthreads", String.valueOf(options.threadsPerWorker),
          "--listen", listenAddress()));
      if (options.memoryLimit > 0) {
        args.add("--memory-limit");
        args.add(String.valueOf(options.memoryLimit));
      }
      ProcessBuilder pb = new ProcessBuilder(
          JvmLauncher.command(Worker.class.getName(), JvmLauncher.workerHeap(options.memoryLimit), io.jask.engine.distributed.worker.Nanny.workerJvmOptions(options.memoryLimit, options.threadsPerWorker), args));
      io.jask.engine.distributed.internal.JvmLauncher.workerMallocEnv(pb.environment()); // arenas, mmap threshold
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      io.jask.engine.distributed.internal.JvmLauncher.passCommSecurity(pb.environment());
      io.jask.engine.distributed.internal.JvmLauncher.passBlasCoreType(pb.environment());
      Process p = pb.start();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> address = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try {
          for (String line; (line = out.readLine()) != null; ) {
            int at = line.indexOf("listening at ");
            if (at >= 0 && !address.isDone()) {
              address.complete(line.substring(at + "listening at ".length()).trim());
            } else {
              log.debug("[{}] {}", name, line);
            }
          }
        } catch (IOException ignored) {
          // the process ended
        }
        address.completeExceptionally(new IOException("worker " + name + " exited before it registered (exit code "
            + (p.isAlive() ? "?" : p.exitValue()) + ")"));
      }, "jask-cluster-output-" + name);
      reader.setDaemon(true);
      reader.start();
      try {
        return new WorkerHandle(name, address.get(options.startTimeoutSeconds, TimeUnit.SECONDS), p, null);
      } catch (Exception e) {
        p.destroyForcibly();
        throw new IllegalStateException("worker " + name + " did not start: " + e.getMessage(), e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start worker " + name, e);
    }
  }

  // ---- the nanny: restarts worker processes above the terminate threshold, cleans up after dead ones

  private void watch() {
    long interval = Math.max(10, Config.getDuration("distributed.worker.memory.monitor-interval", java.time.Duration.ofMillis(100)).toMillis());
    double terminate = io.jask.engine.distributed.worker.SpillDirs.terminateFraction();
    long killAt = options.memoryLimit <= 0 || Double.isInfinite(terminate) ? Long.MAX_VALUE : (long) (terminate * options.memoryLimit);
    java.nio.file.Path spillBase = io.jask.engine.distributed.worker.SpillDirs.base();
    while (!closed) {
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
      for (WorkerHandle w : workers()) {
        if (closed || w.process() == null) {
          continue;
        }
        long pid = w.process().pid();
        if (!w.process().isAlive()) {
          if (cleaned.add(pid)) {
            io.jask.engine.distributed.worker.SpillDirs.deleteFor(spillBase, pid); // killed or crashed: its files stay otherwise
          }
          continue;
        }
        long rss = JvmLauncher.rssBytes(pid);
        if (rss > killAt) {
          restart(w, rss, spillBase);
        }
      }
    }
  }

  private synchronized void restart(WorkerHandle w, long rss, java.nio.file.Path spillBase) {
    int at = workers.indexOf(w);
    if (closed || at < 0) {
      return;
    }
    log.warn("Worker {} (pid {}) uses {} MiB, above the terminate threshold of its {} MiB limit: restarting it",
        w.name(), w.process().pid(), rss >> 20, options.memoryLimit >> 20);
    w.process().destroyForcibly();
    try {
      w.process().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    cleaned.add(w.process().pid());
    io.jask.engine.distributed.worker.SpillDirs.deleteFor(spillBase, w.process().pid());
    restarts.incrementAndGet();
    try {
      workers.set(at, startWorker(w.name()));
    } catch (RuntimeException e) {
      workers.remove(at);
      log.error("Cannot restart worker {}", w.name(), e);
    }
  }

  private String listenAddress() {
    String a = scheduler.address();
    return a.startsWith("inproc://") ? "inproc://" : a.startsWith("tls://") ? "tls://127.0.0.1:0" : "tcp://127.0.0.1:0";
  }

  private static void stop(WorkerHandle w) {
    if (w.inProcess() != null) {
      w.inProcess().close();
    }
    if (w.process() != null) {
      w.process().destroy();
      try {
        if (!w.process().waitFor(5, TimeUnit.SECONDS)) {
          w.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        w.process().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (RuntimeException e) {
      log.warn("closing the local cluster: {}", e.toString());
    }
  }

  /** Stops every worker and the scheduler. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    nanny.interrupt();
    for (WorkerHandle w : workers) {
      stop(w);
    }
    workers.clear();
    if (dashboard != null) {
      dashboard.close();
    }
    scheduler.close();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException ignored) {
      // the JVM is already shutting down
    }
  }

  @Override
  public String toString() {
    return "LocalCluster(" + scheduler.address() + ", workers=" + workers.size() + ")";
  }

  /** Options of a {@link LocalCluster}. */
  public static final class Builder {
    private int workers = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    private int threadsPerWorker; // 0: processors / workers
    private long memoryLimit;
    private boolean processes = true;
    private String schedulerAddress = "tcp://127.0.0.1:0";
    private int startTimeoutSeconds = 60;
    private String dashboardAddress = Config.getBoolean("distributed.dashboard.enabled", true)
        ? Config.getString("distributed.dashboard.host", "127.0.0.1") + ":" + Config.getInt("distributed.dashboard.port", 8787)
        : null;

    private Builder() {}

    /** The number of workers (default: half the processors). */
    public Builder workers(int n) {
      this.workers = n;
      return this;
    }

    /** Threads per worker (default: processors / workers). */
    public Builder threadsPerWorker(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("threadsPerWorker must be >= 1, got " + n);
      }
      this.threadsPerWorker = n;
      return this;
    }

    /**
     * Each worker's memory limit in bytes, 0 for none. A worker process gets a heap of the limit
     * minus room for the JVM's native memory ({@code JvmLauncher.workerHeap}); see {@code docs/memory.md}.
     */
    public Builder memoryLimit(long bytes) {
      this.memoryLimit = bytes;
      return this;
    }

    /** Each worker's memory limit, like {@code "4GiB"}. */
    public Builder memoryLimit(String size) {
      this.memoryLimit = Config.parseBytes(size);
      return this;
    }

    /** Workers as separate JVM processes (default) or as threads of this JVM. */
    public Builder processes(boolean processes) {
      this.processes = processes;
      return this;
    }

    /**
     * Where the scheduler listens: {@code tcp://127.0.0.1:0} (default, any free port), {@code
     * tls://127.0.0.1:0} (TLS with the {@code distributed.comm.tls.*} settings; the workers then
     * serve data over TLS too) or {@code inproc://}. The token and TLS settings of this JVM's
     * configuration are handed to worker processes.
     */
    public Builder schedulerAddress(String address) {
      this.schedulerAddress = address;
      return this;
    }

    /**
     * Where the scheduler serves its dashboard: {@code ":8787"} (127.0.0.1), {@code
     * "0.0.0.0:8787"} (every interface), {@code ":0"} (any free port), or null for no dashboard.
     * Default: {@code distributed.dashboard.host}:{@code distributed.dashboard.port}, or none if
     * {@code distributed.dashboard.enabled} is false.
     */
    public Builder dashboardAddress(String address) {
      this.dashboardAddress = address;
      return this;
    }

    /** How long to wait for a worker process to register. */
    public Builder startTimeoutSeconds(int seconds) {
      this.startTimeoutSeconds = seconds;
      return this;
    }

    /** Starts the cluster. */
    public LocalCluster build() {
      if (threadsPerWorker == 0) {
        threadsPerWorker = Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workers));
      }
      try {
        return new LocalCluster(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the scheduler at " + schedulerAddress, e);
      }
    }
  }
}
