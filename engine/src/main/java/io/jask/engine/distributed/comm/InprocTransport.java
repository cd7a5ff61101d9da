package io.jask.engine.distributed.comm;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The {@code inproc://} transport: a registry of the listeners of this JVM, by address.
 * Connections are {@link InprocConnection} pairs whose messages are delivered, without
 * serialization, on daemon threads named {@code jask-inproc-N} of one shared cached pool.
 */
final class InprocTransport {

  static final String PREFIX = "inproc://";

  private static final Map<String, InprocListener> LISTENERS = new ConcurrentHashMap<>();
  private static final AtomicLong AUTO_NAMES = new AtomicLong();
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final ExecutorService POOL =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "jask-inproc-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
          });

  private InprocTransport() {}

  /** Listens at {@code inproc://name}, or at a fresh {@code inproc://jask-N} for {@code inproc://}. */
  static Listener listen(String address, Consumer<Connection> onAccept) throws IOException {
    String name = address.substring(PREFIX.length());
    if (name.isEmpty()) {
      name = "jask-" + AUTO_NAMES.incrementAndGet();
    }
    InprocListener l = new InprocListener(PREFIX + name, onAccept);
    if (LISTENERS.putIfAbsent(l.address, l) != null) {
      throw new BindException("inproc address already in use: " + l.address);
    }
    return l;
  }

  /** One connection attempt; {@link Comms#connect} retries. */
  static Connection connect(String address) throws IOException {
    InprocListener l = LISTENERS.get(address);
    if (l == null) {
      throw new ConnectException("no inproc listener at " + address);
    }
    return l.accept();
  }

  private static final class InprocListener implements Listener {
    final String address;
    final Consumer<Connection> onAccept;
    final AtomicInteger counter = new AtomicInteger();
    final Set<InprocConnection> accepted = ConcurrentHashMap.newKeySet();
    volatile boolean closed;

    InprocListener(String address, Consumer<Connection> onAccept) {
      this.address = address;
      this.onAccept = onAccept;
    }

    Connection accept() throws ConnectException {
      String clientAddress = address + "/" + counter.incrementAndGet();
      InprocConnection[] ends = InprocConnection.pair(clientAddress, address, POOL);
      InprocConnection server = ends[1];
      accepted.add(server);
      server.closeFuture().whenComplete((v, e) -> accepted.remove(server));
      if (closed) {
        server.close();
        throw new ConnectException("inproc listener closed: " + address);
      }
      server.runInOrder(
          () -> {
            try {
              onAccept.accept(server);
            } catch (RuntimeException e) {
              org.slf4j.LoggerFactory.getLogger(InprocTransport.class)
                  .warn("Accept callback failed for {}; closing it", server, e);
              server.close();
            }
          });
      return ends[0];
    }

    @Override
    public String address() {
      return address;
    }

    @Override
    public void close() {
      closed = true;
      LISTENERS.remove(address, this);
      accepted.forEach(InprocConnection::close);
    }

    @Override
    public String toString() {
      return "Listener[" + address + "]";
    }
  }
}
