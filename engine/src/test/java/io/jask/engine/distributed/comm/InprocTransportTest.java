package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Inproc-only behaviour: no serialization, names. */
class InprocTransportTest {

  private static final HeaderCodec NEVER_USED =
      new HeaderCodec() {
        @Override
        public byte[] encode(Object header) {
          throw new AssertionError("inproc must not serialize");
        }

        @Override
        public Object decode(byte[] bytes) {
          throw new AssertionError("inproc must not deserialize");
        }
      };

  @Test
  void send_deliversTheSameMessageObject_withoutSerialization() throws Exception {
    LinkedBlockingQueue<Message> got = new LinkedBlockingQueue<>();
    try (Listener l = Comms.listen("inproc://", c -> c.setHandler((x, m) -> got.add(m)), NEVER_USED);
        Connection c = Comms.connect(l.address(), Duration.ofSeconds(30), NEVER_USED)) {
      Message sent = Message.of(new Object(), ByteBuffer.allocate(10));
      c.send(sent).join();
      assertSame(sent, got.poll(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS));
    }
  }

  @Test
  void listen_nameInUse_failsWithBindException() throws Exception {
    try (Listener l = Comms.listen("inproc://taken", c -> {}, NEVER_USED)) {
      assertThrows(BindException.class, () -> Comms.listen("inproc://taken", c -> {}, NEVER_USED));
    }
    // Freed on close.
    Comms.listen("inproc://taken", c -> {}, NEVER_USED).close();
  }

  @Test
  void connectionAddresses_areListenerNamePlusCounter() throws Exception {
    try (Listener l = Comms.listen("inproc://named", c -> {}, NEVER_USED);
        Connection c = Comms.connect("inproc://named", Duration.ofSeconds(30), NEVER_USED)) {
      assertTrue(c.localAddress().startsWith("inproc://named/"), c.localAddress());
    }
  }
}
