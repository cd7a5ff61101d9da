package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link Comms#listenWithShortcut}: a connection from this JVM with equal security settings is an
 * in-JVM pair; other security settings, no shortcut asked, or a closed listener use TCP.
 */
@ExtendWith(NettyLeakCheck.class)
class InprocShortcutTest {

  private static final HeaderCodec CODEC = JavaHeaderCodec.INSTANCE;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A listener that answers every message with "echo:" + it, over whatever connection it got. */
  private static Listener echo(CommOptions options) throws Exception {
    return Comms.listenWithShortcut("tcp://127.0.0.1:0", c -> c.setHandler(new MessageHandler() {
      @Override
      public void onMessage(Connection conn, Message m) {
        conn.send(Message.of("echo:" + m.header()));
      }

      @Override
      public void onClose(Connection conn, Throwable cause) {}
    }), CODEC, options);
  }

  private static String roundTrip(Connection c, String text) throws Exception {
    CompletableFuture<Object> got = new CompletableFuture<>();
    c.setHandler(new MessageHandler() {
      @Override
      public void onMessage(Connection conn, Message m) {
        got.complete(m.header());
      }

      @Override
      public void onClose(Connection conn, Throwable cause) {}
    });
    c.send(Message.of(text));
    return (String) got.get(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void sameJvmSameSecurity_isInproc_andCarriesMessages() throws Exception {
    try (Listener l = echo(CommOptions.DEFAULTS);
         Connection c = Comms.connect(l.address(), TIMEOUT, CODEC, CommOptions.DEFAULTS, true)) {
      assertTrue(l.address().startsWith("tcp://"), l.address());
      assertTrue(c.peerAddress().startsWith("inproc://"), c.peerAddress());
      assertEquals("echo:hello", roundTrip(c, "hello"));
    }
  }

  @Test
  void otherToken_orNoShortcut_usesTcp() throws Exception {
    CommOptions token = CommOptions.DEFAULTS.withSecurity(CommSecurity.NONE.withToken("s3cret-token-for-the-test"));
    try (Listener l = echo(token)) {
      // a client without the token goes through TCP and its handshake, which refuses it
      Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
          () -> Comms.connect(l.address(), Duration.ofSeconds(2), CODEC, CommOptions.DEFAULTS, true).close());
      assertTrue(refused instanceof java.io.IOException, refused.toString());
      try (Connection c = Comms.connect(l.address(), TIMEOUT, CODEC, token, false)) {
        assertEquals(l.address(), c.peerAddress());
        assertEquals("echo:over tcp", roundTrip(c, "over tcp"));
      }
      try (Connection c = Comms.connect(l.address(), TIMEOUT, CODEC, token, true)) {
        assertTrue(c.peerAddress().startsWith("inproc://"), c.peerAddress());
        assertEquals("echo:same token", roundTrip(c, "same token"));
      }
    }
  }

  @Test
  void closedListener_hasNoShortcut() throws Exception {
    Listener l = echo(CommOptions.DEFAULTS);
    String address = l.address();
    l.close();
    org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> Comms.connect(address, Duration.ofMillis(300), CODEC, CommOptions.DEFAULTS, true).close());
  }
}
