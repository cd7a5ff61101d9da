package io.jask.engine.distributed.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.jask.engine.config.Config;

/**
 * Starts child JVMs (workers of a {@code LocalCluster}, the {@code processes} pool) with this
 * JVM's class path and the one list of JVM flags: the build writes the root pom's
 * {@code jask.jvm.flags} into the resource {@code io/jask/engine/jvm.flags}; when that is not
 * filtered (e.g. run from an IDE), the flags this JVM itself was started with are used.
 */
public final class JvmLauncher {
  private JvmLauncher() {}

  /** The JVM flags every Jask JVM needs. */
  public static List<String> flags() {
    try (InputStream in = JvmLauncher.class.getResourceAsStream("/io/jask/engine/jvm.flags")) {
      if (in != null) {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!text.isEmpty() && !text.contains("${")) {
          return Arrays.asList(text.split("\\s+"));
        }
      }
    } catch (IOException ignored) {
      // fall through to this JVM's own flags
    }
    List<String> own = new ArrayList<>();
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("--enable-native-access") || a.startsWith("--sun-misc")
          || a.startsWith("-Dorg.bytedeco")) {
        own.add(a);
      }
    }
    return own;
  }

  /** The keys of the connection settings a child JVM must share with its parent. */
  public static final List<String> COMM_KEYS =
      List.of(
          "distributed.comm.auth.token",
          "distributed.comm.auth.token-file",
          "distributed.comm.tls.cert",
          "distributed.comm.tls.key",
          "distributed.comm.tls.ca",
          "distributed.comm.tls.require-client-auth",
          "distributed.comm.require-encryption",
          "distributed.comm.limits.max-frame-size",
          "distributed.comm.limits.max-pending-messages",
          "distributed.comm.timeouts.handshake");

  /**
   * Puts this JVM's token, TLS and limit settings (from any configuration layer, including {@code
   * Config.set} scopes) into a child's environment as {@code JASK_DISTRIBUTED__COMM__…} variables,
   * quoted so that a token of digits stays a string. The environment, unlike the command line, is
   * not visible to other users of the machine.
   */
  public static void passCommSecurity(Map<String, String> environment) {
    for (String key : COMM_KEYS) {
      String value = Config.getString(key, null);
      if (value != null) {
        String name = "JASK_" + key.toUpperCase(Locale.ROOT).replace(".", "__").replace('-', '_');
        environment.put(name, "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
      }
    }
  }

  /**
   * The glibc settings of a worker process, each unless already set: two malloc arenas ({@code
   * MALLOC_ARENA_MAX}; one per thread would grow its native memory) and a fixed mmap threshold of
   * 128 KiB ({@code MALLOC_MMAP_THRESHOLD_}: native buffers from that size, Arrow's for every
   * shuffle piece it encodes or decodes, are mapped and returned to the system when freed; with
   * glibc's default the threshold rises to the largest buffer freed so far, after which such
   * buffers are carved from the arenas, which keep the pages: 50–100 MiB resident per worker in a
   * 2-worker sort of 10 million rows, D4).
   */
  public static void workerMallocEnv(Map<String, String> environment) {
    environment.putIfAbsent("MALLOC_ARENA_MAX", "2");
    environment.putIfAbsent("MALLOC_MMAP_THRESHOLD_", "131072");
  }

  /**
   * Gives a child JVM the OpenBLAS kernel for this CPU: ND4J's bundled OpenBLAS (0.3.19) picks its
   * kernels when it is loaded and takes AMD CPUs with AVX-512 (Zen 4) for Haswell, whose AVX2
   * {@code dgemm} is about 1.5 times slower there (BENCHMARKS.md: {@code x @ x.T} 1.40 → 0.92 s).
   * When this JVM's environment has no {@code OPENBLAS_CORETYPE} and the CPU reports the AVX-512
   * subsets of the SkylakeX kernels ({@link #blasCoreType}), the child gets {@code
   * OPENBLAS_CORETYPE=SkylakeX}; a value set by the user (any, e.g. {@code Haswell}) is passed on
   * unchanged, and a CPU without AVX-512 gets nothing (SkylakeX kernels die there with SIGILL).
   * {@code bin/jask} does the same for the client JVM.
   */
  public static void passBlasCoreType(Map<String, String> environment) {
    if (environment.containsKey("OPENBLAS_CORETYPE")) {
      return;
    }
    String type = BLAS_CORE_TYPE;
    if (type != null) {
      environment.put("OPENBLAS_CORETYPE", type);
    }
  }

  private static final String BLAS_CORE_TYPE = blasCoreType(Path.of("/proc/cpuinfo"));

  /**
   * {@code "SkylakeX"} when the first {@code flags} line of {@code cpuinfo} lists {@code avx512f},
   * {@code avx512dq}, {@code avx512bw} and {@code avx512vl}; null otherwise or when it cannot be read.
   */
  static String blasCoreType(Path cpuinfo) {
    try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(cpuinfo, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.startsWith("flags")) {
          java.util.Set<String> flags = new java.util.HashSet<>(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
          return flags.containsAll(List.of("avx512f", "avx512dq", "avx512bw", "avx512vl")) ? "SkylakeX" : null;
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  /** The command line for {@code mainClass} with {@code args} in a child JVM of at most {@code maxHeap} bytes (0: default). */
  public static List<String> command(String mainClass, long maxHeap, List<String> args) {
    return command(mainClass, maxHeap, List.of(), args);
  }

  /** As {@link #command(String, long, List)}, with more JVM options (e.g. {@code -Djask.KEY=VALUE}) before the class. */
  public static List<String> command(String mainClass, long maxHeap, List<String> jvmOptions, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(flags());
    cmd.addAll(jvmOptions);
    if (maxHeap > 0) {
      cmd.add("-Xmx" + Math.max(64, maxHeap >> 20) + "m");
    }
    if (jvmOptions.stream().noneMatch(o -> o.startsWith("-XX:+Use") && o.endsWith("GC"))) {
      cmd.add("-XX:+UseParallelGC");
    }
    String extra = System.getenv("JASK_CHILD_JAVA_OPTS"); // e.g. a profiler for the workers
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(Arrays.asList(extra.trim().split("\\s+")));
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /**
   * JVM flags for a worker with a memory limit: the serial collector (a few MiB of collector data
   * instead of the parallel collector's per-thread structures) and the client compiler only (a
   * smaller code cache, no C2 arenas), which keep the native memory near 70 MiB.
   */
  public static final List<String> WORKER_LIMITED_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  /**
   * JVM flags for every other worker (a limit of {@link #TIGHT_MEMORY_LIMIT} or more, or none): the
   * parallel collector may spend up to a fifth of the time collecting before it grows the heap
   * (its default, 1%, grows it to well past what is live) and gives memory back when more than 40%
   * of the heap is free. A 2-worker sort of 10 million rows: peak resident memory per worker 1.6 →
   * 0.9 GB at the same CPU time.
   */
  public static final List<String> WORKER_HEAP_FLAGS =
      List.of("-XX:GCTimeRatio=4", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=40");

  /**
   * The young generation's cap per task thread of a worker with {@link #WORKER_HEAP_FLAGS} ({@link
   * #workerYoungFlag}). The parallel collector otherwise grows it to hundreds of MiB, all resident
   * after the first pass over it: a 2-worker sort of 10 million rows (D4, one thread a worker) peaked
   * at 0.73 GB per worker with the young generation uncapped (0.18–0.26 GB of it resident), at
   * 0.54–0.62 GB with 64 MiB, 0.61–0.69 GB with 128 MiB; with 64 MiB the workers ran 2.6 times as
   * many young and full collections (the shuffle's pieces and outputs then outlive one young
   * collection more often), for 0–5% more CPU time in that benchmark.
   */
  public static final long WORKER_YOUNG_BYTES_PER_THREAD = 64L << 20;

  /** {@code -XX:MaxNewSize} for a worker with {@link #WORKER_HEAP_FLAGS} and {@code threads} task threads. */
  public static String workerYoungFlag(int threads) {
    return "-XX:MaxNewSize=" + ((WORKER_YOUNG_BYTES_PER_THREAD >> 20) * Math.max(1, threads)) + "m";
  }

  /**
   * {@code -XX:ParallelGCThreads} for a worker with {@link #WORKER_HEAP_FLAGS} and {@code threads}
   * task threads: as many collector threads as task threads (at most the machine's processors).
   * Every worker JVM otherwise sizes its collector for the whole machine, so a LocalCluster of
   * several workers runs workers × processors collector threads that spin against each other and
   * the other workers' task threads: a 2-worker × 1-thread sort of 10 million rows (D4) on 2 cores
   * used 5.5 s of CPU with 2 collector threads per worker, 4.1 s with 1 (load 8).
   */
  public static String workerGcThreadsFlag(int threads) {
    return "-XX:ParallelGCThreads=" + Math.max(1, Math.min(threads, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * Below this memory limit a worker runs with {@link #WORKER_LIMITED_FLAGS}: the 30–50 MiB they save
   * matter there. Above it the worker keeps the parallel collector and the optimizing compiler, which
   * run the data kernels two to three times faster (a distributed sort of 10 million rows spent half
   * its CPU time in serial collections and C1-compiled loops).
   */
  public static final long TIGHT_MEMORY_LIMIT = 2L << 30;

  /** What a worker JVM needs outside its heap (metaspace, code, threads, I/O buffers), at least. */
  public static final long WORKER_NATIVE_RESERVE = 128L << 20;

  /**
   * The heap ({@code -Xmx}) of a worker JVM whose memory limit is {@code memoryLimit} bytes: the
   * limit minus {@link #WORKER_NATIVE_RESERVE}, at most 85% of it, at least 64 MiB; 0 (the JVM's
   * default) for no limit. So the whole process (heap plus native memory) stays under the limit.
   */
  public static long workerHeap(long memoryLimit) {
    if (memoryLimit <= 0) {
      return 0;
    }
    return Math.max(64L << 20, Math.min(memoryLimit - WORKER_NATIVE_RESERVE, (long) (memoryLimit * 0.85)));
  }

  /** The resident set size of a process from {@code /proc/PID/status}, or -1 where unavailable. */
  public static long rssBytes(long pid) {
    // read ten times a second by every worker's memory monitor: one read of the bytes and a scan
    // for the one field, no charset decoding of the whole file into lines, no regex
    byte[] status;
    try {
      status = java.nio.file.Files.readAllBytes(Path.of("/proc", Long.toString(pid), "status"));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return vmRssBytes(status);
  }

  /** The {@code VmRSS:} field of a {@code /proc/PID/status} file in bytes, or -1 without one. */
  static long vmRssBytes(byte[] status) {
    byte[] field = {'V', 'm', 'R', 'S', 'S', ':'};
    for (int line = 0; line < status.length; ) {
      boolean match = line + field.length <= status.length;
      for (int j = 0; match && j < field.length; j++) {
        match = status[line + j] == field[j];
      }
      if (match) {
        int i = line + field.length;
        while (i < status.length && (status[i] == ' ' || status[i] == '\t')) {
          i++;
        }
        long kb = 0;
        int digits = 0;
        for (; i < status.length && status[i] >= '0' && status[i] <= '9' && digits < 18; i++, digits++) {
          kb = kb * 10 + (status[i] - '0');
        }
        return digits == 0 ? -1 : kb * 1024;
      }
      while (line < status.length && status[line] != '\n') {
        line++;
      }
      line++;
    }
    return -1;
  }
}
