package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.distributed.internal.KryoHeaderCodec;
import io.jask.engine.distributed.protocol.Msg;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kryo header codec on the real encoder and decoder: the header is written in place after the
 * frame table (also when it outgrows the first buffer) and read in place from a heap frame (also
 * one that starts inside its array) or through a scratch copy of a direct one; the messages come
 * back equal, buffers included, and the decoder reads the buffers after the header whatever it
 * consumed. A truncated header still closes the frame as corrupt.
 */
@ExtendWith(NettyLeakCheck.class)
class KryoFrameCodecTest {

  private static final KryoHeaderCodec CODEC = new KryoHeaderCodec();

  private static Msg message(Random r) {
    List<Msg> batch = new ArrayList<>();
    for (int i = r.nextInt(3) == 0 ? 200 + r.nextInt(300) : 1 + r.nextInt(4); i > 0; i--) {
      Key k = Key.of("inc-" + Long.toHexString(r.nextLong()), r.nextInt(4));
      switch (r.nextInt(3)) {
        case 0 -> batch.add(new Msg.TaskFinished(k, r.nextInt(1 << 20), "Long", r.nextLong(), r.nextInt(1000)));
        case 1 -> batch.add(new Msg.FreeKeys(List.of(k, Key.of("x-" + r.nextInt()))));
        default -> batch.add(new Msg.Ping(r.nextLong()));
      }
    }
    return batch.size() == 1 ? batch.get(0) : new Msg.Batch(batch);
  }

  private static ByteBuf encode(Message m) {
    EmbeddedChannel out = new EmbeddedChannel(new MessageEncoder(CODEC, 1 << 24));
    assertTrue(out.writeOutbound(m));
    ByteBuf encoded = out.readOutbound();
    assertFalse(out.finish());
    return encoded;
  }

  private static Message decode(ByteBuf body) {
    return FrameFeed.decode(CODEC, body);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void headersRoundTrip_fromHeapOffsetAndDirectFrames(long seed) {
    Random r = new Random(seed);
    Msg header = message(r);
    byte[] data = new byte[r.nextInt(3) == 0 ? 0 : r.nextInt(5000)];
    r.nextBytes(data);
    Message m = data.length == 0 ? Message.of(header) : Message.of(header, ByteBuffer.wrap(data));
    ByteBuf encoded = encode(m);
    byte[] bytes = new byte[encoded.readableBytes()];
    encoded.readBytes(bytes);
    encoded.release();
    int off = r.nextInt(16);
    byte[] padded = new byte[off + bytes.length + 3];
    System.arraycopy(bytes, 0, padded, off, bytes.length);
    ByteBuf direct = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    for (ByteBuf frame : List.of(Unpooled.wrappedBuffer(bytes), Unpooled.wrappedBuffer(padded, off, bytes.length), direct)) {
      Message back = decode(frame);
      assertEquals(header, back.header());
      assertEquals(data.length == 0 ? 0 : 1, back.buffers().size());
      if (data.length > 0) {
        byte[] got = new byte[back.buffers().get(0).remaining()];
        back.buffers().get(0).get(got);
        assertArrayEquals(data, got);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void truncatedKryoHeader_isCorrupt(long seed) {
    Random r = new Random(seed);
    ByteBuf encoded = encode(Message.of(new Msg.Batch(List.of(message(r), new Msg.FreeKeys(List.of(Key.of("k")))))));
    int frames = encoded.getInt(0);
    int headerLength = encoded.getInt(4);
    assertEquals(1, frames);
    int cut = 1 + r.nextInt(headerLength - 1);
    ByteBuf bad = Unpooled.buffer();
    bad.writeInt(1).writeInt(headerLength - cut);
    bad.writeBytes(encoded, 8, headerLength - cut);
    encoded.release();
    FrameFeed.assertCorrupt(CODEC, bad, "undecodable header");
  }
}
