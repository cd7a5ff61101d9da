package io.jask.engine.serialize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs a list of frames into one byte array and back, for places that need a single blob (the
 * {@code processes} backend's pipes, spill files).
 *
 * <p>Layout, big-endian: {@code int count}, then for each frame {@code int length} and its bytes.
 *
 * <pre>{@code
 * byte[] blob = Frames.pack(encoded.frames());
 * List<ByteBuffer> frames = Frames.unpack(blob);   // views into blob, no copy
 * }</pre>
 */
public final class Frames {

  private Frames() {}

  /** The number of bytes {@link #pack} produces for these frames. */
  public static long packedSize(List<ByteBuffer> frames) {
    long n = Integer.BYTES;
    for (ByteBuffer f : frames) {
      n += Integer.BYTES + (long) f.remaining();
    }
    return n;
  }

  /** Copies the frames (each from its position to its limit) into one length-prefixed array. */
  public static byte[] pack(List<ByteBuffer> frames) {
    long size = packedSize(frames);
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "frames of " + size + " bytes do not fit in one array; write them one by one");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.BIG_ENDIAN);
    out.putInt(frames.size());
    for (ByteBuffer f : frames) {
      out.putInt(f.remaining());
      out.put(f.duplicate());
    }
    return out.array();
  }

  /** Splits an array made by {@link #pack} into read-only views of its frames (no copy). */
  public static List<ByteBuffer> unpack(byte[] packed) {
    ByteBuffer in = ByteBuffer.wrap(packed).order(ByteOrder.BIG_ENDIAN);
    int count = in.getInt();
    if (count < 0) {
      throw new IllegalArgumentException("corrupt frames: negative count " + count);
    }
    List<ByteBuffer> frames = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int len = in.getInt();
      if (len < 0 || len > in.remaining()) {
        throw new IllegalArgumentException(
            "corrupt frames: frame " + i + " claims " + len + " bytes, " + in.remaining() + " left");
      }
      frames.add(in.slice(in.position(), len).asReadOnlyBuffer());
      in.position(in.position() + len);
    }
    return frames;
  }
}
