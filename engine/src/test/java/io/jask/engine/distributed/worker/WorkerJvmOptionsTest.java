package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.distributed.internal.JvmLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The collector flags a worker process gets for its memory limit: the serial collector and C1 under
 * {@link JvmLauncher#TIGHT_MEMORY_LIMIT}, the heap-growth flags of the parallel collector otherwise
 * (also without a limit), never both; and this JVM accepts each set (a misspelt flag would keep
 * every worker from starting).
 */
class WorkerJvmOptionsTest {

  @ParameterizedTest
  @ValueSource(longs = {256L << 20, (2L << 30) - 1, 2L << 30, 3L << 30, 0})
  void collectorFlags_followTheMemoryLimit(long limit) throws Exception {
    List<String> options = Nanny.workerJvmOptions(limit);
    boolean tight = limit > 0 && limit < JvmLauncher.TIGHT_MEMORY_LIMIT;
    assertEquals(tight, options.containsAll(JvmLauncher.WORKER_LIMITED_FLAGS), options.toString());
    assertEquals(!tight, options.containsAll(JvmLauncher.WORKER_HEAP_FLAGS), options.toString());
    assertFalse(options.stream().anyMatch(o -> tight ? JvmLauncher.WORKER_HEAP_FLAGS.contains(o) : JvmLauncher.WORKER_LIMITED_FLAGS.contains(o)),
        options.toString());
    List<String> flags = new ArrayList<>(tight ? JvmLauncher.WORKER_LIMITED_FLAGS : JvmLauncher.WORKER_HEAP_FLAGS);
    assertEquals(!tight, options.contains("-XX:MaxNewSize=64m"), options.toString());
    assertEquals(!tight, options.contains("-XX:ParallelGCThreads=1"), options.toString());
    if (!tight) {
      flags.add(JvmLauncher.workerYoungFlag(1));
      flags.add(JvmLauncher.workerGcThreadsFlag(1));
    }
    assertTrue(jvmAccepts(flags), "the JVM refuses " + flags);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 8})
  void youngGenerationCap_scalesWithTheThreads(int threads) {
    List<String> options = Nanny.workerJvmOptions(3L << 30, threads);
    assertTrue(options.contains("-XX:MaxNewSize=" + 64 * threads + "m"), options.toString());
    assertFalse(Nanny.workerJvmOptions(256L << 20, threads).stream().anyMatch(o -> o.startsWith("-XX:MaxNewSize")),
        "a tight worker keeps the serial collector's own sizing");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 8, 1000})
  void collectorThreads_followTheTaskThreads_atMostTheProcessors(int threads) throws Exception {
    int expected = Math.min(threads, Runtime.getRuntime().availableProcessors());
    List<String> options = Nanny.workerJvmOptions(3L << 30, threads);
    assertTrue(options.contains("-XX:ParallelGCThreads=" + expected), options.toString());
    assertEquals(1, options.stream().filter(o -> o.startsWith("-XX:ParallelGCThreads=")).count(), options.toString());
    assertFalse(Nanny.workerJvmOptions(256L << 20, threads).stream().anyMatch(o -> o.startsWith("-XX:ParallelGCThreads")),
        "a tight worker runs the serial collector");
    if (threads == 3) {
      assertTrue(jvmAccepts(List.of("-XX:+UseParallelGC", JvmLauncher.workerGcThreadsFlag(threads))));
    }
  }

  @org.junit.jupiter.api.Test
  void mallocEnvironment_setsArenasAndAFixedMmapThreshold_unlessAlreadySet() {
    java.util.Map<String, String> env = new java.util.HashMap<>();
    JvmLauncher.workerMallocEnv(env);
    assertEquals("2", env.get("MALLOC_ARENA_MAX"));
    assertEquals("131072", env.get("MALLOC_MMAP_THRESHOLD_"));
    java.util.Map<String, String> own = new java.util.HashMap<>(java.util.Map.of("MALLOC_MMAP_THRESHOLD_", "1048576"));
    JvmLauncher.workerMallocEnv(own);
    assertEquals("1048576", own.get("MALLOC_MMAP_THRESHOLD_"), "a value the user set is kept (ArrayMemoryIT sets its own)");
    assertEquals("2", own.get("MALLOC_ARENA_MAX"));
  }

  private static boolean jvmAccepts(List<String> flags) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(flags);
    cmd.add("-version");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -version did not end");
      return p.exitValue() == 0 && !out.contains("Unrecognized");
    } finally {
      p.destroyForcibly();
    }
  }
}
