package io.jask.bag;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to {@link Bag#readText}: a missing file, and files that disappear or become
 * unreadable (a directory in their place) before the computation. Errors name the file, also
 * when they come from a worker.
 */
class BadInputTest {
  @TempDir Path dir;

  private static String messages(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append(" | ");
    }
    return b.toString();
  }

  @Test
  void readText_missingFile_failsAtOnce_namingIt() {
    Path missing = dir.resolve("missing.txt");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Bag.readText(missing.toString()));
    assertTrue(e.getMessage().contains("missing.txt"), e.getMessage());
  }

  @AllSchedulers
  void readText_fileDeletedBeforeCompute_failsNamingIt(String scheduler) throws IOException {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Files.writeString(dir.resolve("0.txt"), "a\nb\n");
      Path gone = Files.writeString(dir.resolve("1.txt"), "c\nd\n");
      Bag<String> b = Bag.readText(dir + "/*.txt");
      Files.delete(gone);
      RuntimeException e = assertThrows(RuntimeException.class, b::compute);
      assertTrue(messages(e).contains("1.txt"), messages(e));
    }
  }

  @AllSchedulers
  void readText_directoryInPlaceOfFile_failsNamingIt(String scheduler) throws IOException {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Path f = Files.writeString(dir.resolve("lines.txt"), "a\nb\nc\n");
      Bag<String> b = Bag.readText(f.toString());
      Files.delete(f);
      Files.createDirectory(f);
      RuntimeException e = assertThrows(RuntimeException.class, b::compute);
      assertTrue(messages(e).contains("lines.txt"), messages(e));
    }
  }
}
