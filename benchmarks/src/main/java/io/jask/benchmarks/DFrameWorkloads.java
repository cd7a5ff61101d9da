package io.jask.benchmarks;

import static io.jask.dataframe.Expr.col;

import io.jask.dataframe.DFrame;
import io.jask.engine.config.Config;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * D1, D1b, D1c, D2, D3 and D5 of {@code shared/BENCHMARKS.md} on the 20 CSV files (10,000,000
 * rows: id, key, x, y) that {@code peers/dask/gen_data.py} writes to {@code /tmp/peerdata/csv}.
 * Each workload runs on the {@code threads} scheduler and checks its result against a plain
 * single-threaded Java computation over the same files (computed once per JVM, untimed), with the
 * same fingerprints as the Dask peer's {@code check} (sum of the group means; the float sums;
 * [number of keys, largest count, total]).
 *
 * <ul>
 *   <li>{@code d1}: {@code readCsv(glob).groupBy("id").mean("x")} end to end (the optimizer reads
 *       only id and x).
 *   <li>{@code d1b}: {@code readCsv(glob).persist()}, all four columns into memory.
 *   <li>{@code d1c}, {@code d2}, {@code d3}, {@code d5}: on the persisted frame (loaded once per
 *       JVM, untimed): group-by mean; filter y &gt; 0.5 and sum x; broadcast merge with the
 *       1,000-row table (id, w = NumPy {@code default_rng(3).random(1000)}, written by python3 to
 *       {@code /tmp/peerdata/small_w.csv}) and sum of x * w; {@code valueCounts("key")}.
 * </ul>
 *
 * <p>Command: {@code java $(cat benchmarks/target/jvm.flags) -cp benchmarks/target/jask-benchmarks.jar
 * io.jask.benchmarks.Runner d1 d1b d1c d2 d3 d5}
 */
final class DFrameWorkloads implements Workload {
  static final String BENCH = "dataframe";
  static final String GLOB = "/tmp/peerdata/csv/part-*.csv";
  static final Path SMALL = Path.of("/tmp/peerdata/small_w.csv");

  private static Oracle oracle;
  private static DFrame loaded;

  private final String which;

  DFrameWorkloads(String which) {
    this.which = which;
  }

  @Override
  public String description() {
    return switch (which) {
      case "d1" -> "D1: readCsv(csv/*.csv).groupBy(id).mean(x), end to end";
      case "d1b" -> "D1b: readCsv(csv/*.csv).persist(), all columns";
      case "d1c" -> "D1c: persisted frame: groupBy(id).mean(x)";
      case "d2" -> "D2: persisted frame: filter(y > 0.5).sum(x)";
      case "d3" -> "D3: persisted frame: merge(1,000-row table on id), sum of x * w";
      default -> "D5: persisted frame: valueCounts(key)";
    };
  }

  /** The check values, from one plain single-threaded pass over the files. */
  record Oracle(double meanSum, double filterSum, double mergeSum, List<Long> valueCounts, Map<Long, Double> w) {}

