package io.jask.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.distributed.Client;
import io.jask.distributed.LocalCluster;
import io.jask.engine.distributed.internal.JvmLauncher;
import io.jask.engine.distributed.protocol.Msg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * For the memory tests (issue #8): samples the resident set size of every worker process of a
 * {@link LocalCluster} every 50 ms, and what the workers report ({@link Client#workerMemory()})
 * every half second, keeping the peaks; then checks that every worker stayed under its limit and
 * that no spill file is left under the spill root.
 *
 * <pre>{@code
 * try (MemoryWatch watch = new MemoryWatch(cluster, client)) {
 *   ... run the workload ...
 * }
 * watch.assertUnderLimit(256L << 20);
 * MemoryWatch.assertNoSpillFiles(spillRoot);
 * }</pre>
 */
public final class MemoryWatch implements AutoCloseable {
  private final Map<Long, Long> peakRss = new ConcurrentHashMap<>();
  private final Map<String, Long> peakSpilled = new ConcurrentHashMap<>();
  private final Map<String, Long> limits = new ConcurrentHashMap<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;
  /** Prints every report of the workers (set JASK_MEMORY_WATCH_VERBOSE=1), to see where memory goes. */
  private final boolean verbose = System.getenv("JASK_MEMORY_WATCH_VERBOSE") != null;

  /** Starts sampling the workers of the cluster (their processes) and what the client hears of them. */
  public MemoryWatch(LocalCluster cluster, Client client) {
    thread = new Thread(() -> {
      long n = 0;
      while (!stop.get()) {
        for (LocalCluster.WorkerHandle w : cluster.workers()) {
          if (w.process() != null) {
            long pid = w.process().pid();
            peakRss.merge(pid, Math.max(0, JvmLauncher.rssBytes(pid)), Math::max);
          }
        }
        if (n++ % 10 == 0) {
          try {
            StringBuilder line = verbose ? new StringBuilder("memory-watch") : null;
            for (Map.Entry<String, Msg.WorkerMemory> e : client.workerMemory().entrySet()) {
              peakSpilled.merge(e.getKey(), e.getValue().spilled(), Math::max);
              limits.put(e.getKey(), e.getValue().limit());
              if (line != null) {
                Msg.WorkerMemory m = e.getValue();
                line.append(String.format(" %s: managed %d unmanaged %d spilled %d MiB%s", e.getKey(), m.managed() >> 20,
                    m.unmanaged() >> 20, m.spilled() >> 20, m.paused() ? " paused" : ""));
              }
            }
            if (line != null) {
              System.out.println(line);
            }
          } catch (RuntimeException closing) {
            // the client is closing
          }
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "memory-watch");
    thread.setDaemon(true);
    thread.start();
  }

  /** The peak resident set size of each worker process seen so far, by pid. */
  public Map<Long, Long> peakRss() {
    return new TreeMap<>(peakRss);
  }

  /** The peak spilled bytes each worker reported, by worker address. */
  public Map<String, Long> peakSpilled() {
    return new TreeMap<>(peakSpilled);
  }

  /** The memory limits the workers reported, by worker address. */
  public Map<String, Long> limits() {
    return new TreeMap<>(limits);
  }

  /** The peak RSS per worker in MiB, for printing. */
  public List<Long> peakRssMiB() {
    return peakRss().values().stream().map(b -> b >> 20).toList();
  }

  /**
   * Checks that {@code workers} worker processes were seen, each with a peak RSS under the limit,
   * that each reported that limit, and that some worker spilled.
   */
  public void assertUnderLimit(int workers, long limit) {
    assertEquals(workers, peakRss.size(), "worker processes sampled: " + peakRss);
    peakRss.forEach((pid, rss) -> assertTrue(rss > 0 && rss < limit,
        "worker pid " + pid + " peak RSS " + (rss >> 20) + " MiB, limit " + (limit >> 20) + " MiB"));
    assertEquals(workers, limits.values().stream().filter(l -> l == limit).count(), "limits reported: " + limits);
    assertTrue(peakSpilled.values().stream().anyMatch(s -> s > 0), "workers reported spilled bytes: " + peakSpilled);
  }

  /** The regular files under a directory now (-1 if one vanished while counting: count again). */
  public static long files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).count();
    } catch (UncheckedIOException | NoSuchFileException deletedMeanwhile) {
      return -1;
    }
  }

  /** Checks that nothing (no spill directory, no spill file) is left under the spill root. */
  public static void assertNoSpillFiles(Path spillRoot) throws IOException {
    try (Stream<Path> s = Files.list(spillRoot)) {
      assertEquals(List.of(), s.toList(), "spill directories left behind under " + spillRoot);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join(10_000);
  }
}
