package io.jask.engine.distributed.comm;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the body of one outer frame (see {@link MessageEncoder} for the layout) into a {@link
 * Message}: whole, for a frame that arrived in one read ({@link #decode}), or step by step through
 * the checks {@link FrameDecoder} shares for one that spans reads. The frame is validated before
 * anything is allocated for it: a frame count below 1 or larger than the table could be, a negative
 * length, or lengths that do not add up to exactly the frame's size raise {@link
 * CorruptedFrameException}, as does a header the {@link HeaderCodec} cannot decode. The connection
 * handler closes the channel on that exception.
 *
 * <p>Buffers are copied out into fresh heap {@link ByteBuffer}s, so a received message holds no
 * Netty memory and needs no release; the frame stays its caller's to release.
 */
final class MessageDecoder {

  private MessageDecoder() {}

  static Message decode(ByteBuf frame, HeaderCodec codec) {
    int size = frame.readableBytes();
    checkSize(size);
    int count = checkedCount(frame.readInt(), size);
    int[] lengths = readLengths(frame, count, size);
    int headerEnd = frame.readerIndex() + lengths[0];
    Object header = header(codec, frame, lengths[0]);
    frame.readerIndex(headerEnd); // whatever the codec consumed, the buffers start here
    List<ByteBuffer> buffers = new ArrayList<>(count - 1);
    for (int i = 1; i < count; i++) {
      ByteBuffer b = ByteBuffer.allocate(lengths[i]);
      frame.readBytes(b);
      buffers.add(b.flip());
    }
    return new Message(header, buffers);
  }

  /** Fails a frame of {@code size} bytes too short for a count and one length. */
  static void checkSize(long size) {
    if (size < 8) {
      throw new CorruptedFrameException("frame of " + size + " bytes is too short for a message");
    }
  }

  /** The frame count, checked: at least 1, and no more lengths than a frame of {@code size} holds. */
  static int checkedCount(int count, int size) {
    if (count < 1 || count > (size - 4) / 4) {
      throw new CorruptedFrameException("bad frame count " + count + " in a frame of " + size + " bytes");
    }
    return count;
  }

  /** Reads the frame table; the lengths must be non-negative and add up to the rest of the frame. */
  static int[] readLengths(ByteBuf in, int count, int size) {
    int[] lengths = new int[count];
    long total = 0;
    for (int i = 0; i < count; i++) {
      lengths[i] = in.readInt();
      if (lengths[i] < 0) {
        throw new CorruptedFrameException("negative length " + lengths[i] + " of frame " + i);
      }
      total += lengths[i];
    }
    long rest = size - 4L - 4L * count;
    if (total != rest) {
      throw new CorruptedFrameException(
          "frame lengths add up to " + total + " bytes but " + rest + " bytes follow the frame table");
    }
    return lengths;
  }

  /** Decodes the header from the next {@code length} bytes of {@code in}; any failure is a corrupt frame. */
  static Object header(HeaderCodec codec, ByteBuf in, int length) {
    Object header;
    try {
      header = codec.decode(in, length);
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      throw new CorruptedFrameException("undecodable header of " + length + " bytes", e);
    } catch (OutOfMemoryError e) {
      // A malformed header can announce an array or string of 2^31 elements; the one allocation
      // fails and nothing else was allocated for it, so the connection is closed like any other
      // malformed frame rather than taking the event loop down.
      throw new CorruptedFrameException("header of " + length + " bytes asked for more memory than there is", e);
    }
    if (header == null) {
      throw new CorruptedFrameException("header of " + length + " bytes decoded to null");
    }
    return header;
  }
}
