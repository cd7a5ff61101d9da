package io.jask.benchmarks;

import io.jask.bag.Bag;
import io.jask.bag.Json;
import io.jask.bag.JsonOptions;
import io.jask.engine.config.Config;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * B1 of {@code shared/BENCHMARKS.md}: {@code read_text(bag/*.json).map(parse).filter(active)
 * .pluck("name").frequencies().topk(10)} over the 1,000,000 JSON lines that {@code
 * peers/dask/gen_data.py} writes to {@code /tmp/peerdata/bag}. Two Jask routes: the literal
 * pipeline ({@code readText(...).map(Json::parse)}, every field built) and the projected read
 * ({@code readJson(glob, fields("name", "active"))}, Jackson's streaming parser skips the other
 * fields). Every run's top 10 is checked against a plain single-threaded Java computation.
 *
 * <p>Command: {@code java $(cat benchmarks/target/jvm.flags) -cp benchmarks/target/jask-benchmarks.jar
 * io.jask.benchmarks.Runner b1}
 */
final class B1Bag implements Workload {
  static final String BENCH = "bag";
  static final String GLOB = "/tmp/peerdata/bag/*.json";

  @Override
  public String description() {
    return "B1: read_text(bag/*.json) -> parse -> filter(active) -> pluck(name) -> frequencies -> topk(10)";
  }

  @Override
  public void run(Settings s) throws Exception {
    if (!Files.isDirectory(Path.of("/tmp/peerdata/bag"))) {
      throw new IllegalStateException("no /tmp/peerdata/bag: run shared/peers/dask/gen_data.py first");
    }
    List<String> expected = new ArrayList<>();
    List<Double> plain = Stats.repeat(1, 3, B1Bag::plainJava, top -> expected.add(top.toString()));
    Result.of(BENCH, "plain_java_single_thread").runs(plain).put("top10", expected.get(0))
        .put("api", "BufferedReader lines, Json.parse, HashMap counts").print();
    String check = expected.get(0);
    for (String sched : List.of("threads", "sync", "processes")) {
      try (Config.Scope c = Config.set("scheduler", sched)) {
        List<Double> runs = Stats.repeat(s.warmup(), s.runs(), B1Bag::textPipeline,
            top -> Stats.check(sorted(top).equals(check), "B1 top10 " + top));
        Result.of(BENCH, "read_text_map_parse_" + sched).runs(runs)
            .put("api", "Bag.readText(glob).map(Json::parse).filter(active).pluck(name).frequencies().topk(10)").print();
        runs = Stats.repeat(s.warmup(), s.runs(), B1Bag::projectedPipeline,
            top -> Stats.check(sorted(top).equals(check), "B1 projected top10 " + top));
        Result.of(BENCH, "read_json_projected_" + sched).runs(runs)
            .put("api", "Bag.readJson(glob, fields(name, active)).filter(active).pluck(name).frequencies().topk(10)")
            .print();
      }
    }
  }

  static List<Map.Entry<Object, Long>> textPipeline() {
    return Bag.readText(GLOB).map(Json::parse).filter(r -> (Boolean) r.get("active")).pluck("name")
        .frequencies().topk(10, Map.Entry::getValue).compute();
  }

  static List<Map.Entry<Object, Long>> projectedPipeline() {
    return Bag.readJson(GLOB, JsonOptions.defaults().fields("name", "active")).filter(r -> (Boolean) r.get("active"))
        .pluck("name").frequencies().topk(10, Map.Entry::getValue).compute();
  }

  /** The same computation without Jask: one thread, one file after the other. */
  static List<Map.Entry<Object, Long>> plainJava() throws Exception {
    Map<Object, Long> counts = new HashMap<>();
    try (var files = Files.list(Path.of("/tmp/peerdata/bag"))) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
          String line;
          while ((line = r.readLine()) != null) {
            Map<String, Object> m = Json.parse(line);
            if ((Boolean) m.get("active")) {
              counts.merge(m.get("name"), 1L, Long::sum);
            }
          }
        }
      }
    }
    List<Map.Entry<Object, Long>> all = new ArrayList<>(counts.entrySet());
    all.sort(Map.Entry.<Object, Long>comparingByValue().reversed());
    return sortedList(all.subList(0, 10));
  }

  private static String sorted(List<Map.Entry<Object, Long>> top) {
    return sortedList(top).toString();
  }

  private static List<Map.Entry<Object, Long>> sortedList(List<Map.Entry<Object, Long>> top) {
    List<Map.Entry<Object, Long>> s = new ArrayList<>();
    for (Map.Entry<Object, Long> e : top) {
      s.add(Map.entry(e.getKey(), e.getValue()));
    }
    s.sort(Map.Entry.comparingByKey((a, b) -> a.toString().compareTo(b.toString())));
    return s;
  }
}
