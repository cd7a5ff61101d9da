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
 *   byte header[length[0]]     HeaderCodec.encode(header, buf), written in place
 *   byte buffer_i[length[i]]   each buffer, position to limit
 * </pre>
 *
 * <p>Direct buffers are wrapped, not copied: the result is a composite of one small pooled buffer
 * (the frame table and header) and one wrapper per non-empty buffer, which the socket writes in
 * place. The bytes of heap buffers (Arrow pieces, Kryo streams) are copied into pooled native
 * memory, since a socket writes from native memory: a message with up to {@link #CHUNK} bytes of
 * buffers into one direct buffer, a larger one into a composite of {@link #CHUNK}-sized ones. (Given
 * a composite of heap buffers, Netty's epoll transport first merged it into a new heap array and
 * then copied that into native memory; one direct buffer of a large message's size is fresh memory
 * each time, zeroed and page-faulted: ~60 MB per worker per 10-million-row sort.) A header that
 * fails to encode or a message over the maximum size fails that write only.
 */
final class MessageEncoder extends MessageToMessageEncoder<Message> {

  /**
   * The largest piece of native memory one message's heap buffers are copied into: the pooling
   * allocator keeps and reuses buffers up to 1 MiB; a larger one is fresh memory every time
   * (zeroed, then page-faulted by the kernel as it is written).
   */
  static final int CHUNK = 512 * 1024;

  private final HeaderCodec codec;
  private final int maxMessageSize;

  MessageEncoder(HeaderCodec codec, int maxMessageSize) {
    super(Message.class);
    this.codec = codec;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, Message msg, List<Object> out) {
    List<ByteBuffer> buffers = msg.buffers();
    int frames = 1 + buffers.size();
    int table = 4 + 4 * frames;
    // the header is written in place after the frame table; its length is filled in after it
    ByteBuf prefix = ctx.alloc().buffer(table + 128);
    try {
      prefix.writeInt(frames).writeInt(0);
      for (ByteBuffer b : buffers) {
        prefix.writeInt(b.remaining());
      }
      codec.encode(msg.header(), prefix);
      int headerLength = prefix.writerIndex() - table;
      prefix.setInt(4, headerLength);
      long size = (long) table + headerLength + msg.bufferBytes();
      if (size > maxMessageSize) {
        throw new EncoderException(
            "message of "
                + size
                + " bytes exceeds the maximum message size of "
                + maxMessageSize
                + " bytes");
      }
    } catch (RuntimeException | Error e) {
      prefix.release();
      throw e;
    }
    if (buffers.isEmpty()) {
      out.add(prefix);
      return;
    }
    long bytes = msg.bufferBytes();
    ByteBuf one = null;
    try {
      if (bytes <= CHUNK && !allDirect(buffers)) {
        one = ctx.alloc().directBuffer(prefix.readableBytes() + (int) bytes);
        one.writeBytes(prefix);
        for (ByteBuffer b : buffers) {
          one.writeBytes(b.duplicate());
        }
      } else {
        CompositeByteBuf whole = ctx.alloc().compositeBuffer(Integer.MAX_VALUE); // never consolidated
        one = whole;
        whole.addComponent(true, prefix.retain());
        for (ByteBuffer b : buffers) {
          if (b.isDirect()) {
            if (b.hasRemaining()) {
              whole.addComponent(true, Unpooled.wrappedBuffer(b.duplicate()));
            }
          } else {
            addChunks(ctx, whole, b);
          }
        }
      }
      out.add(one);
      one = null;
    } finally {
      prefix.release();
      if (one != null) {
        one.release();
      }
    }
  }

  /** Copies the bytes of heap buffer {@code b} into pooled direct chunks at the end of {@code whole}. */
  private static void addChunks(ChannelHandlerContext ctx, CompositeByteBuf whole, ByteBuffer b) {
    ByteBuffer rest = b.duplicate();
    while (rest.hasRemaining()) {
      int n = Math.min(CHUNK, rest.remaining());
      ByteBuf chunk = ctx.alloc().directBuffer(n);
      int limit = rest.limit();
      rest.limit(rest.position() + n);
      try {
        chunk.writeBytes(rest);
      } catch (RuntimeException | Error e) {
        chunk.release();
        throw e;
      }
      rest.limit(limit);
      whole.addComponent(true, chunk); // with its bytes: the composite counts them when added
    }
  }

  private static boolean allDirect(List<ByteBuffer> buffers) {
    for (ByteBuffer b : buffers) {
      if (!b.isDirect()) {
        return false;
      }
    }
    return true;
  }
}
