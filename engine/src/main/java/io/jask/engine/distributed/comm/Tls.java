package io.jask.engine.distributed.comm;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Netty {@link SslContext}s built from a {@link CommSecurity}'s PEM files (JDK provider, TLS 1.3
 * and 1.2), cached by file and modification time. The peer's certificate must chain to {@code ca};
 * its host name is not checked (like Dask: cluster members are addressed by IP and share a CA).
 */
final class Tls {

  private static final Map<List<Object>, SslContext> CACHE = new ConcurrentHashMap<>();
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private Tls() {}

  /** The context of a {@code tls://} listener. */
  static SslContext server(CommSecurity s) throws IOException {
    if (s.cert() == null) {
      throw new IOException(
          "listening at a tls:// address needs a certificate and key: set distributed.comm.tls.cert"
              + " and distributed.comm.tls.key (PEM files)");
    }
    return cached("server", s, () -> {
      SslContextBuilder b =
          SslContextBuilder.forServer(s.cert().toFile(), s.key().toFile())
              .sslProvider(SslProvider.JDK)
              .protocols(PROTOCOLS)
              .clientAuth(s.requireClientAuth() ? ClientAuth.REQUIRE : ClientAuth.NONE);
      if (s.ca() != null) {
        b.trustManager(s.ca().toFile());
      }
      return b.build();
    });
  }

  /** The context of a connection to a {@code tls://} address. */
  static SslContext client(CommSecurity s) throws IOException {
    return cached("client", s, () -> {
      SslContextBuilder b =
          SslContextBuilder.forClient()
              .sslProvider(SslProvider.JDK)
              .protocols(PROTOCOLS)
              .endpointIdentificationAlgorithm(null);
      if (s.ca() != null) {
        b.trustManager(s.ca().toFile());
      }
      if (s.cert() != null) {
        b.keyManager(s.cert().toFile(), s.key().toFile());
      }
      return b.build();
    });
  }

  private interface Build {
    SslContext build() throws Exception;
  }

  private static SslContext cached(String role, CommSecurity s, Build build) throws IOException {
    List<Object> key = new ArrayList<>(List.of(role, s.requireClientAuth()));
    key.add(stamp("distributed.comm.tls.cert", s.cert()));
    key.add(stamp("distributed.comm.tls.key", s.key()));
    key.add(stamp("distributed.comm.tls.ca", s.ca()));
    SslContext c = CACHE.get(key);
    if (c != null) {
      return c;
    }
    try {
      c = build.build();
    } catch (Exception e) {
      throw new IOException("cannot load the TLS material " + describe(s) + ": " + e.getMessage() + hint(s), e);
    }
    CACHE.put(key, c);
    return c;
  }

  /** The path and its modification time, after checking that it can be read. */
  private static String stamp(String configKey, Path p) throws IOException {
    if (p == null) {
      return "-";
    }
    if (!Files.isRegularFile(p)) {
      throw new IOException(configKey + ": no such file: " + p.toAbsolutePath());
    }
    if (!Files.isReadable(p)) {
      throw new IOException(configKey + ": file is not readable: " + p.toAbsolutePath());
    }
    return p.toAbsolutePath() + "@" + Files.getLastModifiedTime(p).toMillis();
  }

  private static String describe(CommSecurity s) {
    return "(distributed.comm.tls.cert=" + s.cert() + ", key=" + s.key() + ", ca=" + s.ca() + ")";
  }

  /** A hint when the key is PEM but not PKCS#8, which the JDK cannot read. */
  private static String hint(CommSecurity s) {
    if (s.key() == null) {
      return "";
    }
    try {
      String text = Files.readString(s.key(), StandardCharsets.US_ASCII);
      if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")) {
        return "; the key must be PKCS#8 (BEGIN PRIVATE KEY): convert it with `openssl pkcs8 -topk8"
            + " -nocrypt -in " + s.key() + " -out key.pem`";
      }
    } catch (IOException | RuntimeException ignored) {
      // the original error says enough
    }
    return "";
  }
}