  @Override
  public void run(Settings s) throws Exception {
    if (!Files.isDirectory(Path.of("/tmp/peerdata/csv"))) {
      throw new IllegalStateException("no /tmp/peerdata/csv: run shared/peers/dask/gen_data.py first");
    }
    Oracle o = oracle();
    try (Config.Scope c = Config.set("scheduler", "threads")) {
      switch (which) {
        case "d1" -> {
          List<Double> cpus = new ArrayList<>();
          List<Double> runs = timed(s, cpus,
              () -> DFrame.readCsv(GLOB).groupBy("id").mean("x").compute(), t -> checkMeans(t, o));
          Result.of(BENCH, "read_groupby_threads").runs(runs).put("cpu_s_median", cpuMedian(cpus, runs.size())).put("check", round6(o.meanSum()))
              .put("api", "DFrame.readCsv(glob).groupBy(id).mean(x) (projection: id, x)").print();
        }
        case "d1b" -> {
          List<Double> runs = Stats.repeat(Math.min(1, s.warmup()), Math.min(3, s.runs()),
              () -> DFrame.readCsv(GLOB).persist(), d -> Stats.check(d.npartitions() >= 20, "partitions " + d.npartitions()));
          Result.of(BENCH, "read_csv_load_threads").runs(runs).put("api", "DFrame.readCsv(glob).persist()").print();
        }
        case "d1c" -> {
          DFrame df = loaded();
          List<Double> cpus = new ArrayList<>();
          List<Double> runs = timed(s, cpus, () -> df.groupBy("id").mean("x").compute(), t -> checkMeans(t, o));
          Result.of(BENCH, "groupby_mean_threads").runs(runs).put("cpu_s_median", cpuMedian(cpus, runs.size())).put("check", round6(o.meanSum()))
              .put("api", "persisted.groupBy(id).mean(x)").print();
        }
        case "d2" -> {
          DFrame df = loaded();
          List<Double> cpus = new ArrayList<>();
          List<Double> runs = timed(s, cpus, () -> df.filter(col("y").gt(0.5)).sum("x").compute(),
              v -> Stats.check(close(v, o.filterSum()), "D2 " + v + " vs " + o.filterSum()));
          Result.of(BENCH, "filter_sum_threads").runs(runs).put("cpu_s_median", cpuMedian(cpus, runs.size())).put("check", round6(o.filterSum()))
              .put("api", "persisted.filter(col(y).gt(0.5)).sum(x)").print();
        }
        case "d3" -> {
          DFrame df = loaded();
          DFrame small = DFrame.fromTable(smallTable(o), 1);
          List<Double> cpus = new ArrayList<>();
          List<Double> runs = timed(s, cpus,
              () -> df.merge(small, "id").withColumn("xw", col("x").mul(col("w"))).sum("xw").compute(),
              v -> Stats.check(close(v, o.mergeSum()), "D3 " + v + " vs " + o.mergeSum()));
          Result.of(BENCH, "merge_small_threads").runs(runs).put("cpu_s_median", cpuMedian(cpus, runs.size())).put("check", round6(o.mergeSum()))
              .put("api", "persisted.merge(small, id).withColumn(xw, x*w).sum(xw)").print();
        }
        default -> {
          DFrame df = loaded();
          List<Double> cpus = new ArrayList<>();
          List<Double> runs = timed(s, cpus, () -> df.valueCounts("key").compute(), t -> {
            long total = 0;
            for (long v : t.longColumn("count").asLongArray()) {
              total += v;
            }
            List<Long> got = List.of((long) t.rowCount(), t.longColumn("count").get(0), total);
            Stats.check(got.equals(o.valueCounts()), "D5 " + got + " vs " + o.valueCounts());
          });
          Result.of(BENCH, "value_counts_key_threads").runs(runs).put("cpu_s_median", cpuMedian(cpus, runs.size())).put("check", o.valueCounts().toString())
              .put("api", "persisted.valueCounts(key)").print();
        }
      }
    }
  }

