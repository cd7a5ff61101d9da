package io.jask.engine.distributed.server;

import io.jask.engine.Key;
import io.jask.engine.config.Config;
import io.jask.engine.distributed.comm.Comms;
import io.jask.engine.distributed.comm.Connection;
import io.jask.engine.distributed.comm.Listener;
import io.jask.engine.distributed.comm.Message;
import io.jask.engine.distributed.comm.MessageHandler;
import io.jask.engine.distributed.diagnostics.SchedulerDiagnostics;
import io.jask.engine.distributed.internal.KryoHeaderCodec;
import io.jask.engine.distributed.internal.StuckClock;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.distributed.scheduler.Event;
import io.jask.engine.distributed.scheduler.SchedulerState;
import io.jask.engine.distributed.scheduler.Send;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler process: turns connections and messages into {@link Event}s for the {@link
 * SchedulerState} and its {@link Send} instructions into writes. All state changes happen on one
 * event thread, so the state machine needs no locks; the transport's threads only enqueue.
 *
 * <p>A connection says who it is with its first message: {@link Msg.RegisterClient} or {@link
 * Msg.RegisterWorker}. Anything else first, or a message that is not a {@link Msg}, closes that
 * connection; the server keeps serving the others.
 *
 * <pre>{@code
 * try (SchedulerServer s = SchedulerServer.start("tcp://127.0.0.1:8786")) {
 *   System.out.println(s.address());
 *   s.awaitClose();
 * }
 * }</pre>
 */
