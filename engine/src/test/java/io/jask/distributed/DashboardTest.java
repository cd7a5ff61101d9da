package io.jask.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.distributed.diagnostics.PrometheusParser;
import io.jask.engine.distributed.scheduler.SchedulerState;
import io.jask.engine.distributed.scheduler.TaskState;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.json.Json;

/** The scheduler dashboard's JSON API, pages, event stream and /metrics on an in-process cluster. */
@ExtendWith(ClusterExtension.class)
class DashboardTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String base(LocalCluster cluster) {
    String link = cluster.dashboardLink().orElseThrow();
    return link.substring(0, link.length() - "/status".length());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(String body) {
    return (Map<String, Object>) new Json().toType(body, Json.MAP_TYPE);
  }

  /**
   * Runs n seeded tasks on distinct inputs (keys are pure: equal inputs would share one task) and
   * checks their results against a local computation.
   */
  static List<Integer> runJob(Client client, long seed, int n) {
    Random r = new Random(seed);
    java.util.LinkedHashSet<Integer> distinct = new java.util.LinkedHashSet<>();
    while (distinct.size() < n) {
      distinct.add(r.nextInt(100_000));
    }
    List<Integer> xs = new ArrayList<>(distinct);
    List<Future<Integer>> fs = client.map((Integer x) -> x * 3 + 1, xs);
    List<Integer> got = client.gather(fs);
    assertEquals(xs.stream().map(x -> x * 3 + 1).toList(), got, "seed " + seed);
    return xs;
  }

