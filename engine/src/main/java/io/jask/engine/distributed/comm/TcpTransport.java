package io.jask.engine.distributed.comm;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The {@code tcp://} transport: pipeline layout, listening and connecting over Netty NIO. */
final class TcpTransport {

  /** Flushes forwarded at the latest after this many consolidated ones. */
  private static final int FLUSH_AFTER = 256;

  private TcpTransport() {}

  /**
   * Builds the pipeline of one TCP channel, head to tail: write batching, outer framing (4-byte
   * big-endian length), message codec, dispatch. Public to the package for {@code
   * EmbeddedChannel} tests.
   */
  static ChannelConnection initPipeline(
      Channel ch, HeaderCodec codec, CommOptions options, Consumer<Connection> onActive) {
    ChannelConnection connection = new ChannelConnection(ch, onActive);
    ch.pipeline()
        .addLast("flush", new FlushConsolidationHandler(FLUSH_AFTER, true))
        .addLast(
            "frameDecoder",
            new LengthFieldBasedFrameDecoder(options.maxMessageSize() + 4, 0, 4, 0, 4, true))
        .addLast("framePrepender", new LengthFieldPrepender(4))
        .addLast("messageDecoder", new MessageDecoder(codec))
        .addLast("messageEncoder", new MessageEncoder(codec, options.maxMessageSize()))
        .addLast("connection", connection);
    return connection;
  }

  static Listener listen(
      String host, int port, Consumer<Connection> onAccept, HeaderCodec codec, CommOptions options)
      throws IOException {
    Set<ChannelConnection> accepted = ConcurrentHashMap.newKeySet();
    ServerBootstrap b =
        new ServerBootstrap()
            .group(EventLoops.group())
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ChannelConnection c = initPipeline(ch, codec, options, onAccept);
                    accepted.add(c);
                    c.closeFuture().whenComplete((v, e) -> accepted.remove(c));
                  }
                });
    ChannelFuture bound = await(b.bind(host, port), "tcp://" + host + ":" + port);
    Channel server = bound.channel();
    // The requested host with the real port: a wildcard bind would otherwise read "[0:0:…:0]".
    int boundPort = ((InetSocketAddress) server.localAddress()).getPort();
    String address = ChannelConnection.format(InetSocketAddress.createUnresolved(host, boundPort));
    return new Listener() {
      @Override
      public String address() {
        return address;
      }

      @Override
      public void close() {
        server.close().syncUninterruptibly();
        accepted.forEach(ChannelConnection::close);
      }

      @Override
      public String toString() {
        return "Listener[" + address + "]";
      }
    };
  }

  /** One connection attempt; {@link Comms#connect} retries. */
  static Connection connect(
      String host, int port, long timeoutMillis, HeaderCodec codec, CommOptions options)
      throws IOException {
    Bootstrap b =
        new Bootstrap()
            .group(EventLoops.group())
            .channel(NioSocketChannel.class)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    initPipeline(ch, codec, options, null);
                  }
                });
    ChannelFuture f = await(b.connect(host, port), "tcp://" + host + ":" + port);
    return f.channel().pipeline().get(ChannelConnection.class);
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