public final class SchedulerServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SchedulerServer.class);

  /** The pseudo-key under which a who-has reply to an empty request lists every worker. */
  public static final io.jask.engine.Key WORKERS = io.jask.engine.Key.of("__workers__");

  private final SchedulerState state;
  /** Task stream, per-prefix and per-worker records for the dashboard and metrics (appends only). */
  private final SchedulerDiagnostics diagnostics = new SchedulerDiagnostics();
  /** Events, and queries to run against the state, in arrival order. */
  private final java.util.concurrent.ConcurrentLinkedQueue<Object> inbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** Held by the one thread that is handling events now (see {@link #pump()}). */
  private final java.util.concurrent.locks.ReentrantLock handling = new java.util.concurrent.locks.ReentrantLock();
  private final ScheduledExecutorService timer;
  private final Listener listener;
  private final Map<String, Connection> clients = new ConcurrentHashMap<>();
  private final Map<String, Connection> workers = new ConcurrentHashMap<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<Send> out = new ArrayList<>();
  private volatile boolean closing;

  private SchedulerServer(String address, SchedulerState.Options options) throws IOException {
    this.state = new SchedulerState(options);
    log.info("Scheduler options: {}", options);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "jask-scheduler-timer");
      t.setDaemon(true);
      return t;
    });
    try {
      // clients in this JVM may skip the socket (distributed.comm.inproc-shortcut); workers do not
      this.listener = Comms.listenWithShortcut(
          address, this::accept, new KryoHeaderCodec(), io.jask.engine.distributed.comm.CommOptions.fromConfig());
    } catch (IOException | RuntimeException e) {
      timer.shutdownNow();
      throw e;
    }
    submit(new Event.ClientConnected(FIRE_AND_FORGET));
    timer.scheduleWithFixedDelay(() -> submit(new Event.Tick()), 100, 100, TimeUnit.MILLISECONDS);
  }

  /** Starts a scheduler listening at {@code address} ({@code tcp://host:port}, port 0 for any, or {@code inproc://}). */
  public static SchedulerServer start(String address) throws IOException {
    return new SchedulerServer(address, options());
  }

  /** Starts a scheduler with explicit options. */
  public static SchedulerServer start(String address, SchedulerState.Options options) throws IOException {
    return new SchedulerServer(address, options);
  }

  /** The options from configuration ({@code distributed.scheduler.*}). */
  public static SchedulerState.Options options() {
    SchedulerState.Options d = SchedulerState.Options.defaults();
    return new SchedulerState.Options(
        Config.getInt("distributed.scheduler.allowed-failures", d.allowedFailures()),
        Config.getBoolean("distributed.scheduler.work-stealing", d.workStealing()),
        Config.getDuration("distributed.scheduler.worker-ttl", Duration.ofNanos(d.workerTtlNanos())).toNanos(),
        Config.getDouble("distributed.scheduler.worker-saturation", d.workerSaturation()),
        d.defaultTaskDurationNanos(),
        d.bandwidthBytesPerSec(),
        Config.getDuration("distributed.scheduler.queue-budget", Duration.ofNanos(d.queueBudgetNanos())).toNanos(),
        Config.getBoolean("distributed.scheduler.speculative-assignment", d.speculativeAssignment()));
  }

  /** The address clients and workers connect to. */
  public String address() {
    return listener.address();
  }

  /** Runs {@code query} on the event thread and returns its answer (for diagnostics and tests). */
  public <T> T inspect(java.util.function.Function<SchedulerState, T> query) {
    java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(() -> query.apply(state));
    inbox.add(task);
    pump();
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /** What the dashboard and {@code /metrics} read: the task stream, per-prefix and per-worker records. */
  public SchedulerDiagnostics diagnostics() {
    return diagnostics;
  }

  /** Blocks until {@link #close()} is called. */
  public void awaitClose() throws InterruptedException {
    closed.await();
  }

  private void accept(Connection c) {
    c.setHandler(new MessageHandler() {
      private String client;
      private String worker;

      @Override
      public void onMessage(Connection conn, Message m) {
        Object h = m.header();
        if (!(h instanceof Msg msg)) {
          log.warn("closing {}: not a protocol message ({})", conn.peerAddress(), h == null ? "null" : h.getClass().getName());
          conn.close();
          return;
        }
        if (client != null) {
          submitAll(msg, m2 -> new Event.FromClient(client, m2));
        } else if (worker != null) {
          submitAll(msg, m2 -> new Event.FromWorker(worker, m2));
        } else if (msg instanceof Msg.RegisterClient rc) {
          client = rc.clientId();
          clients.put(client, conn);
          submit(new Event.ClientConnected(client));
        } else if (msg instanceof Msg.RegisterWorker rw) {
          worker = rw.address();
          Connection previous = workers.put(worker, conn);
          if (previous != null && previous != conn) {
            previous.close();
          }
          submit(new Event.WorkerConnected(worker, rw));
        } else {
          log.warn("closing {}: first message must register a client or a worker, got {}", conn.peerAddress(), msg.getClass().getSimpleName());
          conn.close();
        }
      }

      @Override
      public void onClose(Connection conn, Throwable cause) {
        if (client != null && clients.remove(client, conn)) {
          submit(new Event.ClientGone(client));
        }
        if (worker != null && workers.remove(worker, conn)) {
          submit(new Event.WorkerGone(worker, cause == null ? "connection closed" : cause.toString()));
        }
      }
    });
  }

  private void submit(Event e) {
    if (!closing) {
      inbox.add(e);
      pump();
    }
  }

  /**
   * One event per message; a batch becomes its messages, in order, all queued before they are
   * handled: they are handled in one round, and what they produce goes out as one write per
   * connection (a worker's batch of results becomes one batch of new tasks and one batch of
   * results to the client, not one write per result).
   */
  private void submitAll(Msg msg, java.util.function.Function<Msg, Event> wrap) {
    if (closing) {
      return;
    }
    enqueueAll(msg, wrap);
    pump();
  }

  private void enqueueAll(Msg msg, java.util.function.Function<Msg, Event> wrap) {
    if (msg instanceof Msg.Batch b) {
      for (Msg one : b.messages()) {
        if (one != null) {
          enqueueAll(one, wrap);
        }
      }
    } else {
      inbox.add(wrap.apply(msg));
    }
  }

  private static final int MAX_EVENTS_PER_FLUSH = 4096;
  /** The pseudo-client that holds fire-and-forget keys until they finish. */
  static final String FIRE_AND_FORGET = "fire-and-forget";

  private static Key doneKey(Msg m) {
    if (m instanceof Msg.KeyInMemory k) {
      return k.key();
    }
    if (m instanceof Msg.KeyErred k) {
      return k.key();
    }
    if (m instanceof Msg.KeyCancelled k) {
      return k.key();
    }
    return null;
  }
  private final List<Object> drained = new ArrayList<>();
  private final Map<Connection, List<Msg>> outgoing = new java.util.LinkedHashMap<>();
  private final List<Connection> toClose = new ArrayList<>();
  /** The peer of the last send of this round and its batch: consecutive sends skip two lookups. */
  private String lastTo;
  private Send.Target lastTarget;
  private List<Msg> lastBatch;
  private Connection lastConnection;

  /**
   * Handles the waiting events on the calling thread (a transport thread, the timer, a caller of
   * {@link #inspect}) unless another thread is already doing so; that thread then handles them
   * too. There is no scheduler thread to wake: a message is handled on the thread that received
   * it, and the state is only ever touched under {@link #handling}. Every round handles all
   * waiting events (up to a bound), then sends what they produced, one batch per connection
   * (dask's BatchedSend): under load many task completions share one write.
   */
  private void pump() {
    if (handling.isHeldByCurrentThread()) {
      return; // called while handling: the running round picks it up
    }
    do {
      if (!handling.tryLock()) {
        return; // the holder re-checks the inbox after it unlocks
      }
      try {
        handleWaiting();
      } finally {
        handling.unlock();
      }
    } while (!inbox.isEmpty() && !closing);
  }

  /**
   * Rounds of at most {@link #MAX_EVENTS_PER_FLUSH} events until the inbox is empty: each event is
   * handled ({@link #handleOne}), what it produced is added to its connection's batch ({@link
   * #route}), and the round ends with one send per connection ({@link #flushRound}).
   */
  private void handleWaiting() {
    for (Object first; (first = inbox.poll()) != null; ) {
      drained.add(first);
      for (Object o; drained.size() < MAX_EVENTS_PER_FLUSH && (o = inbox.poll()) != null; ) {
        drained.add(o);
      }
      for (int i = 0, n = drained.size(); i < n; i++) {
        handleOne(drained.get(i));
      }
      drained.clear();
      flushRound();
    }
  }

  /** One drained item: a task to run under the lock, or an event for the state. */
  private void handleOne(Object o) {
    if (o instanceof Runnable r) {
      r.run();
      return;
    }
    Event e = (Event) o;
    if (e instanceof Event.FromClient fc && fc.msg() instanceof Msg.FireAndForget f) {
      // the scheduler's own pseudo-client wants the keys until they are done
      e = new Event.FromClient(FIRE_AND_FORGET, new Msg.UpdateGraph(FIRE_AND_FORGET, List.of(), f.keys(), 0));
    }
    if (e instanceof Event.FromClient fc && fc.msg() instanceof Msg.WhoHasRequest w && w.keys().isEmpty()) {
      // "which workers are there?": answered here from the state's view
      Connection c = clients.get(fc.clientId());
      if (c != null) {
        outgoing.computeIfAbsent(c, x -> new ArrayList<>()).add(new Msg.WhoHasReply(w.requestId(), Map.of(WORKERS, state.workers())));
      }
      return;
    }
    if (diagnostics.observe(e, state)) {
      return; // a diagnostics-only message
    }
    try {
      state.handle(System.nanoTime(), e, out);
    } catch (RuntimeException ex) {
      log.error("scheduler state failed on {}", e, ex);
    }
    if (e instanceof Event.Tick) {
      checkStuck();
    }
    for (int i = 0, n = out.size(); i < n; i++) {
      route(out.get(i));
    }
    out.clear();
  }

  /** Adds one message the state produced to its connection's batch of this round. */
  private void route(Send send) {
    if (send.target() == Send.Target.CLIENT && FIRE_AND_FORGET.equals(send.to())) {
      Key done = doneKey(send.msg());
      if (done != null) {
        inbox.add(new Event.FromClient(FIRE_AND_FORGET, new Msg.ReleaseKeys(FIRE_AND_FORGET, List.of(done))));
      }
      return;
    }
    List<Msg> batch;
    Connection c;
    if (send.to() == lastTo && send.target() == lastTarget) {
      batch = lastBatch; // runs of messages to one peer (results to a client, tasks to a worker)
      c = lastConnection;
    } else {
      c = send.target() == Send.Target.CLIENT ? clients.get(send.to()) : workers.get(send.to());
      if (c == null) {
        return;
      }
      batch = outgoing.computeIfAbsent(c, x -> new ArrayList<>());
      lastTo = send.to();
      lastTarget = send.target();
      lastBatch = batch;
      lastConnection = c;
    }
    batch.add(send.msg());
    if (send.msg() instanceof Msg.CloseWorker) {
      toClose.add(c);
    }
  }

  /** Sends this round's batches, one message per connection, and closes what asked to be. */
  private void flushRound() {
    for (Map.Entry<Connection, List<Msg>> o : outgoing.entrySet()) {
      List<Msg> msgs = o.getValue();
      o.getKey().send(Message.of(msgs.size() == 1 ? msgs.get(0) : new Msg.Batch(msgs)));
    }
    outgoing.clear();
    lastTo = null;
    lastBatch = null;
    lastConnection = null;
    for (Connection c : toClose) {
      c.close();
    }
    toClose.clear();
  }

  /**
   * After {@code distributed.scheduler.stuck-report} (default 60 s; 0 turns it off) in which no
   * event moved a task while some task is not done, logs at WARN which tasks wait where and for
   * what ({@link SchedulerState#stuckReport}), again every such period while it lasts: a hang in
   * CI explains itself. Runs on ticks, on the event thread; costs a comparison unless stuck.
   */
  private void checkStuck() {
    long now = System.nanoTime();
    if (!stuck.due(state.progressCount(), true, now)) {
      return;
    }
    String report = state.stuckReport(STUCK_REPORT_TASKS);
    if (!report.isEmpty()) {
      log.warn("Scheduler: nothing moved for {} s (speculative assignment {}): {}",
          stuck.stuckSeconds(now), state.options().speculativeAssignment() ? "on" : "off", report);
    }
  }

  /** The most tasks a stuck report names. */
  static final int STUCK_REPORT_TASKS = 50;
  private final StuckClock stuck = new StuckClock(
      Config.getDuration("distributed.scheduler.stuck-report", Duration.ofSeconds(60)).toNanos());

  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    for (Connection w : workers.values()) {
      w.send(Message.of(new Msg.CloseWorker("scheduler closing")));
    }
    listener.close();
    timer.shutdownNow();
    closed.countDown();
  }
}
