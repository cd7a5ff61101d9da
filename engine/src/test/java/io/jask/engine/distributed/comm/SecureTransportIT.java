package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS, the token handshake and the connection limits over real loopback sockets: what gets
 * through, what is refused (and with which message), and that nothing a refused peer sends reaches
 * the header codec or the accept callback.
 */
@ExtendWith(NettyLeakCheck.class)
class SecureTransportIT {

  private static final Duration CONNECT = Duration.ofSeconds(30);

  /** Counts what reaches the codec: a refused connection must decode nothing. */
  private static final class CountingCodec implements HeaderCodec {
    final AtomicInteger decoded = new AtomicInteger();

    @Override
    public byte[] encode(Object header) {
      return JavaHeaderCodec.INSTANCE.encode(header);
    }

    @Override
    public Object decode(byte[] bytes) {
      decoded.incrementAndGet();
      return JavaHeaderCodec.INSTANCE.decode(bytes);
    }
  }

  private final CountingCodec codec = new CountingCodec();
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final LinkedBlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();
  private final int openBefore = Comms.openConnections();

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    accepted.forEach(Connection::close);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Recorder.SAFETY_SECONDS);
    while (Comms.openConnections() > openBefore && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(openBefore, Comms.openConnections(), "connections left open");
  }

  /** A listener whose connections echo every message. */
  private Listener echo(String address, CommOptions options) throws IOException {
    Listener l =
        Comms.listen(
            address,
            c -> {
              accepted.add(c);
              c.setHandler((conn, m) -> conn.send(m));
            },
            codec,
            options);
    opened.add(l);
    return l;
  }

  private Connection connect(String address, CommOptions options) throws IOException {
    Connection c = Comms.connect(address, CONNECT, codec, options);
    opened.add(c);
    return c;
  }

  private static void assertEchoes(Connection c) throws Exception {
    assertEchoes(c, 100_000);
  }

  private static void assertEchoes(Connection c, int size) throws Exception {
    Recorder r = new Recorder();
    c.setHandler(r);
    byte[] payload = new byte[size];
    new java.util.Random(7).nextBytes(payload);
    c.send(Message.of(new Op("ping", 1), ByteBuffer.wrap(payload)));
    Message back = r.take();
    assertEquals(new Op("ping", 1), back.header());
    assertEquals(ByteBuffer.wrap(payload), back.buffers().get(0));
  }

  private HandshakeException refused(String address, CommOptions options) {
    long before = System.nanoTime();
    HandshakeException e =
        assertThrows(HandshakeException.class, () -> connect(address, options));
    // Not retried until the connect timeout: a wrong key stays wrong.
    assertTrue(
        System.nanoTime() - before < CONNECT.toNanos(),
        "refused at once, not after the connect timeout");
    return e;
  }

  private void assertNothingAccepted() throws InterruptedException {
    assertEquals(null, accepted.poll(200, TimeUnit.MILLISECONDS), "accept callback ran");
    assertEquals(0, codec.decoded.get(), "bytes of a refused connection reached the codec");
  }

  // ---- TLS

  @Test
  void tls_roundTrip_reportsTlsAddresses() throws Exception {
    Listener l = echo("tls://127.0.0.1:0", TestTls.options(TestTls.node()));
    assertTrue(l.address().startsWith("tls://127.0.0.1:"), l.address());
    Connection c = connect(l.address(), TestTls.options(TestTls.anonymous()));
    assertTrue(c.peerAddress().startsWith("tls://"), c.peerAddress());
    assertEchoes(c);
    assertTrue(accepted.take().peerAddress().startsWith("tls://"));
  }

  @Test
  void tls_mutual_acceptsSignedClient_refusesClientWithoutCertificate() throws Exception {
    Listener l = echo("tls://127.0.0.1:0", TestTls.options(TestTls.mutual()));
    assertEchoes(connect(l.address(), TestTls.options(TestTls.client())));
    accepted.take();
    codec.decoded.set(0);
    HandshakeException e = refused(l.address(), TestTls.options(TestTls.anonymous()));
    assertTrue(e.getMessage().contains(l.address().substring("tls://".length())), e.getMessage());
    assertNothingAccepted();
  }

  @Test
  void tls_mutual_refusesClientSignedByAnotherCa() throws Exception {
    Listener l = echo("tls://127.0.0.1:0", TestTls.options(TestTls.mutual()));
    refused(l.address(), TestTls.options(TestTls.rogue().withTls(
        TestTls.file("rogue.pem"), TestTls.file("rogue.key"), TestTls.file("ca.pem"), false)));
    assertNothingAccepted();
  }

  @Test
  void tls_clientRefusesServerSignedByAnotherCa() throws Exception {
    Listener l = echo("tls://127.0.0.1:0", TestTls.options(TestTls.rogue()));
    HandshakeException e = refused(l.address(), TestTls.options(TestTls.anonymous()));
    assertTrue(e.getMessage().contains("TLS"), e.getMessage());
    assertNothingAccepted();
  }

  @Test
  void tls_and_plainTcp_doNotMix() throws Exception {
    Listener tls = echo("tls://127.0.0.1:0", TestTls.options(TestTls.node()));
    String plain = "tcp://" + tls.address().substring("tls://".length());
    HandshakeException toTls = refused(plain, CommOptions.DEFAULTS);
    assertTrue(toTls.getMessage().contains("connect to tls://"), toTls.getMessage());
    Listener tcp = echo("tcp://127.0.0.1:0", CommOptions.DEFAULTS);
    HandshakeException toTcp =
        refused("tls://" + tcp.address().substring("tcp://".length()), TestTls.options(TestTls.anonymous()));
    assertTrue(toTcp.getMessage().contains("plain tcp://"), toTcp.getMessage());
    assertNothingAccepted();
  }

  @Test
  void tls_badMaterial_failsWithTheKeyAndFileNamed(@TempDir Path dir) throws Exception {
    IOException noCert =
        assertThrows(IOException.class, () -> echo("tls://127.0.0.1:0", CommOptions.DEFAULTS));
    assertTrue(noCert.getMessage().contains("distributed.comm.tls.cert"), noCert.getMessage());

    Path missing = dir.resolve("missing.pem");
    IOException gone =
        assertThrows(
            IOException.class,
            () -> echo("tls://127.0.0.1:0", TestTls.options(CommSecurity.NONE.withTls(
                missing, TestTls.file("node.key"), null, false))));
    assertTrue(gone.getMessage().contains("distributed.comm.tls.cert"), gone.getMessage());
    assertTrue(gone.getMessage().contains(missing.toString()), gone.getMessage());

    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
    IOException bad =
        assertThrows(
            IOException.class,
            () -> echo("tls://127.0.0.1:0", TestTls.options(CommSecurity.NONE.withTls(
                garbage, TestTls.file("node.key"), null, false))));
    assertTrue(bad.getMessage().contains(garbage.toString()), bad.getMessage());

    IOException traditional =
        assertThrows(
            IOException.class,
            () -> echo("tls://127.0.0.1:0", TestTls.options(CommSecurity.NONE.withTls(
                TestTls.file("node.pem"), TestTls.file("node-traditional.key"), null, false))));
    assertTrue(traditional.getMessage().contains("openssl pkcs8"), traditional.getMessage());
  }

  @Test
  void requireEncryption_refusesTcpAddresses_allowsInproc() throws Exception {
    CommOptions strict = TestTls.options(TestTls.node().withRequireEncryption(true));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> echo("tcp://127.0.0.1:0", strict));
    assertTrue(e.getMessage().contains("require-encryption"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> connect("tcp://127.0.0.1:1", strict));
    Listener l = echo("tls://127.0.0.1:0", strict);
    assertEchoes(connect(l.address(), strict));
    Listener in = echo("inproc://", strict);
    assertEchoes(connect(in.address(), strict));
  }

  // ---- token

  @Test
  void token_sameOnBothEnds_connects_withAndWithoutTls() throws Exception {
    CommSecurity token = CommSecurity.NONE.withToken("s3cret-\u00e9");
    Listener l = echo("tcp://127.0.0.1:0", TestTls.options(token));
    assertEchoes(connect(l.address(), TestTls.options(token)));
    Listener t = echo("tls://127.0.0.1:0", TestTls.options(TestTls.node().withToken("s3cret-\u00e9")));
    assertEchoes(connect(t.address(), TestTls.options(TestTls.anonymous().withToken("s3cret-\u00e9"))));
  }

  @Test
  void token_wrong_isRejected_withoutReachingTheCodec() throws Exception {
    Listener l = echo("tcp://127.0.0.1:0", TestTls.options(CommSecurity.NONE.withToken("right")));
    HandshakeException e = refused(l.address(), TestTls.options(CommSecurity.NONE.withToken("wrong")));
    assertTrue(e.getMessage().contains("rejected our token"), e.getMessage());
    assertNothingAccepted();
  }

  @Test
  void token_onOneEndOnly_failsOnBothEnds_sayingWhichLacksIt() throws Exception {
    Listener server = echo("tcp://127.0.0.1:0", TestTls.options(CommSecurity.NONE.withToken("t")));
    HandshakeException noToken = refused(server.address(), CommOptions.DEFAULTS);
    assertTrue(noToken.getMessage().contains("requires a token"), noToken.getMessage());
    Listener open = echo("tcp://127.0.0.1:0", CommOptions.DEFAULTS);
    HandshakeException extra = refused(open.address(), TestTls.options(CommSecurity.NONE.withToken("t")));
    assertTrue(extra.getMessage().contains("has no token"), extra.getMessage());
    assertNothingAccepted();
  }

  @Test
  void token_rawPeerWithWrongProof_getsRejectionByte_andIsClosed() throws Exception {
    Listener l = echo("tcp://127.0.0.1:0", TestTls.options(CommSecurity.NONE.withToken("right")));
    try (RawPeer raw = new RawPeer(l.address())) {
      raw.write(RawPeer.hello(Handshake.FLAG_TOKEN));
      byte[] theirs = new byte[Handshake.HELLO];
      raw.in.readFully(theirs);
      assertEquals(Handshake.FLAG_TOKEN, theirs[5]);
      raw.write(new byte[Handshake.MAC]); // not the HMAC
      assertEquals(Handshake.REJECTED, raw.in.read());
      assertTrue(raw.closedByPeer());
    }
    assertNothingAccepted();
  }

  @Test
  void token_replayedProof_isRejected() throws Exception {
    // A proof is bound to both nonces: one captured from another connection does not open this one.
    Listener l = echo("tcp://127.0.0.1:0", TestTls.options(CommSecurity.NONE.withToken("right")));
    byte[] proofOfAnother;
    try (RawPeer raw = new RawPeer(l.address())) {
      raw.write(RawPeer.hello(Handshake.FLAG_TOKEN));
      raw.in.readFully(new byte[Handshake.HELLO]);
      proofOfAnother = new byte[Handshake.MAC];
      new java.util.Random(1).nextBytes(proofOfAnother);
      raw.write(proofOfAnother);
      assertEquals(Handshake.REJECTED, raw.in.read());
    }
    assertNothingAccepted();
  }

  @Test
  void inproc_ignoresTheToken() throws Exception {
    Listener l = echo("inproc://", TestTls.options(CommSecurity.NONE.withToken("t")));
    assertEchoes(connect(l.address(), CommOptions.DEFAULTS));
  }

  // ---- limits

  @Test
  void garbageInsteadOfGreeting_isClosed_beforeTheCodec() throws Exception {
    Listener l = echo("tcp://127.0.0.1:0", CommOptions.DEFAULTS);
    try (RawPeer raw = new RawPeer(l.address())) {
      raw.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertTrue(raw.closedByPeer());
    }
    assertNothingAccepted();
  }

  @Test
  void silentPeer_isClosedAfterTheHandshakeTimeout() throws Exception {
    CommOptions quick = CommOptions.DEFAULTS.withLimits(1 << 20, 100, Duration.ofMillis(300));
    Listener l = echo("tcp://127.0.0.1:0", quick);
    try (RawPeer raw = new RawPeer(l.address())) {
      raw.in.readFully(new byte[Handshake.HELLO]); // the server greets, then waits
      assertTrue(raw.closedByPeer());
    }
    assertNothingAccepted();
  }

  @Test
  void oversizedFrame_closesThatConnection_only() throws Exception {
    CommOptions small = CommOptions.DEFAULTS.withLimits(4096, 100, Duration.ofSeconds(10));
    Listener l = echo("tcp://127.0.0.1:0", small);
    Connection good = connect(l.address(), small);
    assertEchoes(good, 1000);
    try (RawPeer raw = new RawPeer(l.address())) {
      raw.greet();
      raw.write(ByteBuffer.allocate(4).putInt(1 << 30).array()); // announces 1 GiB, sends nothing
      assertTrue(raw.closedByPeer());
    }
    assertTrue(good.isOpen());
    assertEchoes(good, 1000);
  }

  @Test
  void peerThatDoesNotRead_isClosed_whenUnsentMessagesPassTheLimit() throws Exception {
    CommOptions limited = CommOptions.DEFAULTS.withLimits(1 << 20, 8, Duration.ofSeconds(10));
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Listener l =
        Comms.listen(
            "tcp://127.0.0.1:0",
            c -> {
              accepted.add(c);
              c.setHandler((conn, m) -> {});
              Thread sender = new Thread(() -> {
                ByteBuffer chunk = ByteBuffer.allocate(256 << 10);
                for (int i = 0; i < 100_000 && !failure.isDone(); i++) {
                  c.send(Message.of(new Op("x", i), chunk.duplicate()))
                      .whenComplete((v, e) -> {
                        if (e != null) {
                          failure.complete(e);
                        }
                      });
                }
              });
              sender.setDaemon(true);
              sender.start();
            },
            codec,
            limited);
    opened.add(l);
    try (RawPeer raw = new RawPeer(l.address())) {
      raw.greet(); // then never reads again
      Throwable e = failure.get(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS);
      assertTrue(
          String.valueOf(e.getMessage()).contains("max-pending-messages")
              || e instanceof java.nio.channels.ClosedChannelException,
          String.valueOf(e));
      Connection serverSide = accepted.take();
      serverSide.closeFuture().get(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS);
      assertFalse(serverSide.isOpen());
    }
  }

  // ---- configuration

  @Test
  void fromConfig_readsLimitsTlsAndTokenFile(@TempDir Path dir) throws Exception {
    Path tokenFile = Files.writeString(dir.resolve("token"), "  from-a-file\n");
    try (Config.Scope s =
        Config.set(
            Map.of(
                "distributed.comm.limits.max-frame-size", "2MiB",
                "distributed.comm.limits.max-pending-messages", 77,
                "distributed.comm.timeouts.handshake", "3s",
                "distributed.comm.tls.cert", TestTls.file("node.pem").toString(),
                "distributed.comm.tls.key", TestTls.file("node.key").toString(),
                "distributed.comm.tls.ca", TestTls.file("ca.pem").toString(),
                "distributed.comm.tls.require-client-auth", true,
                "distributed.comm.auth.token-file", tokenFile.toString()))) {
      CommOptions o = CommOptions.fromConfig();
      assertEquals(2 << 20, o.maxMessageSize());
      assertEquals(77, o.maxPendingMessages());
      assertEquals(Duration.ofSeconds(3), o.handshakeTimeout());
      assertEquals(TestTls.mutual().withToken("from-a-file"), o.security());
      assertFalse(o.security().toString().contains("from-a-file"), "toString hides the token");
    }
    try (Config.Scope s = Config.set(Map.of("distributed.comm.auth.token", "a", "distributed.comm.auth.token-file", "b"))) {
      assertThrows(IllegalArgumentException.class, CommOptions::fromConfig);
    }
    try (Config.Scope s = Config.set("distributed.comm.auth.token-file", dir.resolve("nope").toString())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, CommOptions::fromConfig);
      assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
  }
}
