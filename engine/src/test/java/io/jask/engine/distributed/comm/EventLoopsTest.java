package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code distributed.comm.transport}: which I/O mechanism a setting picks, and that both carry messages. */
@ExtendWith(NettyLeakCheck.class)
class EventLoopsTest {

  @Test
  void auto_isEpollExactlyWhereItLoads() {
    assertEquals(Epoll.isAvailable() ? EventLoops.Kind.EPOLL : EventLoops.Kind.NIO, EventLoops.kind("auto"));
    assertEquals(EventLoops.kind("auto"), EventLoops.kind(null));
    assertEquals(EventLoops.kind("auto"), EventLoops.kind(" AUTO "));
  }

  @Test
  void linuxX8664_hasTheNativeTransport() {
    // the build ships the linux-x86_64 native library; on that platform it must load
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch");
    if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
      assertTrue(Epoll.isAvailable(), () -> "epoll unavailable: " + Epoll.unavailabilityCause());
    }
  }

  @Test
  void nio_andEpoll_areTakenAsAsked() {
    assertEquals(EventLoops.Kind.NIO, EventLoops.kind("nio"));
    assertEquals(EventLoops.Kind.NIO, EventLoops.kind("NIO"));
    if (Epoll.isAvailable()) {
      assertEquals(EventLoops.Kind.EPOLL, EventLoops.kind("epoll"));
    } else {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventLoops.kind("epoll"));
      assertTrue(e.getMessage().contains("distributed.comm.transport"), e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "kqueue", "io_uring", "epol", "nio,epoll"})
  void anotherValue_failsNamingTheKeyAndTheValue(String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EventLoops.kind(value));
    assertTrue(e.getMessage().contains("distributed.comm.transport"), e.getMessage());
    assertTrue(e.getMessage().contains("'" + value + "'"), e.getMessage());
  }

  @Test
  void badSetting_failsListenAndConnect_withTheKey() {
    try (Config.Scope s = Config.set(EventLoops.TRANSPORT_KEY, "bogus")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Comms.listen("tcp://127.0.0.1:0", c -> {}, JavaHeaderCodec.INSTANCE));
      assertTrue(e.getMessage().contains("distributed.comm.transport"), e.getMessage());
    }
  }

  @Test
  void groups_haveTheirOwnChannelClasses() {
    EventLoops.Group nio = EventLoops.of(EventLoops.Kind.NIO);
    assertSame(NioSocketChannel.class, nio.socketChannel());
    assertSame(NioServerSocketChannel.class, nio.serverSocketChannel());
    assertSame(nio, EventLoops.of(EventLoops.Kind.NIO));
    if (Epoll.isAvailable()) {
      EventLoops.Group epoll = EventLoops.of(EventLoops.Kind.EPOLL);
      assertSame(EpollSocketChannel.class, epoll.socketChannel());
      assertSame(EpollServerSocketChannel.class, epoll.serverSocketChannel());
    }
  }

  /** A round trip over each mechanism, with both ends on it, and the loop check on its threads. */
  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll"})
  void eachMechanism_carriesARoundTrip_andKnowsItsLoopThreads(String kind) throws Exception {
    if (kind.equals("epoll") && !Epoll.isAvailable()) {
      return; // nothing to check where epoll cannot load: kind("epoll") fails, tested above
    }
    assertFalse(EventLoops.inEventLoop());
    try (Config.Scope s = Config.set(EventLoops.TRANSPORT_KEY, kind)) {
      CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
      java.util.concurrent.LinkedBlockingQueue<Connection> accepted = new java.util.concurrent.LinkedBlockingQueue<>();
      try (Listener l =
          Comms.listen(
              "tcp://127.0.0.1:0",
              c -> {
                accepted.add(c);
                c.setHandler(
                    (conn, m) -> {
                      onLoop.complete(EventLoops.inEventLoop());
                      conn.send(Message.of(((Integer) m.header()) + 1));
                    });
              },
              JavaHeaderCodec.INSTANCE)) {
        Connection c = Comms.connect(l.address(), Duration.ofSeconds(30), JavaHeaderCodec.INSTANCE);
        try {
          Class<?> expected = kind.equals("nio") ? NioSocketChannel.class : EpollSocketChannel.class;
          assertSame(expected, ((ChannelConnection) c).channel().getClass());
          Recorder r = new Recorder();
          c.setHandler(r);
          c.send(Message.of(41)).get(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS);
          assertEquals(42, r.take().header());
          assertTrue(onLoop.get(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS), "handler not on a loop thread");
          Connection server = accepted.poll(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS);
          assertSame(expected, ((ChannelConnection) server).channel().getClass());
          server.close();
        } finally {
          c.close();
        }
      }
    }
  }
}
