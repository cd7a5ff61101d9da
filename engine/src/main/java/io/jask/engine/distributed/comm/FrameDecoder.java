package io.jask.engine.distributed.comm;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a connection's byte stream into {@link Message}s: the outer frame (a 4-byte big-endian
 * length, then the body {@link MessageEncoder} describes) and the message in one step.
 *
 * <p>A frame that arrived whole in one read is decoded in place ({@link MessageDecoder#decode}).
 * A frame that spans reads (every large one: the socket delivers at most a read buffer at a
 * time) is not gathered into a growing buffer, as Netty's {@code LengthFieldBasedFrameDecoder}
 * does: once its frame table is here, each of its parts is copied straight from the socket's
 * buffers into a heap array of its exact size, the one the {@link Message} then owns (a part over
 * {@link #EXACT_UP_TO} gets its array in doubling steps as its bytes arrive). Gathering
 * first cost, per 30 MB frame, some ten reallocations of fresh direct memory (each zeroed and
 * page-faulted by the kernel) and as many copies of what had arrived so far, on the event-loop
 * thread: about a third of a worker's CPU in a two-worker sort (D4).
 *
 * <p>Checks as the whole-frame path's: a body over the maximum message size raises {@link
 * TooLongFrameException} as soon as its length is read; a frame count below 1 or larger than the
 * body could hold, a negative part length, lengths that do not add up to the body, or a header
 * the codec cannot decode raise {@link CorruptedFrameException}. After either, the rest of the
 * stream is discarded; the connection handler closes the channel on the exception.
 */
final class FrameDecoder extends ChannelInboundHandlerAdapter {

  private final HeaderCodec codec;
  private final int maxMessageSize;

  /**
   * Parts up to this size get their exact array when their first byte arrives; a larger one starts
   * at this size and doubles as its bytes arrive (to its exact size), so a frame table that
   * announces a gigabyte costs what was actually sent, not a gigabyte.
   */
  static final int EXACT_UP_TO = 16 << 20;

  /** The bytes of the frame's start read so far: its length, count and frame table. */
  private final ByteBuf start = Unpooled.buffer(64);
  /** The body's length, or -1 while it is being read. */
  private int bodyLength = -1;
  /** The frame count, or -1 while it is being read. */
  private int count = -1;
  /** The parts, once the frame table is read: [0] the header, then the buffers. */
  private ByteBuffer[] parts;
  private int[] lengths;
  /** The part being filled. */
  private int part;
  private boolean failed;

  FrameDecoder(HeaderCodec codec, int maxMessageSize) {
    this.codec = codec;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      while (!failed && in.isReadable() && !ctx.isRemoved()) {
        if (parts != null) {
          fill(ctx, in);
        } else if (bodyLength < 0 && in.readableBytes() >= 4 && !start.isReadable()) {
          int length = checkedLength(in.readInt());
          if (in.readableBytes() >= length) { // the whole frame is here
            ctx.fireChannelRead(MessageDecoder.decode(in.readSlice(length), codec));
          } else {
            bodyLength = length;
          }
        } else {
          readStart(in);
          if (parts != null) {
            fill(ctx, in);
          }
        }
      }
    } catch (RuntimeException e) {
      failed = true;
      parts = null;
      throw e;
    } finally {
      in.release();
    }
  }

  /** The body's length from the outer prefix (unsigned), checked against the maximum. */
  private int checkedLength(int prefix) {
    long length = prefix & 0xffffffffL;
    if (length > maxMessageSize) {
      throw new TooLongFrameException(
          "frame of " + length + " bytes exceeds the maximum message size of " + maxMessageSize + " bytes");
    }
    MessageDecoder.checkSize(length);
    return (int) length;
  }

  /** Reads the outer length, the count and the frame table, then sets up the parts. */
  private void readStart(ByteBuf in) {
    if (bodyLength < 0) {
      take(in, 4);
      if (start.readableBytes() == 4) {
        bodyLength = checkedLength(start.readInt());
        start.clear();
      }
      return;
    }
    if (count < 0) {
      take(in, 4);
      if (start.readableBytes() == 4) {
        count = MessageDecoder.checkedCount(start.readInt(), bodyLength);
        start.clear();
      }
      return;
    }
    take(in, 4 * count);
    if (start.readableBytes() < 4 * count) {
      return;
    }
    lengths = MessageDecoder.readLengths(start, count, bodyLength);
    start.clear();
    parts = new ByteBuffer[count];
    part = 0;
  }

  /** Moves up to what {@link #start} still lacks of {@code want} bytes from {@code in}. */
  private void take(ByteBuf in, int want) {
    int n = Math.min(want - start.readableBytes(), in.readableBytes());
    start.writeBytes(in, n);
  }

  /** Copies what {@code in} has of the current parts into them; fires the message once complete. */
  private void fill(ChannelHandlerContext ctx, ByteBuf in) {
    while (part < count) {
      int want = lengths[part];
      ByteBuffer p = parts[part];
      if (p == null) {
        p = parts[part] = allocate(Math.min(want, EXACT_UP_TO), part);
      } else if (!p.hasRemaining()) {
        p = parts[part] = grow(p, want, part);
      }
      int n = Math.min(p.remaining(), in.readableBytes());
      if (n > 0) {
        int limit = p.limit();
        p.limit(p.position() + n);
        in.readBytes(p);
        p.limit(limit);
      }
      if (p.position() < want) {
        if (!in.isReadable()) {
          return;
        }
        continue; // p is full: it grows on the next turn
      }
      part++;
    }
    ByteBuffer[] done = parts;
    parts = null;
    lengths = null;
    bodyLength = -1;
    count = -1;
    ctx.fireChannelRead(message(done));
  }

  /** A part of {@code want} bytes that filled {@code p}: twice the room, at most {@code want}. */
  private static ByteBuffer grow(ByteBuffer p, int want, int part) {
    ByteBuffer q = allocate((int) Math.min(want, 2L * p.capacity()), part);
    return q.put(p.flip());
  }

  /** The room held for the parts of the frame being read (for tests). */
  long heldBytes() {
    long n = 0;
    if (parts != null) {
      for (ByteBuffer p : parts) {
        n += p == null ? 0 : p.capacity();
      }
    }
    return n;
  }

  private static ByteBuffer allocate(int length, int part) {
    try {
      return ByteBuffer.allocate(length);
    } catch (OutOfMemoryError e) {
      // the one allocation fails and nothing else was allocated for it, so the connection is
      // closed like any other malformed frame
      throw new CorruptedFrameException("frame " + part + " of " + length + " bytes asked for more memory than there is", e);
    }
  }

  private Message message(ByteBuffer[] done) {
    ByteBuf header = Unpooled.wrappedBuffer(done[0].flip());
    Object h = MessageDecoder.header(codec, header, header.readableBytes());
    List<ByteBuffer> buffers = new ArrayList<>(done.length - 1);
    for (int i = 1; i < done.length; i++) {
      buffers.add(done[i].flip());
    }
    return new Message(h, buffers);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    start.release();
    parts = null;
  }
}
