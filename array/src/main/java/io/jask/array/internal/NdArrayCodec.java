package io.jask.array.internal;

import io.jask.engine.serialize.ValueCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Encodes ND4J arrays as two frames, registered with the engine's codec SPI as
 * {@code "nd4j-array"}: a small header (magic, dtype, rank, shape) and the raw data buffer in
 * row-major order, little-endian, so the data travels as one frame of its own and is never copied
 * through Kryo.
 *
 * <p>The data frame is a heap copy of the off-heap buffer (one {@code memcpy}): a direct view of
 * ND4J's memory would not keep the array reachable, and the array could be freed while the frame
 * is still being written to a socket. Decoding allocates an uninitialized array and copies the
 * frame in (again one {@code memcpy}). Views and transposes are made compact first.
 *
 * <pre>{@code
 * Encoded e = Serialization.get().encode(Nd4j.rand(3, 4));   // codec "nd4j-array"
 * INDArray back = (INDArray) Serialization.get().decode(e);
 * }</pre>
 */
public final class NdArrayCodec implements ValueCodec<INDArray> {
  private static final int MAGIC = 0x4A4E4431; // "JND1"

  /** Needed by {@link java.util.ServiceLoader}. */
  public NdArrayCodec() {}

  @Override
  public String name() {
    return "nd4j-array";
  }

  @Override
  public Class<INDArray> type() {
    return INDArray.class;
  }

  @Override
  public List<ByteBuffer> encode(INDArray value) {
    DataType dt = value.dataType();
    Blocks.checkDtype(dt);
    long[] shape = value.shape();
    ByteBuffer header = ByteBuffer.allocate(12 + 8 * shape.length).order(ByteOrder.LITTLE_ENDIAN);
    header.putInt(MAGIC).putInt(dt.ordinal()).putInt(shape.length);
    for (long s : shape) {
      header.putLong(s);
    }
    header.flip();
    long bytes = value.length() * dt.width();
    if (bytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("array of shape " + Chunks.describeShape(shape) + " is too large for one frame");
    }
    byte[] data = new byte[(int) bytes];
    if (bytes > 0) {
      INDArray c = Blocks.compact(value);
      try {
        ByteBuffer nio = c.data().asNio();
        nio.duplicate().get(data, 0, data.length);
      } finally {
        if (c != value) {
          c.close();
        }
      }
    }
    return List.of(header, ByteBuffer.wrap(data));
  }

  @Override
  public INDArray decode(List<ByteBuffer> frames) {
    if (frames.size() != 2) {
      throw new IllegalArgumentException("an nd4j-array value has 2 frames, got " + frames.size());
    }
    ByteBuffer h = frames.get(0).duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (h.getInt() != MAGIC) {
      throw new IllegalArgumentException("not an nd4j-array header");
    }
    DataType dt = DataType.values()[h.getInt()];
    long[] shape = new long[h.getInt()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = h.getLong();
    }
    ByteBuffer data = frames.get(1).duplicate();
    long expected = Chunks.product(shape) * dt.width();
    if (data.remaining() != expected) {
      throw new IllegalArgumentException("nd4j-array of shape " + Chunks.describeShape(shape) + " and dtype " + dt
          + " needs " + expected + " bytes, the frame has " + data.remaining());
    }
    INDArray out = Nd4j.createUninitialized(dt, shape, 'c');
    if (expected > 0) {
      out.data().asNio().put(data);
    }
    return out;
  }

  @Override
  public long sizeOf(INDArray value) {
    return 96 + value.length() * value.dataType().width();
  }

  /** The array as one byte array (header and data), for literals inside tasks. */
  public static byte[] toBytes(INDArray a) {
    List<ByteBuffer> f = new NdArrayCodec().encode(a);
    ByteBuffer h = f.get(0);
    ByteBuffer d = f.get(1);
    byte[] out = new byte[4 + h.remaining() + d.remaining()];
    ByteBuffer o = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    o.putInt(h.remaining());
    o.put(h.duplicate());
    o.put(d.duplicate());
    return out;
  }

  /** The inverse of {@link #toBytes}. */
  public static INDArray fromBytes(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int hl = b.getInt();
    ByteBuffer h = b.slice(4, hl);
    ByteBuffer d = b.slice(4 + hl, bytes.length - 4 - hl);
    return new NdArrayCodec().decode(List.of(h, d));
  }
}
