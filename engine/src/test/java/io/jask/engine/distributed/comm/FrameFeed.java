package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;

/**
 * Feeds a frame body (what {@link MessageEncoder} writes after the outer length) to a {@link
 * FrameDecoder} the two ways bytes arrive from a socket: the whole frame in one read (decoded in
 * place) and one byte per read (read into the message's buffers as it arrives). Both must agree.
 */
final class FrameFeed {

  private FrameFeed() {}

  /** The outer frame: the body's length, then the body; releases {@code body}. */
  static byte[] wire(ByteBuf body) {
    byte[] wire = new byte[4 + body.readableBytes()];
    Unpooled.wrappedBuffer(wire).setInt(0, body.readableBytes());
    body.getBytes(body.readerIndex(), wire, 4, body.readableBytes());
    body.release();
    return wire;
  }

  /**
   * Decodes one message both ways, checks they agree and every input was released. The whole
   * frame is read from memory of the body's kind: direct, or a heap array at the body's offset.
   */
  static Message decode(HeaderCodec codec, ByteBuf body) {
    boolean direct = body.isDirect();
    int offset = body.hasArray() ? body.arrayOffset() + body.readerIndex() : 0;
    byte[] wire = wire(body);
    ByteBuf whole;
    if (direct) {
      whole = Unpooled.directBuffer(wire.length).writeBytes(wire);
    } else {
      byte[] padded = new byte[offset + wire.length + 3];
      System.arraycopy(wire, 0, padded, offset, wire.length);
      whole = Unpooled.wrappedBuffer(padded, offset, wire.length);
    }
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(codec, 1 << 24));
    in.writeInbound(whole);
    assertEquals(0, whole.refCnt(), "decoder released its input");
    Message m = in.readInbound();
    assertNull(in.readInbound());
    assertFalse(in.finish());
    assertEquals(m, read(codec, wire, 1));
    return m;
  }

  private static Message read(HeaderCodec codec, byte[] wire, int step) {
    EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(codec, 1 << 24));
    for (int i = 0; i < wire.length; i += step) {
      ByteBuf b = Unpooled.wrappedBuffer(wire, i, Math.min(step, wire.length - i));
      in.writeInbound(b);
      assertEquals(0, b.refCnt(), "decoder released its input");
    }
    Message m = in.readInbound();
    assertNull(in.readInbound());
    assertFalse(in.finish());
    return m;
  }

  /** Decodes a malformed body both ways: each read of it fails naming {@code messagePart}. */
  static void assertCorrupt(HeaderCodec codec, ByteBuf body, String messagePart) {
    byte[] wire = wire(body);
    for (int step : new int[] {wire.length, 1}) {
      EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(codec, 1 << 24));
      DecoderException e = assertThrows(DecoderException.class, () -> {
        for (int i = 0; i < wire.length; i += step) {
          ByteBuf b = Unpooled.wrappedBuffer(wire, i, Math.min(step, wire.length - i));
          in.writeInbound(b);
          assertEquals(0, b.refCnt(), "decoder released its input");
        }
      }, "step " + step);
      assertInstanceOf(CorruptedFrameException.class, e);
      assertTrue(e.getMessage().contains(messagePart), e.getMessage());
      assertNull(in.readInbound());
      assertFalse(in.finish());
    }
  }
}
