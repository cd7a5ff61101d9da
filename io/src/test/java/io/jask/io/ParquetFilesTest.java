package io.jask.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class ParquetFilesTest {
  @TempDir Path dir;

  /** A random table of every supported type, about a tenth of each column missing. */
  static Table randomTable(Random r, int rows) {
    IntColumn i = IntColumn.create("i");
    LongColumn id = LongColumn.create("id");
    DoubleColumn x = DoubleColumn.create("x");
    StringColumn k = StringColumn.create("k");
    BooleanColumn b = BooleanColumn.create("b");
    for (int row = 0; row < rows; row++) {
      if (r.nextInt(10) == 0) i.appendMissing(); else i.append(r.nextInt(1000) - 500);
      id.append(row); // sorted, never missing: row groups have disjoint id ranges
      if (r.nextInt(10) == 0) x.appendMissing(); else x.append(r.nextGaussian());
      if (r.nextInt(10) == 0) k.appendMissing(); else k.append("k" + r.nextInt(30));
      if (r.nextInt(10) == 0) b.appendMissing(); else b.append(r.nextBoolean());
    }
    return Table.create("t", i, id, x, k, b);
  }

  static void assertSameTable(Table expected, Table actual, String what) {
    assertEquals(expected.columnNames(), actual.columnNames(), what);
    assertEquals(expected.rowCount(), actual.rowCount(), what + " rows");
    for (int c = 0; c < expected.columnCount(); c++) {
      for (int row = 0; row < expected.rowCount(); row++) {
        boolean em = expected.column(c).isMissing(row);
        assertEquals(em, actual.column(c).isMissing(row), what + " missing at column " + c + " row " + row);
        if (!em) {
          assertEquals(expected.column(c).get(row), actual.column(c).get(row), what + " at column " + c + " row " + row);
        }
      }
    }
  }

  static Stream<Long> seeds() {
    return LongStream.range(0, 12).boxed();
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void roundTrip_everyTypeAndCompression_withNulls(long seed) {
    Random r = new Random(seed);
    Table t = randomTable(r, r.nextInt(3) == 0 ? 0 : r.nextInt(3000));
    ParquetCompression c = ParquetCompression.values()[(int) (seed % 3)];
    Path f = ParquetFiles.write(t, dir.resolve("t" + seed + ".parquet"), c, 1 + r.nextInt(700));
    assertEquals(Schema.of(t), ParquetFiles.schema(f), "seed " + seed);
    assertSameTable(t, ParquetFiles.read(f, List.of(), List.of()).table(), "seed " + seed + " " + c);
    Table projected = ParquetFiles.read(f, List.of("k", "x"), List.of()).table();
    assertSameTable(t.selectColumns("k", "x"), projected, "seed " + seed + " projected");
  }

  @Test
  void filters_skipRowGroupsWhoseStatisticsCannotMatch() {
    Table t = randomTable(new Random(7), 10_000);
    Path f = ParquetFiles.write(t, dir.resolve("t.parquet"), ParquetCompression.SNAPPY, 1000);
    assertEquals(10, ParquetFiles.rowGroups(f));
    ParquetFiles.Read r = ParquetFiles.read(f, List.of("id", "x"), List.of(ParquetFilter.of("id", ParquetFilter.Op.GE, 7500L)));
    assertEquals(10, r.rowGroups());
    assertEquals(3, r.rowGroupsRead()); // ids 7000..9999
    assertEquals(3000, r.table().rowCount());
    assertEquals(7000L, r.table().longColumn("id").get(0));
    ParquetFiles.Read none = ParquetFiles.read(f, List.of("x"), List.of(ParquetFilter.of("id", ParquetFilter.Op.LT, 0)));
    assertEquals(0, none.rowGroupsRead());
    assertEquals(0, none.table().rowCount());
    assertEquals(List.of("x"), none.table().columnNames());
    ParquetFiles.Read both = ParquetFiles.read(f, List.of("id"), List.of(
        ParquetFilter.of("id", ParquetFilter.Op.GT, 2500), ParquetFilter.of("id", ParquetFilter.Op.LE, 3000.0)));
    assertEquals(2, both.rowGroupsRead()); // 2000..2999 and 3000..3999
    ParquetFiles.Read eq = ParquetFiles.read(f, List.of("id"), List.of(ParquetFilter.of("id", ParquetFilter.Op.EQ, 4321)));
    assertEquals(1, eq.rowGroupsRead());
    // a string column: no group can hold a value above every key
    ParquetFiles.Read s = ParquetFiles.read(f, List.of("k"), List.of(ParquetFilter.of("k", ParquetFilter.Op.GT, "zz")));
    assertEquals(0, s.rowGroupsRead());
  }

  @Test
  void allMissingRowGroup_isSkippedExceptForNotEqual() {
    DoubleColumn x = DoubleColumn.create("x", new double[] {Double.NaN, Double.NaN, 1.0, 2.0});
    Path f = ParquetFiles.write(Table.create("t", x), dir.resolve("n.parquet"), ParquetCompression.ZSTD, 2);
    assertEquals(1, ParquetFiles.read(f, List.of(), List.of(ParquetFilter.of("x", ParquetFilter.Op.GT, -1e300))).rowGroupsRead());
    assertEquals(2, ParquetFiles.read(f, List.of(), List.of(ParquetFilter.of("x", ParquetFilter.Op.NE, 5))).rowGroupsRead());
  }

  @Test
  void badFile_namesTheFile() throws IOException {
    Path f = dir.resolve("bad.parquet");
    Files.writeString(f, "this is not parquet");
    Exception e = assertThrows(RuntimeException.class, () -> ParquetFiles.read(f, List.of(), List.of()));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    Exception m = assertThrows(IllegalArgumentException.class, () -> ParquetFiles.schema(dir.resolve("missing.parquet")));
    assertTrue(m.getMessage().contains("missing.parquet"), m.getMessage());
  }

  @Test
  void unknownColumn_namesTheColumnsAndFile() {
    Path f = ParquetFiles.write(randomTable(new Random(1), 10), dir.resolve("u.parquet"), ParquetCompression.SNAPPY);
    Exception e = assertThrows(IllegalArgumentException.class, () -> ParquetFiles.read(f, List.of("nope"), List.of()));
    assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("[i, id, x, k, b]") && e.getMessage().contains("u.parquet"),
        e.getMessage());
  }

  @Test
  void failedWrite_leavesNoFile() throws IOException {
    Path target = dir.resolve("out.parquet");
    Files.createDirectories(target.resolve("sub")); // a non-empty directory: the rename fails
    assertThrows(RuntimeException.class, () -> ParquetFiles.write(randomTable(new Random(2), 50), target, ParquetCompression.SNAPPY));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(target), s.toList()); // no temporary file left
    }
  }
}
