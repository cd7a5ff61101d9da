package io.jask.engine.distributed.comm;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a TCP pipeline and the {@link Connection} built on its channel: dispatches
 * decoded {@link Message}s to the {@link MessageHandler}, queueing them until one is set, and
 * closes the channel on any error that reaches it (a malformed frame, an I/O error), logging a
 * warning. The close affects this channel only.
 *
 * <p>Delivery state ({@code handler}, {@code pending}, {@code inactive}) is touched only on the
 * channel's event loop, so it needs no locking.
 */
final class ChannelConnection extends ChannelInboundHandlerAdapter implements Connection {

  private static final Logger log = LoggerFactory.getLogger(ChannelConnection.class);

  private final Channel channel;
  private final Consumer<Connection> onActive;
  private final String scheme;
  private final int maxPending;
  /** Messages passed to {@link #send} whose write has not completed yet. */
  private final AtomicInteger unsent = new AtomicInteger();
  private final AtomicBoolean limitLogged = new AtomicBoolean();
  private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
  private volatile String localAddress;
  private volatile String peerAddress;

  // Event-loop confined.
  private MessageHandler handler;
  private final ArrayDeque<Message> pending = new ArrayDeque<>();
  private boolean inactive;
  private boolean closeReported;
  private boolean handlerFailed;
  private Throwable cause;

  /**
   * @param onActive called once on the event loop when the channel is connected (the listener's
   *     accept callback), or null
   */
  ChannelConnection(Channel channel, Consumer<Connection> onActive) {
    this(channel, onActive, "tcp", CommOptions.DEFAULTS.maxPendingMessages());
  }

  /**
   * @param scheme {@code tcp} or {@code tls}, for the addresses this connection reports
   * @param maxPending the most messages this connection holds unsent or undelivered before it is
   *     closed
   */
  ChannelConnection(Channel channel, Consumer<Connection> onActive, String scheme, int maxPending) {
    this.channel = channel;
    this.onActive = onActive;
    this.scheme = scheme;
    this.maxPending = maxPending;
    Comms.OPEN.incrementAndGet();
    channel.closeFuture().addListener(f -> {
      Comms.OPEN.decrementAndGet();
      closeFuture.complete(null);
    });
  }

  /** The Netty channel (for tests: which transport carries it). */
  Channel channel() {
    return channel;
  }

  @Override
  public String localAddress() {
    String a = localAddress;
    return a != null ? a : format(channel.localAddress(), scheme);
  }

  @Override
  public String peerAddress() {
    String a = peerAddress;
    return a != null ? a : format(channel.remoteAddress(), scheme);
  }

  @Override
  public CompletableFuture<Void> send(Message message) {
    Objects.requireNonNull(message, "message");
    CompletableFuture<Void> result = new CompletableFuture<>();
    if (unsent.incrementAndGet() > maxPending) {
      unsent.decrementAndGet();
      IOException e =
          new IOException(
              "more than "
                  + maxPending
                  + " messages waiting to be sent to "
                  + peerAddress()
                  + ", which does not read them (distributed.comm.limits.max-pending-messages)");
      limitBroken(e);
      result.completeExceptionally(e);
      return result;
    }
    outgoing.add(new Outgoing(message, result));
    if (channel.eventLoop().inEventLoop()) {
      writeOutgoing();
    } else if (writeScheduled.compareAndSet(false, true)) {
      try {
        channel.eventLoop().execute(writeTask);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        writeScheduled.set(false);
        failOutgoing(e);
      }
    }
    return result;
  }

  /** A message passed to {@link #send} and not yet handed to the channel. */
  private record Outgoing(Message message, CompletableFuture<Void> result) {}

  /**
   * Messages in the order {@link #send} was called, written only by the event loop. Netty writes
   * at once when called on the event loop but queues a task when called from another thread, so
   * writing directly would let a message sent on the event loop overtake one another thread sent
   * before it (a scheduler's FreeKeys overtaking its ComputeTask for the same key, say, leaving
   * the task unknown to the worker). Every send goes through this queue instead; whoever writes
   * drains it all, in order, with one flush.
   */
  private final java.util.concurrent.ConcurrentLinkedQueue<Outgoing> outgoing = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final AtomicBoolean writeScheduled = new AtomicBoolean();
  private final Runnable writeTask = () -> {
    writeScheduled.set(false);
    writeOutgoing();
  };

  /** On the event loop: writes every queued message, in order, then flushes once. */
  private void writeOutgoing() {
    int wrote = 0;
    for (Outgoing o; (o = outgoing.poll()) != null; ) {
      CompletableFuture<Void> result = o.result();
      channel
          .write(o.message())
          .addListener(
              f -> {
                unsent.decrementAndGet();
                if (f.isSuccess()) {
                  result.complete(null);
                } else {
                  result.completeExceptionally(f.cause());
                }
              });
      if (++wrote % FLUSH_EVERY == 0) {
        channel.flush(); // a long stream of sends reaches the socket as it is written
      }
    }
    if (wrote % FLUSH_EVERY != 0) {
      channel.flush();
    }
  }

