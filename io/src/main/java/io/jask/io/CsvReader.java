package io.jask.io;

import io.jask.io.internal.ColumnBuilder;
import io.jask.io.internal.CsvScanner;
import io.jask.io.internal.FieldSink;
import io.jask.io.internal.RangeBytes;
import io.jask.io.internal.TypeSniffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.SoftReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import tech.tablesaw.api.Table;

/**
 * Reads CSV into Tablesaw tables, one {@link ByteRange} at a time, parsing only the projected
 * columns straight from the bytes (numbers in place, the number's end being the field's end;
 * doubles by Clinger's path or Eisel–Lemire, see {@code internal.DoubleParse}; strings
 * dictionary-encoded: one String per distinct value), then
 * assembling the Tablesaw columns from the parsed arrays and dictionary codes without a per-row
 * Tablesaw call.
 *
 * <pre>{@code
 * CsvOptions o = CsvReader.resolve(Path.of("a.csv"), CsvOptions.defaults().withColumns("id", "x"));
 * Table whole = CsvReader.read(Path.of("a.csv"), o);
 * for (ByteRange r : Blocks.split(Path.of("a.csv"), 1 << 20)) {
 *   Table part = CsvReader.read(r, o);    // the rows of the lines that start in r
 * }
 * }</pre>
 */
public final class CsvReader {
  private CsvReader() {}

