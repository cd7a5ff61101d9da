package io.jask.engine.distributed.comm;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Entry point of the transport: listen at and connect to addresses, like {@code
 * distributed.comm.listen} / {@code connect}. The scheme picks the transport:
 *
 * <ul>
 *   <li>{@code tcp://HOST:PORT}: Netty's native epoll transport where it loads (Linux x86-64),
 *       else NIO ({@code distributed.comm.transport = auto | nio | epoll}), on shared daemon event
 *       loops named {@code jask-comm-N} (their number: system property {@code
 *       jask.distributed.comm.threads}, default the number of processors), with {@code TCP_NODELAY} and {@code SO_KEEPALIVE}. Port 0 picks a free
 *       port; IPv6 hosts go in brackets ({@code tcp://[::1]:8786}).
 *   <li>{@code tls://HOST:PORT}: the same over TLS ({@link CommSecurity}: PEM certificate, key
 *       and CA; optionally mutual).
 *   <li>{@code inproc://NAME}, or {@code inproc://} for a fresh name: in this JVM, no
 *       serialization (the codec and options are not used; no TLS and no token: whoever can
 *       reach an inproc listener already runs in this JVM).
 * </ul>
 *
 * <p>Every TCP connection starts with a {@link Handshake} (a greeting, and the token's
 * challenge-response when {@code distributed.comm.auth.token} is set); {@link #connect} returns
 * and a listener's accept callback runs only after it succeeded.
 *
 * <pre>{@code
 * Listener l = Comms.listen("tcp://127.0.0.1:0", c -> c.setHandler(scheduler::handle), codec);
 * Connection c = Comms.connect(l.address(), Duration.ofSeconds(10), codec);
 * }</pre>
 */
public final class Comms {
  /** Connections (TCP and inproc ends) opened and not yet closed, for leak checks. */
  static final java.util.concurrent.atomic.AtomicInteger OPEN = new java.util.concurrent.atomic.AtomicInteger();

  /** How many connections of this JVM are open now (each end of an inproc pair counts). */
  public static int openConnections() {
    return OPEN.get();
  }


  private static final long FIRST_BACKOFF_MILLIS = 5;
  private static final long MAX_BACKOFF_MILLIS = 1_000;

  private Comms() {}

  /**
   * {@link #listen(String, Consumer, HeaderCodec, CommOptions)} with the options from
   * configuration ({@link CommOptions#fromConfig()}: limits, TLS material, token).
   */
  public static Listener listen(String address, Consumer<Connection> onAccept, HeaderCodec codec)
      throws IOException {
    return listen(address, onAccept, codec, CommOptions.fromConfig());
  }

  /**
   * Starts accepting connections at {@code address}.
   *
   * @param onAccept called once per accepted connection, on that connection's delivery thread;
   *     it typically calls {@link Connection#setHandler} (messages arriving before are queued)
   * @return the listener; {@link Listener#address()} gives the actual bound address
   * @throws IOException if the address cannot be bound
   * @throws IllegalArgumentException if the address is malformed or its scheme unknown
   */
  public static Listener listen(
      String address, Consumer<Connection> onAccept, HeaderCodec codec, CommOptions options)
      throws IOException {
    Objects.requireNonNull(onAccept, "onAccept");
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(options, "options");
    if (address.startsWith(InprocTransport.PREFIX)) {
      return InprocTransport.listen(address, onAccept);
    }
    boolean tls = isTls(address, options);
    HostPort hp = HostPort.parse(address, true);
    return TcpTransport.listen(tls, hp.host(), hp.port(), onAccept, codec, options);
  }

  /**
   * TCP/TLS listeners of this JVM that also accept in-JVM connections, by their address: see
   * {@link #listenWithShortcut}.
   */
  private static final java.util.Map<String, Shortcut> SHORTCUTS = new java.util.concurrent.ConcurrentHashMap<>();

  /** The inproc listener behind a TCP listener's address, and the security that listener demands. */
  private record Shortcut(String inprocAddress, CommSecurity security) {}

  /**
   * {@link #listen(String, Consumer, HeaderCodec, CommOptions)}, and the same {@code onAccept}
   * also gets connections from this JVM that {@link #connect(String, Duration, HeaderCodec,
   * CommOptions, boolean)} makes with {@code inprocShortcut} to the returned listener's address
   * under equal security settings: an {@code inproc} pair instead of a socket, with no
   * serialization, no handshake and no event-loop hop (the scheduler uses it for clients in its
   * own JVM). The shortcut ends when the listener closes. Every TCP connection it accepts is
   * served by one event loop, so a message read on one connection is answered on the others
   * without a hand-off between loop threads.
   */
  public static Listener listenWithShortcut(
      String address, Consumer<Connection> onAccept, HeaderCodec codec, CommOptions options)
      throws IOException {
    if (address.startsWith(InprocTransport.PREFIX)) {
      return listen(address, onAccept, codec, options);
    }
    Objects.requireNonNull(onAccept, "onAccept");
    Objects.requireNonNull(codec, "codec");
    boolean tls = isTls(address, options);
    HostPort hp = HostPort.parse(address, true);
    Listener tcp = TcpTransport.listen(tls, hp.host(), hp.port(), onAccept, codec, options, true);
    Listener inproc;
    try {
      inproc = InprocTransport.listen(InprocTransport.PREFIX, onAccept);
    } catch (IOException | RuntimeException e) {
      tcp.close();
      throw e;
    }
    String key = tcp.address();
    Shortcut shortcut = new Shortcut(inproc.address(), options.security());
    SHORTCUTS.put(key, shortcut);
    return new Listener() {
      @Override
      public String address() {
        return key;
      }

      @Override
      public void close() {
        SHORTCUTS.remove(key, shortcut);
        inproc.close();
        tcp.close();
      }

      @Override
      public String toString() {
        return tcp.toString();
      }
    };
  }

  /**
   * {@link #connect(String, Duration, HeaderCodec, CommOptions)}, or, with {@code
   * inprocShortcut}, an in-JVM connection when {@code address} is a listener of this JVM opened
   * with {@link #listenWithShortcut} whose security settings equal {@code options}' (so a client
   * with another token or other TLS material still goes through TCP and its handshake).
   */
  public static Connection connect(
      String address, Duration timeout, HeaderCodec codec, CommOptions options, boolean inprocShortcut)
      throws IOException {
    if (inprocShortcut) {
      Shortcut s = SHORTCUTS.get(address);
      if (s != null && s.security().equals(options.security())) {
        try {
          return InprocTransport.connect(s.inprocAddress());
        } catch (java.net.ConnectException closing) {
          // closed meanwhile: TCP reports it as usual
        }
      }
    }
    return connect(address, timeout, codec, options);
  }

  /**
   * {@link #connect(String, Duration, HeaderCodec, CommOptions)} with the options from
   * configuration ({@link CommOptions#fromConfig()}).
   */
  public static Connection connect(String address, Duration timeout, HeaderCodec codec)
      throws IOException {
    return connect(address, timeout, codec, CommOptions.fromConfig());
  }

  /** True for {@code tls://}; fails for {@code tcp://} when encryption is required. */
  private static boolean isTls(String address, CommOptions options) {
    if (address.startsWith(TLS)) {
      return true;
    }
    if (address.startsWith(TCP) && options.security().requireEncryption()) {
      throw new IllegalArgumentException(
          "distributed.comm.require-encryption is set: use tls:// instead of " + address);
    }
    return false;
  }

  /**
   * Connects to {@code address}, retrying with exponential backoff (5 ms doubling up to 1 s, with
   * jitter) while the peer refuses or is not there yet, until {@code timeout} has passed. Blocks
   * the calling thread, which must not be a {@code jask-comm} event-loop thread.
   *
   * @throws ConnectException naming the address, the time waited and the last attempt's error
   *     (also its cause) when the timeout passes
   * @throws InterruptedIOException if the calling thread is interrupted
   * @throws IllegalArgumentException if the address is malformed or its scheme unknown
   */
  public static Connection connect(
      String address, Duration timeout, HeaderCodec codec, CommOptions options)
      throws IOException {
    Objects.requireNonNull(codec, "codec");
    Objects.requireNonNull(options, "options");
    if (EventLoops.inEventLoop()) {
      throw new IllegalStateException("Comms.connect blocks; do not call it on an event loop");
    }
    Dialer dialer;
    if (address.startsWith(InprocTransport.PREFIX)) {
      dialer = millis -> InprocTransport.connect(address);
    } else {
      boolean tls = isTls(address, options);
      HostPort hp = HostPort.parse(address, false);
      io.netty.handler.ssl.SslContext ssl = tls ? Tls.client(options.security()) : null;
      dialer = millis -> TcpTransport.connect(hp, ssl, millis, codec, options);
    }
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    long backoff = FIRST_BACKOFF_MILLIS;
    int attempts = 0;
    IOException last;
    while (true) {
      attempts++;
      long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      try {
        return dialer.dial(Math.max(1, remaining));
      } catch (InterruptedIOException | HandshakeException e) {
        throw e;
      } catch (IOException e) {
        last = e;
      }
      remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (remaining <= 0) {
        break;
      }
      long sleep = Math.min(remaining, backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while connecting to " + address);
      }
      backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
    }
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    ConnectException e =
        new ConnectException(
            "Timed out trying to connect to "
                + address
                + " after "
                + waited
                + " ms ("
                + attempts
                + " attempts): "
                + last);
    e.initCause(last);
    throw e;
  }

  @FunctionalInterface
  private interface Dialer {
    Connection dial(long timeoutMillis) throws IOException;
  }

  private static final String TCP = "tcp://";
  private static final String TLS = "tls://";

  /** A parsed {@code tcp://host:port} or {@code tls://host:port}. */
  record HostPort(String host, int port) {

    static HostPort parse(String address, boolean portOptional) {
      String prefix = address.startsWith(TLS) ? TLS : TCP;
      if (!address.startsWith(prefix)) {
        throw new IllegalArgumentException(
            "unknown scheme in address (expected tcp://, tls:// or inproc://): " + address);
      }
      String rest = address.substring(prefix.length());
      if (rest.endsWith("/")) {
        rest = rest.substring(0, rest.length() - 1);
      }
      String host;
      String port;
      if (rest.startsWith("[")) {
        int close = rest.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException("unclosed IPv6 bracket in address: " + address);
        }
        host = rest.substring(1, close);
        port = rest.length() > close + 1 && rest.charAt(close + 1) == ':' ? rest.substring(close + 2) : null;
      } else {
        int colon = rest.lastIndexOf(':');
        host = colon < 0 ? rest : rest.substring(0, colon);
        port = colon < 0 ? null : rest.substring(colon + 1);
      }
      if (host.isEmpty()) {
        throw new IllegalArgumentException("no host in address: " + address);
      }
      if (port == null || port.isEmpty()) {
        if (!portOptional) {
          throw new IllegalArgumentException("no port in address: " + address);
        }
        return new HostPort(host, 0);
      }
      try {
        int p = Integer.parseInt(port);
        if (p < 0 || p > 65535) {
          throw new NumberFormatException();
        }
        return new HostPort(host, p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port in address: " + address);
      }
    }
  }
}
