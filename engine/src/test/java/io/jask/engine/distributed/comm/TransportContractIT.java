package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every transport promises, run on real TCP loopback and on inproc. TCP runs on the default
 * I/O ({@code distributed.comm.transport = auto}: native epoll on Linux x86-64) and, for an address
 * written {@code nio+tcp://…}, on Java NIO at both ends.
 */
@ExtendWith(NettyLeakCheck.class)
class TransportContractIT {

  private static final HeaderCodec CODEC = JavaHeaderCodec.INSTANCE;
  private static final Duration CONNECT = Duration.ofSeconds(30);

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final LinkedBlockingQueue<Connection> accepted = new LinkedBlockingQueue<>();

  /** {@code distributed.comm.transport = nio} while a {@code nio+tcp://} case runs, else null. */
  private io.jask.engine.config.Config.Scope transport;

  @AfterEach
  void closeEverything() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    for (Connection c : accepted) {
      c.close();
    }
    if (transport != null) {
      transport.close();
    }
  }

  /** The address to listen at; for {@code nio+tcp://…}, NIO from now to the end of the case. */
  private String transport(String address) {
    if (!address.startsWith("nio+")) {
      return address;
    }
    transport = io.jask.engine.config.Config.set(EventLoops.TRANSPORT_KEY, "nio");
    return address.substring("nio+".length());
  }

  private Listener listen(String address) throws Exception {
    Listener l = Comms.listen(transport(address), accepted::add, CODEC);
    opened.add(l);
    return l;
  }

  /** A listener whose connections send every message back. */
  private Listener echo(String address) throws Exception {
    Listener l =
        Comms.listen(
            transport(address),
            c -> {
              accepted.add(c);
              c.setHandler((conn, m) -> conn.send(m));
            },
            CODEC);
    opened.add(l);
    return l;
  }

  private Connection connect(String address) throws Exception {
    Connection c = Comms.connect(address, CONNECT, CODEC);
    if (c instanceof ChannelConnection tcp) {
      // the I/O the case asked for, at this end and (below, on accept) at the listener's
      assertEquals(expectedKind(), kindOf(tcp), "transport of " + c);
    }
    opened.add(c);
    return c;
  }

  private EventLoops.Kind expectedKind() {
    return transport != null ? EventLoops.Kind.NIO : EventLoops.kind("auto");
  }

  private static EventLoops.Kind kindOf(ChannelConnection c) {
    return c.channel() instanceof io.netty.channel.epoll.EpollSocketChannel
        ? EventLoops.Kind.EPOLL
        : EventLoops.Kind.NIO;
  }

  private Connection nextAccepted() throws InterruptedException {
    Connection c = accepted.poll(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS);
    assertTrue(c != null, "no connection accepted within the safety timeout");
    if (c instanceof ChannelConnection tcp) {
      assertEquals(expectedKind(), kindOf(tcp), "transport of " + c);
    }
    return c;
  }

  private static ByteBuffer random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return ByteBuffer.wrap(b);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1:0", "nio+tcp://127.0.0.1:0", "inproc://"})
  void roundTrip_headerAndBuffers_includingEmptyAnd50MB(String address) throws Exception {
    Listener l = echo(address);
    Connection c = connect(l.address());
    Recorder r = new Recorder();
    c.setHandler(r);
    Message sent =
        Message.of(
            new Op("put", 1),
            random(1000, 1),
            ByteBuffer.allocate(0),
            random(50 << 20, 2),
            ByteBuffer.allocateDirect(3).put(new byte[] {1, 2, 3}).flip());
    c.send(sent).get(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS);
    Message back = r.take();
    assertEquals(sent, back);
    assertEquals(4, back.buffers().size());
    assertEquals(50 << 20, back.buffers().get(2).remaining());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1:0", "nio+tcp://127.0.0.1:0", "inproc://"})
  void send_100kSmallMessages_arriveInOrder(String address) throws Exception {
    Listener l = listen(address);
    Connection c = connect(l.address());
    Recorder r = new Recorder();
    nextAccepted().setHandler(r);
    int n = 100_000;
    CompletableFuture<Void> last = null;
    for (int i = 0; i < n; i++) {
      last = c.send(Message.of(i));
    }
    last.get(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS);
    for (int i = 0; i < n; i++) {
      assertEquals(i, r.take().header());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1:0", "nio+tcp://127.0.0.1:0", "inproc://"})
  void concurrentSenders_everyMessageArrives_inOrderPerSender(String address) throws Exception {
    Listener l = listen(address);
    Connection c = connect(l.address());
    Recorder r = new Recorder();
    nextAccepted().setHandler(r);
    int senders = 8;
    int each = 5_000;
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      int sender = s;
      Thread t =
          new Thread(
              () -> {
                for (int i = 0; i < each; i++) {
                  c.send(Message.of(new Op("s" + sender, i), ByteBuffer.allocate(i % 3)));
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    int[] next = new int[senders];
    for (int k = 0; k < senders * each; k++) {
      Op op = (Op) r.take().header();
      int sender = Integer.parseInt(op.name().substring(1));
      assertEquals(next[sender]++, op.seq(), "order of sender " + sender);
    }
    for (int s = 0; s < senders; s++) {
      assertEquals(each, next[s]);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1:0", "nio+tcp://127.0.0.1:0", "inproc://"})
  void closingConnection_firesOnCloseOnBothSides_afterMessagesSentBefore(String address)
      throws Exception {
    Listener l = listen(address);
    Connection client = connect(l.address());
    Recorder clientSide = new Recorder();
    client.setHandler(clientSide);
    Connection server = nextAccepted();
    Recorder serverSide = new Recorder();
    server.setHandler(serverSide);
    client.send(Message.of("bye"));
    client.close();
    assertNull(serverSide.awaitClose());
    assertNull(clientSide.awaitClose());
    assertEquals("bye", serverSide.take().header());
    server.closeFuture().get(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS);
    assertFalse(server.isOpen());
    assertFalse(client.isOpen());
    assertTrue(client.send(Message.of("late")).isCompletedExceptionally() || !client.isOpen());
    assertEquals(1, serverSide.closeCalls);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1:0", "nio+tcp://127.0.0.1:0", "inproc://"})
  void closingListener_closesAcceptedConnections_andPeersSeeOnClose(String address)
      throws Exception {
    Listener l = listen(address);
    Connection client = connect(l.address());
    Recorder r = new Recorder();
    client.setHandler(r);
    nextAccepted();
    l.close();
    assertNull(r.awaitClose());
    assertFalse(client.isOpen());
  }

  @ParameterizedTest
  @ValueSource(strings = {"tcp://127.0.0.1:0", "nio+tcp://127.0.0.1:0", "inproc://"})
  void addresses_nameBothEnds(String address) throws Exception {
    Listener l = listen(address);
    Connection client = connect(l.address());
    Connection server = nextAccepted();
    String scheme = address.substring(address.indexOf('+') + 1, address.indexOf("://") + 3);
    assertTrue(l.address().startsWith(scheme), l.address());
    assertFalse(l.address().endsWith(":0"), l.address());
    assertEquals(client.peerAddress(), l.address());
    assertEquals(server.peerAddress(), client.localAddress());
    assertEquals(server.localAddress(), client.peerAddress());
  }
}
