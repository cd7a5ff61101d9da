package io.jask.engine.distributed.comm;

import java.io.IOException;

/**
 * A TCP connection failed its handshake: TLS, the shared-secret token, or the protocol greeting.
 * {@link Comms#connect} does not retry after it (a wrong token or certificate stays wrong).
 *
 * <pre>{@code
 * try {
 *   Comms.connect("tls://scheduler:8786", Duration.ofSeconds(30), codec);
 * } catch (HandshakeException e) {
 *   System.err.println(e.getMessage()); // "… rejected our token (distributed.comm.auth.token)"
 * }
 * }</pre>
 */
public final class HandshakeException extends IOException {
  private static final long serialVersionUID = 1L;

  public HandshakeException(String message) {
    super(message);
  }

  public HandshakeException(String message, Throwable cause) {
    super(message, cause);
  }
}
