package io.jask.engine.serialize;

import java.nio.ByteBuffer;

/**
 * A codec for an {@link io.jask.engine.Parted} value whose encoding keeps each part in frames of
 * its own, so a worker can send or read one part of a spilled value from its file without reading
 * back the whole value. Frame 0 must tell where every part is ({@link #partFrames}); the frames of
 * part {@code j} are a complete encoding of that part with codec {@link PartFrames#codec()}.
 *
 * <pre>{@code
 * // frame 0: n, then each part's frame count; then each part's frames, as "arrow-table" encodes it
 * public PartFrames partFrames(ByteBuffer header, int part) {
 *   ByteBuffer h = header.duplicate();
 *   int n = h.getInt(), from = 1;
 *   for (int i = 0; i < part; i++) from += h.getInt();
 *   return new PartFrames("arrow-table", from, from + h.getInt());
 * }
 * }</pre>
 *
 * @param <T> the type of values this codec handles
 */
public interface PartedCodec<T> extends ValueCodec<T> {

  /**
   * Where part {@code part} is among the frames of an encoded value, from its first frame alone
   * (which must not be moved).
   *
   * @throws IllegalArgumentException if the value has no such part
   */
  PartFrames partFrames(ByteBuffer first, int part);

  /**
   * Part {@code part} of {@code value} encoded on its own, as its part codec would encode {@code
   * value.part(part)} (a value that builds its parts only when asked may write one straight from
   * its own storage), or null to let the engine encode {@code value.part(part)}: by default null.
   */
  default Encoded encodePart(T value, int part) {
    return null;
  }

  /**
   * Frames {@code from} (inclusive) to {@code to} (exclusive) of an encoded value hold one part,
   * encoded with codec {@code codec}.
   */
  record PartFrames(String codec, int from, int to) {
    public PartFrames {
      if (from < 1 || to < from) {
        throw new IllegalArgumentException("bad part frames [" + from + ", " + to + ")");
      }
    }
  }
}
