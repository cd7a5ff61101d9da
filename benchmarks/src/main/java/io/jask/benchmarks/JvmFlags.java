package io.jask.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one list of JVM flags (the root pom's {@code jask.jvm.flags}), as the engine's filtered
 * resource {@code io/jask/engine/jvm.flags} carries it. Benchmarks do not repeat the list: the
 * Runner and the JMH host JVM are started with {@code $(cat benchmarks/target/jvm.flags)}, JMH's
 * forks inherit the host's flags, and {@link #requireInThisJvm} checks that they arrived.
 */
public final class JvmFlags {
  private JvmFlags() {}

  /** The flags, one per element. */
  public static List<String> list() {
    try (InputStream in = JvmFlags.class.getResourceAsStream("/io/jask/engine/jvm.flags")) {
      if (in == null) {
        throw new IllegalStateException("io/jask/engine/jvm.flags is not on the class path (jask-engine missing?)");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The flags of {@link #list()} that this JVM was not started with. */
  public static List<String> missingInThisJvm() {
    List<String> have = ManagementFactory.getRuntimeMXBean().getInputArguments();
    List<String> missing = new ArrayList<>();
    for (String f : list()) {
      if (!have.contains(f)) {
        missing.add(f);
      }
    }
    return missing;
  }

  /**
   * Fails if this JVM lacks one of the flags, so that no number is measured on a differently
   * configured JVM.
   */
  public static void requireInThisJvm() {
    List<String> missing = missingInThisJvm();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("this JVM was started without the project's flags " + missing
          + "; start it with: java $(cat benchmarks/target/jvm.flags) ...");
    }
  }

  /** Prints the flags on one line (for scripts that have only the jar). */
  public static void main(String[] args) {
    System.out.println(String.join(" ", list()));
  }
}
