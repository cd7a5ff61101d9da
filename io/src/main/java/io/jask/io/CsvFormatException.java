package io.jask.io;

/**
 * A CSV row that cannot be read: wrong number of fields, or a field that does not parse as its
 * column's type. The message names the file, the line (1-based, counting the header) and the column.
 *
 * <pre>{@code
 * try { CsvReader.read(Path.of("a.csv"), CsvOptions.defaults()); }
 * catch (CsvFormatException e) { e.file(); e.line(); e.column(); }
 * }</pre>
 */
public final class CsvFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String file;
  private final long line;
  private final String column;

  /** A failure at {@code file:line} in {@code column} (empty when it concerns the whole row). */
  public CsvFormatException(String file, long line, String column, String problem) {
    super(file + ":" + line + (column.isEmpty() ? "" : ", column '" + column + "'") + ": " + problem);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  /** The file. */
  public String file() {
    return file;
  }

  /** The 1-based line number in the (decompressed) file. */
  public long line() {
    return line;
  }

  /** The column's name, or empty when the whole row is malformed. */
  public String column() {
    return column;
  }
}
