package io.jask.engine.distributed.comm;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Encodes a {@link Message} into the body of one outer frame (the length prefix is added by the
 * next handler, {@code LengthFieldPrepender}):
 *
 * <pre>
 *   int n                      number of frames, 1 + buffers
 *   int length[0..n-1]         frame lengths; frame 0 is the header
 *   byte header[length[0]]     HeaderCodec.encode(header)
 *   byte buffer_i[length[i]]   each buffer, position to limit
 * </pre>
 *
 * <p>The buffers are wrapped, not copied: the result is a composite of one small pooled buffer (the
 * frame table and header) and one wrapper per non-empty buffer. A header that fails to encode or a
 * message over the maximum size fails that write only.
 */
final class MessageEncoder extends MessageToMessageEncoder<Message> {

  private final HeaderCodec codec;
  private final int maxMessageSize;

  MessageEncoder(HeaderCodec codec, int maxMessageSize) {
    super(Message.class);
    this.codec = codec;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message msg, List<Object> out) {
    byte[] header = codec.encode(msg.header());
    if (header == null) {
      throw new EncoderException("HeaderCodec returned null for " + msg.header().getClass());
    }
    List<ByteBuffer> buffers = msg.buffers();
    int frames = 1 + buffers.size();
    long size = 4L + 4L * frames + header.length + msg.bufferBytes();
    if (size > maxMessageSize) {
      throw new EncoderException(
          "message of "
              + size
              + " bytes exceeds the maximum message size of "
              + maxMessageSize
              + " bytes");
    }
    ByteBuf prefix = ctx.alloc().buffer(4 + 4 * frames + header.length);
    prefix.writeInt(frames).writeInt(header.length);
    for (ByteBuffer b : buffers) {
      prefix.writeInt(b.remaining());
    }
    prefix.writeBytes(header);
    if (buffers.isEmpty()) {
      out.add(prefix);
      return;
    }
    CompositeByteBuf whole = ctx.alloc().compositeBuffer(frames);
    whole.addComponent(true, prefix);
    for (ByteBuffer b : buffers) {
      if (b.hasRemaining()) {
        whole.addComponent(true, Unpooled.wrappedBuffer(b.duplicate()));
      }
    }
    out.add(whole);
  }
}
