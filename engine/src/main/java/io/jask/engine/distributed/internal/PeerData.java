package io.jask.engine.distributed.internal;

import io.jask.engine.Key;
import io.jask.engine.distributed.comm.Comms;
import io.jask.engine.distributed.comm.Connection;
import io.jask.engine.distributed.comm.Message;
import io.jask.engine.distributed.comm.MessageHandler;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.serialize.Encoded;
import io.jask.engine.serialize.Serialization;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct data exchange with workers' data ports ({@code GetData}, {@code PutData},
 * {@code UploadJar}): one connection per worker, reused, requests matched to replies by id. Used by
 * the client to gather and scatter; workers use the same protocol between themselves.
 */
public final class PeerData implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeerData.class);

  private final KryoHeaderCodec codec;
  private final Serialization serialization;
  private final Duration timeout;
  private final Map<String, Connection> conns = new ConcurrentHashMap<>();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private volatile boolean closed;

  private record Pending(String peer, CompletableFuture<Message> reply) {}

  public PeerData(KryoHeaderCodec codec, Serialization serialization, Duration timeout) {
    this.codec = codec;
    this.serialization = serialization;
    this.timeout = timeout;
  }

  /**
   * Fetches keys from workers, one request per worker, all in flight at once. Keys a worker does
   * not hold, or whose worker cannot be reached, are absent from the result.
   */
  public Map<Key, Object> getAll(Map<String, List<Key>> byWorker) {
    Map<String, CompletableFuture<Message>> replies = new HashMap<>();
    for (Map.Entry<String, List<Key>> e : byWorker.entrySet()) {
      try {
        long rid = ids.incrementAndGet();
        replies.put(e.getKey(), request(e.getKey(), rid, Message.of(new Msg.GetData(rid, e.getValue()))));
      } catch (IOException ex) {
        log.debug("cannot reach {}: {}", e.getKey(), ex.toString());
      }
    }
    Map<Key, Object> out = new HashMap<>();
    for (Map.Entry<String, CompletableFuture<Message>> e : replies.entrySet()) {
      Message m = await(e.getKey(), e.getValue());
      if (m == null || !(m.header() instanceof Msg.DataHeader h)) {
        continue;
      }
      List<Encoded> values = WireValues.unpack(h.codecs(), h.frameCounts(), m.buffers());
      for (int i = 0; i < h.keys().size(); i++) {
        out.put(h.keys().get(i), serialization.decode(values.get(i)));
      }
    }
    return out;
  }

  /** Stores values on one worker; returns their sizes as the worker measured them. */
  public Map<Key, Long> put(String worker, List<Key> keys, List<?> values) {
    WireValues.Packed p = WireValues.pack(serialization, values);
    long rid = ids.incrementAndGet();
    try {
      Message m = await(worker, request(worker, rid, new Message(new Msg.PutData(rid, keys, p.codecs(), p.frameCounts()), p.buffers())));
      if (m != null && m.header() instanceof Msg.PutDataAck ack) {
        return ack.nbytes();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot send data to worker " + worker + ": " + e.getMessage(), e);
    }
    throw new IllegalStateException("worker " + worker + " did not acknowledge the data for " + keys);
  }

  /** Sends a jar to one worker. */
  public void uploadJar(String worker, String name, byte[] jar) {
    long rid = ids.incrementAndGet();
    try {
      Message m = await(worker, request(worker, rid, new Message(new Msg.UploadJar(rid, name), List.of(ByteBuffer.wrap(jar)))));
      if (m != null && m.header() instanceof Msg.UploadJarAck ack) {
        if (!ack.error().isEmpty()) {
          throw new IllegalStateException("worker " + worker + " rejected jar " + name + ": " + ack.error());
        }
        return;
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot send jar " + name + " to worker " + worker + ": " + e.getMessage(), e);
    }
    throw new IllegalStateException("worker " + worker + " did not acknowledge jar " + name);
  }

  private CompletableFuture<Message> request(String peer, long rid, Message m) throws IOException {
    CompletableFuture<Message> cf = new CompletableFuture<>();
    pending.put(rid, new Pending(peer, cf));
    connection(peer).send(m).whenComplete((v, e) -> {
      if (e != null) {
        cf.completeExceptionally(e);
      }
    });
    return cf;
  }

  private Message await(String peer, CompletableFuture<Message> cf) {
    try {
      return cf.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.jask.engine.JaskCancelledException("interrupted while fetching data from " + peer);
    } catch (ExecutionException | TimeoutException e) {
      log.debug("no data from {}: {}", peer, e.toString());
      return null;
    }
  }

  private Connection connection(String peer) throws IOException {
    Connection c = conns.get(peer);
    if (c != null && c.isOpen()) {
      return c;
    }
    synchronized (this) {
      c = conns.get(peer);
      if (c != null && c.isOpen()) {
        return c;
      }
      if (closed) {
        throw new IOException("closed");
      }
      Connection fresh = Comms.connect(peer, timeout, codec);
      fresh.setHandler(new MessageHandler() {
        @Override
        public void onMessage(Connection conn, Message m) {
          Object h = m.header();
          long rid = h instanceof Msg.DataHeader d ? d.requestId()
              : h instanceof Msg.PutDataAck a ? a.requestId()
              : h instanceof Msg.UploadJarAck u ? u.requestId() : -1;
          Pending p = pending.remove(rid);
          if (p != null) {
            p.reply().complete(m);
          }
        }

        @Override
        public void onClose(Connection conn, Throwable cause) {
          conns.remove(peer, conn);
          for (Map.Entry<Long, Pending> e : new ArrayList<>(pending.entrySet())) {
            if (e.getValue().peer().equals(peer) && pending.remove(e.getKey(), e.getValue())) {
              e.getValue().reply().completeExceptionally(new IOException("connection to " + peer + " closed"));
            }
          }
        }
      });
      conns.put(peer, fresh);
      return fresh;
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Connection c : conns.values()) {
      c.close();
    }
    conns.clear();
  }
}
