package io.jask.dataframe.internal;

import io.jask.engine.TaskFn;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Writes one partition as a CSV file: to a temporary name in the target's directory, then renamed
 * onto the target, so a failed task leaves no partial file (the temporary one is deleted).
 * Header line, comma separated, missing values empty, a field quoted (with {@code ""}) when it
 * holds a comma, a quote or a line break; numbers as {@code Long.toString} / {@code
 * Double.toString}.
 *
 * @param path the target file
 */
public record CsvWrite(String path) implements TaskFn {
  @Override
  public Object apply(Object[] args) throws IOException {
    Table t = (Table) args[0];
    Path target = Path.of(path).toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        write(t, w);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot write " + target + ": " + io, io);
      }
      throw e;
    }
    return target.toString();
  }

  static void write(Table t, BufferedWriter w) throws IOException {
    int nc = t.columnCount();
    for (int c = 0; c < nc; c++) {
      if (c > 0) {
        w.write(',');
      }
      w.write(quote(t.column(c).name()));
    }
    w.write('\n');
    for (int r = 0; r < t.rowCount(); r++) {
      for (int c = 0; c < nc; c++) {
        if (c > 0) {
          w.write(',');
        }
        Column<?> col = t.column(c);
        if (!col.isMissing(r)) {
          w.write(quote(String.valueOf(col.get(r))));
        }
      }
      w.write('\n');
    }
  }

  private static String quote(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
