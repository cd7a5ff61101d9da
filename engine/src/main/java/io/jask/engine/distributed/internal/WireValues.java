package io.jask.engine.distributed.internal;

import io.jask.engine.serialize.Encoded;
import io.jask.engine.serialize.Serialization;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Values on the wire: each value is encoded by its codec (Kryo, Arrow IPC, raw ND4J buffers) into
 * frames that travel as the message's buffers, never inside the Kryo header. The header carries
 * the codec names and the number of frames of each value ({@code Msg.DataHeader},
 * {@code Msg.PutData}).
 */
public final class WireValues {
  private WireValues() {}

  /** Encoded values ready to send: codec names, frame counts and all frames in order. */
  public record Packed(List<String> codecs, int[] frameCounts, List<ByteBuffer> buffers) {}

  /** Encodes {@code values} in order. */
  public static Packed pack(Serialization s, List<?> values) {
    List<String> codecs = new ArrayList<>(values.size());
    int[] counts = new int[values.size()];
    List<ByteBuffer> buffers = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      Encoded e = s.encode(values.get(i));
      codecs.add(e.codec());
      counts[i] = e.frames().size();
      buffers.addAll(e.frames());
    }
    return new Packed(codecs, counts, buffers);
  }

  /** Packs already-encoded values. */
  public static Packed packEncoded(List<Encoded> values) {
    List<String> codecs = new ArrayList<>(values.size());
    int[] counts = new int[values.size()];
    List<ByteBuffer> buffers = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      codecs.add(values.get(i).codec());
      counts[i] = values.get(i).frames().size();
      buffers.addAll(values.get(i).frames());
    }
    return new Packed(codecs, counts, buffers);
  }

  /**
   * Splits received buffers back into encoded values.
   *
   * @throws IllegalArgumentException if the frame counts do not add up to the buffers received
   */
  public static List<Encoded> unpack(List<String> codecs, int[] frameCounts, List<ByteBuffer> buffers) {
    if (codecs.size() != frameCounts.length) {
      throw new IllegalArgumentException("malformed data message: " + codecs.size() + " codecs but " + frameCounts.length + " frame counts");
    }
    long total = 0;
    for (int c : frameCounts) {
      if (c < 0) {
        throw new IllegalArgumentException("malformed data message: negative frame count");
      }
      total += c;
    }
    if (total != buffers.size()) {
      throw new IllegalArgumentException("malformed data message: frame counts say " + total + " buffers, got " + buffers.size());
    }
    List<Encoded> out = new ArrayList<>(codecs.size());
    int at = 0;
    for (int i = 0; i < codecs.size(); i++) {
      out.add(new Encoded(codecs.get(i), buffers.subList(at, at + frameCounts[i])));
      at += frameCounts[i];
    }
    return out;
  }
}
