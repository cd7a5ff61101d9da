package io.jask.engine.distributed.diagnostics;

import io.jask.engine.config.Config;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A worker's counters and its {@code /metrics} endpoint (Prometheus text format): tasks by state
 * (executing, ready, stored; finished and failed totals), bytes stored and spilled, transfers in
 * (fetches from peers) and out (GetData served), and task durations. The worker updates the
 * counters from the threads that do the work (atomic adds); the gauges are read on each scrape.
 *
 * <p>The endpoint listens on the host the worker's data address uses (loopback for {@code
 * inproc://}) at {@code distributed.worker.metrics.port} (0: any free port), unless {@code
 * distributed.worker.metrics.enabled} is false.
 *
 * <pre>{@code
 * WorkerMetrics m = new WorkerMetrics(store::size, store::managedBytes, () -> 0);
 * String url = m.serve("127.0.0.1");   // http://127.0.0.1:PORT/metrics
 * }</pre>
 */
public final class WorkerMetrics implements AutoCloseable {
  private final LongSupplier storedKeys;
  private final LongSupplier storedBytes;
  private volatile LongSupplier spilledBytes;
  private final AtomicLong finished = new AtomicLong();
  private final AtomicLong erred = new AtomicLong();
  private final AtomicLong fetches = new AtomicLong();
  private final AtomicLong fetchedKeys = new AtomicLong();
  private final AtomicLong fetchedBytes = new AtomicLong();
  private final AtomicLong fetchFailures = new AtomicLong();
  private final DurationHistogram durations = new DurationHistogram();
  private volatile LongSupplier servedRequests = () -> 0;
  private volatile int executing;
  private volatile int ready;
  private volatile int fetching;
  private volatile int waitingLocal;
  private volatile int wantedKeys;
  private volatile int inFlightKeys;
  private volatile long incomingBytes;
  private volatile boolean paused;
  private volatile long processBytes;
  private volatile LongSupplier spilledKeys = () -> 0;
  private HttpService http;

  /** Metrics over a store's key count, managed bytes and spilled bytes. */
  public WorkerMetrics(LongSupplier storedKeys, LongSupplier storedBytes, LongSupplier spilledBytes) {
    this.storedKeys = storedKeys;
    this.storedBytes = storedBytes;
    this.spilledBytes = spilledBytes;
  }

  /** Where spilled bytes come from (the memory manager plugs its counter in here). */
  public void spilledBytes(LongSupplier s) {
    this.spilledBytes = s;
  }

  /** Where the count of GetData requests served comes from. */
  public void servedRequests(LongSupplier s) {
    this.servedRequests = s;
  }

  /** A task ran for {@code nanos}. */
  public void taskDone(long nanos, boolean failed) {
    (failed ? erred : finished).incrementAndGet();
    if (!failed) {
      durations.observe(nanos);
    }
  }

  /** A fetch from a peer brought {@code keys} values of {@code bytes} (estimated) bytes. */
  public void fetched(int keys, long bytes) {
    fetches.incrementAndGet();
    fetchedKeys.addAndGet(keys);
    fetchedBytes.addAndGet(bytes);
  }

  /** A fetch from a peer failed. */
  public void fetchFailed() {
    fetchFailures.incrementAndGet();
  }

  /** The state machine's load, as of the last heartbeat. */
  public void load(int executing, int ready) {
    this.executing = executing;
    this.ready = ready;
  }

  /**
   * The rest of the state machine's picture, as of the last heartbeat: tasks fetching an input from
   * a peer, tasks sent ahead of time waiting only for an input computed here, keys wanted from
   * peers and asked for now, bytes being fetched, whether the worker is paused for memory; and the
   * process memory the memory manager measured.
   */
  public void detail(int fetching, int waitingLocal, int wantedKeys, int inFlightKeys, long incomingBytes,
      boolean paused, long processBytes) {
    this.fetching = fetching;
    this.waitingLocal = waitingLocal;
    this.wantedKeys = wantedKeys;
    this.inFlightKeys = inFlightKeys;
    this.incomingBytes = incomingBytes;
    this.paused = paused;
    this.processBytes = processBytes;
  }

  /** Where the count of spilled keys comes from. */
  public void spilledKeys(LongSupplier s) {
    this.spilledKeys = s;
  }

  /** Tasks finished successfully. */
  public long finished() {
    return finished.get();
  }

