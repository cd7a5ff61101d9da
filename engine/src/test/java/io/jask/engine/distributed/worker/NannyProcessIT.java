package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.distributed.internal.JvmLauncher;
import io.jask.engine.distributed.scheduler.WorkerInfo;
import io.jask.engine.distributed.server.SchedulerServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/jask worker --nanny}: the nanny process starts the worker as its child, starts it
 * again under the same name after it is killed (deleting the dead worker's spill directory), and
 * stops it when the nanny itself is stopped.
 */
@Timeout(240)
class NannyProcessIT {

  @TempDir Path tmp;

  private static <T> T await(Supplier<Optional<T>> probe, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      Optional<T> v = probe.get();
      if (v.isPresent()) {
        return v.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out waiting for " + what);
  }

  private static Optional<WorkerInfo> worker(SchedulerServer s, long notPid) {
    return s.inspect(st -> st.workers().stream().map(a -> st.worker(a).orElseThrow())
        .filter(w -> w.pid() != notPid).findFirst());
  }

  @Test
  void killedWorker_isStartedAgain_spillDirDeleted_stoppedWithTheNanny() throws Exception {
    Path spill = Files.createDirectories(tmp.resolve("spill"));
    Process nanny = null;
    try (SchedulerServer s = SchedulerServer.start("tcp://127.0.0.1:0")) {
      List<String> cmd = JvmLauncher.command(Nanny.class.getName(), 128L << 20,
          List.of("-Djask.temporary-directory=" + spill),
          List.of(s.address(), "--nthreads", "1", "--name", "nw", "--memory-limit", "512MiB", "--listen", "tcp://127.0.0.1:0"));
      nanny = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("nanny.out").toFile()).start();
      WorkerInfo first = await(() -> worker(s, -1), "the first worker");
      assertEquals("nw", first.name());
      assertNotEquals(nanny.pid(), first.pid(), "the worker runs in a child process");
      assertEquals(512L << 20, first.memoryLimit());
      Path leftover = Files.createDirectories(spill.resolve("jask-spill-" + first.pid() + "-1-nw"));
      Files.writeString(leftover.resolve("v0.spill"), "spilled bytes");

      ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly(); // kill -9
      WorkerInfo second = await(() -> worker(s, first.pid()), "the restarted worker");
      assertEquals("nw", second.name());
      assertTrue(nanny.isAlive());
      assertFalse(Files.exists(leftover), "the killed worker's spill directory is deleted");

      nanny.destroy(); // SIGTERM: the nanny stops its worker
      assertTrue(nanny.waitFor(60, TimeUnit.SECONDS));
      ProcessHandle child = ProcessHandle.of(second.pid()).orElse(null);
      assertTrue(child == null || child.onExit().get(60, TimeUnit.SECONDS) != null);
      assertFalse(ProcessHandle.of(second.pid()).map(ProcessHandle::isAlive).orElse(false));
    } finally {
      if (nanny != null && nanny.isAlive()) {
        nanny.descendants().forEach(ProcessHandle::destroyForcibly);
        nanny.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
