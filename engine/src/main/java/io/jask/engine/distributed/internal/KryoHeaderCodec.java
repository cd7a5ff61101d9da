package io.jask.engine.distributed.internal;

import io.jask.engine.distributed.comm.HeaderCodec;
import io.jask.engine.serialize.Serialization;

/** Message headers (the {@code Msg} records) as Kryo bytes. Thread-safe. */
public final class KryoHeaderCodec implements HeaderCodec {
  private final Serialization serialization;

  /** A codec over the default serialization. */
  public KryoHeaderCodec() {
    this(Serialization.get());
  }

  /** A codec over {@code serialization} (e.g. one with a worker's class loader). */
  public KryoHeaderCodec(Serialization serialization) {
    this.serialization = serialization;
  }

  @Override
  public byte[] encode(Object header) {
    return serialization.toBytes(header);
  }

  @Override
  public Object decode(byte[] bytes) {
    return serialization.fromBytes(bytes);
  }
}
