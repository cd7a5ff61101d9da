package io.jask.engine.distributed.worker;

import io.jask.engine.Key;
import io.jask.engine.distributed.comm.Connection;
import io.jask.engine.distributed.comm.Message;
import io.jask.engine.distributed.comm.MessageHandler;
import io.jask.engine.distributed.internal.WireValues;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.serialize.Encoded;
import io.jask.engine.serialize.Serialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's data port: answers {@code GetData} with a {@code DataHeader} and the values'
 * frames (a part key, {@link io.jask.engine.KeyPart#asKey()}, is answered with that part of the
 * value held under its key), and stores {@code PutData} values, answering {@code PutDataAck}. Encoding and decoding
 * run on the given executor, never on the connection's delivery thread, so one large value does
 * not hold up other peers. Anything else received closes that connection only.
 */
final class DataServer implements MessageHandler {

  private static final Logger log = LoggerFactory.getLogger(DataServer.class);

  private final DataStore store;
  private final Serialization serialization;
  private final Executor executor;
  private final Consumer<Map<Key, Long>> onScattered;
  private final AtomicLong getDataServed = new AtomicLong();
  private final JarLoader jars;

  /**
   * @param onScattered told the keys and sizes stored by each PutData (after they are in the store,
   *     before the ack is sent)
   */
  DataServer(DataStore store, Serialization serialization, Executor executor, Consumer<Map<Key, Long>> onScattered) {
    this(store, serialization, executor, onScattered, null);
  }

  DataServer(DataStore store, Serialization serialization, Executor executor, Consumer<Map<Key, Long>> onScattered, JarLoader jars) {
    this.jars = jars;
    this.store = store;
    this.serialization = serialization;
    this.executor = executor;
    this.onScattered = onScattered;
  }

  @Override
  public void onMessage(Connection c, Message m) {
    Runnable work;
    if (m.header() instanceof Msg.GetData g && g.keys() != null) {
      work = () -> serveGet(c, g);
    } else if (m.header() instanceof Msg.PutData p) {
      work = () -> servePut(c, p, m.buffers());
    } else if (m.header() instanceof Msg.UploadJar u && m.buffers().size() == 1) {
      work = () -> serveJar(c, u, m.buffers().get(0));
    } else {
      log.warn("Unexpected message on the data port from {}: {}; closing that connection", c.peerAddress(), describe(m.header()));
      c.close();
      return;
    }
    try {
      executor.execute(work);
    } catch (RejectedExecutionException e) {
      c.close(); // the worker is closing
    }
  }

  private void serveJar(Connection c, Msg.UploadJar u, java.nio.ByteBuffer jar) {
    String error = "";
    if (jars == null) {
      error = "this worker does not accept jars";
    } else {
      byte[] bytes = new byte[jar.remaining()];
      jar.duplicate().get(bytes);
      try {
        jars.add(u.name(), bytes);
      } catch (java.io.IOException e) {
        error = e.getMessage();
      }
    }
    c.send(Message.of(new Msg.UploadJarAck(u.requestId(), error)));
  }

  /** The number of GetData requests answered so far. */
  long getDataServed() {
    return getDataServed.get();
  }

  private void serveGet(Connection c, Msg.GetData g) {
    getDataServed.incrementAndGet();
    List<Key> found = new ArrayList<>();
    List<Encoded> values = new ArrayList<>();
    List<Key> missing = new ArrayList<>();
    for (Key k : g.keys()) {
      try {
        Optional<Encoded> e = store.getEncoded(k, serialization); // a spilled value: its file's frames
        io.jask.engine.KeyPart part = e.isEmpty() ? io.jask.engine.KeyPart.fromKey(k) : null;
        if (part != null) {
          // a part of a value held here: only that part is sent (from the spill file alone when the
          // value's codec keeps parts in frames of their own)
          e = store.getPartEncoded(part, serialization);
        }
        if (e.isEmpty()) {
          missing.add(k);
          continue;
        }
        values.add(e.get());
        found.add(k);
      } catch (RuntimeException ex) {
        log.error("Cannot encode the value of {} for {}; reporting it missing", k, c.peerAddress(), ex);
        missing.add(k);
      }
    }
    WireValues.Packed packed = WireValues.packEncoded(values);
    Msg.DataHeader header = new Msg.DataHeader(g.requestId(), found, packed.codecs(), packed.frameCounts(), missing);
    c.send(new Message(header, packed.buffers()));
  }

  private void servePut(Connection c, Msg.PutData p, List<java.nio.ByteBuffer> buffers) {
    Map<Key, Long> nbytes = new HashMap<>();
    Map<Key, Long> generations = new HashMap<>();
    try {
      if (p.keys() == null || p.codecs() == null || p.keys().size() != p.codecs().size()) {
        throw new IllegalArgumentException("keys and codecs differ in number");
      }
      List<Encoded> encoded = WireValues.unpack(p.codecs(), p.frameCounts(), buffers);
      List<Object> values = new ArrayList<>(encoded.size());
      for (Encoded e : encoded) {
        values.add(serialization.decode(e));
      }
      for (int i = 0; i < values.size(); i++) {
        long n = sizeOf(serialization, values.get(i));
        generations.put(p.keys().get(i), store.put(p.keys().get(i), values.get(i), n));
        nbytes.put(p.keys().get(i), n);
      }
    } catch (RuntimeException | OutOfMemoryError e) {
      // all or nothing: the sender gets no acknowledgement and the scheduler never hears of these
      // keys, so none of them may stay (their memory, or spill files, would until the worker closed);
      // a value put since by another thread stays
      generations.forEach(store::removeIf);
      log.warn("{} PutData from {}; closing that connection", e instanceof OutOfMemoryError ? "Out of memory storing" : "Malformed",
          c.peerAddress(), e);
      c.close();
      return;
    }
    onScattered.accept(nbytes);
    c.send(Message.of(new Msg.PutDataAck(p.requestId(), nbytes)));
  }

  /** The size estimate of a value, or 0 if its codec cannot estimate it. */
  static long sizeOf(Serialization s, Object value) {
    try {
      return s.sizeOf(value);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private static String describe(Object header) {
    return header == null ? "null" : header.getClass().getName();
  }
}
