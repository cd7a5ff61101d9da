package io.jask.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Reads and writes flat Parquet files as Tablesaw tables with parquet-hadoop on local files
 * ({@code LocalInputFile}/{@code LocalOutputFile}, no HDFS).
 *
 * <p>Reading is column by column: only the projected columns' chunks are read and decoded, and a
 * row group is skipped (never read from disk) when the statistics of its column chunks show that
 * one of the filters cannot be true for any of its rows. Types: INT32 is INT, INT64 LONG, FLOAT and
 * DOUBLE are DOUBLE, BINARY (strings) STRING, BOOLEAN BOOLEAN; a Parquet null is a Jask missing
 * value. Writing maps back (missing values become nulls, an empty string is missing) under a
 * temporary name that is renamed into place when the file is complete.
 *
 * <pre>{@code
 * ParquetFiles.write(table, Path.of("out/part.0.parquet"), ParquetCompression.SNAPPY);
 * ParquetFiles.Read r = ParquetFiles.read(Path.of("out/part.0.parquet"), List.of("id", "x"),
 *     List.of(ParquetFilter.of("x", ParquetFilter.Op.GT, 0.5)));
 * Table t = r.table();                       // rows of the row groups that may match
 * int read = r.rowGroupsRead();              // out of r.rowGroups()
 * }</pre>
 */
public final class ParquetFiles {
  private ParquetFiles() {}

  /**
   * A read: the table (projected columns, rows of the row groups not skipped) and how many row
   * groups the file has and how many were read.
   */
  public record Read(Table table, int rowGroups, int rowGroupsRead) {}

  /** The schema of a Parquet file (from its footer only). */
  public static Schema schema(Path file) {
    try (ParquetFileReader r = open(file)) {
      return toSchema(file, r.getFileMetaData().getSchema());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Parquet file " + file, e);
    }
  }

  /** The number of row groups of a file. */
  public static int rowGroups(Path file) {
    try (ParquetFileReader r = open(file)) {
      return r.getRowGroups().size();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Parquet file " + file, e);
    }
  }

