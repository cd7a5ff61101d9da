package io.jask.engine.distributed.comm;

import io.jask.engine.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Who may talk to a TCP endpoint: the TLS material used by {@code tls://} addresses and the shared
 * secret of the connection handshake. See {@code docs/security.md}.
 *
 * <pre>{@code
 * CommSecurity s = CommSecurity.NONE
 *     .withToken("3f9c…")                              // challenge-response, never sent
 *     .withTls(Path.of("node.pem"), Path.of("node.key"), Path.of("ca.pem"), true);
 * Comms.listen("tls://0.0.0.0:8786", onAccept, codec, CommOptions.DEFAULTS.withSecurity(s));
 * }</pre>
 *
 * @param token the shared secret both ends must know (UTF-8 bytes are the HMAC key), or null for
 *     none; {@link #toString()} never shows it
 * @param cert PEM certificate chain of this end (required to listen at {@code tls://}; sent as the
 *     client certificate when connecting), or null
 * @param key PEM PKCS#8 private key of {@code cert} ({@code BEGIN PRIVATE KEY}), or null
 * @param ca PEM certificates trusted to sign the peer's certificate; null trusts the JDK's default
 *     authorities when connecting and accepts no client certificates when listening
 * @param requireClientAuth a {@code tls://} listener refuses clients without a certificate signed
 *     by {@code ca} (mutual TLS)
 * @param requireEncryption refuse {@code tcp://} addresses (listening and connecting); {@code
 *     inproc://} stays allowed
 */
public record CommSecurity(
    String token, Path cert, Path key, Path ca, boolean requireClientAuth, boolean requireEncryption) {

  /** No TLS material, no token. */
  public static final CommSecurity NONE = new CommSecurity(null, null, null, null, false, false);

  public CommSecurity {
    if (token != null && token.isEmpty()) {
      throw new IllegalArgumentException("the auth token must not be empty");
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException(
          "distributed.comm.tls.cert and distributed.comm.tls.key go together: got cert="
              + cert
              + ", key="
              + key);
    }
    if (requireClientAuth && ca == null) {
      throw new IllegalArgumentException(
          "distributed.comm.tls.require-client-auth needs distributed.comm.tls.ca (the authority"
              + " that signs client certificates)");
    }
  }

  /** The settings under {@code distributed.comm.tls.*}, {@code distributed.comm.auth.*} and {@code distributed.comm.require-encryption}. */
  public static CommSecurity fromConfig() {
    String token = Config.getString("distributed.comm.auth.token", null);
    String tokenFile = Config.getString("distributed.comm.auth.token-file", null);
    if (token != null && tokenFile != null) {
      throw new IllegalArgumentException(
          "set distributed.comm.auth.token or distributed.comm.auth.token-file, not both");
    }
    if (tokenFile != null) {
      token = readToken(Path.of(tokenFile));
    }
    return new CommSecurity(
        token,
        path("distributed.comm.tls.cert"),
        path("distributed.comm.tls.key"),
        path("distributed.comm.tls.ca"),
        Config.getBoolean("distributed.comm.tls.require-client-auth", false),
        Config.getBoolean("distributed.comm.require-encryption", false));
  }

  /** Reads a token file: its content without surrounding white space (a trailing newline is usual). */
  static String readToken(Path file) {
    try {
      String t = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (t.isEmpty()) {
        throw new IllegalArgumentException("distributed.comm.auth.token-file " + file + " is empty");
      }
      return t;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read distributed.comm.auth.token-file " + file + ": " + e, e);
    }
  }

  private static Path path(String key) {
    String v = Config.getString(key, null);
    return v == null || v.isBlank() ? null : Path.of(v);
  }

  /** A copy with {@code token} (null for none). */
  public CommSecurity withToken(String token) {
    return new CommSecurity(token, cert, key, ca, requireClientAuth, requireEncryption);
  }

  /** A copy with TLS material. */
  public CommSecurity withTls(Path cert, Path key, Path ca, boolean requireClientAuth) {
    return new CommSecurity(token, cert, key, ca, requireClientAuth, requireEncryption);
  }

  /** A copy that refuses (or allows) {@code tcp://}. */
  public CommSecurity withRequireEncryption(boolean require) {
    return new CommSecurity(token, cert, key, ca, requireClientAuth, require);
  }

  /** The HMAC key, or null. */
  byte[] tokenBytes() {
    return token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CommSecurity s
        && Objects.equals(token, s.token)
        && Objects.equals(cert, s.cert)
        && Objects.equals(key, s.key)
        && Objects.equals(ca, s.ca)
        && requireClientAuth == s.requireClientAuth
        && requireEncryption == s.requireEncryption;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new Object[] {token, cert, key, ca, requireClientAuth, requireEncryption});
  }

  @Override
  public String toString() {
    return "CommSecurity[token="
        + (token == null ? "none" : "(set)")
        + ", cert="
        + cert
        + ", key="
        + key
        + ", ca="
        + ca
        + ", requireClientAuth="
        + requireClientAuth
        + ", requireEncryption="
        + requireEncryption
        + "]";
  }
}
