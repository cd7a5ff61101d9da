package io.jask.engine.distributed.worker;

import io.jask.engine.config.Config;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where workers spill: {@code TEMP/jask-spill-PID-N-NAME}, one directory per worker, under the
 * configured {@code temporary-directory} (else {@code java.io.tmpdir}). The process id in the name
 * lets a supervisor ({@code LocalCluster}) or the next worker started on the machine delete the
 * directories of worker processes that died without cleaning up (killed, crashed).
 */
public final class SpillDirs {
  private static final String PREFIX = "jask-spill-";
  private static final AtomicInteger SEQ = new AtomicInteger();

  private SpillDirs() {}

  /** The directory spill directories are made in: {@code temporary-directory} or {@code java.io.tmpdir}. */
  public static Path base() {
    return Path.of(Config.getString("temporary-directory").orElse(System.getProperty("java.io.tmpdir")));
  }

  /** The configured {@code distributed.worker.memory.terminate} fraction ({@code Infinity} when off). */
  public static double terminateFraction() {
    return MemoryManager.fraction("distributed.worker.memory.terminate", MemoryManager.Thresholds.DEFAULTS.terminate());
  }

  /** A fresh spill directory path (not created) for a worker of this process called {@code name}. */
  static Path forWorker(Path base, String name) {
    String safe = name.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (safe.length() > 40) {
      safe = safe.substring(0, 40);
    }
    return base.resolve(PREFIX + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + "-" + safe);
  }

  /** Deletes the spill directories under {@code base} of the worker process {@code pid}. */
  public static void deleteFor(Path base, long pid) {
    forEachSpillDir(base, (dir, owner) -> {
      if (owner == pid) {
        DataStore.deleteTree(dir);
      }
    });
  }

  /** Deletes the spill directories under {@code base} whose process is no longer running. */
  static void deleteOrphans(Path base) {
    forEachSpillDir(base, (dir, owner) -> {
      if (owner != ProcessHandle.current().pid() && ProcessHandle.of(owner).map(p -> !p.isAlive()).orElse(true)) {
        DataStore.deleteTree(dir);
      }
    });
  }

  private interface DirAction {
    void accept(Path dir, long pid);
  }

  private static void forEachSpillDir(Path base, DirAction action) {
    if (!Files.isDirectory(base)) {
      return;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, PREFIX + "*")) {
      for (Path d : dirs) {
        String rest = d.getFileName().toString().substring(PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash <= 0 || !Files.isDirectory(d)) {
          continue;
        }
        try {
          action.accept(d, Long.parseLong(rest.substring(0, dash)));
        } catch (NumberFormatException notOurs) {
          // some other file named like ours: leave it
        }
      }
    } catch (IOException e) {
      // an unreadable temporary directory: nothing to clean up here
    }
  }
}
