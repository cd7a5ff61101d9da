package io.jask.engine.distributed.worker;

import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.config.Config;
import io.jask.engine.distributed.comm.Comms;
import io.jask.engine.distributed.comm.Connection;
import io.jask.engine.distributed.comm.Listener;
import io.jask.engine.distributed.comm.Message;
import io.jask.engine.distributed.comm.MessageHandler;
import io.jask.engine.distributed.diagnostics.WorkerMetrics;
import io.jask.engine.distributed.internal.InlineTasks;
import io.jask.engine.distributed.internal.KryoHeaderCodec;
import io.jask.engine.distributed.internal.StuckClock;
import io.jask.engine.distributed.internal.TaskPayloads;
import io.jask.engine.distributed.internal.WireValues;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.distributed.worker.WorkerEvent.FetchDone;
import io.jask.engine.distributed.worker.WorkerEvent.FetchFailed;
import io.jask.engine.distributed.worker.WorkerEvent.TaskFailed;
import io.jask.engine.distributed.worker.WorkerEvent.TaskSucceeded;
import io.jask.engine.distributed.worker.WorkerInstruction.Discard;
import io.jask.engine.distributed.worker.WorkerInstruction.Execute;
import io.jask.engine.distributed.worker.WorkerInstruction.Fetch;
import io.jask.engine.distributed.worker.WorkerInstruction.Send;
import io.jask.engine.scheduler.local.LocalLoop;
import io.jask.engine.serialize.Encoded;
import io.jask.engine.serialize.Serialization;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A distributed worker: runs the tasks a scheduler assigns in a pool of threads, keeps their
 * results, and exchanges data with other workers and clients directly, after {@code
 * distributed.Worker}.
 *
 * <p>How it works. Every decision is made by a {@link WorkerState} (see its comment for fetching,
 * execution order and which values are kept), fed one event at a time on a single loop thread
 * ({@code jask-worker-NAME-loop}); this class only translates:
 *
 * <ul>
 *   <li>scheduler messages ({@code ComputeTask}, {@code FreeKeys}, {@code StealRequest}) become
 *       events; {@code CloseWorker} closes the worker;
 *   <li>a {@code Fetch} instruction becomes one {@code GetData} on the reused connection to that
 *       peer ({@link Peers}); the values are decoded off the event loop, put in the {@link
 *       DataStore}, and the outcome is fed back as an event;
 *   <li>an {@code Execute} instruction runs on the pool ({@code jask-worker-NAME-N}, daemon): the
 *       task payload is decoded there (with the options' class loader), its dependencies are read
 *       from the store, the result is stored with its size estimate, and success or failure is fed
 *       back;
 *   <li>{@code Send} and {@code Discard} go to the scheduler connection and the store.
 * </ul>
 *
 * <p>Memory ({@code docs/memory.md}): values live in a {@link DataStore} that spills the least
 * recently used ones to files under {@code temporary-directory} above the managed-memory target;
 * a {@link MemoryManager} on its own thread ({@code jask-worker-NAME-memory}) measures the process
 * every {@code distributed.worker.memory.monitor-interval}, spills above {@code spill} and pauses
 * the worker above {@code pause} (no task is started; the scheduler is told at once with a
 * heartbeat). Heartbeats carry the {@link Msg.WorkerMemory} report. The spill directory is
 * deleted on close, and by {@link #main}'s shutdown hook.
 *
 * <p>The data port ({@link DataServer}) serves {@code GetData} and stores {@code PutData} from any
 * number of peers at once, encoding on an I/O pool. A heartbeat goes to the scheduler every {@code
 * distributed.worker.heartbeat-interval} (or the interval the scheduler's welcome asks for). If the
 * scheduler connection is lost the worker forgets its tasks and tries to register again (with the
 * keys it holds) for {@code distributed.comm.timeouts.connect}; failing that, it closes.
 *
 * <pre>{@code
 * try (Worker w = Worker.start(new Worker.Options(
 *     "tcp://127.0.0.1:8786", "tcp://127.0.0.1:0", "w1", 4, 4L << 30, null))) {
 *   System.out.println("serving data at " + w.address());
 *   w.closeFuture().join(); // until the scheduler sends CloseWorker
 * }
 * }</pre>
 */
public final class Worker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  /** Exit status of {@link #main} after {@link #close()} or {@code CloseWorker}. */
  static final int EXIT_CLOSED = 0;
  /** Exit status of {@link #main} on a fatal error (bad arguments, startup failure). */
  static final int EXIT_FATAL = 1;
  /** Exit status of {@link #main} when the scheduler stayed unreachable past the connect timeout. */
  static final int EXIT_SCHEDULER_LOST = 2;

  /**
   * How to start a worker.
   *
   * @param schedulerAddress the scheduler, e.g. {@code tcp://10.0.0.1:8786} or {@code inproc://s}
   * @param listenAddress where to serve data: {@code tcp://HOST:PORT} (port 0 picks one) or {@code
   *     inproc://} (fresh name)
   * @param name a human-readable name, also used in thread names
   * @param nthreads how many tasks run at once (at least 1)
   * @param memoryLimitBytes the memory budget reported to the scheduler (0 for none)
   * @param classLoader the loader for task classes and codecs, or null for the default
   */
  public record Options(
      String schedulerAddress,
      String listenAddress,
      String name,
      int nthreads,
      long memoryLimitBytes,
      ClassLoader classLoader) {

    public Options {
      Objects.requireNonNull(schedulerAddress, "schedulerAddress");
      Objects.requireNonNull(listenAddress, "listenAddress");
      Objects.requireNonNull(name, "name");
      if (nthreads < 1) {
        throw new IllegalArgumentException("nthreads must be at least 1: " + nthreads);
      }
      if (memoryLimitBytes < 0) {
        throw new IllegalArgumentException("memoryLimitBytes must be >= 0: " + memoryLimitBytes);
      }
    }
  }

  private final Options options;
  private final Serialization serialization;
  /** Decodes task payloads; keeps the functions it decoded (the tasks of one map share one). */
  private final TaskPayloads.Decoder payloads;
  private final KryoHeaderCodec codec;
  private final Duration connectTimeout;
  private final DataStore store;
  private final MemoryManager memory;
  private final ScheduledThreadPoolExecutor memoryTimer;
  /** Counters and the /metrics endpoint. */
  private final WorkerMetrics metrics;
  private String metricsUrl;
  private final ScheduledThreadPoolExecutor loop;
  private final ThreadPoolExecutor pool;
  private final ExecutorService io;
  private final Peers peers;
  private final JarLoader jars;
  private final AtomicBoolean closing = new AtomicBoolean();
  /** Tasks of a prefix that ran this fast may run on the thread that got them; 0 turns that off. */
  private final long inlineLimitNanos;
  /** Per function ({@link FnId}): how its recent runs went, for {@link #runsInline}. */
  private final java.util.concurrent.ConcurrentHashMap<FnId, PrefixTiming> timings = new java.util.concurrent.ConcurrentHashMap<>();
  /** A task chosen to run on the thread that holds {@link #stateLock}, once it lets go (see {@link #runOnLoop}). */
  private Msg.TaskSpec inlineTask; // guarded by stateLock
  /** The thread running an inline task now, if any: its nested {@link #runOnLoop} calls leave the next one to it. */
  private volatile Thread inlineRunner;
  /**
   * Tasks handed to the pool whose run has not ended yet (counted down before their outcome is
   * posted, so a task that follows a result at once is not held back by the finishing thread).
   */
  private final AtomicInteger onPool = new AtomicInteger();
  /** Tasks run without a pool hand-off (a counter for tests). */
  private final java.util.concurrent.atomic.AtomicLong inlineRuns = new java.util.concurrent.atomic.AtomicLong();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private Listener listener;
  private DataServer server;
  private String address;
  private WorkerState state; // confined to the loop thread
  private volatile Connection scheduler;

  private Worker(Options options) {
    this.options = options;
    this.jars = new JarLoader(options.classLoader() != null ? options.classLoader() : Worker.class.getClassLoader());
    this.serialization = Serialization.create(jars);
    this.codec = new KryoHeaderCodec(serialization);
    this.payloads = new TaskPayloads.Decoder(serialization);
    this.connectTimeout = Config.getDuration("distributed.comm.timeouts.connect", Duration.ofSeconds(30));
    this.inlineLimitNanos = Math.max(0, Config.getDuration(INLINE_TASK_LIMIT, Duration.ofNanos(DEFAULT_INLINE_LIMIT_NANOS)).toNanos());
    String prefix = "jask-worker-" + options.name() + "-";
    this.loop = new ScheduledThreadPoolExecutor(1, threads(prefix + "loop", false));
    this.loop.setRemoveOnCancelPolicy(true);
    this.pool =
        new ThreadPoolExecutor(
            options.nthreads(), options.nthreads(), 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), threads(prefix, true));
    this.io = Executors.newCachedThreadPool(threads(prefix + "io-", true));
    this.peers =
        new Peers(codec, io, connectTimeout, Config.getDuration("distributed.comm.timeouts.tcp", Duration.ofSeconds(30)));
    MemoryManager.Thresholds thresholds = MemoryManager.Thresholds.fromConfig();
    SpillDirs.deleteOrphans(SpillDirs.base());
    this.store =
        new DataStore(
            new DataStore.Spill(
                SpillDirs.forWorker(SpillDirs.base(), options.name()),
                !"none".equalsIgnoreCase(Config.getString("distributed.worker.memory.spill-compression", "lz4")),
                MemoryManager.targetBytes(options.memoryLimitBytes(), MemoryManager.valueHeapBytes(), thresholds),
                serialization),
            io);
    this.metrics = new WorkerMetrics(store::size, store::managedBytes, store::spilledBytes);
    metrics.spilledKeys(store::spilledCount);
    this.memory =
        new MemoryManager(options.memoryLimitBytes(), thresholds, store, MemoryManager.Probe.JVM, this::onPause);
    this.memoryTimer = new ScheduledThreadPoolExecutor(1, threads(prefix + "memory", false));
  }

  /**
   * Starts a worker: binds its data port, registers with the scheduler and waits for its welcome.
   *
   * @throws IOException if the data port cannot be bound or the scheduler does not welcome the
   *     worker within {@code distributed.comm.timeouts.connect}; nothing is left running then
   */
  public static Worker start(Options options) throws IOException {
    Worker w = new Worker(options);
    try {
      w.begin();
      return w;
    } catch (IOException | RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /** The address this worker serves data at; its identity at the scheduler. */
  public String address() {
    return address;
  }

  /** Where this worker serves Prometheus {@code /metrics}, if enabled. */
  public java.util.Optional<String> metricsUrl() {
    return java.util.Optional.ofNullable(metricsUrl);
  }

  /** This worker's name. */
  public String name() {
    return options.name();
  }

  /** Completes with an exit status (0 closed, 2 scheduler lost) once the worker has closed. */
  public CompletableFuture<Integer> closeFuture() {
    return exit.copy();
  }

  /** The number of GetData requests this worker's data port has answered (a counter for tests). */
  long getDataServed() {
    return server == null ? 0 : server.getDataServed();
  }

  /**
   * Closes the worker: stops heartbeats, closes the scheduler connection, the data port and peer
   * connections, interrupts running tasks and stops the threads. Idempotent.
   */
  @Override
  public void close() {
    shutdown(EXIT_CLOSED);
  }

  /**
   * Runs a worker process: {@code Worker SCHEDULER [--nthreads N] [--name NAME] [--memory-limit
   * 4GiB] [--listen tcp://HOST:PORT]}. Prints {@code jask worker listening at ADDRESS} once
   * registered. Exits with 0 after {@code CloseWorker}, 2 if the scheduler stayed unreachable past
   * the connect timeout, 1 on bad arguments or a failure to start.
   */
  public static void main(String[] args) {
    Worker w;
    try {
      w = start(WorkerArgs.parse(args));
    } catch (IllegalArgumentException e) {
      System.err.println("jask worker: " + e.getMessage());
      System.err.println(WorkerArgs.USAGE);
      System.exit(EXIT_FATAL);
      return;
    } catch (IOException | RuntimeException e) {
      System.err.println("jask worker: failed to start: " + e);
      System.exit(EXIT_FATAL);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(w::close, "jask-worker-shutdown"));
    System.out.println("jask worker listening at " + w.address());
    System.out.flush();
    System.exit(w.exit.join());
  }

  // ---- startup and the scheduler connection

  private void begin() throws IOException {
    server =
        new DataServer(store, serialization, io, nbytes -> post(new WorkerEvent.Scattered(nbytes)), jars);
    listener = Comms.listen(options.listenAddress(), c -> c.setHandler(server), codec);
    address = advertised(listener.address());
    metrics.servedRequests(server::getDataServed);
    metricsUrl = metrics.serve(metricsHost(address), options.name());
    double transfer = MemoryManager.fraction("distributed.worker.memory.transfer", 0.05);
    WorkerState s = new WorkerState(address, options.nthreads(), MemoryManager.Thresholds.bytes(transfer, options.memoryLimitBytes()));
    runOnLoop(() -> state = s);
    Msg.WorkerWelcome welcome = register(List.of());
    long interval =
        welcome.heartbeatIntervalMillis() > 0
            ? welcome.heartbeatIntervalMillis()
            : Config.getDuration("distributed.worker.heartbeat-interval", Duration.ofSeconds(1)).toMillis();
    loop.scheduleAtFixedRate(() -> runOnLoop(this::heartbeat), interval, interval, TimeUnit.MILLISECONDS);
    long monitor = Config.getDuration("distributed.worker.memory.monitor-interval", Duration.ofMillis(100)).toMillis();
    memoryTimer.scheduleWithFixedDelay(this::checkMemory, monitor, Math.max(1, monitor), TimeUnit.MILLISECONDS);
  }

  private void checkMemory() {
    try {
      memory.check();
    } catch (RuntimeException | OutOfMemoryError e) { // keep monitoring: the next check may free memory
      log.error("Worker {}: memory check failed", options.name(), e);
    }
  }

  /** The memory manager paused or resumed the worker: tell the state and the scheduler at once. */
  private void onPause(boolean paused) {
    log.info("Worker {} {} ({})", options.name(), paused ? "paused: process memory above the pause threshold" : "resumed", memory.report());
    post(new WorkerEvent.Paused(paused));
    runOnLoop(this::heartbeat);
  }

  /** The number of tasks run on the thread that got them instead of the pool (for tests). */
  long inlineRuns() {
    return inlineRuns.get();
  }

  /** The values this worker holds (for tests). */
  DataStore store() {
    return store;
  }

  /** Connects to the scheduler, registers and waits for the welcome. */
  private Msg.WorkerWelcome register(List<Key> heldKeys) throws IOException {
    Connection c = Comms.connect(options.schedulerAddress(), connectTimeout, codec);
    CompletableFuture<Msg.WorkerWelcome> welcome = new CompletableFuture<>();
    c.setHandler(new SchedulerHandler(welcome));
    scheduler = c;
    c.send(
        Message.of(
            new Msg.RegisterWorker(
                options.name(), address, options.nthreads(), options.memoryLimitBytes(),
                ProcessHandle.current().pid(), heldKeys)));
    try {
      Msg.WorkerWelcome w = welcome.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
      if (metricsUrl != null) {
        c.send(Message.of(new Msg.WorkerMetricsAddress(metricsUrl)));
      }
      return w;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      c.close();
      throw new IOException("interrupted while registering with " + options.schedulerAddress(), e);
    } catch (ExecutionException | TimeoutException e) {
      c.close();
      throw new IOException("no WorkerWelcome from " + options.schedulerAddress() + " within " + connectTimeout, e);
    }
  }

  /** Receives the scheduler's messages on the connection's delivery thread and hands them on. */
  private final class SchedulerHandler implements MessageHandler {
    private final CompletableFuture<Msg.WorkerWelcome> welcome;

    SchedulerHandler(CompletableFuture<Msg.WorkerWelcome> welcome) {
      this.welcome = welcome;
    }

    @Override
    public void onMessage(Connection c, Message m) {
      handle(c, m.header());
    }

    /** Whether the message being handled is a batch of several tasks (see {@link #loneArrival}). */
    private boolean inBatchOfTasks;

    private void handle(Connection c, Object h) {
      if (h instanceof Msg.Batch b && b.messages() != null) {
        int tasks = 0;
        for (Msg one : b.messages()) {
          if (one instanceof Msg.ComputeTask) {
            tasks++;
          }
        }
        inBatchOfTasks = tasks > 1;
        try {
          for (Msg one : b.messages()) {
            handle(c, one);
          }
        } finally {
          inBatchOfTasks = false;
        }
      } else if (h instanceof Msg.WorkerWelcome w) {
        welcome.complete(w);
      } else if (h instanceof Msg.ComputeTask ct && ct.spec() != null && ct.spec().key() != null) {
        loneArrival = !inBatchOfTasks;
        post(new WorkerEvent.Compute(ct));
      } else if (h instanceof Msg.FreeKeys f && f.keys() != null) {
        post(new WorkerEvent.Free(f.keys()));
      } else if (h instanceof Msg.StealRequest s && s.key() != null) {
        post(new WorkerEvent.Steal(s.key()));
      } else if (h instanceof Msg.CloseWorker cw) {
        log.info("Worker {} asked to close by the scheduler: {}", options.name(), cw.reason());
        shutdownAsync(EXIT_CLOSED);
      } else {
        log.warn("Unexpected message from the scheduler: {}; closing that connection", h == null ? null : h.getClass().getName());
        c.close();
      }
    }

    @Override
    public void onClose(Connection c, Throwable cause) {
      welcome.completeExceptionally(new IOException("scheduler connection closed", cause));
      if (closing.get() || c != scheduler) {
        return;
      }
      log.warn("Worker {} lost the scheduler connection ({}); reconnecting", options.name(), cause == null ? "closed" : cause.toString());
      post(new WorkerEvent.SchedulerLost());
      runOnLoop(
          () -> {
            List<Key> held = state.ownedKeys();
            io.execute(() -> reconnect(held));
          });
    }
  }

  private void reconnect(List<Key> held) {
    try {
      register(held);
      log.info("Worker {} registered again with {}", options.name(), options.schedulerAddress());
    } catch (IOException e) {
      log.error("Worker {} could not reach the scheduler again; closing", options.name(), e);
      shutdownAsync(EXIT_SCHEDULER_LOST);
    }
  }

  private void heartbeat() {
    Connection c = scheduler;
    if (c == null || !c.isOpen()) {
      return;
    }
    metrics.load(state.executingCount(), state.readyCount());
    Msg.WorkerMemory m = memory.report();
    WorkerState.Counts counts = state.counts();
    metrics.detail(counts.fetching(), counts.waitingLocal(), counts.wanted(), counts.inFlight(), counts.incomingBytes(),
        counts.paused(), m.process());
    checkStuck();
    c.send(
        Message.of(
            new Msg.Heartbeat(state.executingCount(), state.readyCount(), m.process(), m.managed(), m.spilled(), cpuPercent(), m)));
  }

  /** The most tasks a stuck report names. */
  static final int STUCK_REPORT_TASKS = 30;
  private final StuckClock stuck = new StuckClock(
      Config.getDuration("distributed.worker.stuck-report", Duration.ofSeconds(60)).toNanos());

  /**
   * On heartbeats: while tasks are assigned here and no event changed them for {@code
   * distributed.worker.stuck-report} (60 s), logs at WARN what each waits for (once per period).
   */
  private void checkStuck() {
    long now = System.nanoTime();
    if (stuck.due(state.changeCount(), state.taskCount() > 0, now)) {
      log.warn("Worker {}: no task event for {} s; memory {}; tasks: {}", options.name(), stuck.stuckSeconds(now),
          memory.report(), state.describe(STUCK_REPORT_TASKS));
    }
  }

  // ---- events in, instructions out (loop thread)

  private void post(WorkerEvent event) {
    runOnLoop(() -> apply(state.handle(event)));
  }

  /** Work for the state machine, in order; run by whichever thread holds {@link #stateLock}. */
  private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> stateWork = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.locks.ReentrantLock stateLock = new java.util.concurrent.locks.ReentrantLock();

  /**
   * Runs {@code r} against the state machine, one piece of work at a time and in order, on the
   * calling thread unless another thread is already doing it (that thread then runs it too). A
   * message from the scheduler is handled on the transport thread that received it and a finished
   * task on the pool thread that ran it: no hand-off to a loop thread and back, which cost a
   * thread wake-up each way per task.
   */
  private void runOnLoop(Runnable r) {
    if (loop.isShutdown()) {
      return; // closing
    }
    stateWork.add(r);
    if (stateLock.isHeldByCurrentThread()) {
      return; // called from work in progress: runs after it, in order
    }
    do {
      if (!stateLock.tryLock()) {
        return; // the holder re-checks the queue after it unlocks
      }
      try {
        for (Runnable next; (next = stateWork.poll()) != null; ) {
          safely(next);
        }
      } finally {
        stateLock.unlock();
      }
    } while (!stateWork.isEmpty() && !loop.isShutdown());
    if (inlineRunner == null) {
      runInlineTasks();
    }
  }

  /** Inline tasks one thread runs in a row before it hands the next to the pool. */
  static final int INLINE_RUN = 16;

  /**
   * Runs the task {@link #apply} chose to run here (see {@link #runsInline}), and the next one its
   * result makes ready (a chain), up to {@value #INLINE_RUN} in a row; then hands the rest to the
   * pool. A tiny task run here costs no wake-up of a pool thread and no hand-off back: its result
   * is written by the thread that read the task (on a transport thread, in the same flush).
   */
  private void runInlineTasks() {
    for (int n = 0; ; n++) {
      Msg.TaskSpec spec;
      stateLock.lock();
      try {
        spec = inlineTask;
        inlineTask = null;
      } finally {
        stateLock.unlock();
      }
      if (spec == null || loop.isShutdown()) {
        return;
      }
      if (n >= INLINE_RUN) {
        executeOnPool(spec);
        return;
      }
      Thread t = Thread.currentThread();
      ClassLoader previous = t.getContextClassLoader();
      inlineRunner = t;
      try {
        t.setContextClassLoader(jars); // as on the pool's threads
        inlineRuns.incrementAndGet();
        InlineTasks.running(true);
        execute(spec, true);
      } finally {
        InlineTasks.running(false);
        t.setContextClassLoader(previous);
        inlineRunner = null;
      }
    }
  }

  private void executeOnPool(Msg.TaskSpec spec) {
    onPool.incrementAndGet();
    try {
      pool.execute(() -> execute(spec, false));
    } catch (RejectedExecutionException closing) {
      onPool.decrementAndGet(); // closing: the task is dropped with the worker
    }
  }

  /** Configuration key: tasks of a prefix whose recent runs all took less may run without a pool hand-off. */
  public static final String INLINE_TASK_LIMIT = "distributed.worker.inline-task-limit";
  /**
   * Default of {@link #INLINE_TASK_LIMIT}: 1 ms. Only a task that arrived alone runs inline (see
   * {@link #loneArrival}); before that rule, tasks at the edges of a {@code map}'s stream ran inline
   * too and T3 lost up to 28 % to it in alternating pairs. With it (2026-12-07 17:52-17:54,
   * alternating with the rule-less build's default of off): T4 0.356 / 0.353 / 0.353 ms vs 0.441 / 0.38 / 0.514, T3 50,000 48,407 /
   * 41,925 / 42,004 vs 42,035 / 43,291 / 40,991 tasks/s. Its one risk: a function that was quick
   * and turns slow holds up the transport thread it runs on for that one run (heartbeats included),
   * after which it never runs inline again.
   */
  static final long DEFAULT_INLINE_LIMIT_NANOS = 1_000_000;
  /** Runs in a row under the limit before a prefix counts as tiny. */
  static final int INLINE_AFTER = 4;

  /**
   * Task starts that make a worker busy: this many within {@link #BUSY_WINDOW_NANOS} and new tasks
   * go to the pool even when it is idle. A worker working through a stream of tasks (a {@code map}
   * of 50,000: 25 starts a millisecond per worker in T3) keeps reading the next task while the
   * pool runs the last one; a worker that gets a task now and then (a {@code submit(...).result()}
   * round trip: about three a millisecond) runs it where it arrives. Inline runs in a stream cost
   * T3 10-40 % of its rate (quiet A/B, 2026-12-07).
   */
  static final int BUSY_STARTS = 4;

  /** The window of {@link #BUSY_STARTS}. */
  static final long BUSY_WINDOW_NANOS = 1_000_000;

  /** The start times of the last {@link #BUSY_STARTS} tasks, a ring (approximate under races: a hint). */
  private final long[] recentStarts = new long[BUSY_STARTS];
  private int recentNext;

  void started(long now) {
    synchronized (recentStarts) {
      recentStarts[recentNext] = now;
      recentNext = (recentNext + 1) % BUSY_STARTS;
    }
  }

  /** Whether {@value #BUSY_STARTS} tasks started in the last {@link #BUSY_WINDOW_NANOS}. */
  boolean busy(long now) {
    synchronized (recentStarts) {
      long oldest = recentStarts[recentNext];
      return oldest != 0 && now - oldest < BUSY_WINDOW_NANOS;
    }
  }

  /**
   * What the inline rule keeps its timings by: the key's prefix and a hash of the function's bytes
   * ({@link TaskPayloads#functionHash}; 0 for a payload of the whole form). Every lambda's prefix
   * is {@code lambda}: by prefix alone, four quick runs of one lambda would let the next lone task
   * of another lambda, however long, run on a transport thread.
   */
  private record FnId(String prefix, long hash) {
    static FnId of(Msg.TaskSpec spec) {
      return new FnId(spec.key().prefix(), TaskPayloads.functionHash(spec.head(), spec.payload()));
    }
  }

  /** How a function's runs went: consecutive fast runs, and whether an inline run was slow. */
  private static final class PrefixTiming {
    volatile int fastRuns;
    volatile boolean banned;
  }

  /**
   * Whether the last task the scheduler sent came alone, not with others in one message: a {@code
   * submit(...).result()} round trip or a chain's next link comes alone, a stream ({@code map}) comes
   * in batches (the scheduler sends what one round produced as one message). A hint: read by the
   * thread that handles the state right after the transport thread set it.
   */
  private volatile boolean loneArrival;

  /**
   * Whether a task may run on the thread that handles the state instead of the pool: it arrived
   * alone ({@link #loneArrival}), its prefix's last {@value #INLINE_AFTER} runs (at least) each took
   * under {@link #INLINE_TASK_LIMIT}, no inline run of it ever took 10 times that or failed (a
   * failed inline run is run again on the pool, whose outcome counts), no task runs or waits in the
   * pool, and no other task was chosen already. So a lone tiny task (a {@code submit(...).result()} round trip,
   * a chain) skips two thread hand-offs, while a burst still spreads over the pool's threads, and a
   * prefix that once stalls the thread it ran on never runs inline again.
   */
  private boolean runsInline(Msg.TaskSpec spec) {
    Thread runner = inlineRunner;
    if (inlineLimitNanos == 0 || !loneArrival || inlineTask != null || (runner != null && runner != Thread.currentThread())
        || onPool.get() > 0 || busy(System.nanoTime())) {
      return false;
    }
    PrefixTiming t = timings.get(FnId.of(spec));
    return t != null && !t.banned && t.fastRuns >= INLINE_AFTER;
  }

  /**
   * An inline run that kept its thread this long, on the CPU or not, stops its prefix running
   * inline for good (see {@link #timed}).
   */
  static final long INLINE_STALL_NANOS = 200_000_000;

  private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
  private static final boolean THREAD_CPU = THREADS.isCurrentThreadCpuTimeSupported();

  /** The calling thread's CPU time, or 0 where the JVM cannot tell. */
  private static long threadCpuNanos() {
    return THREAD_CPU ? THREADS.getCurrentThreadCpuTime() : 0;
  }

  /**
   * Keeps a prefix's history: a run under the limit counts towards running inline, a slower one
   * restarts the count (the next {@value #INLINE_AFTER} run on the pool). An inline run that took
   * 10 times the limit of CPU, or kept its thread at least {@link #INLINE_STALL_NANOS} (blocked,
   * say), bans the prefix from running inline. An inline run that was slow only in wall time
   * under that bound, and not on the CPU (the thread was preempted on a loaded machine, or
   * stopped for a garbage collection: on 2 busy cores a 7 µs {@code x + 1} took 10–16 ms so), only
   * restarts the count: otherwise one such pause would end inline runs for the worker's life.
   *
   * @param cpuNanos the thread's CPU time during an inline run (0 for a pool run, or where the JVM
   *     cannot tell: then wall time alone decides, as {@code nanos})
   */
  private void timed(Msg.TaskSpec spec, long nanos, long cpuNanos, boolean inline) {
    if (inlineLimitNanos == 0) {
      return;
    }
    Key key = spec.key();
    PrefixTiming t = timings.computeIfAbsent(FnId.of(spec), p -> new PrefixTiming());
    if (nanos < inlineLimitNanos) {
      if (t.fastRuns < Integer.MAX_VALUE) {
        t.fastRuns++; // a benign race: pool threads of one prefix may lose a count
      }
    } else {
      t.fastRuns = 0;
      long heavy = 10 * inlineLimitNanos;
      if (inline && (nanos >= Math.max(heavy, INLINE_STALL_NANOS) || (THREAD_CPU ? cpuNanos : nanos) >= heavy)) {
        t.banned = true;
        log.info("Worker {}: task {} took {} µs ({} µs of CPU) on the thread that received it; its function's tasks (prefix {}) run on the pool from now on",
            options.name(), key, nanos / 1000, cpuNanos / 1000, key.prefix());
      }
    }
  }

  /** Messages for the scheduler not sent yet; touched on the loop thread only. */
  private final List<Msg> outbox = new ArrayList<>();

  /** While a task runs, messages for the scheduler wait at most this long to be batched... */
  static final long OUTBOX_DELAY_NANOS = 1_000_000;
  /** ...or until this many have piled up. */
  static final int OUTBOX_BATCH = 256;
  /** When the oldest message of {@link #outbox} was queued. */
  private long outboxSince;
  /** Whether a delayed {@link #flushOutbox} is scheduled. */
  private boolean outboxTimer;

  /**
   * Queues a message for the scheduler; the queue is sent as one batch when the loop has handled
   * the events already waiting, so a burst of finished tasks costs one write. While a task is
   * still running the batch may wait for more (see {@link #flushOutbox}).
   */
  private void sendToScheduler(Msg msg) {
    outbox.add(msg);
    if (outbox.size() == 1) {
      outboxSince = System.nanoTime();
      runOnLoop(this::flushOutbox);
    } else if (outbox.size() == OUTBOX_BATCH) {
      runOnLoop(this::flushOutbox);
    }
  }

  /**
   * Sends the queued messages as one batch, unless the worker is busy (a task is running, so
   * another result follows soon), fewer than {@value #OUTBOX_BATCH} wait and the oldest waited
   * less than {@link #OUTBOX_DELAY_NANOS}: then a timer sends them at the latest by that time.
   * Under a stream of tiny tasks this turns one write, one scheduler wake-up and one header per
   * result into one per millisecond; an idle worker (the last result, a chain) sends at once.
   */
  private void flushOutbox() {
    if (outbox.isEmpty()) {
      return;
    }
    long waited = System.nanoTime() - outboxSince;
    if (state != null && state.executingCount() > 0 && outbox.size() < OUTBOX_BATCH && waited < OUTBOX_DELAY_NANOS) {
      if (!outboxTimer) {
        outboxTimer = true;
        try {
          loop.schedule(() -> runOnLoop(() -> {
            outboxTimer = false;
            flushOutbox();
          }), OUTBOX_DELAY_NANOS - waited, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closing) {
          outboxTimer = false;
        }
      }
      return;
    }
    Message batch = Message.of(outbox.size() == 1 ? outbox.get(0) : new Msg.Batch(List.copyOf(outbox)));
    outbox.clear(); // before the send: if it throws, the next message still schedules a flush
    Connection c = scheduler;
    if (c != null) {
      c.send(batch);
    }
  }

  private void apply(List<WorkerInstruction> instructions) {
    for (WorkerInstruction i : instructions) {
      if (i instanceof Send s) {
        sendToScheduler(s.msg());
      } else if (i instanceof Fetch f) {
        fetch(f.peer(), f.keys());
      } else if (i instanceof Execute e) {
        if (runsInline(e.spec())) {
          inlineTask = e.spec(); // run by this thread once it lets go of the state (runOnLoop)
        } else {
          executeOnPool(e.spec());
          if (pool.isShutdown()) {
            return; // closing
          }
        }
      } else if (i instanceof Discard d) {
        d.keys().forEach(store::remove);
      }
    }
  }

  // ---- fetching (I/O threads)

  private void fetch(String peer, List<Key> keys) {
    peers
        .getData(peer, keys)
        .handleAsync((m, err) -> err != null ? fetchFailed(peer, keys, err) : receive(peer, keys, m), io)
        .thenAccept(this::post);
  }

  private WorkerEvent fetchFailed(String peer, List<Key> keys, Throwable err) {
    metrics.fetchFailed();
    return new FetchFailed(peer, keys, err.toString());
  }

  private WorkerEvent receive(String peer, List<Key> asked, Message m) {
    Fetched fetched = null;
    try {
      fetched = storeFetched(store, serialization, asked, (Msg.DataHeader) m.header(), m.buffers());
      Map<Key, Long> received = fetched.sizes();
      Set<Key> missing = new LinkedHashSet<>(asked);
      missing.removeAll(received.keySet());
      metrics.fetched(received.size(), received.values().stream().mapToLong(Long::longValue).sum());
      return new FetchDone(peer, received, List.copyOf(missing));
    } catch (RuntimeException | OutOfMemoryError | LinkageError e) {
      // an Error here would otherwise end the future silently and leave the keys fetching forever
      if (fetched != null) {
        fetched.undo(store); // reported failed: none of it stays (storeFetched's own failure undid its puts)
      }
      log.warn("Bad data from {} for {}", peer, asked, e);
      metrics.fetchFailed();
      return new FetchFailed(peer, asked, e.toString());
    }
  }

  /**
   * What {@link #storeFetched} stored: the size of every key received, and the generation of each
   * value it put (a key held here already was kept, not put again).
   */
  record Fetched(Map<Key, Long> sizes, Map<Key, Long> generations) {
    /** Drops the values this fetch put, unless a later put replaced one (a task computed it here meanwhile). */
    void undo(DataStore store) {
      generations.forEach(store::removeIf);
    }
  }

  /**
   * Decodes the values of a peer's data message and stores those of the keys asked for, unless
   * this worker holds one already (computed or fetched here meanwhile: it is kept). All or nothing:
   * when one fails to decode (bad bytes, or the heap runs out), the ones this call stored are removed
   * again before the failure propagates, since the fetch is reported failed as a whole and the state
   * would never free a value it does not know is held (its memory, or its spill file, stayed until
   * the worker closed); a value held before, or put since by another thread, stays.
   */
  static Fetched storeFetched(DataStore store, Serialization ser, List<Key> asked, Msg.DataHeader h, List<java.nio.ByteBuffer> buffers) {
    if (h.keys().size() != h.codecs().size()) {
      throw new IllegalArgumentException("keys and codecs differ in number");
    }
    List<Encoded> values = WireValues.unpack(h.codecs(), h.frameCounts(), buffers);
    Fetched fetched = new Fetched(new HashMap<>(), new HashMap<>());
    try {
      for (int i = 0; i < values.size(); i++) {
        Key k = h.keys().get(i);
        if (asked.contains(k)) {
          Object v = ser.decode(values.get(i));
          long n = DataServer.sizeOf(ser, v);
          fetched.sizes().put(k, n);
          long generation = store.putIfAbsent(k, v, n);
          if (generation >= 0) {
            fetched.generations().put(k, generation);
          }
        }
      }
    } catch (RuntimeException | Error e) {
      fetched.undo(store);
      throw e;
    }
    return fetched;
  }

  // ---- execution (pool threads)

  /** Results up to this estimated size travel inline with TaskFinished (and on to the client). */
  static final long INLINE_LIMIT = 16 * 1024;

  /** The Kryo bytes of a small result, or null for a large one (fetched from here instead). */
  private byte[] inlineBytes(Object result, long nbytes) {
    if (nbytes > INLINE_LIMIT || result instanceof io.jask.engine.Parted) {
      return null; // a Parted value travels by parts, to the tasks that name them
    }
    try {
      if (!"kryo".equals(serialization.codecName(result))) {
        return null; // columnar values are fetched peer-to-peer
      }
      byte[] bytes = serialization.toBytes(result); // once: no encode() to measure it first
      return bytes.length > INLINE_LIMIT ? null : bytes; // large values are fetched peer-to-peer
    } catch (RuntimeException ex) {
      return null; // not serializable here: a fetch will report it
    }
  }

  private void execute(Msg.TaskSpec spec, boolean inline) {
    Instant startedAt = Instant.now();
    long cpuStart = inline ? threadCpuNanos() : 0;
    long start = System.nanoTime();
    if (inlineLimitNanos > 0) {
      started(start); // only the inline rule reads it
    }
    WorkerEvent outcome;
    try {
      Object result;
      long nbytes;
      try {
        result = run(spec);
        nbytes = DataServer.sizeOf(serialization, result);
        store.put(spec.key(), result, nbytes);
      } catch (OutOfMemoryError oom) {
        // The heap ran out while this task ran: other tasks' values and results, fetches and the
        // memory monitor's lag can all add up near the limit. Spill every value held in memory
        // (the task's own inputs are read back when it runs again) and try once more; a second
        // OutOfMemoryError is the task's failure.
        long spilled = store.evict(store.managedBytes());
        log.warn("Task {} ran out of heap; spilled {} bytes and runs it once more", spec.key(), spilled);
        result = run(spec);
        nbytes = DataServer.sizeOf(serialization, result);
        store.put(spec.key(), result, nbytes);
      }
      String type = result == null ? "null" : result.getClass().getSimpleName();
      long epochNanos = startedAt.getEpochSecond() * 1_000_000_000L + startedAt.getNano();
      outcome = new TaskSucceeded(spec.key(), nbytes, type, epochNanos, System.nanoTime() - start, inlineBytes(result, nbytes));
    } catch (Throwable t) { // a task's StackOverflowError or OutOfMemoryError is its failure, too
      store.remove(spec.key()); // a put that ran out of heap while spilling others: not kept for a failed task
      outcome = new TaskFailed(spec.key(), exceptionBytes(t), t.getClass().getName(), String.valueOf(t.getMessage()), System.nanoTime() - start);
    }
    long took = System.nanoTime() - start;
    long cpu = inline ? threadCpuNanos() - cpuStart : 0;
    if (inline && outcome instanceof TaskFailed) {
      // it may have failed only for where it ran (a blocking call refused on an event loop):
      // run it once more on the pool, whose outcome counts, and keep its prefix there from now on
      PrefixTiming t = timings.get(FnId.of(spec));
      if (t != null) {
        t.banned = true;
      }
      log.info("Worker {}: task {} failed on the thread that received it; it runs again on the pool, as tasks of its function (prefix {}) will from now on",
          options.name(), spec.key(), spec.key().prefix());
      executeOnPool(spec);
      return;
    }
    metrics.taskDone(took, outcome instanceof TaskFailed);
    timed(spec, took, cpu, inline);
    if (!inline) {
      onPool.decrementAndGet();
    }
    post(outcome);
  }

  /** Runs the task of {@code spec} on the values held here. */
  private Object run(Msg.TaskSpec spec) throws Exception {
    Task task = payloads.decode(spec.head(), spec.payload());
    Key[] deps = task.dependencies();
    if (spec.parts() == null || spec.parts().isEmpty()) {
      Object[] values = new Object[deps.length];
      for (int i = 0; i < deps.length; i++) {
        values[i] = held(deps[i]);
      }
      return LocalLoop.runLocally(task, values);
    }
    // parts of a dependency held here are cut from it; otherwise only the part was fetched
    return task.execute(this::held, kp -> {
      Optional<Object> here = store.getPart(kp);
      return here.isPresent() ? here.get() : held(kp.asKey());
    });
  }

  private Object held(Key dep) {
    return store.get(dep).orElseThrow(() -> new IllegalStateException("dependency " + dep + " is not on this worker")).value();
  }

  private byte[] exceptionBytes(Throwable t) {
    try {
      return serialization.toBytes(t);
    } catch (RuntimeException | LinkageError e) {
      log.debug("Cannot serialize {}; sending its class and message only", t.getClass().getName(), e);
      return new byte[0];
    }
  }

  // ---- shutdown

  private void shutdownAsync(int status) {
    Thread t = new Thread(() -> shutdown(status), "jask-worker-" + options.name() + "-close");
    t.start();
  }

  private void shutdown(int status) {
    if (!closing.compareAndSet(false, true)) {
      exit.join();
      return;
    }
    try {
      Connection c = scheduler;
      if (c != null) {
        c.close();
      }
      if (listener != null) {
        listener.close();
      }
      peers.close();
      metrics.close();
      loop.shutdownNow();
      memoryTimer.shutdownNow();
      pool.shutdownNow();
      io.shutdownNow();
      awaitQuietly(loop);
      awaitQuietly(pool);
      awaitQuietly(io);
      awaitQuietly(memoryTimer);
      store.close(); // deletes the spill directory
    } finally {
      exit.complete(status);
    }
  }

  private void awaitQuietly(ExecutorService e) {
    try {
      if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("Worker {}: threads still running after close (tasks ignoring interrupts)", options.name());
      }
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- helpers

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.error("Worker loop task failed", e);
    }
  }

  /** The host of the data address (loopback for inproc), where /metrics is served too. */
  private static String metricsHost(String dataAddress) {
    if (dataAddress.startsWith("tcp://")) {
      String hostPort = dataAddress.substring("tcp://".length());
      int colon = hostPort.lastIndexOf(':');
      String host = colon > 0 ? hostPort.substring(0, colon) : hostPort;
      return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
    return "127.0.0.1";
  }

  private String advertised(String bound) {
    for (String scheme : new String[] {"tcp://", "tls://"}) {
      String wildcard = scheme + "0.0.0.0:";
      if (bound.startsWith(wildcard)) {
        return scheme + WorkerArgs.routeHost(options.schedulerAddress()) + ":" + bound.substring(wildcard.length());
      }
    }
    return bound;
  }

  private ThreadFactory threads(String prefix, boolean numbered) {
    AtomicInteger n = new AtomicInteger();
    ClassLoader cl = jars;
    return r -> {
      Thread t = new Thread(r, numbered ? prefix + n.incrementAndGet() : prefix);
      t.setDaemon(true);
      if (cl != null) {
        t.setContextClassLoader(cl);
      }
      return t;
    };
  }

  private static double cpuPercent() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      double load = os.getProcessCpuLoad();
      return load < 0 ? 0 : load * 100 * Runtime.getRuntime().availableProcessors();
    }
    return 0;
  }

  @Override
  public String toString() {
    return "Worker[" + options.name() + " at " + address + "]";
  }
}
