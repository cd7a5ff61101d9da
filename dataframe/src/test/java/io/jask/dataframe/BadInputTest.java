package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.io.CsvOptions;
import io.jask.io.DType;
import io.jask.testing.AllSchedulers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to {@link DFrame#readCsv}: files that are missing, that disappear or become
 * unreadable (a directory in their place) between building the graph and computing it, and
 * unknown columns. Every error names the file or column, also when it crosses from a worker.
 */
class BadInputTest {
  @TempDir Path dir;

  private Path write(String name, int from, int rows) throws IOException {
    StringBuilder b = new StringBuilder("id,x\n");
    for (int i = from; i < from + rows; i++) {
      b.append(i).append(',').append(i * 0.5).append('\n');
    }
    return Files.writeString(dir.resolve(name), b.toString());
  }

  private static String messages(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append(" | ");
    }
    return b.toString();
  }

  @Test
  void readCsv_missingFile_failsAtOnce_namingIt() {
    Path missing = dir.resolve("missing.csv");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DFrame.readCsv(missing.toString()));
    assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()), e.getMessage());
    IllegalArgumentException glob =
        assertThrows(IllegalArgumentException.class, () -> DFrame.readCsv(dir + "/none-*.csv"));
    assertTrue(glob.getMessage().contains("none-*.csv"), glob.getMessage());
  }

  @AllSchedulers
  void readCsv_fileDeletedBeforeCompute_failsNamingIt(String scheduler) throws IOException {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      write("a.csv", 0, 50);
      Path b = write("b.csv", 50, 50);
      write("c.csv", 100, 50);
      DFrame df = DFrame.readCsv(dir + "/*.csv", CsvOptions.defaults().withType("x", DType.DOUBLE));
      Files.delete(b);
      RuntimeException e = assertThrows(RuntimeException.class, df::compute);
      assertTrue(messages(e).contains("b.csv"), messages(e));
    }
  }

  @AllSchedulers
  void readCsv_directoryInPlaceOfFile_failsNamingIt(String scheduler) throws IOException {
    // Tests run as root in CI, where permission bits do not stop reads: a directory is a path
    // that cannot be read as a file for every user.
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Path a = write("a.csv", 0, 50);
      DFrame df = DFrame.readCsv(a.toString(), CsvOptions.defaults().withType("x", DType.DOUBLE));
      Files.delete(a);
      Files.createDirectory(a);
      RuntimeException e = assertThrows(RuntimeException.class, df::compute);
      assertTrue(messages(e).contains("a.csv"), messages(e));
    }
  }

  @Test
  void readCsv_unknownColumns_failNamingThem() throws IOException {
    Path a = write("a.csv", 0, 10);
    IllegalArgumentException projected =
        assertThrows(IllegalArgumentException.class,
            () -> DFrame.readCsv(a.toString(), CsvOptions.defaults().withColumns("id", "nope")));
    assertTrue(projected.getMessage().contains("nope"), projected.getMessage());
    DFrame df = DFrame.readCsv(a.toString());
    IllegalArgumentException selected = assertThrows(IllegalArgumentException.class, () -> df.select("zz"));
    assertTrue(selected.getMessage().contains("zz"), selected.getMessage());
    IllegalArgumentException grouped = assertThrows(IllegalArgumentException.class, () -> df.groupBy("missing"));
    assertTrue(grouped.getMessage().contains("missing"), grouped.getMessage());
  }

  @AllSchedulers
  void readCsv_rowWithTooFewFields_failsNamingFileAndLine(String scheduler) throws IOException {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Path a = write("short.csv", 0, 200);
      Files.writeString(a, "7\n", java.nio.file.StandardOpenOption.APPEND);
      DFrame df = DFrame.readCsv(a.toString(), CsvOptions.defaults().withType("x", DType.DOUBLE).withBlocksize(512));
      RuntimeException e = assertThrows(RuntimeException.class, df::compute);
      assertTrue(messages(e).contains("short.csv:202"), messages(e));
    }
  }
}
