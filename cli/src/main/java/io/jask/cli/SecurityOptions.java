package io.jask.cli;

import io.jask.engine.config.Config;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The TLS and token flags of {@code bin/jask scheduler} and {@code bin/jask worker}; each sets the
 * configuration key of the same meaning (see docs/security.md), overriding files and environment.
 */
final class SecurityOptions {
  @Option(names = "--tls-cert", description = "PEM certificate chain (distributed.comm.tls.cert).")
  Path cert;

  @Option(names = "--tls-key", description = "PEM PKCS#8 private key of --tls-cert (distributed.comm.tls.key).")
  Path key;

  @Option(names = "--tls-ca", description = "PEM certificate(s) of the authority that signs the peers (distributed.comm.tls.ca).")
  Path ca;

  @Option(names = "--tls-require-client-auth", description = "Refuse clients without a certificate signed by --tls-ca (mutual TLS).")
  boolean requireClientAuth;

  @Option(names = "--token-file", description = "File holding the shared-secret token (distributed.comm.auth.token-file).")
  Path tokenFile;

  /** True if a certificate is set, here or in the configuration. */
  boolean tls() {
    return cert != null || Config.getString("distributed.comm.tls.cert", null) != null;
  }

  /** Opens a configuration scope with the given flags; close it when the command ends. */
  Config.Scope apply() {
    Map<String, Object> set = new HashMap<>();
    if (cert != null) {
      set.put("distributed.comm.tls.cert", cert.toAbsolutePath().toString());
    }
    if (key != null) {
      set.put("distributed.comm.tls.key", key.toAbsolutePath().toString());
    }
    if (ca != null) {
      set.put("distributed.comm.tls.ca", ca.toAbsolutePath().toString());
    }
    if (requireClientAuth) {
      set.put("distributed.comm.tls.require-client-auth", true);
    }
    if (tokenFile != null) {
      set.put("distributed.comm.auth.token-file", tokenFile.toAbsolutePath().toString());
      set.put("distributed.comm.auth.token", null);
    }
    return Config.set(set);
  }
}
