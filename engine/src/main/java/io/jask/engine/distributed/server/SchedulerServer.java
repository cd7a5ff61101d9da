package io.jask.engine.distributed.server;

import io.jask.engine.config.Config;
import io.jask.engine.distributed.comm.Comms;
import io.jask.engine.distributed.comm.Connection;
import io.jask.engine.distributed.comm.Listener;
import io.jask.engine.distributed.comm.Message;
import io.jask.engine.distributed.comm.MessageHandler;
import io.jask.engine.distributed.internal.KryoHeaderCodec;
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
  private final ScheduledExecutorService loop;
  private final Listener listener;
  private final Map<String, Connection> clients = new ConcurrentHashMap<>();
  private final Map<String, Connection> workers = new ConcurrentHashMap<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<Send> out = new ArrayList<>();
  private volatile boolean closing;

  private SchedulerServer(String address, SchedulerState.Options options) throws IOException {
    this.state = new SchedulerState(options);
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "jask-scheduler");
      t.setDaemon(true);
      return t;
    });
    this.listener = Comms.listen(address, this::accept, new KryoHeaderCodec());
    loop.scheduleWithFixedDelay(() -> handle(new Event.Tick()), 100, 100, TimeUnit.MILLISECONDS);
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
        d.workerSaturation(),
        d.defaultTaskDurationNanos(),
        d.bandwidthBytesPerSec());
  }

  /** The address clients and workers connect to. */
  public String address() {
    return listener.address();
  }

  /** Runs {@code query} on the event thread and returns its answer (for diagnostics and tests). */
  public <T> T inspect(java.util.function.Function<SchedulerState, T> query) {
    try {
      return loop.submit(() -> query.apply(state)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
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
          submit(new Event.FromClient(client, msg));
        } else if (worker != null) {
          submit(new Event.FromWorker(worker, msg));
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
    if (closing) {
      return;
    }
    try {
      loop.execute(() -> handle(e));
    } catch (java.util.concurrent.RejectedExecutionException ignored) {
      // shutting down
    }
  }

  private void handle(Event e) {
    if (e instanceof Event.FromClient fc && fc.msg() instanceof Msg.WhoHasRequest w && w.keys().isEmpty()) {
      // "which workers are there?": answered here from the state's view
      Connection c = clients.get(fc.clientId());
      if (c != null) {
        c.send(Message.of(new Msg.WhoHasReply(w.requestId(), Map.of(WORKERS, state.workers()))));
      }
      return;
    }
    try {
      state.handle(System.nanoTime(), e, out);
    } catch (RuntimeException ex) {
      log.error("scheduler state failed on {}", e, ex);
    }
    for (Send s : out) {
      Connection c = s.target() == Send.Target.CLIENT ? clients.get(s.to()) : workers.get(s.to());
      if (c == null) {
        continue;
      }
      c.send(Message.of(s.msg()));
      if (s.msg() instanceof Msg.CloseWorker) {
        c.close();
      }
    }
    out.clear();
  }

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
    loop.shutdown();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closed.countDown();
  }
}
