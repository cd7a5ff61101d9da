package io.jask.engine.distributed.diagnostics;

import io.jask.engine.diagnostics.TaskEvent;
import io.jask.engine.distributed.scheduler.StateView;
import io.jask.engine.distributed.scheduler.TaskState;
import io.jask.engine.distributed.server.SchedulerServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's dashboard: HTML pages (status, workers, graph, one per worker) drawn by a
 * hand-written script on canvas and SVG from the JSON API, live over server-sent events, plus
 * Prometheus {@code /metrics}. Every asset is a class-path resource of this jar.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code /status}, {@code /workers}, {@code /graph}, {@code /worker?address=A}</td><td>pages</td></tr>
 *   <tr><td>{@code /api/status?since=N}</td><td>workers, progress per prefix, counts by state, task events from N</td></tr>
 *   <tr><td>{@code /api/workers}, {@code /api/worker?address=A}, {@code /api/graph}, {@code /api/tasks?since=N}</td><td>JSON</td></tr>
 *   <tr><td>{@code /events}</td><td>server-sent events: {@code /api/status} every half second, task events incremental</td></tr>
 *   <tr><td>{@code /metrics}</td><td>Prometheus text format</td></tr>
 * </table>
 *
 * <pre>{@code
 * try (SchedulerServer s = SchedulerServer.start("tcp://127.0.0.1:8786");
 *      Dashboard d = Dashboard.start(s, "127.0.0.1", 8787)) {
 *   System.out.println(d.link());   // http://127.0.0.1:8787/status
 * }
 * }</pre>
 */
public final class Dashboard implements AutoCloseable {
  /** The graph page draws graphs up to this many tasks. */
  static final int GRAPH_LIMIT = 1000;
  /** Task events sent to a page at most per update. */
  static final int MAX_EVENTS_PER_UPDATE = 20_000;
  private static final long SUMMARY_TTL_NANOS = 250_000_000L;
  private static final String ASSETS = "/io/jask/engine/distributed/diagnostics/static/";

  private final SchedulerServer server;
  private final SchedulerDiagnostics diag;
  private final HttpService http;
  private final String host;
  private volatile StateView.Summary summary;
  private volatile long summaryAt;

  private Dashboard(SchedulerServer server, String host, int port) throws IOException {
    this.server = server;
    this.diag = server.diagnostics();
    this.host = host;
    this.http = HttpService.builder()
        .route("/", r -> HttpService.Response.redirect("/status"))
        .route("/status", r -> page("status", "Status"))
        .route("/workers", r -> page("workers", "Workers"))
        .route("/graph", r -> page("graph", "Graph"))
        .route("/worker", r -> page("worker", "Worker"))
        .route("/api/status", r -> HttpService.Response.json(status(parseLong(r.param("since", "0")))))
        .route("/api/workers", r -> HttpService.Response.json(workersJson()))
        .route("/api/worker", r -> worker(r.param("address", "")))
        .route("/api/graph", r -> HttpService.Response.json(graphJson()))
        .route("/api/tasks", r -> HttpService.Response.json(tasksJson(parseLong(r.param("since", "0")))))
        .route("/metrics", r -> HttpService.Response.text(PrometheusText.CONTENT_TYPE, metrics()))
        .prefix("/static/", r -> asset(r.path().substring("/static/".length())))
        .stream("/events", r -> {
          long[] next = {parseLong(r.param("since", "0"))};
          return () -> {
            String json = statusJson(next);
            return json;
          };
        })
        .start(host, port);
  }

  /**
   * Serves the dashboard of {@code server} at {@code host:port} (port 0: any free port).
   *
   * @throws IOException if the port cannot be bound
   */
  public static Dashboard start(SchedulerServer server, String host, int port) throws IOException {
    return new Dashboard(server, host, port);
  }

  /**
   * Like {@link #start}, but if {@code port} is taken, serves at a free port instead (as Dask
   * does) and logs where.
   */
  public static Dashboard startOrFallback(SchedulerServer server, String host, int port) throws IOException {
    try {
      return start(server, host, port);
    } catch (IOException first) {
      if (port == 0) {
        throw first;
      }
      Dashboard d = start(server, host, 0);
      org.slf4j.LoggerFactory.getLogger(Dashboard.class).warn("port {} is in use; the dashboard is at {} instead", port, d.link());
      return d;
    }
  }

  /** The bound port. */
  public int port() {
    return http.port();
  }

  /** The status page's address, e.g. {@code http://127.0.0.1:8787/status}. */
  public String link() {
    String h = host.isEmpty() || "0.0.0.0".equals(host) ? "127.0.0.1" : host;
    if (h.contains(":") && !h.startsWith("[")) {
      h = "[" + h + "]";
    }
    return "http://" + h + ":" + port() + "/status";
  }

  @Override
  public void close() {
    http.close();
  }

  // ---------------------------------------------------------------- data

