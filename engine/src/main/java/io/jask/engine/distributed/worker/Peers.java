package io.jask.engine.distributed.worker;

import io.jask.engine.Key;
import io.jask.engine.distributed.comm.Comms;
import io.jask.engine.distributed.comm.Connection;
import io.jask.engine.distributed.comm.HeaderCodec;
import io.jask.engine.distributed.comm.Message;
import io.jask.engine.distributed.comm.MessageHandler;
import io.jask.engine.distributed.protocol.Msg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections to other workers' data ports, one per peer, reused for every GetData to it.
 * Requests on one connection are matched to answers by request id, so several may be in flight.
 * A connection that closes fails its pending requests and is reopened by the next request.
 */
final class Peers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Peers.class);

  private final HeaderCodec codec;
  private final Executor connectExecutor;
  private final Duration connectTimeout;
  private final Duration responseTimeout;
  private final Map<String, CompletableFuture<Peer>> peers = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean closed;

  Peers(HeaderCodec codec, Executor connectExecutor, Duration connectTimeout, Duration responseTimeout) {
    this.codec = codec;
    this.connectExecutor = connectExecutor;
    this.connectTimeout = connectTimeout;
    this.responseTimeout = responseTimeout;
  }

  /**
   * Asks {@code address} for {@code keys}; completes with the DataHeader message (header and
   * value buffers), or exceptionally if the peer cannot be reached, closes, times out or answers
   * with something else.
   */
  CompletableFuture<Message> getData(String address, List<Key> keys) {
    if (closed) {
      return CompletableFuture.failedFuture(new ClosedChannelException());
    }
    long id = ids.incrementAndGet();
    return peer(address)
        .thenCompose(p -> p.request(id, new Msg.GetData(id, keys)))
        .orTimeout(connectTimeout.plus(responseTimeout).toMillis(), TimeUnit.MILLISECONDS);
  }

  private CompletableFuture<Peer> peer(String address) {
    CompletableFuture<Peer> f =
        peers.computeIfAbsent(
            address,
            a ->
                CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        return new Peer(a, Comms.connect(a, connectTimeout, codec));
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    },
                    connectExecutor));
    // A failed connect is not cached: the next request tries again.
    f.whenComplete((p, e) -> {
      if (e != null) {
        peers.remove(address, f);
      }
    });
    return f;
  }

  @Override
  public void close() {
    closed = true;
    for (CompletableFuture<Peer> f : peers.values()) {
      f.thenAccept(p -> p.connection.close());
      f.cancel(false);
    }
    peers.clear();
  }

  /** One open connection to a peer and its requests awaiting an answer. */
  private final class Peer implements MessageHandler {
    final String address;
    final Connection connection;
    final Map<Long, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();

    Peer(String address, Connection connection) {
      this.address = address;
      this.connection = connection;
      connection.setHandler(this);
      if (closed) {
        connection.close();
      }
    }

    CompletableFuture<Message> request(long id, Msg.GetData msg) {
      CompletableFuture<Message> answer = new CompletableFuture<>();
      pending.put(id, answer);
      answer.whenComplete((m, e) -> pending.remove(id));
      connection.send(Message.of(msg)).whenComplete((v, e) -> {
        if (e != null) {
          answer.completeExceptionally(e);
        }
      });
      if (!connection.isOpen()) {
        answer.completeExceptionally(new ClosedChannelException());
      }
      return answer;
    }

    @Override
    public void onMessage(Connection c, Message m) {
      CompletableFuture<Message> answer =
          m.header() instanceof Msg.DataHeader h ? pending.get(h.requestId()) : null;
      if (answer == null) {
        log.warn("Unexpected message from peer {}: {}; closing the connection", address, m.header());
        c.close();
        return;
      }
      answer.complete(m);
    }

    @Override
    public void onClose(Connection c, Throwable cause) {
      peers.computeIfPresent(
          address, (a, f) -> !f.isCompletedExceptionally() && f.getNow(null) == this ? null : f);
      IOException e = new ClosedChannelException();
      if (cause != null) {
        e.initCause(cause);
      }
      pending.values().forEach(f -> f.completeExceptionally(e));
    }
  }
}
