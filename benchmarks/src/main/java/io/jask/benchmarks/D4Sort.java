package io.jask.benchmarks;

import io.jask.dataframe.DFrame;
import io.jask.distributed.Client;
import io.jask.distributed.LocalCluster;
import io.jask.engine.config.Config;
import io.jask.io.DType;
import io.jask.io.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * D4 of {@code shared/BENCHMARKS.md}: on the in-memory frame of the 20 CSV files (10 million rows
 * of id, key, x, y), {@code sortValues("x")} and {@code setIndex("x")}, a full shuffle, then the
 * row count of every output partition (Dask: {@code ddf.set_index("x").map_partitions(len)}). On
 * the threads scheduler and on a LocalCluster of 2 worker processes × 1 thread. Every run checks
 * the counts sum to the frame's rows and that every partition's x lies within the divisions (and
 * is sorted); the CPU seconds all processes used per run (user + system) show the cost apart from
 * the load other programs put on the machine.
 *
 * <p>Memory, the same accounting as {@code benchmarks/results/dask_d4_sort_only.py} for Dask:
 * every process (this JVM, which also runs the scheduler, and each worker process) is read from
 * {@code /proc/PID/status}. Before a case: {@code VmRSS} of each process ({@code rss_before}: the
 * JVM, the persisted input frame and what the heap kept), and the peak of each since it started
 * ({@code peak_since_start}, the CSV load included); then the peak is reset ({@code echo 5 >
 * /proc/PID/clear_refs}) and {@code VmHWM} after the case's runs is its peak ({@code
 * peak_rss_mb}, warm-up and timed runs), summed over the processes too. {@code frame_mb} is the
 * frame's own size (Arrow IPC bytes of its partitions), the share of the input in those figures.
 * The cluster cases' figures compare with Dask's ({@code dask_d4_sort_only.py dist}, one process
 * per mode) when they run alone ({@code -Djask.bench.d4.modes=dist}): after the threads cases this
 * JVM keeps what its heap grew to for them (~0.33 GB).
 *
 * <p>Command: {@code java $(cat benchmarks/target/jvm.flags) -Xmx4g -cp
 * benchmarks/target/jask-benchmarks.jar io.jask.benchmarks.Runner d4} ({@code
 * -Djask.bench.d4.modes=threads} or {@code =dist} for one of the two; {@code
 * -Djask.bench.d4.ops=sort_values} or {@code =set_index} for one operation; {@code --warmup 2}
 * gives the cluster cases two warm-up runs, the threads cases keep one).
 */
final class D4Sort implements Workload {
  static final String BENCH = "dataframe";
  static final String GLOB = "/tmp/peerdata/csv/*.csv";
  static final Schema COUNTS = Schema.of(List.of("rows", "sorted"), List.of(DType.LONG, DType.LONG));

  @Override
  public String description() {
    return "D4: in-memory 10M rows: sortValues(x) / setIndex(x), count rows of every output partition; threads and 2-worker cluster";
  }

  @Override
  public void run(Settings s) throws Exception {
    if (!Files.isDirectory(Path.of("/tmp/peerdata/csv"))) {
      throw new IllegalStateException("no /tmp/peerdata/csv: run shared/peers/dask/gen_data.py first");
    }
    // at most one warm-up run on threads; two on the cluster, whose worker JVMs are fresh: after
    // the CSV load their first sort runs take 2.8-2.9 s, then 2.1-2.3 s (JIT, heap sizing; quiet,
    // 2026-12-07), so "--warmup 2" measures the steady state there and "--warmup 1" keeps the old one
    Settings slow = s.slowCase(1);
    Settings slowDist = s.slowCase(2);
    // -Djask.bench.d4.modes=threads or =dist runs one of the two (default both)
    String modes = System.getProperty("jask.bench.d4.modes", "threads,dist");
    if (modes.contains("threads")) {
      runThreads(slow);
    }
    if (modes.contains("dist")) {
      runDistributed(slowDist);
    }
  }

  private static void runThreads(Settings slow) throws Exception {
    try (Config.Scope c = Config.set("scheduler", "threads")) {
      DFrame df = DFrame.readCsv(GLOB).persist();
      long rows = df.count("x").compute();
      runCases("threads", df, rows, slow, List.of(ProcessHandle.current()), frameMb(df));
    }
  }

  private static void runDistributed(Settings slow) throws Exception {
    // the threads cases' frame and garbage go before the cluster cases start: otherwise this JVM
    // (which runs the scheduler) collects them concurrently during the first cluster case, on the
    // cores its workers sort on
    System.gc();
    try (LocalCluster cluster = LocalCluster.builder().workers(2).threadsPerWorker(1).memoryLimit("3GiB").build();
         Client client = Client.connect(cluster.schedulerAddress(), true);
         Config.Scope c = Config.set("scheduler", "distributed")) {
      DFrame df = DFrame.readCsv(GLOB).persist();
      long rows = df.count("x").compute();
      List<ProcessHandle> procs = new ArrayList<>();
      procs.add(ProcessHandle.current());
      for (LocalCluster.WorkerHandle w : cluster.workers()) {
        w.processHandle().ifPresent(procs::add);
      }
      runCases("dist_2x1", df, rows, slow, procs, frameMb(df));
    }
  }

