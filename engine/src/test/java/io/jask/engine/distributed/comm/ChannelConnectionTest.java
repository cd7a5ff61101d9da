package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole TCP pipeline ({@link TcpTransport#initPipeline}) on an {@code EmbeddedChannel}: what
 * {@link ChannelConnection} dispatches, and that every malformed input closes the channel.
 */
@ExtendWith(NettyLeakCheck.class)
class ChannelConnectionTest {

  private static final HeaderCodec CODEC = JavaHeaderCodec.INSTANCE;

  private final List<ByteBuf> inputs = new ArrayList<>();

  private static EmbeddedChannel pipeline(int maxMessageSize) {
    EmbeddedChannel ch = new EmbeddedChannel();
    TcpTransport.initPipeline(ch, CODEC, new CommOptions(maxMessageSize), null);
    return ch;
  }

  private static ChannelConnection connection(EmbeddedChannel ch) {
    return ch.pipeline().get(ChannelConnection.class);
  }

  /** Runs a message through a second pipeline's outbound side, giving the bytes on the wire. */
  private static ByteBuf wire(Message m) {
    EmbeddedChannel sender = pipeline(1 << 20);
    connection(sender).send(m);
    sender.flushOutbound();
    CompositeByteBuf all = Unpooled.compositeBuffer();
    for (ByteBuf b; (b = sender.readOutbound()) != null; ) {
      all.addComponent(true, b);
    }
    sender.finishAndReleaseAll();
    return all;
  }

  private ByteBuf track(ByteBuf b) {
    inputs.add(b);
    return b;
  }

  private void assertInputsReleased() {
    for (ByteBuf b : inputs) {
      assertEquals(0, b.refCnt(), "input buffer released");
    }
  }

  @Test
  void messagesBeforeHandler_areQueuedThenDeliveredInOrder() {
    EmbeddedChannel ch = pipeline(1 << 20);
    ch.writeInbound(track(wire(Message.of(new Op("a", 1)))));
    ch.writeInbound(track(wire(Message.of(new Op("b", 2), ByteBuffer.wrap(new byte[] {9})))));
    Recorder r = new Recorder();
    connection(ch).setHandler(r);
    assertEquals(new Op("a", 1), r.messages.poll().header());
    Message second = r.messages.poll();
    assertEquals(new Op("b", 2), second.header());
    assertEquals(ByteBuffer.wrap(new byte[] {9}), second.buffers().get(0));
    ch.writeInbound(track(wire(Message.of(new Op("c", 3)))));
    assertEquals(new Op("c", 3), r.messages.poll().header());
    assertFalse(ch.finish());
    assertEquals(1, r.closeCalls);
    assertInputsReleased();
  }

  @Test
  void twoMessagesInOneRead_bothDelivered() {
    EmbeddedChannel ch = pipeline(1 << 20);
    Recorder r = new Recorder();
    connection(ch).setHandler(r);
    ByteBuf both =
        track(Unpooled.wrappedBuffer(wire(Message.of(new Op("a", 1))), wire(Message.of(new Op("b", 2)))));
    ch.writeInbound(both);
    assertEquals(2, r.messages.size());
    assertFalse(ch.finish());
    assertInputsReleased();
  }

  @Test
  void closeBeforeHandler_isReportedAfterQueuedMessages() {
    EmbeddedChannel ch = pipeline(1 << 20);
    ChannelConnection c = connection(ch);
    ch.writeInbound(track(wire(Message.of(new Op("a", 1)))));
    ch.close();
    List<String> events = new ArrayList<>();
    c.setHandler(
            new MessageHandler() {
              @Override
              public void onMessage(Connection c, Message m) {
                events.add("message " + ((Op) m.header()).name());
              }

              @Override
              public void onClose(Connection c, Throwable cause) {
                events.add("close " + cause);
              }
            });
    assertEquals(List.of("message a", "close null"), events);
    assertTrue(c.closeFuture().isDone());
    assertInputsReleased();
  }

  @Test
  void handlerException_closesConnectionWithThatCause() throws Exception {
    EmbeddedChannel ch = pipeline(1 << 20);
    RuntimeException boom = new RuntimeException("boom");
    Recorder r =
        new Recorder() {
          @Override
          public void onMessage(Connection c, Message m) {
            throw boom;
          }
        };
    connection(ch).setHandler(r);
    ch.writeInbound(track(wire(Message.of(new Op("a", 1)))));
    assertFalse(ch.isOpen());
    assertEquals(boom, r.awaitClose());
    assertInputsReleased();
  }

  @Test
  void truncatedStream_deliversNothing_andReleasesWhatArrived() throws Exception {
    EmbeddedChannel ch = pipeline(1 << 20);
    Recorder r = new Recorder();
    connection(ch).setHandler(r);
    ByteBuf whole = wire(Message.of(new Op("a", 1), ByteBuffer.allocate(100)));
    ByteBuf half = track(whole.readRetainedSlice(whole.readableBytes() / 2));
    whole.release();
    ch.writeInbound(half);
    assertTrue(r.messages.isEmpty());
    ch.close();
    assertNull(r.awaitClose());
    assertTrue(r.messages.isEmpty());
    assertInputsReleased();
  }

  @Test
  void malformedFrame_badFrameCount_closesChannel() throws Exception {
    ByteBuf b = Unpooled.buffer().writeInt(8).writeInt(-1).writeInt(0);
    assertInstanceOf(CorruptedFrameException.class, closesWith(b, 1 << 20));
  }

  @Test
  void malformedFrame_lengthsExceedFrame_closesChannel() throws Exception {
    ByteBuf b = Unpooled.buffer().writeInt(12).writeInt(2).writeInt(0).writeInt(1_000);
    assertInstanceOf(CorruptedFrameException.class, closesWith(b, 1 << 20));
  }

  @Test
  void malformedFrame_undecodableHeader_closesChannel() throws Exception {
    ByteBuf b = Unpooled.buffer().writeInt(11).writeInt(1).writeInt(3).writeBytes(new byte[] {1, 2, 3});
    assertInstanceOf(CorruptedFrameException.class, closesWith(b, 1 << 20));
  }

  @Test
  void malformedFrame_negativeOuterLength_closesChannel() throws Exception {
    // The outer length is unsigned: -8 reads as ~4 GiB, over any maximum.
    ByteBuf b = Unpooled.buffer().writeInt(-8).writeLong(0);
    assertInstanceOf(TooLongFrameException.class, closesWith(b, 1 << 20));
  }

  @Test
  void malformedFrame_overMaxMessageSize_closesChannelBeforeTheBodyArrives() throws Exception {
    ByteBuf b = Unpooled.buffer().writeInt(1_000).writeInt(1);
    assertInstanceOf(TooLongFrameException.class, closesWith(b, 64));
  }

  @Test
  void overSizeSend_failsOnlyThatSend() {
    EmbeddedChannel ch = pipeline(64);
    ChannelConnection c = connection(ch);
    assertTrue(c.send(Message.of(new Op("big", 1), ByteBuffer.allocate(1000))).isCompletedExceptionally());
    assertTrue(c.isOpen());
    assertTrue(c.send(Message.of("ok")).isDone());
    assertTrue(ch.finishAndReleaseAll());
  }

  @Test
  void close_flushesThenClosesChannel() {
    EmbeddedChannel ch = pipeline(1 << 20);
    ChannelConnection c = connection(ch);
    var sent = c.send(Message.of("last words"));
    c.close();
    ch.runPendingTasks();
    assertTrue(sent.isDone() && !sent.isCompletedExceptionally());
    assertFalse(ch.isOpen());
    assertTrue(c.closeFuture().isDone());
    assertTrue(ch.finishAndReleaseAll());
  }

  @Test
  void receivedMessagesPastTheLimitBeforeAHandler_closeTheChannel_earlierOnesStillDelivered()
      throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel();
    TcpTransport.initPipeline(
        ch, CODEC, CommOptions.DEFAULTS.withLimits(1 << 20, 3, java.time.Duration.ofSeconds(10)), null);
    ChannelConnection c = connection(ch); // the closed channel's pipeline is emptied
    for (int i = 0; i < 4; i++) {
      ch.writeInbound(track(wire(Message.of(new Op("m", i)))));
    }
    assertFalse(ch.isOpen(), "the fourth undelivered message broke the limit of 3");
    Recorder r = new Recorder();
    c.setHandler(r);
    for (int i = 0; i < 3; i++) {
      assertEquals(new Op("m", i), r.take().header());
    }
    assertTrue(r.messages.isEmpty());
    assertTrue(r.awaitClose().getMessage().contains("max-pending-messages"));
    assertInputsReleased();
  }

  private Throwable closesWith(ByteBuf input, int maxMessageSize) throws Exception {
    EmbeddedChannel ch = pipeline(maxMessageSize);
    Recorder r = new Recorder();
    connection(ch).setHandler(r);
    ch.writeInbound(track(input));
    assertFalse(ch.isOpen());
    assertTrue(r.messages.isEmpty());
    assertInputsReleased();
    return r.awaitClose();
  }
}
