package io.jask.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs end-to-end workloads by name and prints one JSON line per result on standard output
 * (progress on standard error), like the Dask peer scripts in {@code shared/peers/dask}.
 *
 * <pre>
 * mvn -Pbench package -DskipTests
 * java $(cat benchmarks/target/jvm.flags) -cp benchmarks/target/jask-benchmarks.jar \
 *     io.jask.benchmarks.Runner t1 t2                  # or --warmup 3 --runs 7, or --list
 * </pre>
 *
 * <p>Each case runs {@code --warmup} untimed times (default 3, and more until {@code
 * --warmup-seconds}, default 3, have passed, so the JIT has compiled the loop), then {@code --runs}
 * timed times (default 7); the median is reported. Cases that take seconds per run (the Delayed
 * chain's quadratic build) warm up once. A first line {@code {"bench": "env", …}} records the JVM, the cores
 * and the load.
 */
public final class Runner {
  private Runner() {}

  public static void main(String[] args) throws Exception {
    int warmup = 3;
    int runs = 7;
    double warmupSeconds = 3;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(args[++i]);
        case "--list" -> {
          Workloads.all().forEach((n, w) -> System.out.println(n + "\t" + w.get().description()));
          return;
        }
        default -> names.add(args[i].toLowerCase(java.util.Locale.ROOT));
      }
    }
    if (names.isEmpty() || runs < 1) {
      System.err.println("usage: Runner [--warmup N] [--warmup-seconds S] [--runs N (>=1)] [--list] workload... (known: "
          + String.join(", ", Workloads.all().keySet()) + ")");
      System.exit(2);
    }
    Map<String, Supplier<Workload>> all = Workloads.all();
    for (String n : names) {
      if (!all.containsKey(n)) {
        System.err.println("unknown workload " + n + "; known: " + String.join(", ", all.keySet()));
        System.exit(2);
      }
    }
    List<String> missing = JvmFlags.missingInThisJvm();
    if (!missing.isEmpty()) {
      System.err.println("warning: started without the project's JVM flags " + missing
          + " (use java $(cat benchmarks/target/jvm.flags) ...)");
    }
    Result.of("env", "jvm")
        .put("java", System.getProperty("java.vm.name") + " " + Runtime.version())
        .put("cpus", Runtime.getRuntime().availableProcessors())
        .put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20)
        .put("jvm_flags_ok", missing.isEmpty())
        .put("warmup", warmup).put("warmup_seconds", warmupSeconds).put("timed_runs", runs)
        .put("workloads", names)
        .print();
    Workload.Settings settings = new Workload.Settings(warmup, runs, warmupSeconds);
    for (String n : names) {
      System.err.printf("== %s (load %.2f)%n", n, Result.load1());
      all.get(n).get().run(settings);
    }
  }
}
