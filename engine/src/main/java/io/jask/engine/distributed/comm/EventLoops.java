package io.jask.engine.distributed.comm;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one NIO event loop group shared by every TCP listener and connection of this JVM, created on
 * first use. Its threads are daemons named {@code jask-comm-N}; their number comes from the system
 * property {@value #THREADS_PROPERTY} (default: the number of processors).
 */
final class EventLoops {

  static final String THREADS_PROPERTY = "jask.distributed.comm.threads";

  private EventLoops() {}

  private static final class Holder {
    static final EventLoopGroup GROUP = create();
  }

  static EventLoopGroup group() {
    return Holder.GROUP;
  }

  /** True on one of this group's threads, where blocking would deadlock the transport. */
  static boolean inEventLoop() {
    if (!(Thread.currentThread() instanceof FastThreadLocalThread)) {
      return false;
    }
    for (EventExecutor e : group()) {
      if (e.inEventLoop()) {
        return true;
      }
    }
    return false;
  }

  private static EventLoopGroup create() {
    int threads =
        Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors());
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new FastThreadLocalThread(r, "jask-comm-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return new MultiThreadIoEventLoopGroup(Math.max(1, threads), factory, NioIoHandler.newFactory());
  }
}
