package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.DecoderException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** TCP-only behaviour over real loopback sockets. */
@ExtendWith(NettyLeakCheck.class)
class TcpTransportIT {

  private static final HeaderCodec CODEC = JavaHeaderCodec.INSTANCE;

  /**
   * Closing a listener closes every connection it accepted, also one whose channel was still being
   * set up on its event loop when the listener closed (it used to stay open, with a handler that
   * fed a closed server: a client that reconnected to a scheduler while it closed waited on it for
   * good). Raw sockets connect and the listener closes at once, many times over; each socket must
   * read its end (after the server's handshake bytes) long before the 60 s handshake timeout.
   */
  @Test
  void close_closesEveryAcceptedConnection_evenOneStillBeingSetUp() throws Exception {
    CommOptions options = CommOptions.fromConfig().withLimits(1 << 20, 1000, Duration.ofSeconds(60));
    for (int i = 0; i < 60; i++) {
      Listener l = Comms.listen("tcp://127.0.0.1:0", c -> c.setHandler(new Recorder()), CODEC, options);
      String[] hp = l.address().substring("tcp://".length()).split(":");
      try (Socket s = new Socket(hp[0], Integer.parseInt(hp[1]))) {
        if (i % 2 == 1) {
          Thread.sleep(i % 5); // sometimes after the accept, sometimes during it
        }
        l.close();
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        try {
          while (in.read() != -1) {
            // the server's side of the handshake, until the end
          }
        } catch (java.net.SocketException reset) {
          // closed with a reset: also an end
        } catch (java.net.SocketTimeoutException stillOpen) {
          throw new AssertionError("round " + i + ": the connection stayed open after the listener closed", stillOpen);
        }
      }
    }
  }

  @Test
  void malformedFrame_closesOnlyThatConnection() throws Exception {
    LinkedBlockingQueue<Recorder> serverSides = new LinkedBlockingQueue<>();
    try (Listener l =
            Comms.listen(
                "tcp://127.0.0.1:0",
                c -> {
                  Recorder r =
                      new Recorder() {
                        @Override
                        public void onMessage(Connection conn, Message m) {
                          super.onMessage(conn, m);
                          conn.send(m);
                        }
                      };
                  c.setHandler(r);
                  serverSides.add(r);
                },
                CODEC);
        Connection good = Comms.connect(l.address(), Duration.ofSeconds(30), CODEC)) {
      Recorder goodReplies = new Recorder();
      good.setHandler(goodReplies);
      good.send(Message.of("before"));
      assertEquals("before", goodReplies.take().header());
      Recorder goodServerSide = serverSides.poll(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS);

      try (RawPeer rawPeer = new RawPeer(l.address())) {
        rawPeer.greet();
        Socket raw = rawPeer.socket;
        OutputStream out = raw.getOutputStream();
        // A plausible length, then a frame table that does not add up.
        out.write(new byte[] {0, 0, 0, 12, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0x7f, 0});
        out.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // The server closes at the bad frame table; bytes of the second write that arrive after
        // that make its kernel answer with a reset instead of an orderly end: both are a close.
        assertTrue(rawPeer.closedByPeer(), "server closed the garbage connection");
      }
      Recorder garbageServerSide = serverSides.poll(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS);
      assertInstanceOf(DecoderException.class, garbageServerSide.awaitClose());

      good.send(Message.of("after"));
      assertEquals("after", goodReplies.take().header());
      assertTrue(good.isOpen());
      assertTrue(!goodServerSide.closed.isDone());
    }
  }

  @Test
  void sendOnTheEventLoop_doesNotOvertakeWhatAnotherThreadSentBefore() throws Exception {
    try (Listener l =
            Comms.listen(
                "tcp://127.0.0.1:0",
                c -> c.setHandler(new Recorder() {
                  @Override
                  public void onMessage(Connection conn, Message m) {
                    // on the event loop: another thread sends first, then this thread
                    for (int i = 0; i < 50; i++) {
                      int n = i;
                      Thread other = new Thread(() -> conn.send(Message.of("other-" + n)));
                      other.start();
                      try {
                        other.join();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                      }
                      conn.send(Message.of("loop-" + n));
                    }
                  }
                }),
                CODEC);
        Connection c = Comms.connect(l.address(), Duration.ofSeconds(30), CODEC)) {
      Recorder replies = new Recorder();
      c.setHandler(replies);
      c.send(Message.of("go"));
      for (int i = 0; i < 50; i++) {
        assertEquals("other-" + i, replies.take().header(), "sent first, arrives first");
        assertEquals("loop-" + i, replies.take().header());
      }
    }
  }

  @Test
  void listen_portZero_reportsRealPort_andAnyHostWorks() throws Exception {
    try (Listener l = Comms.listen("tcp://0.0.0.0:0", c -> {}, CODEC)) {
      assertTrue(l.address().startsWith("tcp://0.0.0.0:"), l.address());
      String port = l.address().substring(l.address().lastIndexOf(':') + 1);
      assertTrue(Integer.parseInt(port) > 0);
      try (Connection c =
          Comms.connect("tcp://127.0.0.1:" + port, Duration.ofSeconds(30), CODEC)) {
        assertTrue(c.isOpen());
      }
    }
  }

  @Test
  void send_overMaxMessageSize_failsThatSend_connectionStaysUsable() throws Exception {
    CommOptions small = new CommOptions(1024);
    LinkedBlockingQueue<Message> got = new LinkedBlockingQueue<>();
    try (Listener l =
            Comms.listen("tcp://127.0.0.1:0", c -> c.setHandler((x, m) -> got.add(m)), CODEC, small);
        Connection c = Comms.connect(l.address(), Duration.ofSeconds(30), CODEC, small)) {
      var big = c.send(Message.of("big", java.nio.ByteBuffer.allocate(4096)));
      assertTrue(
          org.junit.jupiter.api.Assertions.assertThrows(Exception.class, big::join)
              .getMessage()
              .contains("exceeds the maximum message size"));
      c.send(Message.of("small")).join();
      assertEquals("small", got.poll(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS).header());
    }
  }
}
