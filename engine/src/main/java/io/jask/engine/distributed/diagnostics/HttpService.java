package io.jask.engine.distributed.diagnostics;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server on Netty's HTTP codec: GET routes answered with whole bodies, and
 * server-sent-event streams that push one {@code data:} frame per interval. Used for the
 * scheduler's dashboard and each worker's {@code /metrics}. Its threads ({@code jask-http-N},
 * daemons) are shared by every server in the JVM; a handler may block briefly (e.g. to take a
 * scheduler summary) without touching the transport's threads.
 *
 * <pre>{@code
 * HttpService http = HttpService.builder()
 *     .route("/metrics", r -> HttpService.Response.text(PrometheusText.CONTENT_TYPE, metrics()))
 *     .start("127.0.0.1", 0);
 * }</pre>
 */
public final class HttpService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpService.class);

  /** A request: its path and decoded query parameters. */
  public record Request(String path, Map<String, List<String>> params) {
    /** The first value of a query parameter, or {@code dflt}. */
    public String param(String name, String dflt) {
      List<String> v = params.get(name);
      return v == null || v.isEmpty() ? dflt : v.get(0);
    }
  }

  /** A whole response. */
  public record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
    public static Response text(String contentType, String body) {
      return new Response(200, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static Response json(String body) {
      return text("application/json; charset=utf-8", body);
    }

    public static Response notFound(String what) {
      return new Response(404, "text/plain; charset=utf-8", ("not found: " + what + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static Response redirect(String to) {
      return new Response(302, "text/plain; charset=utf-8", new byte[0], Map.of("Location", to));
    }
  }

  /** One open event stream: {@link #next} gives the next frame's data, or null to skip a frame. */
  public interface EventStream {
    String next();
  }

  private static final class Group {
    static final EventLoopGroup GROUP =
        new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("jask-http", true), NioIoHandler.newFactory());
  }

  private final Map<String, Function<Request, Response>> routes;
  private final Map<String, Function<Request, Response>> prefixRoutes;
  private final Map<String, Function<Request, EventStream>> streams;
  private final long streamIntervalMillis;
  private final Channel server;
  private final Map<Channel, Boolean> open = new ConcurrentHashMap<>();

  private HttpService(Builder b, String host, int port) throws IOException {
    this.routes = Map.copyOf(b.routes);
    this.prefixRoutes = Map.copyOf(b.prefixRoutes);
    this.streams = Map.copyOf(b.streams);
    this.streamIntervalMillis = b.streamIntervalMillis;
    ServerBootstrap sb = new ServerBootstrap()
        .group(Group.GROUP)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            open.put(ch, true);
            ch.closeFuture().addListener(f -> open.remove(ch));
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024), new Handler());
          }
        });
    try {
      this.server = sb.bind(host, port).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while binding " + host + ":" + port, e);
    } catch (Exception e) {
      throw new IOException("cannot serve HTTP at " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** A builder of routes. */
  public static Builder builder() {
    return new Builder();
  }

  /** The bound port. */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The bound host (as given to bind). */
  public String host() {
    return ((InetSocketAddress) server.localAddress()).getHostString();
  }

  /** Stops listening and closes every open connection (streams included). */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    for (Channel c : open.keySet()) {
      c.close();
    }
  }

  /** Routes of an {@link HttpService}. */
  public static final class Builder {
    private final Map<String, Function<Request, Response>> routes = new java.util.HashMap<>();
    private final Map<String, Function<Request, Response>> prefixRoutes = new java.util.HashMap<>();
    private final Map<String, Function<Request, EventStream>> streams = new java.util.HashMap<>();
    private long streamIntervalMillis = 500;

    public Builder route(String path, Function<Request, Response> h) {
      routes.put(path, h);
      return this;
    }

    /** Answers every path starting with {@code prefix} (e.g. {@code /static/}). */
    public Builder prefix(String prefix, Function<Request, Response> h) {
      prefixRoutes.put(prefix, h);
      return this;
    }

    /** A server-sent-event stream at {@code path}; one stream object per connection. */
    public Builder stream(String path, Function<Request, EventStream> open) {
      streams.put(path, open);
      return this;
    }

    public Builder streamIntervalMillis(long ms) {
      this.streamIntervalMillis = ms;
      return this;
    }

    /** Binds {@code host:port} (port 0: any free port). */
    public HttpService start(String host, int port) throws IOException {
      return new HttpService(this, host, port);
    }
  }

  private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private ScheduledFuture<?> ticker;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      if (!req.decoderResult().isSuccess()) {
        send(ctx, req, new Response(400, "text/plain", "bad request\n".getBytes(StandardCharsets.UTF_8), Map.of()));
        return;
      }
      if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
        send(ctx, req, new Response(405, "text/plain", "only GET\n".getBytes(StandardCharsets.UTF_8), Map.of("Allow", "GET, HEAD")));
        return;
      }
      QueryStringDecoder q = new QueryStringDecoder(req.uri());
      Request r = new Request(q.path(), q.parameters());
      Function<Request, EventStream> stream = streams.get(r.path());
      if (stream != null) {
        startStream(ctx, stream.apply(r));
        return;
      }
      Response resp;
      try {
        Function<Request, Response> h = routes.get(r.path());
        if (h == null) {
          for (Map.Entry<String, Function<Request, Response>> e : prefixRoutes.entrySet()) {
            if (r.path().startsWith(e.getKey())) {
              h = e.getValue();
              break;
            }
          }
        }
        resp = h == null ? Response.notFound(r.path()) : h.apply(r);
      } catch (RuntimeException e) {
        log.warn("HTTP {} failed", r.path(), e);
        resp = new Response(500, "text/plain; charset=utf-8", ("error: " + e + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
      }
      send(ctx, req, resp);
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest req, Response r) {
      FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
          Unpooled.wrappedBuffer(req.method() == HttpMethod.HEAD ? new byte[0] : r.body()));
      resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
      resp.headers().set(HttpHeaderNames.CONTENT_LENGTH, req.method() == HttpMethod.HEAD ? 0 : r.body().length);
      resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
      r.headers().forEach((k, v) -> resp.headers().set(k, v));
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      if (keepAlive) {
        resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        ctx.writeAndFlush(resp);
      } else {
        ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
      }
    }

    private void startStream(ChannelHandlerContext ctx, EventStream s) {
      DefaultHttpResponse resp = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
      resp.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
      HttpUtil.setTransferEncodingChunked(resp, true);
      ctx.writeAndFlush(resp);
      Runnable push = () -> {
        if (!ctx.channel().isActive() || !ctx.channel().isWritable()) {
          return; // a slow reader skips frames instead of queueing them
        }
        try {
          String data = s.next();
          if (data != null) {
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer("data: " + data + "\n\n", StandardCharsets.UTF_8)));
          }
        } catch (RuntimeException e) {
          log.warn("event stream failed; closing it", e);
          ctx.close();
        }
      };
      push.run();
      ticker = ctx.executor().scheduleAtFixedRate(push, streamIntervalMillis, streamIntervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      if (ticker != null) {
        ticker.cancel(false);
      }
      super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
    }
  }

  /** Reads a class-path resource, or null. */
  static byte[] resource(String name) {
    try (var in = HttpService.class.getResourceAsStream(name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      return null;
    }
  }
}
