package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.distributed.protocol.Msg;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The worker as a separate JVM started through {@link Worker#main}, as LocalCluster starts it. */
@Timeout(180)
class WorkerProcessIT {

  private static final String READY = "jask worker listening at ";

  @TempDir Path tmp;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws InterruptedException {
    for (Process p : started) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private record Started(Process process, String address) {}

  private Started startWorker(String schedulerAddress, String name, String... extraJvmFlags) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens")) {
        cmd.add(a);
      }
    }
    cmd.addAll(List.of(extraJvmFlags));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Worker.class.getName(), schedulerAddress,
        "--nthreads", "2", "--name", name, "--memory-limit", "1GiB", "--listen", "tcp://127.0.0.1:0"));
    File stderr = tmp.resolve(name + ".err").toFile();
    Process p = new ProcessBuilder(cmd).redirectError(stderr).start();
    started.add(p);
    LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "test-worker-stdout");
    reader.setDaemon(true);
    reader.start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      String l = lines.poll(100, TimeUnit.MILLISECONDS);
      if (l != null && l.startsWith(READY)) {
        return new Started(p, l.substring(READY.length()).trim());
      }
      if (!p.isAlive() && lines.isEmpty()) {
        break;
      }
    }
    throw new AssertionError("worker did not report listening; stderr:\n" + Files.readString(stderr.toPath()));
  }

  @Test
  void process_runsTaskFromSchedulerServesResult_thenKilledProcessEnds() throws Exception {
    try (FakeScheduler scheduler = new FakeScheduler("tcp://127.0.0.1:0", 200)) {
      Started w = startWorker(scheduler.address(), "proc1");
      Msg.RegisterWorker reg = scheduler.await(Msg.RegisterWorker.class);
      assertEquals(w.address(), reg.address());
      assertEquals(w.process().pid(), reg.pid());
      assertEquals(1L << 30, reg.memoryLimit());
      assertEquals(2, reg.nthreads());

      Key key = Key.of("pid");
      scheduler.send(w.address(), WorkerTesting.compute(key, Task.of(args -> ProcessHandle.current().pid()), 0, Map.of()));
      Msg.TaskFinished f = scheduler.await(Msg.TaskFinished.class);
      assertEquals("Long", f.type());
      try (DataClient c = new DataClient(w.address())) {
        Object pid = c.get(key).get(key);
        assertEquals(w.process().pid(), pid);
        assertNotEquals(ProcessHandle.current().pid(), pid);
      }
      w.process().destroy();
      assertTrue(w.process().waitFor(60, TimeUnit.SECONDS), "worker process ended");
      assertFalse(w.process().isAlive());
    }
  }

  @Test
  void process_closeWorkerMessage_exitsWithZero() throws Exception {
    try (FakeScheduler scheduler = new FakeScheduler("tcp://127.0.0.1:0", 200)) {
      Started w = startWorker(scheduler.address(), "proc2");
      scheduler.await(Msg.RegisterWorker.class);
      scheduler.send(w.address(), new Msg.CloseWorker("done"));
      assertTrue(w.process().waitFor(60, TimeUnit.SECONDS), "worker process ended");
      assertEquals(0, w.process().exitValue());
    }
  }

  @Test
  void process_schedulerGoneLongerThanConnectTimeout_exitsWithTwo() throws Exception {
    Started w;
    try (FakeScheduler scheduler = new FakeScheduler("tcp://127.0.0.1:0", 200)) {
      w = startWorker(scheduler.address(), "proc3", "-Djask.distributed.comm.timeouts.connect=1s");
      assertNotNull(scheduler.await(Msg.RegisterWorker.class));
    }
    assertTrue(w.process().waitFor(60, TimeUnit.SECONDS), "worker process ended");
    assertEquals(Worker.EXIT_SCHEDULER_LOST, w.process().exitValue());
  }
}
