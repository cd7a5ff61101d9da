package io.jask.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jask.engine.distributed.server.SchedulerServer;
import io.jask.engine.distributed.worker.Worker;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scheduler goes away and a new one comes up on the same address: the client reconnects and
 * resubmits what it still wants, so a future submitted while no scheduler was there completes on
 * the new cluster. (A closing scheduler tells its workers to close, as Dask's does, so the new
 * scheduler gets a new worker.)
 */
class ClientReconnectIT {

  @Test
  void schedulerRestart_clientAndWorkerReconnect_pendingFutureCompletes() throws Exception {
    int port = freePort();
    String address = "tcp://127.0.0.1:" + port;
    SchedulerServer first = SchedulerServer.start(address);
    SchedulerServer second = null;
    try (Worker worker = Worker.start(new Worker.Options(address, "tcp://127.0.0.1:0", "w-reconnect", 1, 0, null));
         Client client = Client.connect(address, false)) {
      assertEquals(2, client.submit((Integer x) -> x + 1, 1).result(30, TimeUnit.SECONDS));
      first.close();
      Thread.sleep(200);
      Future<Integer> submittedWhileAway = client.submit((Integer x) -> x * 3, 5);
      second = SchedulerServer.start(address);
      try (Worker again = Worker.start(new Worker.Options(address, "tcp://127.0.0.1:0", "w-again", 1, 0, null))) {
        assertEquals(15, submittedWhileAway.result(60, TimeUnit.SECONDS));
        assertEquals(8, client.submit((Integer x) -> x + 1, 7).result(60, TimeUnit.SECONDS));
      }
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  /**
   * While the scheduler is away, something on its address accepts connections and resets them (the
   * old scheduler's listener while it closes does this): the client's reconnect attempts fail their
   * handshake, and it keeps trying until the new scheduler answers instead of failing its futures.
   */
  @Test
  void reconnect_retriesWhileTheAddressResetsConnections() throws Exception {
    int port = freePort();
    String address = "tcp://127.0.0.1:" + port;
    SchedulerServer first = SchedulerServer.start(address);
    SchedulerServer second = null;
    try (Worker worker = Worker.start(new Worker.Options(address, "tcp://127.0.0.1:0", "w-rude", 1, 0, null));
         Client client = Client.connect(address, false)) {
      assertEquals(2, client.submit((Integer x) -> x + 1, 1).result(30, TimeUnit.SECONDS));
      first.close();
      int resets = 0;
      try (ServerSocket rude = new ServerSocket()) {
        rude.setReuseAddress(true);
        rude.bind(new InetSocketAddress("127.0.0.1", port));
        rude.setSoTimeout(100);
        Future<Integer> submittedWhileAway = client.submit((Integer x) -> x * 3, 5);
        long until = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < until) {
          try (Socket s = rude.accept()) {
            s.setSoLinger(true, 0); // close with a reset
            resets++;
          } catch (java.net.SocketTimeoutException ignored) {
            // nobody tried in this slice
          }
        }
        rude.close();
        second = SchedulerServer.start(address);
        try (Worker again = Worker.start(new Worker.Options(address, "tcp://127.0.0.1:0", "w-polite", 1, 0, null))) {
          assertEquals(15, submittedWhileAway.result(60, TimeUnit.SECONDS));
        }
      }
      org.junit.jupiter.api.Assertions.assertTrue(resets > 0, "the client never tried the address while it reset connections");
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
