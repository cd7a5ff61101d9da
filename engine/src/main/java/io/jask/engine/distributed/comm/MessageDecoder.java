package io.jask.engine.distributed.comm;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the body of one whole outer frame (see {@link MessageEncoder} for the layout) into a
 * {@link Message}; {@link FrameDecoder} calls it for every frame that arrived in one read. The frame is validated before anything is allocated for it: a frame count below 1 or
 * larger than the table could be, a negative length, or lengths that do not add up to exactly the
 * frame's size raise {@link CorruptedFrameException}, as does a header the {@link HeaderCodec}
 * cannot decode. The connection handler closes the channel on that exception.
 *
 * <p>Buffers are copied out into fresh heap {@link ByteBuffer}s, so a received message holds no
 * Netty memory and needs no release; the frame stays its caller's to release.
 */
final class MessageDecoder {

  private MessageDecoder() {}

  static Message decode(ByteBuf frame, HeaderCodec codec) {
    int size = frame.readableBytes();
    if (size < 8) {
      throw new CorruptedFrameException("frame of " + size + " bytes is too short for a message");
    }
    int count = frame.readInt();
    if (count < 1 || count > frame.readableBytes() / 4) {
      throw new CorruptedFrameException(
          "bad frame count " + count + " in a frame of " + size + " bytes");
    }
    int[] lengths = new int[count];
    long total = 0;
    for (int i = 0; i < count; i++) {
      lengths[i] = frame.readInt();
      if (lengths[i] < 0) {
        throw new CorruptedFrameException("negative length " + lengths[i] + " of frame " + i);
      }
      total += lengths[i];
    }
    if (total != frame.readableBytes()) {
      throw new CorruptedFrameException(
          "frame lengths add up to "
              + total
              + " bytes but "
              + frame.readableBytes()
              + " bytes follow the frame table");
    }
    Object header;
    int headerEnd = frame.readerIndex() + lengths[0];
    try {
      header = codec.decode(frame, lengths[0]);
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      throw new CorruptedFrameException("undecodable header of " + lengths[0] + " bytes", e);
    } catch (OutOfMemoryError e) {
      // A malformed header can announce an array or string of 2^31 elements; the one allocation
      // fails and nothing else was allocated for it, so the connection is closed like any other
      // malformed frame rather than taking the event loop down.
      throw new CorruptedFrameException(
          "header of " + lengths[0] + " bytes asked for more memory than there is", e);
    }
    if (header == null) {
      throw new CorruptedFrameException("header of " + lengths[0] + " bytes decoded to null");
    }
    frame.readerIndex(headerEnd); // whatever the codec consumed, the buffers start here
    List<ByteBuffer> buffers = new ArrayList<>(count - 1);
    for (int i = 1; i < count; i++) {
      ByteBuffer b = ByteBuffer.allocate(lengths[i]);
      frame.readBytes(b);
      buffers.add(b.flip());
    }
    return new Message(header, buffers);
  }
}
