package io.jask.engine.distributed.internal;

import io.jask.engine.distributed.comm.HeaderCodec;
import io.jask.engine.serialize.Serialization;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;

/**
 * Message headers (the {@code Msg} records) as Kryo bytes. Thread-safe. Written straight into the
 * frame's buffer through a per-thread scratch array, and read in place from a heap frame or
 * through a per-thread scratch copy of a direct one: no array per message either way.
 */
public final class KryoHeaderCodec implements HeaderCodec {
  /** Per thread, the array a direct buffer's header is copied into to be read. */
  private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[][] {new byte[1024]});

  /** Scratch arrays above this size are not kept. */
  private static final int MAX_SCRATCH = 1 << 16;

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

  @Override
  public void encode(Object header, ByteBuf out) {
    serialization.writeSmallTo(header, new ByteBufOutputStream(out));
  }

  @Override
  public Object decode(ByteBuf in, int length) {
    int at = in.readerIndex();
    if (in.hasArray()) {
      Object header = serialization.fromBytes(in.array(), in.arrayOffset() + at, length);
      in.skipBytes(length);
      return header;
    }
    byte[][] holder = SCRATCH.get();
    byte[] scratch = holder[0];
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, 2 * scratch.length)];
      if (scratch.length <= MAX_SCRATCH) {
        holder[0] = scratch;
      }
    }
    in.readBytes(scratch, 0, length);
    return serialization.fromBytes(scratch, 0, length); // every value read is copied out of it
  }
}
