package io.jask.engine.distributed.comm;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The committed test PEM files under {@code src/test/resources/tls} (regenerate with its {@code
 * make-certs.sh}; valid until 2126).
 */
final class TestTls {
  private TestTls() {}

  static Path file(String name) {
    try {
      return Path.of(TestTls.class.getResource("/tls/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A cluster member: node certificate, trusting the test CA. */
  static CommSecurity node() {
    return CommSecurity.NONE.withTls(file("node.pem"), file("node.key"), file("ca.pem"), false);
  }

  /** A member that also requires client certificates. */
  static CommSecurity mutual() {
    return CommSecurity.NONE.withTls(file("node.pem"), file("node.key"), file("ca.pem"), true);
  }

  /** A client with a certificate signed by the test CA. */
  static CommSecurity client() {
    return CommSecurity.NONE.withTls(file("client.pem"), file("client.key"), file("ca.pem"), false);
  }

  /** A client that trusts the test CA but has no certificate. */
  static CommSecurity anonymous() {
    return CommSecurity.NONE.withTls(null, null, file("ca.pem"), false);
  }

  /** A member whose certificate another CA signed. */
  static CommSecurity rogue() {
    return CommSecurity.NONE.withTls(file("rogue.pem"), file("rogue.key"), file("rogue-ca.pem"), false);
  }

  static CommOptions options(CommSecurity s) {
    return CommOptions.DEFAULTS.withSecurity(s);
  }
}
