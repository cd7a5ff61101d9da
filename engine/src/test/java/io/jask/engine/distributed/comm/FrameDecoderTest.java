package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.TooLongFrameException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link FrameDecoder} on a stream of messages as {@link MessageEncoder} and {@code
 * LengthFieldPrepender} write it, cut into reads at random places: the messages that come out are
 * the ones that went in, in order, whatever the cuts.
 */
@ExtendWith(NettyLeakCheck.class)
class FrameDecoderTest {

  private static final HeaderCodec CODEC = JavaHeaderCodec.INSTANCE;

  /** A random message: 0-4 buffers, heap or direct, empty, small or up to 3 MB (several chunks). */
  private static Message message(Random r, int seq) {
    List<ByteBuffer> buffers = new ArrayList<>();
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      int size = switch (r.nextInt(4)) {
        case 0 -> 0;
        case 1 -> r.nextInt(100);
        case 2 -> r.nextInt(100_000);
        default -> r.nextInt(3_000_000);
      };
      byte[] bytes = new byte[size];
      r.nextBytes(bytes);
      ByteBuffer b = r.nextBoolean() ? ByteBuffer.wrap(bytes) : ByteBuffer.allocateDirect(size).put(bytes).flip();
      buffers.add(b);
    }
    return new Message(new Op("m" + r.nextInt(1000), seq), buffers);
  }

  /** The bytes on the wire for the messages, through the real outbound handlers. */
  private static byte[] wire(List<Message> messages) {
    EmbeddedChannel out = new EmbeddedChannel(new LengthFieldPrepender(4), new MessageEncoder(CODEC, 1 << 26));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Message m : messages) {
      assertTrue(out.writeOutbound(m));
      for (ByteBuf b; (b = out.readOutbound()) != null; ) {
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        b.release();
        bytes.writeBytes(a);
      }
    }
    assertFalse(out.finish());
    return bytes.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void randomCuts_giveTheMessagesInOrder(long seed) {
    Random r = new Random(seed);
    List<Message> sent = new ArrayList<>();
    for (int i = 0, n = 1 + r.nextInt(12); i < n; i++) {
      sent.add(message(r, i));
    }
    byte[] wire = wire(sent);
    // reads from 1 byte to more than a frame; some cuts fall inside the length or the frame table
    int maxRead = switch (r.nextInt(3)) {
      case 0 -> 7;
      case 1 -> 70_000;
      default -> 4_000_000;
    };
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(CODEC, 1 << 26));
    for (int at = 0; at < wire.length; ) {
      int n = Math.min(1 + r.nextInt(maxRead), wire.length - at);
      ByteBuf b = r.nextBoolean() ? Unpooled.wrappedBuffer(wire, at, n) : Unpooled.directBuffer(n).writeBytes(wire, at, n);
      in.writeInbound(b);
      assertEquals(0, b.refCnt());
      at += n;
    }
    for (Message m : sent) {
      Message got = in.readInbound();
      assertEquals(m, got);
      for (ByteBuffer b : got.buffers()) {
        assertFalse(b.isDirect(), "a received message owns heap buffers");
        assertEquals(0, b.position());
      }
    }
    assertNull(in.readInbound());
    assertFalse(in.finish());
  }

  /** A part larger than {@link FrameDecoder#EXACT_UP_TO} grows as it arrives and comes out whole. */
  @Test
  void partOverTheExactSize_growsAsItArrives() {
    Random r = new Random(11);
    byte[] big = new byte[FrameDecoder.EXACT_UP_TO * 2 + 777];
    r.nextBytes(big);
    Message sent = Message.of(new Op("big", 1), ByteBuffer.wrap(big), ByteBuffer.wrap(new byte[] {1, 2, 3}));
    byte[] wire = wire(List.of(sent));
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(CODEC, 1 << 26));
    for (int at = 0; at < wire.length; ) {
      int n = Math.min(1 + r.nextInt(3_000_000), wire.length - at);
      in.writeInbound(Unpooled.wrappedBuffer(wire, at, n));
      at += n;
    }
    Message got = in.readInbound();
    assertEquals(sent, got);
    assertEquals(big.length, got.buffers().get(0).capacity());
    assertFalse(in.finish());
  }

  /** A frame table that announces a gigabyte holds only what arrived, not the gigabyte. */
  @Test
  void announcedGigabyte_holdsOnlyWhatArrived() {
    FrameDecoder decoder = new FrameDecoder(CODEC, 1 << 30);
    EmbeddedChannel in = new EmbeddedChannel(decoder);
    int part = 1 << 29;
    ByteBuf b = Unpooled.buffer().writeInt(4 + 8 + 10 + part).writeInt(2).writeInt(10).writeInt(part);
    b.writeBytes(new byte[10 + 1000]);
    in.writeInbound(b);
    assertEquals(0, b.refCnt());
    long held = decoder.heldBytes();
    assertTrue(held > 0 && held <= 10 + FrameDecoder.EXACT_UP_TO, "held " + held);
    assertNull(in.readInbound());
    assertFalse(in.finish());
  }

  /** A large heap buffer goes out as pooled direct chunks of at most {@link MessageEncoder#CHUNK} bytes. */
  @Test
  void encoder_copiesALargeHeapBuffer_intoChunks() {
    byte[] big = new byte[MessageEncoder.CHUNK * 2 + 12_345];
    new Random(7).nextBytes(big);
    ByteBuffer heap = ByteBuffer.wrap(big);
    EmbeddedChannel out = new EmbeddedChannel(new MessageEncoder(CODEC, 1 << 26));
    assertTrue(out.writeOutbound(Message.of(new Op("big", 1), heap)));
    ByteBuf encoded = out.readOutbound();
    assertInstanceOf(CompositeByteBuf.class, encoded);
    CompositeByteBuf c = (CompositeByteBuf) encoded;
    assertEquals(4, c.numComponents()); // the frame table and header, then three chunks
    for (int i = 1; i < c.numComponents(); i++) {
      assertTrue(c.internalComponent(i).isDirect());
      assertTrue(c.internalComponent(i).readableBytes() <= MessageEncoder.CHUNK);
    }
    assertEquals(0, heap.position());
    Message back = FrameFeed.decode(CODEC, encoded);
    assertEquals(ByteBuffer.wrap(big), back.buffers().get(0));
    assertFalse(out.finish());
  }

  @Test
  void overMaximum_failsAsSoonAsTheLengthArrives_andDropsTheRest() {
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(CODEC, 1000));
    ByteBuf first = Unpooled.buffer().writeShort(0);
    in.writeInbound(first); // half the length: nothing yet
    ByteBuf second = Unpooled.buffer().writeShort(2000).writeInt(1);
    DecoderException e = assertThrows(DecoderException.class, () -> in.writeInbound(second));
    assertInstanceOf(TooLongFrameException.class, e);
    assertTrue(e.getMessage().contains("2000 bytes exceeds the maximum message size of 1000"), e.getMessage());
    ByteBuf later = Unpooled.buffer().writeBytes(new byte[100]);
    in.writeInbound(later);
    assertEquals(0, first.refCnt() + second.refCnt() + later.refCnt());
    assertNull(in.readInbound());
    assertFalse(in.finish());
  }
}