  private StateView.Summary summary() {
    long now = System.nanoTime();
    StateView.Summary s = summary;
    if (s == null || now - summaryAt > SUMMARY_TTL_NANOS) {
      s = server.inspect(StateView::summary);
      summary = s;
      summaryAt = now;
    }
    return s;
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private String status(long since) {
    return statusJson(new long[] {since});
  }

  /** The status document; {@code next[0]} is the first task event to include and is advanced. */
  private String statusJson(long[] next) {
    StateView.Summary s = summary();
    Json j = new Json().beginObject();
    j.field("time", System.currentTimeMillis());
    j.field("address", server.address());
    j.field("started", diag.startedEpochMillis());
    j.field("clients", s.clients());
    j.field("finishedTotal", diag.finishedTotal());
    j.field("erredTotal", diag.erredTotal());
    j.name("counts").beginObject();
    s.byState().forEach((k, v) -> j.field(k.name().toLowerCase(java.util.Locale.ROOT), v));
    j.endObject();
    workers(j, s);
    progress(j, s);
    SchedulerDiagnostics.TaskSlice slice = diag.tasksSince(next[0], MAX_EVENTS_PER_UPDATE);
    next[0] = slice.next();
    tasks(j, slice);
    return j.endObject().toString();
  }

  private void workers(Json j, StateView.Summary s) {
    j.name("workers").beginArray();
    for (SchedulerDiagnostics.WorkerSnapshot w : diag.workers(false)) {
      worker(j, w, s);
    }
    j.endArray();
  }

  private static void worker(Json j, SchedulerDiagnostics.WorkerSnapshot w, StateView.Summary s) {
    WorkerMemory m = w.memory();
    j.beginObject()
        .field("address", w.address()).field("name", w.name()).field("nthreads", w.nthreads())
        .field("memoryLimit", w.memoryLimit()).field("pid", w.pid()).field("metrics", w.metricsUrl())
        .field("managed", m.managed()).field("unmanaged", m.unmanaged()).field("spilled", m.spilled())
        .field("processMemory", m.processMemory()).field("cpu", m.cpuPercent())
        .field("executing", m.executing()).field("ready", m.ready())
        .field("processing", s.processingByWorker().getOrDefault(w.address(), 0))
        .field("held", s.heldByWorker().getOrDefault(w.address(), 0))
        .field("heldBytes", s.bytesByWorker().getOrDefault(w.address(), 0L))
        .field("finished", w.finished()).field("erred", w.erred())
        .endObject();
  }

  private void progress(Json j, StateView.Summary s) {
    j.name("progress").beginArray();
    for (SchedulerDiagnostics.PrefixSnapshot p : diag.prefixes()) {
      Map<TaskState, Integer> live = s.byPrefix().getOrDefault(p.prefix(), Map.of());
      int waiting = live.getOrDefault(TaskState.WAITING, 0) + live.getOrDefault(TaskState.QUEUED, 0)
          + live.getOrDefault(TaskState.NO_WORKER, 0);
      int processing = live.getOrDefault(TaskState.PROCESSING, 0);
      int memory = live.getOrDefault(TaskState.MEMORY, 0);
      j.beginObject().field("prefix", p.prefix()).field("added", p.added()).field("finished", p.finished())
          .field("erred", p.erred()).field("waiting", waiting).field("processing", processing).field("memory", memory)
          .field("total", p.finished() + p.erred() + waiting + processing).endObject();
    }
    j.endArray();
  }

  private static void tasks(Json j, SchedulerDiagnostics.TaskSlice slice) {
    j.name("tasks").beginObject().field("from", slice.from()).field("next", slice.next()).name("events").beginArray();
    for (TaskEvent e : slice.events()) {
      j.beginArray().value(e.key()).value(e.prefix()).value(e.worker()).value(e.thread())
          .value(e.startEpochNanos() / 1e6).value(e.stopEpochNanos() / 1e6).value(e.failed()).endArray();
    }
    j.endArray().endObject();
  }

  private String tasksJson(long since) {
    Json j = new Json().beginObject();
    tasks(j, diag.tasksSince(since, SchedulerDiagnostics.STREAM_CAPACITY));
    return j.endObject().toString();
  }

  private String workersJson() {
    StateView.Summary s = summary();
    Json j = new Json().beginObject();
    workers(j, s);
    return j.endObject().toString();
  }

  private HttpService.Response worker(String address) {
    StateView.Summary s = summary();
    for (SchedulerDiagnostics.WorkerSnapshot w : diag.workers(true)) {
      if (w.address().equals(address) || w.name().equals(address)) {
        Json j = new Json().beginObject();
        j.name("worker");
        worker(j, w, s);
        j.name("history").beginArray();
        for (WorkerMemory m : w.history()) {
          j.beginArray().value(m.epochMillis()).value(m.managed()).value(m.unmanaged()).value(m.spilled())
              .value(m.cpuPercent()).endArray();
        }
        j.endArray();
        List<String> processing = server.inspect(st -> st.processing(w.address()).stream().map(Object::toString).limit(200).toList());
        j.strings("processingKeys", processing);
        SchedulerDiagnostics.TaskSlice all = diag.tasksSince(0, 5_000);
        List<TaskEvent> mine = all.events().stream().filter(e -> e.worker().equals(w.address())).toList();
        tasks(j, new SchedulerDiagnostics.TaskSlice(all.from(), all.next(), mine));
        return HttpService.Response.json(j.endObject().toString());
      }
    }
    return HttpService.Response.notFound("worker " + address);
  }

  private String graphJson() {
    List<StateView.GraphNode> nodes = server.inspect(st -> StateView.graph(st, GRAPH_LIMIT));
    int size = server.inspect(StateView::size);
    Json j = new Json().beginObject().field("size", size).field("limit", GRAPH_LIMIT).field("tooLarge", size > GRAPH_LIMIT);
    j.name("nodes").beginArray();
    for (StateView.GraphNode n : nodes) {
      j.beginObject().field("key", n.key()).field("prefix", n.prefix())
          .field("state", n.state().name().toLowerCase(java.util.Locale.ROOT)).field("worker", n.worker())
          .strings("deps", n.dependencies()).endObject();
    }
    return j.endArray().endObject().toString();
  }

  /** The scheduler's metrics in Prometheus text format (task counts taken fresh from the state). */
  String metrics() {
    StateView.Summary s = server.inspect(StateView::summary);
    PrometheusText p = new PrometheusText();
    p.family("jask_scheduler_tasks", "gauge", "Keys the scheduler tracks, by state.");
    s.byState().forEach((k, v) -> p.sample("jask_scheduler_tasks", v, "state", k.name().toLowerCase(java.util.Locale.ROOT)));
    p.family("jask_scheduler_prefix_tasks", "gauge", "Keys the scheduler tracks, by key prefix and state.");
    s.byPrefix().forEach((prefix, m) -> m.forEach((k, v) ->
        p.sample("jask_scheduler_prefix_tasks", v, "prefix", prefix, "state", k.name().toLowerCase(java.util.Locale.ROOT))));
    p.family("jask_scheduler_workers", "gauge", "Connected workers.");
    p.sample("jask_scheduler_workers", s.processingByWorker().size());
    p.family("jask_scheduler_clients", "gauge", "Connected clients (including the scheduler's fire-and-forget holder).");
    p.sample("jask_scheduler_clients", s.clients());
    p.family("jask_scheduler_tasks_finished_total", "counter", "Tasks computed successfully.");
    p.sample("jask_scheduler_tasks_finished_total", diag.finishedTotal());
    p.family("jask_scheduler_tasks_erred_total", "counter", "Task runs that failed.");
    p.sample("jask_scheduler_tasks_erred_total", diag.erredTotal());
    p.family("jask_scheduler_graphs_total", "counter", "Graph submissions (UpdateGraph messages).");
    p.sample("jask_scheduler_graphs_total", diag.graphsSubmitted());
    List<SchedulerDiagnostics.WorkerSnapshot> ws = diag.workers(false);
    p.family("jask_worker_stored_bytes", "gauge", "Bytes of results each worker holds, as the scheduler counts them.");
    for (SchedulerDiagnostics.WorkerSnapshot w : ws) {
      p.sample("jask_worker_stored_bytes", s.bytesByWorker().getOrDefault(w.address(), 0L), "worker", w.address());
    }
    p.family("jask_worker_memory_bytes", "gauge", "Worker memory from its last heartbeat: managed, unmanaged, spilled.");
    for (SchedulerDiagnostics.WorkerSnapshot w : ws) {
      p.sample("jask_worker_memory_bytes", w.memory().managed(), "worker", w.address(), "type", "managed");
      p.sample("jask_worker_memory_bytes", w.memory().unmanaged(), "worker", w.address(), "type", "unmanaged");
      p.sample("jask_worker_memory_bytes", w.memory().spilled(), "worker", w.address(), "type", "spilled");
    }
    p.family("jask_worker_cpu_percent", "gauge", "Worker process CPU from its last heartbeat (100 = one core).");
    for (SchedulerDiagnostics.WorkerSnapshot w : ws) {
      p.sample("jask_worker_cpu_percent", w.memory().cpuPercent(), "worker", w.address());
    }
    diag.writeDurations(p);
    return p.toString();
  }

  // ---------------------------------------------------------------- pages and assets

  private static HttpService.Response page(String page, String title) {
    byte[] shell = HttpService.resource(ASSETS + "page.html");
    if (shell == null) {
      throw new IllegalStateException("dashboard asset page.html missing from the class path");
    }
    String html = new String(shell, StandardCharsets.UTF_8).replace("{{page}}", page).replace("{{title}}", title);
    return HttpService.Response.text("text/html; charset=utf-8", html);
  }

  private static HttpService.Response asset(String name) {
    if (!name.matches("[a-z0-9_-]+\\.(js|css)")) {
      return HttpService.Response.notFound(name);
    }
    byte[] b = HttpService.resource(ASSETS + name);
    if (b == null) {
      return HttpService.Response.notFound(name);
    }
    String type = name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    return new HttpService.Response(200, type, b, Map.of());
  }
}
