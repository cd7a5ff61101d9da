package io.jask.engine.serialize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerializationFramesTest {

  @Test
  void packUnpack_mixedFrames_roundTripWithoutMovingSources() {
    ByteBuffer heap = ByteBuffer.wrap("header".getBytes(StandardCharsets.UTF_8));
    ByteBuffer direct = ByteBuffer.allocateDirect(1000);
    for (int i = 0; i < 1000; i++) {
      direct.put((byte) i);
    }
    direct.flip();
    ByteBuffer empty = ByteBuffer.allocate(0);
    List<ByteBuffer> frames = List.of(heap, direct, empty);

    byte[] packed = Frames.pack(frames);
    assertEquals(Frames.packedSize(frames), packed.length);
    assertEquals(0, direct.position(), "pack must not consume the source");

    List<ByteBuffer> back = Frames.unpack(packed);
    assertEquals(frames, back);
  }

  @Test
  void unpack_truncated_failsClearly() {
    byte[] packed = Frames.pack(List.of(ByteBuffer.allocate(10)));
    byte[] cut = java.util.Arrays.copyOf(packed, packed.length - 3);
    assertThrows(IllegalArgumentException.class, () -> Frames.unpack(cut));
  }

  @Test
  void encodedKryoValue_packsAndDecodes() {
    Serialization s = Serialization.get();
    Encoded e = s.encode(List.of("a", "b"));
    Encoded back = new Encoded(e.codec(), Frames.unpack(Frames.pack(e.frames())));
    assertEquals(List.of("a", "b"), s.decode(back));
  }
}