  @Test
  void metrics_afterJob_matchTheSchedulersOwnCounts(Client client, LocalCluster cluster) throws Exception {
    long seed = 91L;
    int n = 37;
    List<Future<Integer>> held = client.map((Integer x) -> x - 1, List.of(1, 2, 3)); // stay in memory
    client.gather(held);
    runJob(client, seed, n);
    HttpResponse<String> resp = get(base(cluster) + "/metrics");
    assertEquals(200, resp.statusCode());
    assertTrue(resp.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
    List<PrometheusParser.Sample> samples = PrometheusParser.parse(resp.body());
    Map<TaskState, Integer> counts = cluster.scheduler().inspect(SchedulerState::countsByState);
    for (Map.Entry<TaskState, Integer> e : counts.entrySet()) {
      assertEquals(e.getValue().doubleValue(),
          PrometheusParser.value(samples, "jask_scheduler_tasks", "state", e.getKey().name().toLowerCase()), "state " + e.getKey());
    }
    assertTrue(counts.get(TaskState.MEMORY) >= 3, "held futures keep their keys in memory: " + counts);
    assertEquals(n + 3, PrometheusParser.value(samples, "jask_scheduler_tasks_finished_total"));
    assertEquals(n + 3, PrometheusParser.value(samples, "jask_scheduler_task_duration_seconds_count"));
    assertEquals(0, PrometheusParser.value(samples, "jask_scheduler_tasks_erred_total"));
    assertEquals(cluster.workers().size(), PrometheusParser.value(samples, "jask_scheduler_workers"));

    // each worker's own /metrics: tasks it ran add up to the scheduler's count; stored keys match
    double ranOnWorkers = 0;
    for (LocalCluster.WorkerHandle w : cluster.workers()) {
      String url = w.inProcess().metricsUrl().orElseThrow();
      List<PrometheusParser.Sample> ws = PrometheusParser.parse(get(url).body());
      String name = w.name();
      ranOnWorkers += PrometheusParser.value(ws, "jask_worker_tasks_finished_total", "worker", name);
      int held2 = cluster.scheduler().inspect(s -> s.heldBy(w.address()).size());
      assertEquals(held2, PrometheusParser.value(ws, "jask_worker_tasks", "worker", name, "state", "stored"), name);
      assertEquals(0, PrometheusParser.value(ws, "jask_worker_spilled_bytes", "worker", name));
      assertTrue(PrometheusParser.value(ws, "jask_worker_stored_bytes", "worker", name) >= 0);
    }
    assertEquals(n + 3, ranOnWorkers);
  }

  @Test
  @SuppressWarnings("unchecked")
  void apiStatus_listsWorkersProgressAndATaskStreamWithoutOverlapsPerThread(Client client, LocalCluster cluster) throws Exception {
    int n = 60;
    runJob(client, 7L, n);
    Map<String, Object> s = json(get(base(cluster) + "/api/status").body());
    List<Map<String, Object>> workers = (List<Map<String, Object>>) s.get("workers");
    Set<String> addresses = cluster.workers().stream().map(LocalCluster.WorkerHandle::address).collect(Collectors.toSet());
    assertEquals(addresses, workers.stream().map(w -> (String) w.get("address")).collect(Collectors.toSet()));
    Map<String, Integer> threads = new HashMap<>();
    for (Map<String, Object> w : workers) {
      threads.put((String) w.get("address"), ((Number) w.get("nthreads")).intValue());
      assertTrue(((String) w.get("metrics")).startsWith("http://"), "worker metrics URL: " + w);
    }
    List<Map<String, Object>> progress = (List<Map<String, Object>>) s.get("progress");
    assertEquals(1, progress.size(), "one prefix: " + progress);
    assertEquals(n, ((Number) progress.get(0).get("finished")).intValue());
    assertEquals(n, ((Number) progress.get(0).get("total")).intValue());

    List<List<Object>> events = (List<List<Object>>) ((Map<String, Object>) s.get("tasks")).get("events");
    assertEquals(n, events.size());
    // rows: every task on a thread row of its worker, and tasks on one row never overlap
    Map<String, List<double[]>> rows = new HashMap<>();
    for (List<Object> e : events) {
      String worker = (String) e.get(2);
      int thread = ((Number) e.get(3)).intValue();
      assertTrue(thread >= 0 && thread < threads.get(worker), "thread " + thread + " of " + worker);
      double start = ((Number) e.get(4)).doubleValue();
      double stop = ((Number) e.get(5)).doubleValue();
      assertTrue(stop >= start);
      rows.computeIfAbsent(worker + "#" + thread, k -> new ArrayList<>()).add(new double[] {start, stop});
    }
    for (Map.Entry<String, List<double[]>> row : rows.entrySet()) {
      List<double[]> bars = row.getValue();
      bars.sort(Comparator.comparingDouble(b -> b[0]));
      for (int i = 1; i < bars.size(); i++) {
        assertTrue(bars.get(i)[0] >= bars.get(i - 1)[1] - 1e-6, "overlap on row " + row.getKey());
      }
    }
    // incremental: nothing new since the last sequence number
    long next = ((Number) ((Map<String, Object>) s.get("tasks")).get("next")).longValue();
    Map<String, Object> again = json(get(base(cluster) + "/api/tasks?since=" + next).body());
    assertEquals(0, ((List<?>) ((Map<String, Object>) again.get("tasks")).get("events")).size());
  }

  @Test
  @SuppressWarnings("unchecked")
  void graphWorkerAndPages_areServed(Client client, LocalCluster cluster) throws Exception {
    List<Future<Integer>> fs = client.map((Integer x) -> x + 1, List.of(1, 2, 3, 4));
    Future<Integer> total = client.submit((List<Integer> xs) -> xs.stream().mapToInt(i -> i).sum(), fs);
    assertEquals(14, total.result());
    Map<String, Object> g = json(get(base(cluster) + "/api/graph").body());
    List<Map<String, Object>> nodes = (List<Map<String, Object>>) g.get("nodes");
    int tracked = cluster.scheduler().inspect(st -> st.keys().size());
    assertEquals(tracked, nodes.size());
    Map<String, Object> sum = nodes.stream().filter(nd -> ((List<?>) nd.get("deps")).size() == 4).findFirst().orElseThrow();
    assertEquals("memory", sum.get("state"));

    String address = cluster.workers().get(0).address();
    HttpResponse<String> w = get(base(cluster) + "/api/worker?address=" + java.net.URLEncoder.encode(address, StandardCharsets.UTF_8));
    assertEquals(200, w.statusCode());
    assertEquals(address, ((Map<String, Object>) json(w.body()).get("worker")).get("address"));
    assertEquals(404, get(base(cluster) + "/api/worker?address=nope").statusCode());

    for (String page : List.of("/status", "/workers", "/graph", "/worker?address=x")) {
      HttpResponse<String> p = get(base(cluster) + page);
      assertEquals(200, p.statusCode(), page);
      assertTrue(p.body().contains("/static/dashboard.js"), page);
    }
    HttpResponse<String> js = get(base(cluster) + "/static/dashboard.js");
    assertTrue(js.headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
    assertTrue(js.body().contains("EventSource"));
    assertEquals(404, get(base(cluster) + "/static/..%2Fpage.html").statusCode());
    assertEquals(404, get(base(cluster) + "/nothing-here").statusCode());
    assertEquals(302, get(base(cluster) + "/").statusCode());
  }

  @Test
  @SuppressWarnings("unchecked")
  void events_pushStatusDocumentsAsServerSentEvents(Client client, LocalCluster cluster) throws Exception {
    runJob(client, 3L, 5);
    HttpResponse<InputStream> resp = HTTP.send(HttpRequest.newBuilder(URI.create(base(cluster) + "/events")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, resp.statusCode());
    assertTrue(resp.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
    try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
      int frames = 0;
      long firstCount = -1;
      for (String line; frames < 2 && (line = in.readLine()) != null; ) {
        if (line.startsWith("data: ")) {
          Map<String, Object> s = json(line.substring(6));
          assertEquals(2, ((List<?>) s.get("workers")).size());
          int events = ((List<?>) ((Map<String, Object>) s.get("tasks")).get("events")).size();
          if (frames == 0) {
            firstCount = events;
            assertEquals(5, events, "the first frame carries the whole task stream");
          } else {
            assertEquals(0, events, "later frames carry only new tasks");
          }
          frames++;
        }
      }
      assertEquals(2, frames);
      assertEquals(5, firstCount);
    }
  }

  @Test
  void dashboard_canBeTurnedOff() {
    try (LocalCluster c = LocalCluster.builder().workers(1).threadsPerWorker(1).processes(false)
        .schedulerAddress("inproc://").dashboardAddress(null).build()) {
      assertFalse(c.dashboardLink().isPresent());
    }
  }
}
