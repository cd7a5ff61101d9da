package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link Comms#connect}: retries, timeouts and address errors. */
@ExtendWith(NettyLeakCheck.class)
class CommsConnectIT {

  private static final HeaderCodec CODEC = JavaHeaderCodec.INSTANCE;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts a listener at {@code address} after {@code delayMillis}, on another thread. */
  private static CompletableFuture<Listener> listenLater(String address, long delayMillis) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            Thread.sleep(delayMillis);
            return Comms.listen(address, c -> {}, CODEC);
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
  }

  @Test
  void connect_retriesUntilListenerAppears_tcp() throws Exception {
    String address = "tcp://127.0.0.1:" + freePort();
    CompletableFuture<Listener> later = listenLater(address, 300);
    try (Connection c = Comms.connect(address, Duration.ofSeconds(30), CODEC)) {
      assertEquals(address, c.peerAddress());
    } finally {
      later.get(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS).close();
    }
  }

  @Test
  void connect_retriesUntilListenerAppears_inproc() throws Exception {
    String address = "inproc://connect-later";
    CompletableFuture<Listener> later = listenLater(address, 300);
    try (Connection c = Comms.connect(address, Duration.ofSeconds(30), CODEC)) {
      assertEquals(address, c.peerAddress());
    } finally {
      later.get(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS).close();
    }
  }

  @Test
  void connect_toClosedPort_failsAfterTimeout_namingTheAddress() throws Exception {
    String address = "tcp://127.0.0.1:" + freePort();
    ConnectException e =
        assertThrows(
            ConnectException.class,
            () -> Comms.connect(address, Duration.ofMillis(500), CODEC));
    assertTrue(e.getMessage().contains(address), e.getMessage());
    assertTrue(e.getMessage().contains("Timed out"), e.getMessage());
    assertNotNull(e.getCause());
  }

  @Test
  void connect_toMissingInprocListener_failsAfterTimeout_namingTheAddress() {
    ConnectException e =
        assertThrows(
            ConnectException.class,
            () -> Comms.connect("inproc://nobody-here", Duration.ofMillis(100), CODEC));
    assertTrue(e.getMessage().contains("inproc://nobody-here"), e.getMessage());
  }

  @Test
  void connect_malformedAddress_failsAtOnce() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Comms.connect("udp://127.0.0.1:1", Duration.ofSeconds(30), CODEC));
    assertThrows(
        IllegalArgumentException.class,
        () -> Comms.connect("tcp://127.0.0.1", Duration.ofSeconds(30), CODEC));
    assertThrows(
        IllegalArgumentException.class,
        () -> Comms.connect("tcp://127.0.0.1:notaport", Duration.ofSeconds(30), CODEC));
  }

  @Test
  void hostPort_parsesIpv6AndDefaults() {
    assertEquals(new Comms.HostPort("::1", 8786), Comms.HostPort.parse("tcp://[::1]:8786", false));
    assertEquals(new Comms.HostPort("0.0.0.0", 0), Comms.HostPort.parse("tcp://0.0.0.0", true));
    assertEquals(new Comms.HostPort("h", 1), Comms.HostPort.parse("tcp://h:1/", false));
  }
}
