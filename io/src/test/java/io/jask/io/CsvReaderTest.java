package io.jask.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tech.tablesaw.api.Table;

class CsvReaderTest {
  @TempDir Path dir;

  /** A random file: id (long), x (double with NA), k (string with quotes), b (boolean), empty lines, CRLF. */
  static String randomCsv(Random r, int rows, List<String[]> expected) {
    StringBuilder b = new StringBuilder("id,x,k,b\n");
    for (int i = 0; i < rows; i++) {
      String id = Long.toString(r.nextInt(2000) - 1000);
      String x = r.nextInt(10) == 0 ? (r.nextBoolean() ? "NA" : "") : Double.toString(r.nextGaussian());
      String k = r.nextInt(10) == 0 ? "" : "k" + r.nextInt(50);
      String kField = r.nextInt(5) == 0 ? "\"" + k + ",\"\"q\"\"\"" : k;
      String kValue = kField.startsWith("\"") ? k + ",\"q\"" : k;
      String bool = r.nextInt(8) == 0 ? "" : Boolean.toString(r.nextBoolean());
      b.append(id).append(',').append(x).append(',').append(kField).append(',').append(bool);
      b.append(r.nextInt(7) == 0 ? "\r\n" : "\n");
      if (r.nextInt(50) == 0) {
        b.append('\n');
      }
      expected.add(new String[] {id, x, kValue, bool});
    }
    return b.toString();
  }

  static Stream<Long> seeds() {
    return LongStream_range(0, 40);
  }

  private static Stream<Long> LongStream_range(long a, long b) {
    return java.util.stream.LongStream.range(a, b).boxed();
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void blocks_ofAnySize_holdEachRowExactlyOnce(long seed) throws IOException {
    Random r = new Random(seed);
    List<String[]> expected = new ArrayList<>();
    Path f = dir.resolve("f" + seed + ".csv");
    Files.writeString(f, randomCsv(r, r.nextInt(300), expected));
    long blocksize = 1 + r.nextInt((int) Math.max(1, Files.size(f)));
    CsvOptions o = CsvReader.resolve(f, CsvOptions.defaults().withType("id", DType.LONG)
        .withType("x", DType.DOUBLE).withType("k", DType.STRING).withType("b", DType.BOOLEAN));
    List<String[]> got = new ArrayList<>();
    for (ByteRange range : Blocks.split(f, blocksize)) {
      Table t = CsvReader.read(range, o);
      for (int i = 0; i < t.rowCount(); i++) {
        got.add(new String[] {
          t.longColumn("id").get(i).toString(),
          t.doubleColumn("x").isMissing(i) ? "" : t.doubleColumn("x").get(i).toString(),
          t.stringColumn("k").get(i),
          t.booleanColumn("b").isMissing(i) ? "" : t.booleanColumn("b").get(i).toString()});
      }
    }
    assertEquals(expected.size(), got.size(), "rows with blocksize " + blocksize);
    for (int i = 0; i < got.size(); i++) {
      String[] e = expected.get(i).clone();
      if (e[1].equals("NA")) {
        e[1] = "";
      }
      assertEquals(List.of(e), List.of(got.get(i)), "row " + i + " with blocksize " + blocksize);
    }
  }

  @Test
  void inference_findsLongDoubleBooleanString_andNulls() throws IOException {
    Path f = dir.resolve("a.csv");
    Files.writeString(f, "a,b,c,d,e\n1,1.5,true,x,\n2,NA,False,y,\n-3,2,TRUE,,\n");
    Schema s = CsvReader.schema(f, CsvOptions.defaults());
    assertEquals(List.of("a", "b", "c", "d", "e"), s.names());
    assertEquals(List.of(DType.LONG, DType.DOUBLE, DType.BOOLEAN, DType.STRING, DType.STRING), s.types());
    Table t = CsvReader.read(f, CsvOptions.defaults());
    assertEquals(3, t.rowCount());
    assertTrue(t.doubleColumn("b").isMissing(1));
    assertTrue(t.stringColumn("d").isMissing(2));
  }

  @Test
  void projection_parsesOnlyTheSelectedColumns_inTheGivenOrder() throws IOException {
    Path f = dir.resolve("p.csv");
    Files.writeString(f, "a,b,c\n1,not-a-number,x\n2,zzz,y\n");
    Table t = CsvReader.read(f, CsvOptions.defaults().withType("b", DType.DOUBLE).withColumns("c", "a"));
    assertEquals(List.of("c", "a"), t.columnNames());
    assertEquals(List.of(1L, 2L), t.longColumn("a").asList());
  }

  @Test
  void malformedRow_failsNamingFileLineAndColumn() throws IOException {
    Path f = dir.resolve("bad.csv");
    StringBuilder b = new StringBuilder("id,x\n");
    IntStream.range(0, 1000).forEach(i -> b.append(i).append(',').append(i * 0.5).append('\n'));
    b.append("1000,oops\n");
    Files.writeString(f, b.toString());
    CsvOptions o = CsvReader.resolve(f, CsvOptions.defaults().withType("x", DType.DOUBLE));
    CsvFormatException e = assertThrows(CsvFormatException.class, () -> {
      for (ByteRange r : Blocks.split(f, 1000)) {
        CsvReader.read(r, o);
      }
    });
    assertEquals(1002, e.line());
    assertEquals("x", e.column());
    assertTrue(e.getMessage().contains("bad.csv:1002, column 'x'"), e.getMessage());
    assertTrue(e.getMessage().contains("oops"), e.getMessage());

    Files.writeString(f, "id,x\n1,2\n3\n");
    CsvFormatException fields = assertThrows(CsvFormatException.class, () -> CsvReader.read(f, CsvOptions.defaults()));
    assertEquals(3, fields.line());
    assertTrue(fields.getMessage().contains("expected 2 fields but found 1"), fields.getMessage());
  }

  @Test
  void intColumn_outOfRange_failsWithTheValue() throws IOException {
    Path f = dir.resolve("i.csv");
    Files.writeString(f, "a\n1\n99999999999\n");
    CsvFormatException e = assertThrows(CsvFormatException.class,
        () -> CsvReader.read(f, CsvOptions.defaults().withType("a", DType.INT)));
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("99999999999"), e.getMessage());
  }