  private static void runCases(String mode, DFrame df, long rows, Settings s, List<ProcessHandle> procs, double frameMb)
      throws Exception {
    // -Djask.bench.d4.ops=sort_values or =set_index runs one of the two (default both)
    String ops = System.getProperty("jask.bench.d4.ops", "sort_values,set_index");
    for (String op : List.of("sort_values", "set_index")) {
      if (!ops.contains(op)) {
        continue;
      }
      List<Double> cpu = new ArrayList<>();
      List<Long> before = new ArrayList<>();
      List<Long> sinceStart = new ArrayList<>();
      boolean reset = true;
      for (ProcessHandle p : procs) {
        before.add(statusMb(p.pid(), "VmRSS:"));
        sinceStart.add(statusMb(p.pid(), "VmHWM:"));
        reset &= resetPeak(p.pid());
      }
      List<Double> runs = Stats.repeat(s.warmup(), s.runs(), () -> {
            long c0 = cpuNanos(procs);
            Table t = counts(op.equals("sort_values") ? df.sortValues("x") : df.setIndex("x"));
            cpu.add((cpuNanos(procs) - c0) / 1e9);
            return t;
          },
          t -> {
            long sum = 0;
            for (int i = 0; i < t.rowCount(); i++) {
              sum += ((LongColumn) t.column("rows")).get(i);
              Stats.check(((LongColumn) t.column("sorted")).get(i) == 1, "D4 partition " + i + " sorted");
            }
            Stats.check(sum == rows, "D4 rows " + sum + " of " + rows);
          });
      Result r = Result.of(BENCH, "sort_by_x_" + op + "_" + mode).runs(runs).put("npartitions", df.npartitions())
          .put("api", "DFrame." + (op.equals("sort_values") ? "sortValues(\"x\")" : "setIndex(\"x\")")
              + ".mapPartitions(rows).compute()");
      List<Long> peaks = new ArrayList<>();
      for (ProcessHandle p : procs) {
        peaks.add(statusMb(p.pid(), "VmHWM:"));
      }
      List<Double> timed = new ArrayList<>(cpu.subList(Math.max(0, cpu.size() - runs.size()), cpu.size()));
      r.put("cpu_s_median_all_processes", Result.round(Stats.median(timed), 3))
          .put("processes", procs.stream().map(p -> (mode.equals("threads") || p.equals(ProcessHandle.current())
              ? "client" : "worker") + ":" + p.pid()).toList().toString())
          .put("peak_rss_mb", peaks.toString())
          .put("peak_rss_mb_all_processes", peaks.stream().mapToLong(Long::longValue).sum())
          .put("peak_reset_before_case", reset)
          .put("rss_before_mb", before.toString())
          .put("rss_before_mb_all_processes", before.stream().mapToLong(Long::longValue).sum())
          .put("peak_since_start_mb", sinceStart.toString())
          .put("frame_mb", Result.round(frameMb, 1))
          .print();
    }
  }

  /** The frame's own size: the Arrow IPC bytes of its partitions (the input's share of the memory figures). */
  static double frameMb(DFrame df) {
    Schema bytes = Schema.of(List.of("bytes"), List.of(DType.LONG));
    Table t = df.mapPartitions(p -> Table.create("b", LongColumn.create("bytes",
        new long[] {new io.jask.dataframe.internal.ArrowTableCodec().sizeOf(p)})), bytes).compute();
    return ((LongColumn) t.column("bytes")).sum() / 1048576.0;
  }

  /** Resets the process's peak resident size to its current one ({@code clear_refs} 5); false if refused. */
  static boolean resetPeak(long pid) {
    try {
      Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** The row count of every partition and whether its x is non-decreasing. */
  static Table counts(DFrame sorted) {
    return sorted.mapPartitions(t -> {
      DoubleColumn x = (DoubleColumn) t.column("x"); // read in place: asDoubleArray would copy the column
      long ok = 1;
      for (int i = 1; i < x.size(); i++) {
        if (x.getDouble(i) < x.getDouble(i - 1)) {
          ok = 0;
        }
      }
      return Table.create("n", LongColumn.create("rows", new long[] {t.rowCount()}), LongColumn.create("sorted", new long[] {ok}));
    }, COUNTS).compute();
  }

  /** CPU time used so far by the processes (user + system), from /proc/PID/stat. */
  static long cpuNanos(List<ProcessHandle> procs) {
    long ticks = 0;
    for (ProcessHandle p : procs) {
      try {
        String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      } catch (Exception e) {
        // a process that is gone adds nothing
      }
    }
    return ticks * 10_000_000L; // USER_HZ = 100
  }

  /** A {@code /proc/PID/status} field in MiB ({@code VmHWM:}, {@code VmRSS:}), -1 if unreadable. */
  static long statusMb(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }
}