  /** While draining many queued messages, flush after this many. */
  private static final int FLUSH_EVERY = 64;

  private void failOutgoing(Throwable e) {
    for (Outgoing o; (o = outgoing.poll()) != null; ) {
      unsent.decrementAndGet();
      o.result().completeExceptionally(e);
    }
  }

  @Override
  public void setHandler(MessageHandler h) {
    Objects.requireNonNull(h, "handler");
    if (channel.eventLoop().inEventLoop()) {
      installHandler(h);
    } else {
      channel.eventLoop().execute(() -> installHandler(h));
    }
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return closeFuture;
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  /**
   * Flushes what was sent before, then closes. The empty write starts below the codecs (at the
   * write batching, above TLS, which must encrypt what it holds), so its future completes after
   * every earlier write.
   */
  @Override
  public void close() {
    channel
        .eventLoop()
        .execute(
            () -> {
              writeOutgoing(); // what was sent before the close goes first
              if (channel.isOpen()) {
                ChannelHandlerContext first = channel.pipeline().context(TcpTransport.FLUSH);
                (first != null ? first : channel.pipeline().firstContext())
                    .writeAndFlush(Unpooled.EMPTY_BUFFER)
                    .addListener(ChannelFutureListener.CLOSE);
              }
            });
  }

  @Override
  public String toString() {
    return "Connection[" + localAddress() + " -> " + peerAddress() + "]";
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    localAddress = format(channel.localAddress(), scheme);
    peerAddress = format(channel.remoteAddress(), scheme);
    if (onActive != null) {
      try {
        onActive.accept(this);
      } catch (RuntimeException e) {
        log.warn("Accept callback failed for {}; closing it", this, e);
        cause = e;
        ctx.close();
      }
    }
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Message m)) {
      ReferenceCountUtil.release(msg);
      throw new IllegalStateException("unexpected " + msg.getClass().getName() + " in pipeline");
    }
    if (handler == null || !pending.isEmpty()) {
      if (pending.size() >= maxPending) {
        exceptionCaught(
            ctx,
            new IOException(
                "more than "
                    + maxPending
                    + " received messages wait for a handler"
                    + " (distributed.comm.limits.max-pending-messages)"));
        return;
      }
      pending.add(m);
    } else {
      deliver(m);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    inactive = true;
    if (handler != null) {
      reportClose();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable t) {
    if (cause == null) {
      cause = t;
    }
    if (channel.isOpen()) {
      log.warn("Closing connection {} -> {}: {}", localAddress(), peerAddress(), t.toString());
      ctx.close();
    } else {
      log.debug("Error on closed connection {}", this, t);
    }
  }

  private void installHandler(MessageHandler h) {
    handler = h;
    while (!pending.isEmpty() && handler == h) {
      deliver(pending.poll());
    }
    if (inactive) {
      reportClose();
    }
  }

  private void deliver(Message m) {
    if (handlerFailed) {
      return;
    }
    try {
      handler.onMessage(this, m);
    } catch (RuntimeException | Error e) {
      log.warn("Message handler failed on {}; closing it", this, e);
      handlerFailed = true;
      if (cause == null) {
        cause = e;
      }
      pending.clear();
      channel.close();
    }
  }

  private void reportClose() {
    if (closeReported) {
      return;
    }
    // Messages still queued behind a close are delivered first.
    while (!pending.isEmpty()) {
      deliver(pending.poll());
    }
    closeReported = true;
    try {
      handler.onClose(this, cause);
    } catch (RuntimeException e) {
      log.warn("onClose handler failed on {}", this, e);
    }
  }

  /** Closes the connection for a broken limit, logging that once. */
  private void limitBroken(IOException e) {
    if (limitLogged.compareAndSet(false, true)) {
      log.warn("Closing connection {} -> {}: {}", localAddress(), peerAddress(), e.getMessage());
    }
    channel
        .eventLoop()
        .execute(
            () -> {
              if (cause == null) {
                cause = e;
              }
              channel.close();
            });
  }

  static String format(SocketAddress address) {
    return format(address, "tcp");
  }

  /** {@code SCHEME://host:port}, or {@code host:port} for a null scheme. */
  static String format(SocketAddress address, String scheme) {
    String prefix = scheme == null ? "" : scheme + "://";
    if (address instanceof InetSocketAddress a) {
      String host = a.getHostString();
      if (host.indexOf(':') >= 0) {
        host = "[" + host + "]";
      }
      return prefix + host + ":" + a.getPort();
    }
    return prefix + address;
  }
}
