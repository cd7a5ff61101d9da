package io.jask.engine.distributed.comm;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The {@code tcp://} and {@code tls://} transports: pipeline layout, listening and connecting over
 * Netty (NIO or native epoll: {@link EventLoops}).
 */
final class TcpTransport {

  /** The name of the write-batching handler; {@link ChannelConnection#close} writes from there. */
  static final String FLUSH = "flush";

  /** Flushes forwarded at the latest after this many consolidated ones. */
  private static final int FLUSH_AFTER = 256;

  private TcpTransport() {}

  /**
   * Builds the message part of the pipeline of one TCP channel, head to tail: write batching,
   * outer framing and message decoding ({@link FrameDecoder}), outer length (4-byte big-endian) and
   * message encoding, dispatch. Public to the package for
   * {@code EmbeddedChannel} tests.
   */
  static ChannelConnection initPipeline(
      Channel ch, HeaderCodec codec, CommOptions options, Consumer<Connection> onActive) {
    return initPipeline(ch, codec, options, onActive, "tcp");
  }

  private static ChannelConnection initPipeline(
      Channel ch, HeaderCodec codec, CommOptions options, Consumer<Connection> onActive, String scheme) {
    ChannelConnection connection =
        new ChannelConnection(ch, onActive, scheme, options.maxPendingMessages());
    ch.pipeline()
        .addLast(FLUSH, new FlushConsolidationHandler(FLUSH_AFTER, true))
        .addLast("frameDecoder", new FrameDecoder(codec, options.maxMessageSize()))
        .addLast("framePrepender", new LengthFieldPrepender(4))
        .addLast("messageEncoder", new MessageEncoder(codec, options.maxMessageSize()))
        .addLast("connection", connection);
    return connection;
  }

  /**
   * The whole pipeline of a real connection, head to tail: TLS (for {@code tls://}), write
   * batching, the {@link Handshake} (removed once it succeeds), then {@link #initPipeline}'s
   * framing, codec and dispatch.
   *
   * @param ssl the TLS context, or null for plain TCP
   * @param peer the host and port dialled (client side, for TLS), or null on the server side
   */
  static Handshake initSecured(
      Channel ch,
      SslContext ssl,
      Comms.HostPort peer,
      HeaderCodec codec,
      CommOptions options,
      Consumer<Connection> onActive) {
    long timeout = Math.max(1, options.handshakeTimeout().toMillis());
    if (ssl != null) {
      SslHandler h =
          peer == null ? ssl.newHandler(ch.alloc()) : ssl.newHandler(ch.alloc(), peer.host(), peer.port());
      h.setHandshakeTimeoutMillis(timeout);
      ch.pipeline().addLast("ssl", h);
    }
    initPipeline(ch, codec, options, onActive, ssl != null ? "tls" : "tcp");
    Handshake handshake = new Handshake(peer == null, options.security().tokenBytes(), timeout);
    ch.pipeline().addAfter(FLUSH, "handshake", handshake);
    return handshake;
  }

  static Listener listen(
      boolean tls, String host, int port, Consumer<Connection> onAccept, HeaderCodec codec, CommOptions options)
      throws IOException {
    return listen(tls, host, port, onAccept, codec, options, false);
  }

  /**
   * @param oneLoop serve every accepted connection on one event loop of the shared group: a
   *     server that answers a message on one connection with writes to others (the scheduler: a
   *     result from one worker, the next task to another) then writes on the thread it reads on,
   *     without handing each write to another loop's thread
   */
  static Listener listen(
      boolean tls, String host, int port, Consumer<Connection> onAccept, HeaderCodec codec, CommOptions options,
      boolean oneLoop)
      throws IOException {
    SslContext ssl = tls ? Tls.server(options.security()) : null;
    String scheme = tls ? "tls" : "tcp";
    Set<ChannelConnection> accepted = ConcurrentHashMap.newKeySet();
    // set before close() closes what was accepted: a child channel still being set up on its
    // event loop then (accepted, not yet initialized) closes itself once it is
    java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    EventLoops.Group loops = EventLoops.configured();
    ServerBootstrap b =
        new ServerBootstrap()
            .group(loops.loops(), oneLoop ? loops.loops().next() : loops.loops())
            .channel(loops.serverSocketChannel())
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    initSecured(ch, ssl, null, codec, options, onAccept);
                    ChannelConnection c = ch.pipeline().get(ChannelConnection.class);
                    accepted.add(c);
                    c.closeFuture().whenComplete((v, e) -> accepted.remove(c));
                    if (closed.get()) {
                      c.close(); // the listener closed while this connection was being accepted
                    }
                  }
                });
    ChannelFuture bound = await(b.bind(host, port), scheme + "://" + host + ":" + port);
    Channel server = bound.channel();
    // The requested host with the real port: a wildcard bind would otherwise read "[0:0:…:0]".
    int boundPort = ((InetSocketAddress) server.localAddress()).getPort();
    String address =
        ChannelConnection.format(InetSocketAddress.createUnresolved(host, boundPort), scheme);
    return new Listener() {
      @Override
      public String address() {
        return address;
      }

      @Override
      public void close() {
        closed.set(true);
        server.close().syncUninterruptibly();
        accepted.forEach(ChannelConnection::close);
      }

      @Override
      public String toString() {
        return "Listener[" + address + "]";
      }
    };
  }

  /**
   * One connection attempt, including the handshake; {@link Comms#connect} retries.
   *
   * @param ssl the TLS context for a {@code tls://} address, or null
   * @throws HandshakeException if TLS or the token handshake fails (not worth retrying)
   */
  static Connection connect(
      Comms.HostPort hp, SslContext ssl, long timeoutMillis, HeaderCodec codec, CommOptions options)
      throws IOException {
    String host = hp.host();
    int port = hp.port();
    Handshake[] handshake = new Handshake[1];
    EventLoops.Group loops = EventLoops.configured();
    Bootstrap b =
        new Bootstrap()
            .group(loops.loops())
            .channel(loops.socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    handshake[0] = initSecured(ch, ssl, hp, codec, options, null);
                  }
                });
    String address = (ssl != null ? "tls://" : "tcp://") + host + ":" + port;
    ChannelFuture f = await(b.connect(host, port), address);
    ChannelConnection connection = f.channel().pipeline().get(ChannelConnection.class);
    // The handshake fails itself after options.handshakeTimeout(); this wait is a safety net.
    long left = options.handshakeTimeout().toMillis() + 1_000;
    try {
      handshake[0].done().get(Math.max(1, left), TimeUnit.MILLISECONDS);
      return connection;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.channel().close();
      throw new InterruptedIOException("interrupted during the handshake with " + address);
    } catch (ExecutionException e) {
      f.channel().close();
      if (e.getCause() instanceof HandshakeException h) {
        throw new HandshakeException(h.getMessage(), h.getCause());
      }
      throw new HandshakeException("handshake with " + address + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      f.channel().close();
      throw new HandshakeException("no handshake with " + address + " within " + Math.max(1, left) + " ms");
    }
  }

  private static ChannelFuture await(ChannelFuture f, String address) throws IOException {
    try {
      f.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(false);
      f.channel().close();
      throw new InterruptedIOException("interrupted while connecting to or binding " + address);
    }
    if (!f.isSuccess()) {
      Throwable cause = f.cause();
      if (cause instanceof IOException io) {
        throw io;
      }
      throw new IOException(address + ": " + cause, cause);
    }
    return f;
  }
}
