package io.jask.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.distributed.Client;
import io.jask.engine.distributed.internal.JvmLauncher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code jask scheduler} and {@code jask worker} as separate processes on loopback, the way
 * {@code bin/jask} runs them: a client connects, computes on the worker, and both processes end
 * when killed.
 */
class CommandLineIT {

  private static Process start(List<String> args, CompletableFuture<String> listening) throws Exception {
    Process p = new ProcessBuilder(JvmLauncher.command(Main.class.getName(), 256L << 20, args))
        .redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          int at = line.indexOf("listening at ");
          if (at >= 0) {
            listening.complete(line.substring(at + "listening at ".length()).trim());
          }
        }
      } catch (Exception ignored) {
        // process ended
      }
      listening.completeExceptionally(new IllegalStateException("process ended without listening"));
    });
    reader.setDaemon(true);
    reader.start();
    return p;
  }

  private static String pem(String name) {
    // The engine's committed test certificates (see engine/src/test/resources/tls/make-certs.sh).
    return java.nio.file.Path.of("..", "engine", "src", "test", "resources", "tls", name).toAbsolutePath().toString();
  }

  @Test
  void tlsAndTokenFlags_mutualTls_workerAndClientConnect(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path token = java.nio.file.Files.writeString(dir.resolve("token"), "cli-secret\n");
    List<String> tls = List.of("--tls-cert", pem("node.pem"), "--tls-key", pem("node.key"), "--tls-ca", pem("ca.pem"),
        "--token-file", token.toString());
    List<Process> started = new ArrayList<>();
    try {
      CompletableFuture<String> schedAddr = new CompletableFuture<>();
      List<String> sched = new ArrayList<>(List.of("scheduler", "--host", "127.0.0.1", "--port", "0", "--tls-require-client-auth"));
      sched.addAll(tls);
      started.add(start(sched, schedAddr));
      String address = schedAddr.get(60, TimeUnit.SECONDS);
      assertTrue(address.startsWith("tls://127.0.0.1:"), address);
      CompletableFuture<String> workerAddr = new CompletableFuture<>();
      List<String> worker = new ArrayList<>(List.of("worker", address, "--nthreads", "1", "--name", "tls-worker"));
      worker.addAll(tls);
      started.add(start(worker, workerAddr));
      assertTrue(workerAddr.get(60, TimeUnit.SECONDS).startsWith("tls://"), "the worker serves data over TLS");
      try (io.jask.engine.config.Config.Scope s = io.jask.engine.config.Config.set(java.util.Map.of(
              "distributed.comm.tls.cert", pem("client.pem"), "distributed.comm.tls.key", pem("client.key"),
              "distributed.comm.tls.ca", pem("ca.pem"), "distributed.comm.auth.token", "cli-secret"));
          Client client = Client.connect(address, false)) {
        long pid = client.submit((Integer x) -> ProcessHandle.current().pid(), 0).result();
        assertEquals(started.get(1).pid(), pid, "the task ran in the worker process");
        assertEquals(List.of(1, 2, 3), client.gather(client.map((Integer x) -> x + 1, List.of(0, 1, 2))));
      }
    } finally {
      for (Process p : started) {
        p.destroy();
      }
      for (Process p : started) {
        assertTrue(p.waitFor(20, TimeUnit.SECONDS) || p.destroyForcibly().waitFor(10, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void schedulerAndWorkerCommands_serveAClient() throws Exception {
    List<Process> started = new ArrayList<>();
    try {
      CompletableFuture<String> schedAddr = new CompletableFuture<>();
      started.add(start(List.of("scheduler", "--host", "127.0.0.1", "--port", "0"), schedAddr));
      String address = schedAddr.get(60, TimeUnit.SECONDS);
      assertTrue(address.startsWith("tcp://127.0.0.1:"), address);
      CompletableFuture<String> workerAddr = new CompletableFuture<>();
      started.add(start(List.of("worker", address, "--nthreads", "2", "--name", "cli-worker", "--listen", "tcp://127.0.0.1:0"), workerAddr));
      workerAddr.get(60, TimeUnit.SECONDS);
      try (Client client = Client.connect(address, false)) {
        long pid = client.submit((Integer x) -> ProcessHandle.current().pid(), 0).result();
        assertEquals(started.get(1).pid(), pid, "the task ran in the worker process");
      }
    } finally {
      for (Process p : started) {
        p.destroy();
      }
      for (Process p : started) {
        assertTrue(p.waitFor(20, TimeUnit.SECONDS) || p.destroyForcibly().waitFor(10, TimeUnit.SECONDS));
      }
    }
  }
}