  /**
   * The options with column names and every column's type fixed: names from the header of {@code
   * file} (or {@code c0, c1, …} without one) unless given, and types not given inferred from the
   * first {@link CsvOptions#sampleBytes()} bytes (LONG, DOUBLE, BOOLEAN, else STRING).
   */
  public static CsvOptions resolve(Path file, CsvOptions options) {
    if (options.isResolved()) {
      checkColumns(options);
      return options;
    }
    byte[] sample = sample(file, options);
    int end = sample.length;
    int from = 0;
    List<String> header = new ArrayList<>();
    if (options.header()) {
      from = CsvScanner.nextLine(sample, 0, end);
      int hEnd = from > 0 && sample[from - 1] == '\n' ? from - 1 : from;
      CsvScanner.scan(sample, 0, hEnd, (byte) options.delimiter(), new FieldSink() {
        @Override
        public void field(int column, byte[] buf, int s, int e, boolean escaped) {
          header.add(new String(buf, s, e - s, StandardCharsets.UTF_8).replace("\"\"", "\""));
        }

        @Override
        public void endLine(int fields) {}
      }, new long[1]);
    }
    TypeSniffer sniffer = new TypeSniffer(options);
    long[] line = {0};
    try {
      CsvScanner.scan(sample, from, end, (byte) options.delimiter(), sniffer, line);
    } catch (IllegalArgumentException e) {
      throw new CsvFormatException(file.toString(), line[0] + (options.header() ? 2 : 1), "", e.getMessage());
    }
    List<String> names = options.names();
    if (names.isEmpty()) {
      names = header;
      if (names.isEmpty()) {
        names = new ArrayList<>();
        for (int i = 0; i < sniffer.columns(); i++) {
          names.add("c" + i);
        }
      }
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("cannot find any column in " + file + ": the file is empty; pass names and types");
    }
    Map<String, DType> types = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      types.put(names.get(i), options.types().getOrDefault(names.get(i), sniffer.type(i)));
    }
    CsvOptions resolved = options.withNames(names.toArray(String[]::new)).withTypes(types);
    checkColumns(resolved);
    return resolved;
  }

  private static void checkColumns(CsvOptions o) {
    for (String c : o.columns()) {
      if (!o.names().contains(c)) {
        throw new IllegalArgumentException("unknown column '" + c + "'; columns are " + o.names());
      }
    }
  }

  /** The schema of the table {@link #read} returns with these options (resolved as above). */
  public static Schema schema(Path file, CsvOptions options) {
    CsvOptions o = resolve(file, options);
    List<String> cols = o.columns().isEmpty() ? o.names() : o.columns();
    List<DType> types = new ArrayList<>();
    for (String c : cols) {
      types.add(o.types().get(c));
    }
    return Schema.of(cols, types);
  }

  /** Reads a whole file (plain or gzip). */
  public static Table read(Path file, CsvOptions options) {
    return read(new ByteRange(file.toString(), 0, size(file), Blocks.isGzip(file), 0), options);
  }

  /**
   * Reads the lines that start in {@code range} (see {@link ByteRange}); the header line, when
   * there is one, is skipped.
   *
   * @throws CsvFormatException for a row with the wrong number of fields or a field that does not
   *     parse as its column's type, naming the file, line and column
   */
  public static Table read(ByteRange range, CsvOptions options) {
    CsvOptions o = resolve(Path.of(range.path()), options);
    Schema schema = schema(Path.of(range.path()), o);
    byte[] reuse = BUFFER.get().get();
    RangeBytes bytes = RangeBytes.read(range, reuse);
    if (bytes.buf() != reuse) {
      BUFFER.set(new SoftReference<>(bytes.buf()));
    }
    int from = bytes.from();
    long skipped = 0;
    if (o.header() && range.start() == 0) {
      from = CsvScanner.nextLine(bytes.buf(), from, bytes.to());
      skipped = 1;
    }
    int ncols = o.names().size();
    int[] target = new int[ncols];
    java.util.Arrays.fill(target, -1);
    // a line holds at least one byte per column (delimiters and the newline)
    int expectedRows = Math.min(expectedRows(bytes.buf(), from, bytes.to()), (bytes.to() - from) / ncols + 16);
    ColumnBuilder[] builders = new ColumnBuilder[schema.size()];
    for (int j = 0; j < schema.size(); j++) {
      target[o.names().indexOf(schema.names().get(j))] = j;
      builders[j] = ColumnBuilder.of(schema.types().get(j), expectedRows);
    }
    long[] line = {0};
    Sink sink = new Sink(target, builders, buildNulls(o), ncols);
    boolean[] wanted = new boolean[ncols];
    ColumnBuilder[] inPlace = new ColumnBuilder[ncols];
    boolean numbersInPlace = numbersInPlace(o);
    for (int c = 0; c < ncols; c++) {
      wanted[c] = target[c] >= 0;
      if (wanted[c] && numbersInPlace && builders[target[c]].parsesInPlace()) {
        inPlace[c] = builders[target[c]];
      }
    }
    try {
      CsvScanner.scanProjected(bytes.buf(), from, bytes.to(), (byte) o.delimiter(), inPlace, wanted, sink, line);
    } catch (IllegalArgumentException e) {
      long lineNo = bytes.firstLineNumber(range) + skipped + line[0];
      String col = sink.failedColumn >= 0 && sink.failedColumn < ncols ? o.names().get(sink.failedColumn) : "";
      throw new CsvFormatException(range.path(), lineNo, col, e.getMessage());
    }
    Table t = Table.create(Path.of(range.path()).getFileName().toString());
    for (int j = 0; j < builders.length; j++) {
      t.addColumns(builders[j].build(schema.names().get(j)));
    }
    return t;
  }

  /**
   * Each thread's read buffer, reused from block to block: a fresh array of a block's size costs
   * more in page faults than parsing it (BENCHMARKS.md). Soft, so the collector may take it back.
   */
  private static final ThreadLocal<SoftReference<byte[]>> BUFFER = ThreadLocal.withInitial(() -> new SoftReference<>(null));

  /** A guess of the number of lines in {@code [from, to)} from the line length of its first 64 KiB. */
  static int expectedRows(byte[] b, int from, int to) {
    int probe = Math.min(to, from + (64 << 10));
    int lines = 0;
    for (int i = from; i < probe; i++) {
      if (b[i] == '\n') {
        lines++;
      }
    }
    if (probe <= from) {
      return 16;
    }
    if (probe == to) {
      return lines + 1;
    }
    double perLine = (probe - from) / (double) Math.max(1, lines);
    return (int) Math.min(Integer.MAX_VALUE - 64, (to - from) / perLine * 1.02 + 64);
  }

  /**
   * Whether numeric fields may be parsed in place (a plain number taken as such where it ends at a
   * delimiter): not when a null value could read as a number, nor when the delimiter could be part
   * of one.
   */
  static boolean numbersInPlace(CsvOptions o) {
    if ("0123456789.+-eE\"".indexOf(o.delimiter()) >= 0) {
      return false;
    }
    for (String n : o.nullValues()) {
      if (!n.isEmpty() && "0123456789.+-".indexOf(n.charAt(0)) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[][] buildNulls(CsvOptions o) {
    List<byte[]> n = new ArrayList<>();
    for (String v : o.nullValues()) {
      n.add(v.getBytes(StandardCharsets.UTF_8));
    }
    return n.toArray(byte[][]::new);
  }

  /** Bit {@code n} is set when some null value has {@code n} bytes (bit 63: 63 bytes or more). */
  private static long nullLengths(byte[][] nulls) {
    long m = 0;
    for (byte[] n : nulls) {
      m |= 1L << Math.min(n.length, 63);
    }
    return m;
  }

  static boolean isNull(byte[][] nulls, byte[] b, int s, int e) {
    for (byte[] n : nulls) {
      if (n.length == e - s && java.util.Arrays.equals(n, 0, n.length, b, s, e)) {
        return true;
      }
    }
    return false;
  }

  /** Routes each field of a projected column to its builder and checks the field count. */
  private static final class Sink implements FieldSink {
    private final int[] target;
    private final ColumnBuilder[] builders;
    private final byte[][] nulls;
    private final long nullLengths;
    private final int ncols;
    int failedColumn = -1;

    Sink(int[] target, ColumnBuilder[] builders, byte[][] nulls, int ncols) {
      this.target = target;
      this.builders = builders;
      this.nulls = nulls;
      this.nullLengths = nullLengths(nulls);
      this.ncols = ncols;
    }

    @Override
    public void field(int column, byte[] buf, int s, int e, boolean escaped) {
      if (column >= ncols) {
        return; // counted in endLine
      }
      int j = target[column];
      if (j < 0) {
        return;
      }
      failedColumn = column;
      if (s == e || ((nullLengths >>> Math.min(e - s, 63)) & 1) != 0 && isNull(nulls, buf, s, e)) {
        builders[j].addMissing();
      } else {
        ColumnBuilder.addTo(builders[j], buf, s, e, escaped);
      }
      failedColumn = -1;
    }

    @Override
    public void endLine(int fields) {
      if (fields != ncols) {
        throw new IllegalArgumentException("expected " + ncols + " fields but found " + fields);
      }
    }
  }

  private static byte[] sample(Path file, CsvOptions o) {
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = Blocks.isGzip(file) ? new GZIPInputStream(raw) : raw) {
      byte[] b = in.readNBytes(o.sampleBytes());
      if (b.length == o.sampleBytes() && in.read() >= 0) {
        // cut the partial last line
        int end = b.length;
        while (end > 0 && b[end - 1] != '\n') {
          end--;
        }
        return java.util.Arrays.copyOf(b, end);
      }
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
