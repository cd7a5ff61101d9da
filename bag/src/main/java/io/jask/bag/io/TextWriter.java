package io.jask.bag.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one partition as a text file, one element per line ({@code toString()}), gzip-compressed
 * when the name ends with {@code .gz}. The file appears whole or not at all: the lines go to a
 * hidden temporary file in the same directory, which is renamed to the final name only after it
 * was written and closed; on failure the temporary file is deleted.
 *
 * <pre>{@code
 * TextWriter.write(Path.of("out/0.part"), List.of("a", "b"));
 * }</pre>
 */
public final class TextWriter {
  private TextWriter() {}

  /** Writes the lines to {@code target} atomically; returns {@code target}. */
  public static Path write(Path target, Iterable<?> lines) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      try (OutputStream raw = Files.newOutputStream(tmp);
          OutputStream os = target.toString().endsWith(".gz") ? new GZIPOutputStream(raw, 1 << 16) : raw;
          Writer w = new java.io.BufferedWriter(new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16)) {
        for (Object line : lines) {
          w.write(String.valueOf(line));
          w.write('\n');
        }
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      tmp = null;
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the original failure is what matters
        }
      }
    }
  }
}