  /** Process CPU seconds so far (all threads), to compare with the Dask peer's cpu_s under load. */
  static double cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9;
  }

  /**
   * Runs like {@link Stats#repeat} and adds the median process CPU seconds per timed run. Warm-up
   * goes on past {@code --warmup} runs until {@code --warmup-seconds} have passed, as the Runner
   * documents and {@link BuildThenRun} does: the first runs of a kernel include its JIT
   * compilation, whose compiler threads count in the process CPU time.
   */
  static <T> List<Double> timed(Settings s, List<Double> cpus, Stats.Timed<T> body, java.util.function.Consumer<T> check)
      throws Exception {
    long warmStart = System.nanoTime();
    for (int i = 0; i < s.warmup(); i++) {
      check.accept(body.run());
      if (s.stillWarming(i, warmStart)) {
        s = s.extendWarmup();
      }
    }
    return Stats.repeat(0, s.runs(), () -> {
      double c0 = cpu();
      T r = body.run();
      cpus.add(cpu() - c0);
      return r;
    }, check);
  }

  private static double cpuMedian(List<Double> cpus, int runs) {
    return Math.round(Stats.median(cpus.subList(cpus.size() - runs, cpus.size())) * 1000) / 1000.0;
  }

  private static synchronized DFrame loaded() {
    if (loaded == null) {
      loaded = DFrame.readCsv(GLOB).persist();
    }
    return loaded;
  }

  private static void checkMeans(Table t, Oracle o) {
    double sum = 0;
    for (double v : t.doubleColumn("x").asDoubleArray()) {
      sum += v;
    }
    Stats.check(t.rowCount() == 1000 && close(sum, o.meanSum()), "D1 sum of means " + sum + " vs " + o.meanSum());
  }

  private static boolean close(double a, double b) {
    return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
  }

  private static double round6(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  private static Table smallTable(Oracle o) {
    LongColumn id = LongColumn.create("id");
    DoubleColumn w = DoubleColumn.create("w");
    for (long i = 0; i < 1000; i++) {
      id.append(i);
      w.append(o.w().get(i));
    }
    return Table.create("small", id, w);
  }

  private static synchronized Oracle oracle() throws Exception {
    if (oracle != null) {
      return oracle;
    }
    if (!Files.exists(SMALL)) {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c",
          "import numpy as np; w = np.random.default_rng(3).random(1000); "
              + "open('" + SMALL + "', 'w').write('id,w\\n' + ''.join('%d,%r\\n' % (i, float(v)) for i, v in enumerate(w)))")
          .inheritIO().start();
      if (p.waitFor() != 0 || !Files.exists(SMALL)) {
        throw new IllegalStateException("could not write " + SMALL + " with /usr/bin/python3 and NumPy");
      }
    }
    Map<Long, Double> w = new HashMap<>();
    for (String line : Files.readAllLines(SMALL).subList(1, 1001)) {
      String[] f = line.split(",");
      w.put(Long.parseLong(f[0]), Double.parseDouble(f[1]));
    }
    double[] sums = new double[1000];
    long[] counts = new long[1000];
    double filterSum = 0;
    double mergeSum = 0;
    Map<String, Long> keys = new HashMap<>();
    List<Path> files = new ArrayList<>();
    try (var l = Files.list(Path.of("/tmp/peerdata/csv"))) {
      l.filter(p -> p.getFileName().toString().matches("part-.*\\.csv")).sorted().forEach(files::add);
    }
    for (Path f : files) {
      try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        String[] h = r.readLine().split(",");
        int ci = List.of(h).indexOf("id");
        int ck = List.of(h).indexOf("key");
        int cx = List.of(h).indexOf("x");
        int cy = List.of(h).indexOf("y");
        String line;
        while ((line = r.readLine()) != null) {
          String[] v = line.split(",");
          int id = Integer.parseInt(v[ci]);
          double x = Double.parseDouble(v[cx]);
          sums[id] += x;
          counts[id]++;
          if (Double.parseDouble(v[cy]) > 0.5) {
            filterSum += x;
          }
          Double ww = w.get((long) id);
          if (ww != null) {
            mergeSum += x * ww;
          }
          keys.merge(v[ck], 1L, Long::sum);
        }
      }
    }
    double meanSum = 0;
    for (int i = 0; i < 1000; i++) {
      meanSum += counts[i] == 0 ? 0 : sums[i] / counts[i];
    }
    long max = 0;
    long total = 0;
    for (long c : keys.values()) {
      max = Math.max(max, c);
      total += c;
    }
    oracle = new Oracle(meanSum, filterSum, mergeSum, List.of((long) keys.size(), max, total), w);
    return oracle;
  }
}
