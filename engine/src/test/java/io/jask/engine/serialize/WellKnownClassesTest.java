package io.jask.engine.serialize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Protocol messages travel with the well-known classes registered by id: they come back equal,
 * and the stream names no protocol class (the class names used to dominate small messages).
 */
class WellKnownClassesTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void messagesRoundTrip_withoutClassNames(long seed) {
    Random r = new Random(seed);
    Serialization s = Serialization.create(WellKnownClassesTest.class.getClassLoader());
    List<Msg> batch = new ArrayList<>();
    for (int i = 0; i < 1 + r.nextInt(20); i++) {
      Key k = Key.of("inc-" + Long.toHexString(r.nextLong()), r.nextInt(5));
      byte[] payload = new byte[r.nextInt(40)];
      r.nextBytes(payload);
      Msg.TaskSpec spec = new Msg.TaskSpec(k, payload, List.of(), r.nextLong(), r.nextInt(3), null, r.nextBoolean(), null);
      batch.add(new Msg.ComputeTask(spec, Map.of(), Map.of()));
      batch.add(new Msg.TaskFinished(k, r.nextInt(1000), "Long", r.nextLong(), r.nextInt(1000)));
      batch.add(new Msg.FreeKeys(new ArrayList<>(List.of(k))));
    }
    byte[] bytes = s.toBytes(new Msg.Batch(batch));
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    assertFalse(text.contains("io.jask.engine.distributed.protocol"), "a protocol class name is in the stream");
    assertFalse(text.contains("java.util"), "a collection class name is in the stream");
    Msg.Batch back = (Msg.Batch) s.fromBytes(bytes);
    assertEquals(batch.size(), back.messages().size());
    for (int i = 0; i < batch.size(); i++) {
      Msg a = batch.get(i);
      Msg b = back.messages().get(i);
      assertEquals(a.getClass(), b.getClass());
      if (a instanceof Msg.ComputeTask ca) {
        Msg.ComputeTask cb = (Msg.ComputeTask) b;
        assertEquals(ca.spec().key(), cb.spec().key());
        assertArrayEquals(ca.spec().payload(), cb.spec().payload());
        assertEquals(ca.spec().priority(), cb.spec().priority());
      } else if (a instanceof Msg.TaskFinished) {
        assertEquals(a, b);
      } else {
        assertEquals(((Msg.FreeKeys) a).keys(), ((Msg.FreeKeys) b).keys());
      }
    }
  }
}
