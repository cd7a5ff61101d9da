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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The CSV fast paths (one-pass scanner with the 8-byte field search, dictionary-coded strings
 * assembled into Tablesaw's dictionary, wrapped numeric arrays, reused read buffers) against an
 * independent oracle: a String-based line and field splitter with {@code Long.parseLong}, {@code
 * Double.parseDouble} and {@code Boolean.parseBoolean}, on seeded random files with quoted fields
 * holding delimiters and doubled quotes, nulls, CRLF, blank lines, multi-byte UTF-8, and string
 * columns whose distinct values overflow the byte and short dictionaries.
 */
class CsvFastPathTest {
  @TempDir Path dir;

  static final List<String> NAMES = List.of("id", "x", "s", "t", "b");
  static final Map<String, DType> TYPES =
      Map.of("id", DType.LONG, "x", DType.DOUBLE, "s", DType.STRING, "t", DType.STRING, "b", DType.BOOLEAN);

  /** Column s holds a distinct value in every row. */
  static final int UNIQUE = -1;

  /** A random file; {@code distinct} bounds the values of column s (or is {@link #UNIQUE}). */
  static String randomCsv(Random r, int rows, int distinct) {
    StringBuilder b = new StringBuilder("id,x,s,t,b\n");
    String[] longStrings = {"a fairly long value, with a comma", "naïve café ünïcödé", "q\"uote", "x", "0123456789abcdef"};
    for (int i = 0; i < rows; i++) {
      String id = switch (r.nextInt(12)) {
        case 0 -> "NA";
        case 1 -> "";
        case 2 -> Long.toString(r.nextLong() | 1); // never Long.MIN_VALUE
        default -> Long.toString(r.nextInt(2000) - 1000);
      };
      String x = switch (r.nextInt(12)) {
        case 0 -> "NA";
        case 1 -> "";
        case 2 -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
        case 3 -> Integer.toString(r.nextInt(100) - 50);
        case 4 -> r.nextBoolean() ? "-0.0" : "1e-3";
        default -> Double.toString(r.nextGaussian());
      };
      int v = distinct == UNIQUE ? i : r.nextInt(distinct);
      String s = r.nextInt(15) == 0 ? "" : "k" + v + (r.nextInt(4) == 0 ? ",\"" : "");
      String t = r.nextInt(10) == 0 ? "NA" : longStrings[r.nextInt(longStrings.length)];
      String bool = switch (r.nextInt(6)) {
        case 0 -> "";
        case 1 -> "TRUE";
        case 2 -> "False";
        default -> Boolean.toString(r.nextBoolean());
      };
      b.append(id).append(',').append(x).append(',').append(field(r, s)).append(',').append(field(r, t)).append(',').append(bool);
      if (i < rows - 1 || r.nextBoolean()) {
        b.append(r.nextInt(4) == 0 ? "\r\n" : "\n");
      }
      if (r.nextInt(40) == 0) {
        b.append(r.nextBoolean() ? "\n" : "\r\n");
      }
    }
    return b.toString();
  }

  /** The value as a CSV field: quoted when it must be, and sometimes when it need not. */
  static String field(Random r, String v) {
    boolean must = v.contains(",") || v.contains("\"");
    if (must || r.nextInt(6) == 0) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }

  /** The oracle: rows of field contents, by splitting Strings (header dropped, blank lines skipped). */
  static List<List<String>> oracleRows(String text) {
    List<List<String>> rows = new ArrayList<>();
    boolean header = true;
    for (String line : text.split("\n", -1)) {
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        continue;
      }
      List<String> f = new ArrayList<>();
      StringBuilder cur = new StringBuilder();
      boolean inQuotes = false;
      boolean quotedField = false;
      for (int i = 0; i < line.length(); i++) {
        char ch = line.charAt(i);
        if (inQuotes) {
          if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else if (ch == '"') {
            inQuotes = false;
          } else {
            cur.append(ch);
          }
        } else if (ch == '"' && cur.length() == 0 && !quotedField) {
          inQuotes = true;
          quotedField = true;
        } else if (ch == ',') {
          f.add(cur.toString());
          cur = new StringBuilder();
          quotedField = false;
        } else {
          cur.append(ch);
        }
      }
      f.add(cur.toString());
      if (header) {
        header = false;
      } else {
        rows.add(f);
      }
    }
    return rows;
  }

  /** The oracle's value of a field as the reader's column would hold it ({@code null} for missing). */
  static Object oracleValue(String field, DType type) {
    if (field.isEmpty() || field.equals("NA")) {
      return type == DType.STRING ? "" : null;
    }
    return switch (type) {
      case LONG -> Long.parseLong(field);
      case DOUBLE -> Double.parseDouble(field);
      case BOOLEAN -> Boolean.parseBoolean(field);
      default -> field;
    };
  }

  static List<Object> values(Column<?> c) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < c.size(); i++) {
      out.add(c.isMissing(i) && !(c.type().equals(DType.STRING.tablesaw())) ? null : c.get(i));
    }
    return out;
  }

  static List<Object> oracleColumn(List<List<String>> rows, String name) {
    int j = NAMES.indexOf(name);
    List<Object> out = new ArrayList<>();
    for (List<String> row : rows) {
      out.add(oracleValue(row.get(j), TYPES.get(name)));
    }
    return out;
  }

  static Stream<Long> seeds() {
    return LongStream.range(0, 30).boxed();
  }

  /** A random projection (a non-empty subset of the columns in a random order), or all. */
  static List<String> projection(Random r) {
    if (r.nextInt(3) == 0) {
      return List.of();
    }
    List<String> cols = new ArrayList<>(NAMES);
    Collections.shuffle(cols, r);
    return cols.subList(0, 1 + r.nextInt(cols.size()));
  }

  private void assertMatches(List<List<String>> rows, List<String> projected, List<Table> parts, String what) {
    List<String> cols = projected.isEmpty() ? NAMES : projected;
    for (Table t : parts) {
      assertEquals(cols, t.columnNames(), what);
    }
    for (String c : cols) {
      List<Object> got = new ArrayList<>();
      for (Table t : parts) {
        got.addAll(values(t.column(c)));
      }
      assertEquals(oracleColumn(rows, c), got, what + ", column " + c);
    }
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void randomFiles_matchTheOracle_inRandomBlocks_andGzip(long seed) throws IOException {
    Random r = new Random(seed);
    int distinct = seed % 10 == 9 ? UNIQUE : switch ((int) (seed % 3)) {
      case 0 -> 5;
      case 1 -> 400; // past the 254 byte keys
      default -> 3000;
    };
    // unique values in 66,000+ rows: past the 65,534 short keys
    int nrows = distinct == UNIQUE ? 66_000 + r.nextInt(2000) : r.nextInt(3000);
    String text = randomCsv(r, nrows, distinct);
    List<List<String>> rows = oracleRows(text);
    Path f = dir.resolve("f" + seed + ".csv");
    Files.writeString(f, text);
    List<String> projected = projection(r);
    CsvOptions o = CsvOptions.defaults().withTypes(TYPES).withColumns(projected);

    assertMatches(rows, projected, List.of(CsvReader.read(f, o)), "whole file");

    long blocksize = 1 + r.nextInt((int) Math.max(1, Files.size(f) / (1 + r.nextInt(8))));
    List<Table> parts = new ArrayList<>();
    for (ByteRange range : Blocks.split(f, blocksize)) {
      parts.add(CsvReader.read(range, o));
    }
    assertMatches(rows, projected, parts, "blocksize " + blocksize);

    Path gz = dir.resolve("f" + seed + ".csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    assertMatches(rows, projected, List.of(CsvReader.read(gz, o)), "gzip");
  }

  static Stream<Long> largeSeeds() {
    return LongStream.range(0, 6).boxed();
  }

  /**
   * Files past the 1 MiB from which a block's bytes are copied from a memory mapping instead of
   * read through the channel: the whole file, blocks of a little more than 1 MiB (mapped, the
   * last one read plainly) and random smaller blocks, against the oracle.
   */
  @ParameterizedTest(name = "seed={0}")
  @MethodSource("largeSeeds")
  void largeFiles_mappedAndReadBlocks_matchTheOracle(long seed) throws IOException {
    Random r = new Random(500 + seed);
    StringBuilder text = new StringBuilder();
    int distinct = 1 + r.nextInt(3000);
    while (text.length() < (3 << 19)) {
      String chunk = randomCsv(r, 2000, distinct);
      text.append(text.length() == 0 ? chunk : chunk.substring(chunk.indexOf('\n') + 1));
      if (text.charAt(text.length() - 1) != '\n') {
        text.append('\n');
      }
    }
    List<List<String>> rows = oracleRows(text.toString());
    Path f = dir.resolve("large" + seed + ".csv");
    Files.writeString(f, text);
    assertTrue(Files.size(f) > (1 << 20) + (1 << 18));
    List<String> projected = projection(r);
    CsvOptions o = CsvOptions.defaults().withTypes(TYPES).withColumns(projected);
    assertMatches(rows, projected, List.of(CsvReader.read(f, o)), "whole file");
    for (long blocksize : new long[] {(1 << 20) + r.nextInt(1 << 18), 1 + r.nextInt(1 << 20)}) {
      List<Table> parts = new ArrayList<>();
      for (ByteRange range : Blocks.split(f, blocksize)) {
        parts.add(CsvReader.read(range, o));
      }
      assertMatches(rows, projected, parts, "blocksize " + blocksize);
    }
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void twoBlocks_splitAtEveryPosition_holdEachRowOnce(long seed) throws IOException {
    Random r = new Random(1000 + seed);
    String text = randomCsv(r, 1 + r.nextInt(12), 1 + r.nextInt(300));
    List<List<String>> rows = oracleRows(text);
    Path f = dir.resolve("s" + seed + ".csv");
    Files.writeString(f, text);
    long size = Files.size(f);
    List<String> projected = projection(r);
    CsvOptions o = CsvOptions.defaults().withTypes(TYPES).withColumns(projected);
    for (long k = 0; k <= size; k++) {
      Table a = CsvReader.read(new ByteRange(f.toString(), 0, k, false, 0), o);
      Table b = CsvReader.read(new ByteRange(f.toString(), k, size, false, 1), o);
      assertMatches(rows, projected, List.of(a, b), "split at " + k + " of " + size);
    }
  }

  @Test
  void readsAfterLargerBlocks_reuseNoStaleBytes() throws IOException {
    // a large block leaves its bytes in the thread's buffer; a smaller one read next must not see them
    Random r = new Random(5);
    String big = randomCsv(r, 4000, 50);
    String small = randomCsv(r, 3, 50);
    Path fb = dir.resolve("big.csv");
    Path fs = dir.resolve("small.csv");
    Files.writeString(fb, big);
    Files.writeString(fs, small.endsWith("\n") ? small.substring(0, small.length() - 1) : small);
    CsvOptions o = CsvOptions.defaults().withTypes(TYPES);
    assertMatches(oracleRows(big), List.of(), List.of(CsvReader.read(fb, o)), "big");
    assertMatches(oracleRows(Files.readString(fs)), List.of(), List.of(CsvReader.read(fs, o)), "small after big");
  }

  @Test
  void badFields_failNamingFileLineAndColumn_inAnyBlock() throws IOException {
    StringBuilder b = new StringBuilder("id,x,s\n");
    for (int i = 0; i < 2000; i++) {
      b.append(i).append(',').append(i * 0.25).append(",\"k,").append(i % 7).append("\"\r\n");
      if (i % 100 == 0) {
        b.append('\n'); // blank lines count as lines
      }
    }
    String good = b.toString();
    long goodLines = good.chars().filter(ch -> ch == '\n').count();
    Map<String, String> bad = Map.of(
        "1.5e", "x",
        "\"1.0\"x", "x",
        "\"unterminated", "x");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      Path f = dir.resolve("bad" + Math.abs(e.getKey().hashCode()) + ".csv");
      Files.writeString(f, good + "7," + e.getKey() + ",z\n8,1,z\n");
      CsvOptions o = CsvOptions.defaults().withTypes(Map.of("id", DType.LONG, "x", DType.DOUBLE, "s", DType.STRING));
      for (long blocksize : new long[] {Files.size(f), 997, 4096}) {
        CsvFormatException ex = assertThrows(CsvFormatException.class, () -> {
          for (ByteRange range : Blocks.split(f, blocksize)) {
            CsvReader.read(range, o);
          }
        }, e.getKey());
        assertEquals(goodLines + 1, ex.line(), e.getKey() + " " + ex.getMessage());
        assertEquals(f.toString(), ex.file());
        if (!e.getKey().startsWith("\"")) {
          assertEquals(e.getValue(), ex.column(), ex.getMessage());
        }
        assertTrue(ex.getMessage().contains(f + ":" + (goodLines + 1)), ex.getMessage());
      }
    }
  }

  @Test
  void lineBreakInsideQuotes_failsNamingTheLine() throws IOException {
    Path f = dir.resolve("nl.csv");
    Files.writeString(f, "a,s\n1,\"ok\"\n2,\"two\nlines\"\n");
    CsvFormatException ex = assertThrows(CsvFormatException.class, () -> CsvReader.read(f, CsvOptions.defaults()));
    assertEquals(3, ex.line());
    assertTrue(ex.getMessage().contains("unterminated quoted field"), ex.getMessage());
  }

  /** A random numeric field of every shape the in-place parsers meet, or declines. */
  static String randomNumber(Random r, boolean integral) {
    return switch (r.nextInt(14)) {
      case 0 -> "NA";
      case 1 -> "";
      case 2 -> "-1"; // a null when the options say so
      case 3 -> "+" + r.nextInt(1000);
      case 4 -> "0".repeat(1 + r.nextInt(20)) + r.nextInt(10); // leading zeros, past 18 digits
      case 5 -> Long.toString(r.nextLong() | 1); // up to 19 digits
      case 6 -> Integer.toString(r.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE + 1);
      case 7 -> integral ? Long.toString(r.nextInt()) : Double.toString(Double.longBitsToDouble(r.nextLong() & 0x000F_FFFF_FFFF_FFFFL));
      case 8 -> integral ? "-0" : "123456789012345678901234.5e-3"; // past 19 significant digits
      case 9 -> integral ? Integer.toString(r.nextInt(100)) : "\"" + r.nextGaussian() + "\""; // quoted
      default -> integral ? Integer.toString(r.nextInt(2_000_000) - 1_000_000) : Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(30) - 15));
    };
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void numbersParsedInPlace_matchTheOracle_withNumericNullsAndTrailingColumns(long seed) throws IOException {
    Random r = new Random(7000 + seed);
    List<String> names = List.of("i", "l", "d", "s", "u");
    Map<String, DType> types = Map.of("i", DType.INT, "l", DType.LONG, "d", DType.DOUBLE, "s", DType.STRING, "u", DType.STRING);
    StringBuilder b = new StringBuilder("i,l,d,s,u\n");
    int rows = 1 + r.nextInt(2000);
    for (int k = 0; k < rows; k++) {
      String i = randomNumber(r, true);
      if (i.length() > 10 || i.startsWith("0")) {
        i = Integer.toString(r.nextInt()); // INT: keep in range
      }
      b.append(i).append(',').append(randomNumber(r, true)).append(',').append(randomNumber(r, false)).append(',')
          .append(field(r, r.nextInt(5) == 0 ? "a,\"b" : "s" + r.nextInt(9))).append(',')
          .append(field(r, r.nextInt(5) == 0 ? "x,y" : "u" + r.nextInt(3)))
          .append(r.nextInt(4) == 0 ? "\r\n" : "\n");
    }
    String text = b.toString();
    Path f = dir.resolve("n" + seed + ".csv");
    Files.writeString(f, text);
    boolean minusOneIsNull = seed % 2 == 1;
    CsvOptions o = CsvOptions.defaults().withTypes(types);
    if (minusOneIsNull) {
      o = o.withNullValues("", "NA", "-1");
    }
    List<String> projected = List.<List<String>>of(List.of("d"), List.of("i", "d"), List.of("l"), List.of("s", "i"), List.of()).get(r.nextInt(5));
    o = o.withColumns(projected);
    long blocksize = 1 + r.nextInt((int) Files.size(f));
    List<Table> parts = new ArrayList<>();
    for (ByteRange range : Blocks.split(f, blocksize)) {
      parts.add(CsvReader.read(range, o));
    }
    List<List<String>> oracle = oracleRows(text);
    for (String c : projected.isEmpty() ? names : projected) {
      List<Object> want = new ArrayList<>();
      for (List<String> row : oracle) {
        String v = row.get(names.indexOf(c));
        DType t = types.get(c);
        boolean missing = v.isEmpty() || v.equals("NA") || minusOneIsNull && v.equals("-1");
        want.add(missing ? (t == DType.STRING ? "" : null) : switch (t) {
          case INT -> Integer.parseInt(v.startsWith("+") ? v.substring(1) : v);
          case LONG -> Long.parseLong(v);
          case DOUBLE -> Double.parseDouble(v);
          default -> v;
        });
      }
      List<Object> got = new ArrayList<>();
      for (Table t : parts) {
        got.addAll(values(t.column(c)));
      }
      assertEquals(want, got, "column " + c + ", blocksize " + blocksize + ", nulls " + o.nullValues());
    }
  }

  /**
   * Short strings are dictionary-coded in place (found and packed from one word): fields of 0 to
   * 11 bytes (either side of the 7 that fit), null values of several lengths, a quote or a
   * non-ASCII byte inside an unquoted field, CRLF, other delimiters, random blocks, against
   * splitting each line's String on the delimiter.
   */
  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void shortStringsCodedInPlace_matchTheOracle_withNullsQuotesAndDelimiters(long seed) throws IOException {
    Random r = new Random(9000 + seed);
    char delim = ",;\t|".charAt((int) (seed % 4));
    String[] pool = {"", "NA", "nul", "k1", "k12", "k123", "k1234", "abcdefg", "abcdefgh", "abcdefghi", "é", "aé", "a\"b", "x\"", "0.5",
        "NULLVAL", "q", "abcdefghijk"};
    int distinct = 1 + r.nextInt(pool.length);
    StringBuilder b = new StringBuilder("a" + delim + "s" + delim + "t\n");
    int rows = 1 + r.nextInt(3000);
    List<String[]> want = new ArrayList<>();
    for (int k = 0; k < rows; k++) {
      String[] row = {Integer.toString(r.nextInt(100)), pool[r.nextInt(distinct)], r.nextInt(3) == 0 ? "k" + r.nextInt(1000) : pool[r.nextInt(pool.length)]};
      want.add(row);
      b.append(String.join(String.valueOf(delim), row)).append(r.nextInt(4) == 0 ? "\r\n" : "\n");
    }
    Path f = dir.resolve("ss" + seed + ".csv");
    Files.writeString(f, b.toString());
    Set<String> nulls = seed % 3 == 0 ? Set.of("", "NA") : seed % 3 == 1 ? Set.of("", "nul", "NULLVAL") : Set.of("k12");
    CsvOptions o = CsvOptions.defaults().withDelimiter(delim).withTypes(Map.of("a", DType.LONG, "s", DType.STRING, "t", DType.STRING))
        .withNullValues(nulls.toArray(String[]::new))
        .withColumns(List.<List<String>>of(List.of("s"), List.of("t", "s"), List.of()).get(r.nextInt(3)));
    long blocksize = 1 + r.nextInt((int) Files.size(f));
    List<Table> parts = new ArrayList<>();
    for (ByteRange range : Blocks.split(f, blocksize)) {
      parts.add(CsvReader.read(range, o));
    }
    for (String c : List.of("s", "t")) {
      if (!o.columns().isEmpty() && !o.columns().contains(c)) {
        continue;
      }
      int j = c.equals("s") ? 1 : 2;
      List<Object> expected = new ArrayList<>();
      for (String[] row : want) {
        expected.add(nulls.contains(row[j]) ? "" : row[j]); // Tablesaw's missing string is ""
      }
      List<Object> got = new ArrayList<>();
      for (Table t : parts) {
        got.addAll(values(t.column(c)));
      }
      assertEquals(expected, got, "column " + c + ", delimiter '" + delim + "', nulls " + nulls + ", blocksize " + blocksize);
    }
  }

  @Test
  void wrongFieldCounts_failNamingTheLine_whenTrailingColumnsAreSkipped() throws IOException {
    String good = "a,b,c\n1,2.5,x\n2,\"3.5\",\"q,\"\"r\"\n";
    for (String bad : new String[] {"3,4.5\n", "3,4.5,x,y\n", "3,4.5,\"x,y\",z\n", "3\n", "3,4.5,x,\n", "3,4.5,x,"}) {
      Path f = dir.resolve("fc" + Math.abs(bad.hashCode()) + ".csv");
      Files.writeString(f, good + bad + "4,1,z\n");
      for (List<String> cols : List.of(List.of("a"), List.of("a", "b"), List.of("c"), List.<String>of())) {
        CsvOptions o = CsvOptions.defaults().withTypes(Map.of("a", DType.LONG, "b", DType.DOUBLE, "c", DType.STRING)).withColumns(cols);
        CsvFormatException ex = assertThrows(CsvFormatException.class, () -> CsvReader.read(f, o), bad + " " + cols);
        assertEquals(4, ex.line(), bad + " " + cols + ": " + ex.getMessage());
        assertTrue(ex.getMessage().contains("expected 3 fields"), ex.getMessage());
      }
    }
  }
}