  /** The metrics in Prometheus text format. */
  public String text(String worker) {
    PrometheusText p = new PrometheusText();
    p.family("jask_worker_tasks", "gauge", "Tasks on this worker by state (stored: results held).");
    p.sample("jask_worker_tasks", executing, "worker", worker, "state", "executing");
    p.sample("jask_worker_tasks", ready, "worker", worker, "state", "ready");
    p.sample("jask_worker_tasks", fetching, "worker", worker, "state", "fetching");
    p.sample("jask_worker_tasks", waitingLocal, "worker", worker, "state", "waiting-local");
    p.sample("jask_worker_tasks", storedKeys.getAsLong(), "worker", worker, "state", "stored");
    p.sample("jask_worker_tasks", spilledKeys.getAsLong(), "worker", worker, "state", "spilled");
    p.family("jask_worker_wanted_keys", "gauge", "Inputs to fetch from peers (in-flight: asked for now).");
    p.sample("jask_worker_wanted_keys", wantedKeys, "worker", worker, "state", "wanted");
    p.sample("jask_worker_wanted_keys", inFlightKeys, "worker", worker, "state", "in-flight");
    p.family("jask_worker_incoming_bytes", "gauge", "Bytes being fetched from peers now (as the scheduler sized them).");
    p.sample("jask_worker_incoming_bytes", incomingBytes, "worker", worker);
    p.family("jask_worker_paused", "gauge", "1 while the worker is paused for memory (starts no task).");
    p.sample("jask_worker_paused", paused ? 1 : 0, "worker", worker);
    p.family("jask_worker_process_memory_bytes", "gauge", "Process memory the memory manager measured.");
    p.sample("jask_worker_process_memory_bytes", processBytes, "worker", worker);
    p.family("jask_worker_tasks_finished_total", "counter", "Tasks this worker computed successfully.");
    p.sample("jask_worker_tasks_finished_total", finished.get(), "worker", worker);
    p.family("jask_worker_tasks_erred_total", "counter", "Task runs that failed on this worker.");
    p.sample("jask_worker_tasks_erred_total", erred.get(), "worker", worker);
    p.family("jask_worker_stored_bytes", "gauge", "Estimated bytes of the results this worker holds in memory (managed).");
    p.sample("jask_worker_stored_bytes", storedBytes.getAsLong(), "worker", worker);
    p.family("jask_worker_spilled_bytes", "gauge", "Bytes of held results spilled to disk.");
    p.sample("jask_worker_spilled_bytes", spilledBytes.getAsLong(), "worker", worker);
    p.family("jask_worker_transfer_incoming_total", "counter", "Fetches of task inputs from other workers.");
    p.sample("jask_worker_transfer_incoming_total", fetches.get(), "worker", worker);
    p.family("jask_worker_transfer_incoming_keys_total", "counter", "Values received from other workers.");
    p.sample("jask_worker_transfer_incoming_keys_total", fetchedKeys.get(), "worker", worker);
    p.family("jask_worker_transfer_incoming_bytes_total", "counter", "Estimated bytes received from other workers.");
    p.sample("jask_worker_transfer_incoming_bytes_total", fetchedBytes.get(), "worker", worker);
    p.family("jask_worker_transfer_incoming_failures_total", "counter", "Fetches from other workers that failed.");
    p.sample("jask_worker_transfer_incoming_failures_total", fetchFailures.get(), "worker", worker);
    p.family("jask_worker_transfer_outgoing_total", "counter", "GetData requests this worker answered (peers and clients).");
    p.sample("jask_worker_transfer_outgoing_total", servedRequests.getAsLong(), "worker", worker);
    p.family("jask_worker_task_duration_seconds", "histogram", "Durations of tasks this worker computed.");
    durations.writeTo(p, "jask_worker_task_duration_seconds", "worker", worker);
    return p.toString();
  }

  /**
   * Serves {@code /metrics} for {@code worker} on {@code host} if enabled in the configuration;
   * returns its URL, or null when disabled.
   */
  public String serve(String host, String worker) throws IOException {
    if (!Config.getBoolean("distributed.worker.metrics.enabled", true)) {
      return null;
    }
    int port = Config.getInt("distributed.worker.metrics.port", 0);
    http = HttpService.builder()
        .route("/metrics", r -> HttpService.Response.text(PrometheusText.CONTENT_TYPE, text(worker)))
        .route("/", r -> HttpService.Response.redirect("/metrics"))
        .start(host, port);
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "http://" + h + ":" + http.port() + "/metrics";
  }

  @Override
  public void close() {
    if (http != null) {
      http.close();
    }
  }
}