  @Test
  void gzip_isOneBlock_andReadsLikeThePlainFile() throws IOException {
    Random r = new Random(7);
    List<String[]> expected = new ArrayList<>();
    String text = randomCsv(r, 500, expected);
    Path plain = dir.resolve("g.csv");
    Path gz = dir.resolve("g.csv.gz");
    Files.writeString(plain, text);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(1, Blocks.split(gz, 100).size());
    Table a = CsvReader.read(plain, CsvOptions.defaults());
    Table b = CsvReader.read(gz, CsvOptions.defaults());
    assertEquals(a.rowCount(), b.rowCount());
    assertEquals(Schema.of(a), Schema.of(b));
    for (int c = 0; c < a.columnCount(); c++) {
      assertEquals(a.column(c).asList(), b.column(c).asList());
    }
  }

  @Test
  void glob_matchesSorted_andFailsWhenNothingMatches() throws IOException {
    for (String n : List.of("b-2.csv", "a-1.csv", "c-3.txt", "a-10.csv")) {
      Files.writeString(dir.resolve(n), "x\n1\n");
    }
    List<Path> got = FileGlob.expand(dir + "/*.csv");
    assertEquals(List.of(dir.resolve("a-1.csv"), dir.resolve("a-10.csv"), dir.resolve("b-2.csv")), got);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FileGlob.expand(dir + "/*.parquet"));
    assertTrue(e.getMessage().contains("*.parquet"));
    assertThrows(IllegalArgumentException.class, () -> FileGlob.expand(dir + "/missing.csv"));
  }

  @Test
  void delimiterAndHeaderless_withNames() throws IOException {
    Path f = dir.resolve("s.csv");
    Files.writeString(f, "1;a\n2;b\n");
    Table t = CsvReader.read(f, CsvOptions.defaults().withHeader(false).withDelimiter(';'));
    assertEquals(List.of("c0", "c1"), t.columnNames());
    assertEquals(2, t.rowCount());
    Table named = CsvReader.read(f, CsvOptions.defaults().withHeader(false).withDelimiter(';').withNames("n", "s"));
    assertEquals(List.of("a", "b"), named.stringColumn("s").asList());
  }

  @Test
  void unknownProjectedColumn_failsListingTheColumns() throws IOException {
    Path f = dir.resolve("u.csv");
    Files.writeString(f, "a,b\n1,2\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CsvReader.read(f, CsvOptions.defaults().withColumns("zz")));
    assertTrue(e.getMessage().contains("'zz'") && e.getMessage().contains("[a, b]"), e.getMessage());
  }
}
