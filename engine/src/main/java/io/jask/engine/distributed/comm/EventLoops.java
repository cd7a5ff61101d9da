package io.jask.engine.distributed.comm;

import io.jask.engine.config.Config;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.LoggerFactory;

/**
 * The event loop group shared by every TCP listener and connection of this JVM, created on first
 * use: one per I/O mechanism ({@link Kind}), picked by {@value #TRANSPORT_KEY} when a listener or
 * connection opens (so a JVM normally has one). Its threads are daemons named {@code jask-comm-N};
 * their number comes from the system property {@value #THREADS_PROPERTY} (default: the number of
 * processors).
 */
final class EventLoops {

  static final String THREADS_PROPERTY = "jask.distributed.comm.threads";
  /** Configuration key: {@code auto} (default), {@code nio} or {@code epoll}. */
  static final String TRANSPORT_KEY = "distributed.comm.transport";

  /** The I/O mechanism of the group. */
  enum Kind {
    /** Java NIO selectors: every platform. */
    NIO,
    /** Netty's native Linux epoll transport: fewer system calls and less CPU per message. */
    EPOLL
  }

  private EventLoops() {}

  /** An event loop group and its channel classes. */
  record Group(EventLoopGroup loops, Kind kind) {
    /** The client channel class of this group. */
    Class<? extends SocketChannel> socketChannel() {
      return kind == Kind.EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The listening channel class of this group. */
    Class<? extends ServerChannel> serverSocketChannel() {
      return kind == Kind.EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
  }

  private static volatile boolean nioCreated;
  private static volatile boolean epollCreated;

  private static final class NioHolder {
    static final Group GROUP = create(Kind.NIO);
  }

  private static final class EpollHolder {
    static final Group GROUP = create(Kind.EPOLL);
  }

  /** The group of {@code kind}, created on first use. */
  static Group of(Kind kind) {
    if (kind == Kind.EPOLL) {
      epollCreated = true;
      return EpollHolder.GROUP;
    }
    nioCreated = true;
    return NioHolder.GROUP;
  }

  /**
   * The group {@value #TRANSPORT_KEY} asks for now: new listeners and connections use it (those
   * opened before keep theirs).
   *
   * @throws IllegalArgumentException naming the key for a bad value
   */
  static Group configured() {
    return of(kind(Config.getString(TRANSPORT_KEY, "auto")));
  }

  /**
   * The mechanism a {@value #TRANSPORT_KEY} value asks for: {@code auto} takes epoll where its
   * native library loads (Linux x86-64), else NIO.
   *
   * @throws IllegalArgumentException for another value, or {@code epoll} where it cannot load
   */
  static Kind kind(String setting) {
    String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
    switch (s) {
      case "auto":
        return Epoll.isAvailable() ? Kind.EPOLL : Kind.NIO;
      case "nio":
        return Kind.NIO;
      case "epoll":
        if (!Epoll.isAvailable()) {
          throw new IllegalArgumentException(
              TRANSPORT_KEY + " = epoll, but the native epoll transport is not available here ("
                  + Epoll.unavailabilityCause() + "); use auto or nio");
        }
        return Kind.EPOLL;
      default:
        throw new IllegalArgumentException(
            TRANSPORT_KEY + " must be auto, nio or epoll: '" + setting + "'");
    }
  }

  /** True on one of this group's threads, where blocking would deadlock the transport. */
  static boolean inEventLoop() {
    if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
      return false;
    }
    return (nioCreated && inEventLoop(NioHolder.GROUP.loops()))
        || (epollCreated && inEventLoop(EpollHolder.GROUP.loops()));
  }

  private static boolean inEventLoop(EventLoopGroup group) {
    for (EventExecutor e : group) {
      if (e.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  private static Group create(Kind kind) {
    int threads =
        Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors());
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new FastThreadLocalThread(r, "jask-comm-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    IoHandlerFactory io = kind == Kind.EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    LoggerFactory.getLogger(EventLoops.class).debug("TCP transport: {}, {} event loop threads", kind, threads);
    return new Group(new MultiThreadIoEventLoopGroup(Math.max(1, threads), factory, io), kind);
  }
}
