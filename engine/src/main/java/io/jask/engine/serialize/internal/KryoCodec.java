package io.jask.engine.serialize.internal;

import io.jask.engine.serialize.ValueCodec;
import java.nio.ByteBuffer;
import java.util.List;

/** The fallback codec: any value, one frame of Kryo bytes. */
public final class KryoCodec implements ValueCodec<Object> {

  /** The name that travels with Kryo-encoded values. */
  public static final String NAME = "kryo";

  private final KryoFactory kryo;

  public KryoCodec(KryoFactory kryo) {
    this.kryo = kryo;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Class<Object> type() {
    return Object.class;
  }

  @Override
  public List<ByteBuffer> encode(Object value) {
    // sized from the estimate: a large array is written once, not grown by doubling and copied
    return List.of(kryo.toBuffer(value, SizeEstimator.sizeOf(value)));
  }

  @Override
  public Object decode(List<ByteBuffer> frames) {
    if (frames.size() != 1) {
      throw new IllegalArgumentException("a kryo value has one frame, got " + frames.size());
    }
    ByteBuffer f = frames.get(0).duplicate();
    if (f.hasArray() && f.arrayOffset() == 0 && f.position() == 0 && f.limit() == f.array().length) {
      return kryo.fromBytes(f.array());
    }
    byte[] bytes = new byte[f.remaining()];
    f.get(bytes);
    return kryo.fromBytes(bytes);
  }

  @Override
  public long sizeOf(Object value) {
    return SizeEstimator.sizeOf(value);
  }
}
