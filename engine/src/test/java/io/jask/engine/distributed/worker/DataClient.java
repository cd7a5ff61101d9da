package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jask.engine.Key;
import io.jask.engine.distributed.comm.Comms;
import io.jask.engine.distributed.comm.Connection;
import io.jask.engine.distributed.comm.Message;
import io.jask.engine.distributed.comm.MessageHandler;
import io.jask.engine.distributed.internal.KryoHeaderCodec;
import io.jask.engine.distributed.internal.WireValues;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.serialize.Encoded;
import io.jask.engine.serialize.Serialization;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A client of a worker's data port, as the Client would be: gathers and scatters values. */
final class DataClient implements AutoCloseable {

  final Connection connection;
  final LinkedBlockingQueue<Message> replies = new LinkedBlockingQueue<>();
  final CompletableFuture<Throwable> closed = new CompletableFuture<>();
  private final Serialization s = Serialization.get();
  private long ids;

  DataClient(String address) throws IOException {
    connection = Comms.connect(address, Duration.ofSeconds(10), new KryoHeaderCodec());
    connection.setHandler(
        new MessageHandler() {
          @Override
          public void onMessage(Connection c, Message m) {
            replies.add(m);
          }

          @Override
          public void onClose(Connection c, Throwable cause) {
            closed.complete(cause);
          }
        });
  }

  /** The values held for {@code keys}; keys the worker does not hold are absent from the map. */
  Map<Key, Object> get(Key... keys) throws InterruptedException {
    long id = ++ids;
    connection.send(Message.of(new Msg.GetData(id, List.of(keys))));
    Message m = take();
    Msg.DataHeader h = (Msg.DataHeader) m.header();
    List<Encoded> values = WireValues.unpack(h.codecs(), h.frameCounts(), m.buffers());
    Map<Key, Object> out = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      out.put(h.keys().get(i), s.decode(values.get(i)));
    }
    return out;
  }

  Msg.PutDataAck put(Map<Key, Object> values) throws InterruptedException {
    List<Key> keys = List.copyOf(values.keySet());
    WireValues.Packed p = WireValues.pack(s, keys.stream().map(values::get).toList());
    long id = ++ids;
    connection.send(new Message(new Msg.PutData(id, keys, p.codecs(), p.frameCounts()), p.buffers()));
    return (Msg.PutDataAck) take().header();
  }

  private Message take() throws InterruptedException {
    Message m = replies.poll(FakeScheduler.SAFETY_MILLIS, TimeUnit.MILLISECONDS);
    assertNotNull(m, "no reply within the safety timeout");
    return m;
  }

  @Override
  public void close() {
    connection.close();
  }
}
