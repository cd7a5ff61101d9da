package io.jask.engine.serialize;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * A value in transit: the name of the {@link ValueCodec} that encoded it and its frames.
 *
 * <p>The frames are the codec's own buffers, passed through untouched; read them through {@link
 * ByteBuffer#duplicate()} so that another reader sees them unchanged.
 *
 * @param codec the codec's {@link ValueCodec#name() name}, e.g. {@code "kryo"}
 * @param frames the encoded bytes, each frame from its position to its limit
 */
public record Encoded(String codec, List<ByteBuffer> frames) {

  public Encoded {
    Objects.requireNonNull(codec, "codec");
    frames = List.copyOf(frames);
  }

  /** The total number of bytes in the frames (what goes on the wire, without framing). */
  public long byteSize() {
    long n = 0;
    for (ByteBuffer f : frames) {
      n += f.remaining();
    }
    return n;
  }
}
