package io.jask.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nanny: a worker process whose resident memory passes {@code terminate} (0.95) of its limit
 * is killed and started again under the same name, and the task it was running is rescheduled
 * onto the new process; the dead process's spill directory is deleted.
 */
class NannyRestartIT {

  @TempDir Path tmp;

  /**
   * The first time (no marker file yet), holds about 300 MiB outside and inside the heap until the
   * nanny kills the process; on the restarted worker, answers 42.
   */
  static int hog(String marker) throws Exception {
    Path m = Path.of(marker);
    if (Files.exists(m)) {
      return 42;
    }
    Files.writeString(m, Long.toString(ProcessHandle.current().pid()));
    List<Object> held = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) { // 12 x 10 MiB direct, touched
      ByteBuffer b = ByteBuffer.allocateDirect(10 << 20);
      while (b.hasRemaining()) {
        b.put((byte) 1);
      }
      held.add(b);
    }
    for (int i = 0; i < 10; i++) { // 10 x 10 MiB heap
      byte[] a = new byte[10 << 20];
      java.util.Arrays.fill(a, (byte) 1);
      held.add(a);
    }
    Thread.sleep(TimeUnit.MINUTES.toMillis(2)); // killed before this ends
    return held.size();
  }

  @Test
  void workerAboveTerminate_isRestarted_andItsTaskRescheduled() throws Exception {
    Path marker = tmp.resolve("marker");
    Path spill = Files.createDirectories(tmp.resolve("spill"));
    try (Config.Scope c = Config.set("temporary-directory", spill.toString());
         LocalCluster cluster = LocalCluster.builder().workers(1).threadsPerWorker(1).memoryLimit("256MiB").build();
         Client client = Client.connect(cluster.schedulerAddress(), false)) {
      long firstPid = cluster.workers().get(0).process().pid();
      Future<Integer> f = client.submit(NannyRestartIT::hog, marker.toString());
      assertEquals(42, f.result(3, TimeUnit.MINUTES));
      assertEquals(Long.toString(firstPid), Files.readString(marker), "the first run was on the first process");
      assertEquals(1, cluster.restarts());
      LocalCluster.WorkerHandle now = cluster.workers().get(0);
      assertEquals("worker-0", now.name());
      assertNotEquals(firstPid, now.process().pid());
      assertTrue(now.process().isAlive());
      assertEquals(1, client.workers().size());
      try (Stream<Path> s = Files.list(spill)) {
        assertTrue(s.noneMatch(d -> d.getFileName().toString().startsWith("jask-spill-" + firstPid + "-")),
            "the killed worker's spill directory is deleted");
      }
    }
  }
}
