package io.jask.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.datetimes.PackedLocalDateTime;

/** DATETIME values: epoch millis against java.time, Tablesaw's packing, ISO text, CSV and Parquet. */
class DateTimesTest {
  @TempDir Path dir;

  static Stream<Long> seeds() {
    return LongStream.range(0, 20).boxed();
  }

  /** A random date-time between 1900 and 2100 with millisecond precision. */
  static LocalDateTime randomTime(Random r) {
    LocalDateTime base = LocalDateTime.of(1900, 1, 1, 0, 0);
    r.nextLong();
    return base.plus(Math.floorMod(r.nextLong(), 200 * 365L * 86_400_000L), ChronoUnit.MILLIS);
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void millisAndPacked_roundTrip_likeJavaTime(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 500; i++) {
      LocalDateTime t = randomTime(r);
      long ms = DateTimes.millis(t);
      assertEquals(t.toInstant(java.time.ZoneOffset.UTC).toEpochMilli(), ms, t.toString());
      assertEquals(t, DateTimes.of(ms));
      long packed = PackedLocalDateTime.pack(t);
      assertEquals(packed, DateTimes.toPacked(ms), t.toString());
      assertEquals(ms, DateTimes.fromPacked(packed), t.toString());
      assertEquals(ms, DateTimes.parse(t.toString()), t.toString());
      assertEquals(t, DateTimes.of(DateTimes.parse(DateTimes.format(ms))));
      assertEquals(ms, DateTimes.parse(t.toString().replace('T', ' ')));
    }
  }

  @Test
  void parse_acceptsIsoForms_andRejectsOthers() {
    assertEquals(DateTimes.millis(LocalDateTime.of(2024, 1, 2, 0, 0)), DateTimes.parse("2024-01-02"));
    assertEquals(DateTimes.millis(LocalDateTime.of(2024, 1, 2, 3, 4)), DateTimes.parse("2024-01-02T03:04"));
    assertEquals(DateTimes.millis(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 678_000_000)),
        DateTimes.parse("2024-01-02 03:04:05.678912"));
    assertEquals(DateTimes.millis(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000)), DateTimes.parse("2024-01-02T03:04:05.5"));
    assertEquals(-1L, DateTimes.parse("1969-12-31T23:59:59.999"));
    for (String bad : List.of("2024-02-30", "2024-13-01", "2024-1-02", "2024-01-02X03:04", "2024-01-02T25:00",
        "2024-01-02T03:04:05.", "20240102", "12", "2024-01-02T03:04:5", "abc-de-fg")) {
      byte[] b = bad.getBytes();
      assertFalse(DateTimes.isDateTime(b, 0, b.length), bad);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DateTimes.parse(bad));
      assertTrue(e.getMessage().contains(bad) && e.getMessage().contains("DATETIME"), e.getMessage());
    }
    assertEquals("2024-01-02T03:04:05", DateTimes.format(DateTimes.parse("2024-01-02 03:04:05")));
    assertEquals("2024-01-02T03:04:05.007", DateTimes.format(DateTimes.parse("2024-01-02T03:04:05.007")));
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void csv_infersDatetime_withNulls_andReadsValues(long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder("t,d,s,n\n");
    List<LocalDateTime> ts = new ArrayList<>();
    List<LocalDate> ds = new ArrayList<>();
    int rows = 1 + r.nextInt(300);
    for (int i = 0; i < rows; i++) {
      LocalDateTime t = r.nextInt(8) == 0 ? null : randomTime(r);
      LocalDate d = r.nextInt(8) == 0 ? null : randomTime(r).toLocalDate();
      ts.add(t);
      ds.add(d);
      String tt = t == null ? "" : r.nextBoolean() ? t.toString() : t.toString().replace('T', ' ');
      b.append(tt).append(',').append(d == null ? "NA" : d.toString()).append(',')
          .append(r.nextInt(50) == 0 ? "x" : d == null ? "" : d.toString()).append(',').append(i).append('\n');
    }
    if (ts.stream().allMatch(java.util.Objects::isNull)) {
      ts.set(0, randomTime(r));
      b = new StringBuilder(b.toString().replaceFirst("\n,", "\n" + ts.get(0) + ","));
    }
    Path f = dir.resolve("t" + seed + ".csv");
    Files.writeString(f, b.toString());
    Schema s = CsvReader.schema(f, CsvOptions.defaults());
    assertEquals(DType.DATETIME, s.type("t"));
    if (ds.stream().anyMatch(java.util.Objects::nonNull)) {
      assertEquals(DType.DATETIME, s.type("d"));
    }
    Table t = CsvReader.read(f, CsvOptions.defaults());
    DateTimeColumn c = (DateTimeColumn) t.column("t");
    for (int i = 0; i < rows; i++) {
      assertEquals(ts.get(i), c.get(i), "row " + i);
    }
    if (s.type("d") == DType.DATETIME) {
      DateTimeColumn dc = (DateTimeColumn) t.column("d");
      for (int i = 0; i < rows; i++) {
        assertEquals(ds.get(i) == null ? null : ds.get(i).atStartOfDay(), dc.get(i), "row " + i);
      }
    }
  }

  @Test
  void csv_badValueInDatetimeColumn_namesFileLineAndColumn() throws IOException {
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, "id,t\n1,2024-01-02\n2,2024-01-03T04:05\n3,yesterday\n");
    CsvFormatException e = assertThrows(CsvFormatException.class,
        () -> CsvReader.read(f, CsvOptions.defaults().withType("t", DType.DATETIME)));
    assertEquals(4, e.line());
    assertEquals("t", e.column());
    assertTrue(e.getMessage().contains("bad.csv:4") && e.getMessage().contains("yesterday"), e.getMessage());
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void parquet_writesMillis_andReadsThemBack(long seed) {
    Random r = new Random(seed);
    int rows = r.nextInt(200);
    long[] ms = new long[rows];
    for (int i = 0; i < rows; i++) {
      ms[i] = r.nextInt(6) == 0 ? DateTimes.MISSING : DateTimes.millis(randomTime(r));
    }
    Table t = Table.create("t", DateTimes.column("when", ms));
    Path f = ParquetFiles.write(t, dir.resolve("p" + seed + ".parquet"), ParquetCompression.SNAPPY);
    assertEquals(DType.DATETIME, ParquetFiles.schema(f).type("when"));
    Table back = ParquetFiles.read(f, List.of(), List.of()).table();
    org.junit.jupiter.api.Assertions.assertArrayEquals(ms, DateTimes.millis((DateTimeColumn) back.column("when")));
  }

  @Test
  void parquet_readsMicrosTimestamps() throws IOException {
    MessageType ms = Types.buildMessage().optional(PrimitiveTypeName.INT64)
        .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS)).named("ts").named("m");
    Path f = dir.resolve("micros.parquet");
    long[] micros = {0L, 1_704_164_645_123_456L, -1_500L};
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(f)).withType(ms).build()) {
      SimpleGroupFactory g = new SimpleGroupFactory(ms);
      for (long m : micros) {
        w.write(g.newGroup().append("ts", m));
      }
      w.write(g.newGroup());
    }
    Table t = ParquetFiles.read(f, List.of(), List.of()).table();
    long[] got = DateTimes.millis((DateTimeColumn) t.column("ts"));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {0L, 1_704_164_645_123L, -2L, DateTimes.MISSING}, got);
  }
}
