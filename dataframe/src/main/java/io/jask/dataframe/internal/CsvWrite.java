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
 * <p>With several arguments (a single-file write) the partitions are written one after the other
 * under one header. A path ending in {@code .gz} is gzip-compressed.
 *
 * @param path the target file
 * @param delimiter the field separator
 * @param header whether to write the header line
 * @param na how a missing value is written
 */
public record CsvWrite(String path, char delimiter, boolean header, String na) implements TaskFn {
  /** Comma, header, missing values empty. */
  public CsvWrite(String path) {
    this(path, ',', true, "");
  }

  @Override
  public Object apply(Object[] args) throws IOException {
    Table t = (Table) args[0];
    if (args.length > 1) {
      java.util.List<Table> parts = new java.util.ArrayList<>();
      for (Object o : args) {
        parts.add((Table) o);
      }
      t = Tables.concat(parts);
    }
    Path target = Path.of(path).toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      java.io.OutputStream os = Files.newOutputStream(tmp);
      if (path.endsWith(".gz")) {
        os = new java.util.zip.GZIPOutputStream(os, 1 << 16);
      }
      try (BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16)) {
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

  void write(Table t, BufferedWriter w) throws IOException {
    int nc = t.columnCount();
    if (header) {
      for (int c = 0; c < nc; c++) {
        if (c > 0) {
          w.write(delimiter);
        }
        w.write(quote(t.column(c).name()));
      }
      w.write('\n');
    }
    for (int r = 0; r < t.rowCount(); r++) {
      for (int c = 0; c < nc; c++) {
        if (c > 0) {
          w.write(delimiter);
        }
        Column<?> col = t.column(c);
        w.write(col.isMissing(r) ? na : col instanceof tech.tablesaw.api.DateTimeColumn d
            ? io.jask.io.DateTimes.format(io.jask.io.DateTimes.fromPacked(d.getLongInternal(r)))
            : quote(String.valueOf(col.get(r))));
      }
      w.write('\n');
    }
  }

  private String quote(String s) {
    if (s.indexOf(delimiter) < 0 && !s.equals(na) && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
