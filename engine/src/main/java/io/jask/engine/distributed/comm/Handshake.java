package io.jask.engine.distributed.comm;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The greeting every TCP connection starts with, in front of the message codec. Until it succeeds
 * no byte of the connection goes further down the pipeline (so none reaches the {@link
 * HeaderCodec}, i.e. Kryo), {@code channelActive} is held back (the listener's accept callback is
 * not called) and {@link Comms#connect} does not return. On success it removes itself and hands any
 * bytes that followed to the frame decoder; on failure, or when {@code timeout} passes first
 * (counted from the TCP connect, so it covers TLS too), the connection is closed with a {@link
 * HandshakeException}.
 *
 * <p>The exchange, after TLS when the address is {@code tls://}; all fields fixed-size:
 *
 * <pre>
 *   both ends, at once:  HELLO  = "JASK" | version 1 | flags (bit 0: has a token) | nonce[32]
 *   with a token on both ends:
 *   client -> server:    PROOF  = HMAC-SHA256(token, "jask-client" | clientNonce | serverNonce)
 *   server -> client:    1 | HMAC-SHA256(token, "jask-server" | clientNonce | serverNonce)
 *                        or 0 (rejected), then the server closes
 * </pre>
 *
 * The token itself never crosses the wire; fresh random nonces on both sides make every proof
 * single-use, and the two labels stop a proof from being reflected back. The server proves itself
 * only after the client did, so a stranger learns nothing about the token. A token on one end only
 * fails on both ends with a message saying which end lacks it.
 */
final class Handshake extends ByteToMessageDecoder {

  static final int MAGIC = 0x4A41534B; // "JASK"
  static final byte VERSION = 1;
  static final int NONCE = 32;
  static final int MAC = 32;
  static final int HELLO = 4 + 1 + 1 + NONCE;
  static final byte FLAG_TOKEN = 1;
  static final byte ACCEPTED = 1;
  static final byte REJECTED = 0;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] CLIENT_LABEL = "jask-client".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SERVER_LABEL = "jask-server".getBytes(StandardCharsets.US_ASCII);

  private enum Step { HELLO, CLIENT_PROOF, SERVER_PROOF, DONE, FAILED }

  private final boolean server;
  private final byte[] token;
  private final long timeoutMillis;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final byte[] nonce = new byte[NONCE];
  private byte[] peerNonce;
  private Step step = Step.HELLO;
  private ScheduledFuture<?> timer;

  /**
   * @param server true on the accepting end
   * @param token the shared secret (HMAC key), or null for none
   */
  Handshake(boolean server, byte[] token, long timeoutMillis) {
    this.server = server;
    this.token = token == null ? null : token.clone();
    this.timeoutMillis = timeoutMillis;
    RANDOM.nextBytes(nonce);
  }

  /** Completes when the handshake succeeded; fails with a {@link HandshakeException}. */
  CompletableFuture<Void> done() {
    return done;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timer =
        ctx.executor()
            .schedule(
                () -> fail(ctx, "no handshake within " + timeoutMillis + " ms"
                    + " (distributed.comm.timeouts.handshake)", null),
                timeoutMillis,
                TimeUnit.MILLISECONDS);
    ByteBuf hello = ctx.alloc().buffer(HELLO);
    hello.writeInt(MAGIC).writeByte(VERSION).writeByte(token != null ? FLAG_TOKEN : 0).writeBytes(nonce);
    ctx.writeAndFlush(hello);
    // channelActive goes on only after success.
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (step != Step.DONE && step != Step.FAILED) {
      switch (step) {
        case HELLO -> {
          if (in.readableBytes() >= 4 && in.getInt(in.readerIndex()) != MAGIC) {
            fail(ctx, badGreeting(in.getInt(in.readerIndex())), null);
            return;
          }
          if (in.readableBytes() < HELLO) {
            return;
          }
          if (!readHello(ctx, in)) {
            return;
          }
        }
        case CLIENT_PROOF -> {
          if (in.readableBytes() < MAC) {
            return;
          }
          byte[] proof = new byte[MAC];
          in.readBytes(proof);
          if (!MessageDigest.isEqual(proof, mac(CLIENT_LABEL))) {
            ByteBuf no = ctx.alloc().buffer(1).writeByte(REJECTED);
            ctx.writeAndFlush(no);
            fail(ctx, "wrong token proof (the peer's distributed.comm.auth.token differs)", null);
            return;
          }
          ByteBuf yes = ctx.alloc().buffer(1 + MAC).writeByte(ACCEPTED).writeBytes(mac(SERVER_LABEL));
          ctx.writeAndFlush(yes);
          succeed(ctx);
        }
        case SERVER_PROOF -> {
          if (in.readableBytes() < 1) {
            return;
          }
          if (in.getByte(in.readerIndex()) != ACCEPTED) {
            fail(ctx, "the peer rejected our token (distributed.comm.auth.token differs from the peer's)", null);
            return;
          }
          if (in.readableBytes() < 1 + MAC) {
            return;
          }
          in.skipBytes(1);
          byte[] proof = new byte[MAC];
          in.readBytes(proof);
          if (!MessageDigest.isEqual(proof, mac(SERVER_LABEL))) {
            fail(ctx, "the peer failed to prove that it knows the token", null);
            return;
          }
          succeed(ctx);
        }
        default -> throw new IllegalStateException(step.toString());
      }
    }
  }

  /** Reads the peer's HELLO; false if the handshake failed. */
  private boolean readHello(ChannelHandlerContext ctx, ByteBuf in) {
    int magic = in.readInt();
    byte version = in.readByte();
    byte flags = in.readByte();
    if (magic != MAGIC) {
      fail(ctx, badGreeting(magic), null);
      return false;
    }
    if (version != VERSION) {
      fail(ctx, "the peer speaks protocol version " + version + ", this end " + VERSION, null);
      return false;
    }
    peerNonce = new byte[NONCE];
    in.readBytes(peerNonce);
    boolean peerHasToken = (flags & FLAG_TOKEN) != 0;
    if (token != null && !peerHasToken) {
      fail(ctx, "the peer has no token but this end requires one (distributed.comm.auth.token)", null);
      return false;
    }
    if (token == null && peerHasToken) {
      fail(ctx, "the peer requires a token: set distributed.comm.auth.token or"
          + " distributed.comm.auth.token-file (the same secret as the peer's)", null);
      return false;
    }
    if (token == null) {
      succeed(ctx);
    } else if (server) {
      step = Step.CLIENT_PROOF;
    } else {
      ctx.writeAndFlush(ctx.alloc().buffer(MAC).writeBytes(mac(CLIENT_LABEL)));
      step = Step.SERVER_PROOF;
    }
    return true;
  }

  private static String describe(Throwable t) {
    String why = t instanceof javax.net.ssl.SSLException ? "TLS: " + t.getMessage() : t.toString();
    if (t instanceof io.netty.handler.ssl.NotSslRecordException
        && String.valueOf(t.getMessage()).contains(Integer.toHexString(MAGIC))) {
      why = "the peer is a plain tcp:// endpoint, not tls:// (" + why + ")";
    }
    return why;
  }

  private static String badGreeting(int magic) {
    String why = "not a Jask peer: bad greeting 0x" + Integer.toHexString(magic);
    int type = magic >>> 24;
    if (type >= 0x14 && type <= 0x17 && ((magic >>> 16) & 0xff) == 3) {
      why += " (a TLS record: the peer listens at tls://, connect to tls:// too)";
    }
    return why;
  }

  private byte[] mac(byte[] label) {
    byte[] clientNonce = server ? peerNonce : nonce;
    byte[] serverNonce = server ? nonce : peerNonce;
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(token, "HmacSHA256"));
      m.update(label);
      m.update(clientNonce);
      m.update(serverNonce);
      return m.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private void succeed(ChannelHandlerContext ctx) {
    step = Step.DONE;
    cancelTimer();
    done.complete(null);
    ctx.fireChannelActive();
    ctx.pipeline().remove(this);
  }

  private void fail(ChannelHandlerContext ctx, String why, Throwable cause) {
    if (step == Step.DONE || step == Step.FAILED) {
      return;
    }
    step = Step.FAILED;
    cancelTimer();
    if (why.length() > 300) {
      why = why.substring(0, 300) + "…";
    }
    HandshakeException e = new HandshakeException(
        "handshake with " + ChannelConnection.format(ctx.channel().remoteAddress(), null) + " failed: " + why, cause);
    done.completeExceptionally(e);
    if (internalBuffer().isReadable()) {
      internalBuffer().skipBytes(internalBuffer().readableBytes());
    }
    // Logged once, by the connection handler at the end of the pipeline; then closed after what
    // was written (a rejection byte) is flushed.
    ctx.fireExceptionCaught(e);
    ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess() && step != Step.DONE) {
      Throwable c = e.cause();
      fail(ctx, describe(c), c);
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (step == Step.DONE || step == Step.FAILED) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    Throwable root = cause.getCause() != null && cause instanceof io.netty.handler.codec.DecoderException ? cause.getCause() : cause;
    fail(ctx, describe(root), root);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelTimer();
    if (step != Step.DONE && step != Step.FAILED) {
      step = Step.FAILED;
      done.completeExceptionally(
          new HandshakeException(
              "connection to "
                  + ChannelConnection.format(ctx.channel().remoteAddress(), null)
                  + " closed during the handshake (TLS or token settings differ? the peer's log says"
                  + " why)"));
    }
    super.channelInactive(ctx);
  }
}
