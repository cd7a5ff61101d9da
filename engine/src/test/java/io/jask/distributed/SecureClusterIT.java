package io.jask.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A cluster with TLS and a token, end to end (worker processes get the settings from their
 * parent), and the errors a client sees for an unreachable or unauthenticated scheduler and for a
 * task that cannot be serialized.
 */
class SecureClusterIT {

  static String pem(String name) {
    try {
      return Path.of(SecureClusterIT.class.getResource("/tls/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, Object> tlsAndToken(String token) {
    return Map.of(
        "distributed.comm.tls.cert", pem("node.pem"),
        "distributed.comm.tls.key", pem("node.key"),
        "distributed.comm.tls.ca", pem("ca.pem"),
        "distributed.comm.tls.require-client-auth", true,
        "distributed.comm.auth.token", token);
  }

  @Test
  void tlsAndToken_workerProcesses_runAJob_peersUseTls() {
    try (Config.Scope s = Config.set(tlsAndToken("0123456789")); // digits only: must stay a string
        LocalCluster cluster =
            LocalCluster.builder().workers(2).threadsPerWorker(1).memoryLimit("256MiB")
                .schedulerAddress("tls://127.0.0.1:0").build();
        Client client = Client.connect(cluster.schedulerAddress(), false)) {
      assertTrue(cluster.schedulerAddress().startsWith("tls://"), cluster.schedulerAddress());
      for (LocalCluster.WorkerHandle w : cluster.workers()) {
        assertTrue(w.address().startsWith("tls://"), w.address());
        assertTrue(w.process() != null, "a worker process");
      }
      List<Future<Long>> squares = client.map((Integer x) -> (long) x * x, IntStream.range(0, 100).boxed().toList());
      // The sum runs on one worker and fetches the other worker's squares over TLS.
      Future<Long> total = client.submit((List<Long> xs) -> xs.stream().mapToLong(Long::longValue).sum(), squares);
      assertEquals(99L * 100 * 199 / 6, total.result());
    }
  }

  @Test
  void connect_wrongToken_failsAtOnce_namingTheAddress() {
    try (Config.Scope s = Config.set("distributed.comm.auth.token", "right");
        LocalCluster cluster = LocalCluster.builder().workers(1).threadsPerWorker(1).processes(false).build()) {
      try (Config.Scope wrong = Config.set("distributed.comm.auth.token", "wrong")) {
        long t0 = System.nanoTime();
        UncheckedIOException e =
            assertThrows(UncheckedIOException.class, () -> Client.connect(cluster.schedulerAddress(), false));
        assertTrue(e.getMessage().contains(cluster.schedulerAddress()), e.getMessage());
        assertTrue(e.getMessage().contains("rejected our token"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30), "not retried until the connect timeout");
      }
      try (Config.Scope none = Config.set("distributed.comm.auth.token", null)) {
        UncheckedIOException e =
            assertThrows(UncheckedIOException.class, () -> Client.connect(cluster.schedulerAddress(), false));
        assertTrue(e.getMessage().contains("requires a token"), e.getMessage());
      }
      try (Client ok = Client.connect(cluster.schedulerAddress(), false)) {
        assertEquals(3, ok.submit((Integer x) -> x + 1, 2).result());
      }
    }
  }

  @Test
  void connect_toClosedPort_failsWithinTheConnectTimeout_namingTheAddress() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String address = "tcp://127.0.0.1:" + port;
    try (Config.Scope s = Config.set("distributed.comm.timeouts.connect", "1s")) {
      long t0 = System.nanoTime();
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Client.connect(address, false));
      assertTrue(e.getMessage().contains(address), e.getMessage());
      assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(20), "gave up after about the 1 s timeout");
    }
  }

  @Test
  void submit_taskCapturingNonSerializableObjects_namesTheirClasses() {
    try (LocalCluster cluster = LocalCluster.builder().workers(1).threadsPerWorker(1).processes(false).build();
        Client client = Client.connect(cluster.schedulerAddress(), false)) {
      Thread thread = new Thread(() -> {});
      IllegalArgumentException t =
          assertThrows(IllegalArgumentException.class, () -> client.submit((Integer x) -> x + thread.getName().length(), 1));
      assertTrue(t.getMessage().contains("java.lang.Thread"), t.getMessage());

      Function<Integer, Integer> plain = y -> y * 2; // not Serializable
      IllegalArgumentException f =
          assertThrows(IllegalArgumentException.class, () -> client.submit((Integer x) -> plain.apply(x), 1));
      assertTrue(f.getMessage().contains(plain.getClass().getName()), f.getMessage());
      assertTrue(f.getMessage().contains("java.util.function.Function"), f.getMessage());

      assertEquals(2, client.submit((Integer x) -> x + 1, 1).result(), "the client still works");
    }
  }
}
