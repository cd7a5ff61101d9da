package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.LengthFieldPrepender;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link MessageEncoder} and {@link FrameDecoder}, each alone on an {@code EmbeddedChannel}. */
@ExtendWith(NettyLeakCheck.class)
class MessageCodecTest {

  private static final HeaderCodec CODEC = JavaHeaderCodec.INSTANCE;

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static ByteBuf encode(Message m) {
    EmbeddedChannel out = new EmbeddedChannel(new MessageEncoder(CODEC, 1 << 20));
    assertTrue(out.writeOutbound(m));
    ByteBuf encoded = out.readOutbound();
    assertNull(out.readOutbound());
    assertFalse(out.finish());
    return encoded;
  }

  private static Message decode(ByteBuf body) {
    return FrameFeed.decode(CODEC, body);
  }

  /** Builds a frame body by hand: count, lengths, then raw content. */
  private static ByteBuf body(int count, int[] lengths, byte[] content) {
    ByteBuf b = Unpooled.buffer();
    b.writeInt(count);
    for (int len : lengths) {
      b.writeInt(len);
    }
    b.writeBytes(content);
    return b;
  }

  @Test
  void encodeThenDecode_roundTripsHeaderAndBuffers() {
    Message sent =
        Message.of(new Op("put", 7), bytes("alpha"), ByteBuffer.allocate(0), bytes("gamma!"));
    Message received = decode(encode(sent));
    assertEquals(sent, received);
    assertEquals(3, received.buffers().size());
    assertEquals(0, received.buffers().get(1).remaining());
  }

  @Test
  void encode_headerOnly_isOneBuffer() {
    Message received = decode(encode(Message.of(new Op("ping", 1))));
    assertEquals(new Op("ping", 1), received.header());
    assertEquals(List.of(), received.buffers());
  }

  @Test
  void encode_wrapsDirectBuffersWithoutCopying_andLeavesTheirPositionAlone() {
    ByteBuffer payload = ByteBuffer.allocateDirect(9).put(bytes("xxxxhello")).flip();
    payload.position(4);
    ByteBuf encoded = encode(Message.of(new Op("put", 1), payload));
    payload.put(4, (byte) 'J'); // visible in the encoded message: it shares the memory
    assertEquals(4, payload.position());
    Message received = decode(encoded);
    assertEquals(bytes("Jello"), received.buffers().get(0));
  }

  /**
   * A message with a heap buffer is written once into one direct buffer (what a socket write needs):
   * the same bytes, a later change to the heap buffer not in it, the positions left alone.
   */
  @Test
  void encode_copiesAMessageWithHeapBuffers_intoOneDirectBuffer() {
    ByteBuffer heap = bytes("xxxxhello");
    heap.position(4);
    ByteBuffer direct = ByteBuffer.allocateDirect(3).put(bytes("abc")).flip();
    EmbeddedChannel ch = new EmbeddedChannel(new MessageEncoder(CODEC, 1 << 20));
    assertTrue(ch.writeOutbound(Message.of(new Op("put", 2), heap, direct)));
    ByteBuf encoded = ch.readOutbound();
    assertTrue(encoded.isDirect() && !(encoded instanceof io.netty.buffer.CompositeByteBuf), encoded.toString());
    heap.put(4, (byte) 'J'); // not visible: copied
    assertEquals(4, heap.position());
    assertEquals(0, direct.position());
    Message received = decode(encoded);
    assertEquals(new Op("put", 2), received.header());
    assertEquals(bytes("hello"), received.buffers().get(0));
    assertEquals(bytes("abc"), received.buffers().get(1));
    ch.finishAndReleaseAll();
  }

  @Test
  void encode_overMaxMessageSize_failsThatWriteOnly() {
    EmbeddedChannel ch = new EmbeddedChannel(new MessageEncoder(CODEC, 1024));
    ChannelFuture f = ch.writeAndFlush(Message.of(new Op("big", 1), ByteBuffer.allocate(2048)));
    assertInstanceOf(EncoderException.class, f.cause());
    assertTrue(f.cause().getMessage().contains("exceeds the maximum message size of 1024"));
    assertTrue(ch.isOpen());
    ChannelFuture ok = ch.writeAndFlush(Message.of(new Op("small", 2)));
    assertTrue(ok.isSuccess());
    assertTrue(ch.finishAndReleaseAll());
  }

  @Test
  void encode_headerCodecFailure_failsThatWriteOnly() {
    EmbeddedChannel ch = new EmbeddedChannel(new MessageEncoder(CODEC, 1024));
    ChannelFuture f = ch.writeAndFlush(Message.of(new Object())); // not Serializable
    assertFalse(f.isSuccess());
    assertTrue(ch.isOpen());
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void decode_frameCountZero_isCorrupt() {
    assertCorrupt(body(0, new int[0], new byte[4]), "bad frame count 0");
  }

  @Test
  void decode_frameCountLargerThanTable_isCorrupt() {
    assertCorrupt(body(1_000_000, new int[] {0}, new byte[0]), "bad frame count 1000000");
  }

  @Test
  void decode_negativeLength_isCorrupt() {
    assertCorrupt(body(2, new int[] {0, -5}, new byte[0]), "negative length");
  }

  @Test
  void decode_lengthsExceedFrame_isCorrupt() {
    assertCorrupt(body(2, new int[] {4, 100}, new byte[10]), "add up to 104 bytes but 10");
  }

  @Test
  void decode_lengthsShortOfFrame_isCorrupt() {
    assertCorrupt(body(1, new int[] {2}, new byte[10]), "add up to 2 bytes but 10");
  }

  @Test
  void decode_tooShortForATable_isCorrupt() {
    assertCorrupt(Unpooled.wrappedBuffer(new byte[] {0, 0, 0}), "too short");
  }

  @Test
  void decode_undecodableHeader_isCorrupt() {
    assertCorrupt(body(1, new int[] {3}, new byte[] {1, 2, 3}), "undecodable header");
  }

  @Test
  void decode_headerThatAsksForTooMuchMemory_isCorrupt() {
    // Like a Kryo header announcing an array of 2^31 elements: one allocation beyond the heap.
    HeaderCodec greedy =
        new HeaderCodec() {
          @Override
          public byte[] encode(Object header) {
            throw new UnsupportedOperationException();
          }

          @Override
          public Object decode(byte[] bytes) {
            return new long[Integer.MAX_VALUE - 8];
          }
        };
    assertCorrupt(greedy, body(1, new int[] {3}, new byte[] {1, 2, 3}), "more memory than there is");
  }

  private static void assertCorrupt(ByteBuf body, String messagePart) {
    assertCorrupt(CODEC, body, messagePart);
  }

  private static void assertCorrupt(HeaderCodec codec, ByteBuf body, String messagePart) {
    FrameFeed.assertCorrupt(codec, body, messagePart);
  }

  @Test
  void lengthFieldPrepender_plusEncoder_giveOneLengthPrefixedFrame() {
    EmbeddedChannel ch =
        new EmbeddedChannel(new LengthFieldPrepender(4), new MessageEncoder(CODEC, 1 << 20));
    assertTrue(ch.writeOutbound(Message.of(new Op("a", 1), bytes("xyz"))));
    ByteBuf length = ch.readOutbound();
    ByteBuf body = ch.readOutbound();
    assertEquals(body.readableBytes(), length.readInt());
    length.release();
    body.release();
    assertFalse(ch.finish());
  }
}