  /**
   * Reads {@code columns} (all when empty) of the row groups that may satisfy every filter.
   *
   * @throws IllegalArgumentException naming the file and the columns it has for an unknown column
   */
  public static Read read(Path file, List<String> columns, List<ParquetFilter> filters) {
    try (ParquetFileReader r = open(file)) {
      MessageType ms = r.getFileMetaData().getSchema();
      Schema fs = toSchema(file, ms);
      List<String> cols = columns.isEmpty() ? fs.names() : columns;
      for (String c : cols) {
        if (!fs.has(c)) {
          throw new IllegalArgumentException("unknown column '" + c + "' in Parquet file " + file + "; columns are " + fs.names());
        }
      }
      for (ParquetFilter f : filters) {
        if (!fs.has(f.column())) {
          throw new IllegalArgumentException("unknown filter column '" + f.column() + "' in Parquet file " + file
              + "; columns are " + fs.names());
        }
      }
      List<BlockMetaData> blocks = r.getRowGroups();
      List<Column<?>> parts = new ArrayList<>();
      List<Sink> sinks = new ArrayList<>();
      long total = 0;
      boolean[] keep = new boolean[blocks.size()];
      for (int b = 0; b < blocks.size(); b++) {
        keep[b] = mayMatch(blocks.get(b), filters, ms);
        if (keep[b]) {
          total += blocks.get(b).getRowCount();
        }
      }
      if (total > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("Parquet file " + file + " has more rows than one partition can hold: " + total);
      }
      for (String c : cols) {
        sinks.add(Sink.of(fs.type(c), c, (int) total));
      }
      int read = 0;
      for (int b = 0; b < blocks.size(); b++) {
        if (!keep[b]) {
          continue;
        }
        PageReadStore pages = r.readRowGroup(b);
        read++;
        ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new GroupRecordConverter(ms).getRootConverter(), ms,
            r.getFileMetaData().getCreatedBy());
        long rows = pages.getRowCount();
        for (int i = 0; i < cols.size(); i++) {
          ColumnDescriptor d = ms.getColumnDescription(new String[] {cols.get(i)});
          ColumnReader cr = store.getColumnReader(d);
          sinks.get(i).readFrom(cr, rows, d.getMaxDefinitionLevel());
        }
      }
      for (Sink s : sinks) {
        parts.add(s.column());
      }
      return new Read(Table.create(file.getFileName().toString(), parts), blocks.size(), read);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Parquet file " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (e.getMessage() != null && e.getMessage().contains(file.toString())) {
        throw e;
      }
      throw new IllegalStateException("cannot read Parquet file " + file + ": " + e, e);
    }
  }

  /**
   * Writes a table as one Parquet file: to a temporary name in the same directory, renamed to
   * {@code file} when complete, so a failure leaves no partial file (the temporary one is
   * removed). Row groups hold at most {@code rowGroupRows} rows.
   */
  public static Path write(Table table, Path file, ParquetCompression compression, int rowGroupRows) {
    Schema s = Schema.of(table);
    MessageType ms = toMessageType(s);
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(dir);
      SimpleGroupFactory groups = new SimpleGroupFactory(ms);
      try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(tmp))
          .withType(ms)
          .withCompressionCodec(CompressionCodecName.valueOf(compression.name()))
          .withWriteMode(ParquetFileWriter.Mode.CREATE)
          .withRowGroupRowCountLimit(rowGroupRows)
          .withPageRowCountLimit(Math.min(rowGroupRows, 20_000))
          .build()) {
        int n = s.size();
        Column<?>[] cols = table.columns().toArray(new Column<?>[0]);
        for (int row = 0; row < table.rowCount(); row++) {
          Group g = groups.newGroup();
          for (int c = 0; c < n; c++) {
            Column<?> col = cols[c];
            if (col.isMissing(row)) {
              continue;
            }
            switch (s.types().get(c)) {
              case INT -> g.add(c, ((IntColumn) col).getInt(row));
              case LONG -> g.add(c, ((LongColumn) col).getLong(row));
              case DOUBLE -> g.add(c, ((DoubleColumn) col).getDouble(row));
              case STRING -> g.add(c, ((StringColumn) col).get(row));
              case BOOLEAN -> g.add(c, ((BooleanColumn) col).get(row));
              case DATETIME -> g.add(c, DateTimes.fromPacked(((tech.tablesaw.api.DateTimeColumn) col).getLongInternal(row)));
            }
          }
          w.write(g);
        }
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the original failure matters more
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot write Parquet file " + file + ": " + io.getMessage(), io);
      }
      throw (RuntimeException) e;
    }
  }

  /** {@link #write(Table, Path, ParquetCompression, int)} with row groups of up to 1,000,000 rows. */
  public static Path write(Table table, Path file, ParquetCompression compression) {
    return write(table, file, compression, 1_000_000);
  }

  // ---- internals ---------------------------------------------------------------------------

  private static ParquetFileReader open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such Parquet file: " + file.toAbsolutePath());
    }
    try {
      return ParquetFileReader.open(new LocalInputFile(file));
    } catch (RuntimeException | IOException e) {
      throw new IllegalArgumentException("not a readable Parquet file: " + file + " (" + e.getMessage() + ")", e);
    }
  }

  private static boolean mayMatch(BlockMetaData block, List<ParquetFilter> filters, MessageType ms) {
    if (filters.isEmpty()) {
      return true;
    }
    Map<String, ColumnChunkMetaData> byName = new HashMap<>();
    for (ColumnChunkMetaData c : block.getColumns()) {
      byName.put(c.getPath().toDotString(), c);
    }
    for (ParquetFilter f : filters) {
      ColumnChunkMetaData c = byName.get(f.column());
      if (c != null && !f.mayMatch(c.getStatistics(), block.getRowCount(), c.getPrimitiveType())) {
        return false;
      }
    }
    return true;
  }

  static Schema toSchema(Path file, MessageType ms) {
    List<String> names = new ArrayList<>();
    List<DType> types = new ArrayList<>();
    for (Type t : ms.getFields()) {
      if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
        throw new IllegalArgumentException("Parquet file " + file + ": column '" + t.getName()
            + "' is nested or repeated; only flat columns are supported");
      }
      PrimitiveType p = t.asPrimitiveType();
      LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
      DType d = switch (p.getPrimitiveTypeName()) {
        case INT32 -> logical == null || logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation ? DType.INT : null;
        case INT64 -> logical == null || logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation ? DType.LONG
            : logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ? DType.DATETIME : null;
        case FLOAT, DOUBLE -> DType.DOUBLE;
        case BOOLEAN -> DType.BOOLEAN;
        case BINARY -> logical == null || logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation ? DType.STRING : null;
        default -> null;
      };
      if (d == null) {
        throw new IllegalArgumentException("Parquet file " + file + ": column '" + t.getName() + "' has type " + p
            + ", which Jask does not read (INT32, INT64, FLOAT, DOUBLE, BOOLEAN, string BINARY and INT64 TIMESTAMP are supported)");
      }
      names.add(t.getName());
      types.add(d);
    }
    return Schema.of(names, types);
  }

  static MessageType toMessageType(Schema s) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (int i = 0; i < s.size(); i++) {
      String n = s.names().get(i);
      switch (s.types().get(i)) {
        case INT -> b.optional(PrimitiveTypeName.INT32).named(n);
        case LONG -> b.optional(PrimitiveTypeName.INT64).named(n);
        case DOUBLE -> b.optional(PrimitiveTypeName.DOUBLE).named(n);
        case BOOLEAN -> b.optional(PrimitiveTypeName.BOOLEAN).named(n);
        case STRING -> b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(n);
        case DATETIME -> b.optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MILLIS)).named(n);
      }
    }
    return b.named("jask");
  }

  /** Accumulates one column's values over the row groups read. */
  private abstract static class Sink {
    final String name;

    Sink(String name) {
      this.name = name;
    }

    static Sink of(DType t, String name, int rows) {
      return switch (t) {
        case INT -> new Ints(name, rows);
        case LONG -> new Longs(name, rows);
        case DOUBLE -> new Doubles(name, rows);
        case STRING -> new Strings(name, rows);
        case BOOLEAN -> new Bools(name, rows);
        case DATETIME -> new DateTimeSink(name, rows);
      };
    }

    abstract void readFrom(ColumnReader r, long rows, int maxDef);

    abstract Column<?> column();
  }

  private static final class Ints extends Sink {
    final int[] v;
    int n;

    Ints(String name, int rows) {
      super(name);
      v = new int[rows];
    }

    void readFrom(ColumnReader r, long rows, int maxDef) {
      for (long i = 0; i < rows; i++) {
        v[n++] = r.getCurrentDefinitionLevel() == maxDef ? r.getInteger() : Integer.MIN_VALUE;
        r.consume();
      }
    }

    Column<?> column() {
      return IntColumn.create(name, v);
    }
  }

  private static final class Longs extends Sink {
    final long[] v;
    int n;

    Longs(String name, int rows) {
      super(name);
      v = new long[rows];
    }

    void readFrom(ColumnReader r, long rows, int maxDef) {
      for (long i = 0; i < rows; i++) {
        v[n++] = r.getCurrentDefinitionLevel() == maxDef ? r.getLong() : Long.MIN_VALUE;
        r.consume();
      }
    }

    Column<?> column() {
      return LongColumn.create(name, v);
    }
  }

  private static final class Doubles extends Sink {
    final double[] v;
    int n;

    Doubles(String name, int rows) {
      super(name);
      v = new double[rows];
    }

    void readFrom(ColumnReader r, long rows, int maxDef) {
      boolean isFloat = r.getDescriptor().getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.FLOAT;
      for (long i = 0; i < rows; i++) {
        v[n++] = r.getCurrentDefinitionLevel() != maxDef ? Double.NaN : isFloat ? r.getFloat() : r.getDouble();
        r.consume();
      }
    }

    Column<?> column() {
      return DoubleColumn.create(name, v);
    }
  }

  private static final class Strings extends Sink {
    final StringColumn c;

    Strings(String name, int rows) {
      super(name);
      c = StringColumn.create(name);
    }

    void readFrom(ColumnReader r, long rows, int maxDef) {
      for (long i = 0; i < rows; i++) {
        if (r.getCurrentDefinitionLevel() == maxDef) {
          c.append(r.getBinary().toStringUsingUTF8());
        } else {
          c.appendMissing();
        }
        r.consume();
      }
    }

    Column<?> column() {
      return c;
    }
  }

  private static final class Bools extends Sink {
    final BooleanColumn c;

    Bools(String name, int rows) {
      super(name);
      c = BooleanColumn.create(name);
    }

    void readFrom(ColumnReader r, long rows, int maxDef) {
      for (long i = 0; i < rows; i++) {
        if (r.getCurrentDefinitionLevel() == maxDef) {
          c.append(r.getBoolean());
        } else {
          c.appendMissing();
        }
        r.consume();
      }
    }

    Column<?> column() {
      return c;
    }
  }

  /** TIMESTAMP values (millis, micros or nanos since the epoch) as epoch milliseconds. */
  private static final class DateTimeSink extends Sink {
    final long[] v;
    int n;

    DateTimeSink(String name, int rows) {
      super(name);
      v = new long[rows];
    }

    void readFrom(ColumnReader r, long rows, int maxDef) {
      LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts = (LogicalTypeAnnotation.TimestampLogicalTypeAnnotation)
          r.getDescriptor().getPrimitiveType().getLogicalTypeAnnotation();
      long per = switch (ts.getUnit()) {
        case MILLIS -> 1L;
        case MICROS -> 1_000L;
        case NANOS -> 1_000_000L;
      };
      for (long i = 0; i < rows; i++) {
        v[n++] = r.getCurrentDefinitionLevel() == maxDef ? Math.floorDiv(r.getLong(), per) : DateTimes.MISSING;
        r.consume();
      }
    }

    Column<?> column() {
      return DateTimes.column(name, v);
    }
  }
}
