package io.jask.dataframe;

import static io.jask.dataframe.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.io.ParquetCompression;
import io.jask.testing.AllSchedulers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** toParquet / readParquet round trips, projection and filters inside the read, on every scheduler. */
class ParquetFrameTest {
  private static final int CASES = 3;

  @TempDir Path dir;

  /** The oracle of a filter: rows of t where the predicate holds (missing compares false). */
  static Table where(Table t, java.util.function.IntPredicate keep) {
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < t.rowCount(); i++) {
      if (keep.test(i)) {
        rows.add(i);
      }
    }
    return rows.isEmpty() ? t.emptyCopy() : t.rows(rows.stream().mapToInt(Integer::intValue).toArray());
  }

  @AllSchedulers
  void roundTrip_andFilteredProjectedReads_matchTheOracle(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(900 + seed);
        Table t = Frames.random(r, seed == 0 ? 0 : r.nextInt(400));
        DFrame df = Frames.partitioned(r, t);
        String c = "seed " + seed + " " + scheduler;
        Path out = dir.resolve(scheduler + "-" + seed);
        ParquetCompression comp = ParquetCompression.values()[seed % 3];
        List<Path> files = df.toParquet(out.toString(), comp, 1 + r.nextInt(50));
        assertEquals(df.npartitions(), files.size(), c);

        DFrame back = DFrame.readParquet(out.toString());
        assertEquals(df.schema(), back.schema(), c);
        assertEquals(df.npartitions(), back.npartitions(), c);
        Frames.assertTableEquals(t, back.compute(), c + " round trip " + comp);

        // projection and a filter on columns that are not projected
        DFrame sel = DFrame.readParquet(out + "/*.parquet", List.of("k", "i"), col("g").ge(2).and(col("x").gt(0)));
        Table expected = where(t, i -> !t.longColumn("g").isMissing(i) && t.longColumn("g").get(i) >= 2
            && !Double.isNaN(t.doubleColumn("x").getDouble(i)) && t.doubleColumn("x").getDouble(i) > 0).selectColumns("k", "i");
        Frames.assertTableEquals(expected, sel.compute(), c + " filtered read");
        String plan = sel.explain();
        assertTrue(plan.startsWith("ReadParquet") && plan.contains("columns=[k, i], row-group filters=[g >= 2, x > 0]"), plan);
        assertTrue(!plan.contains("Filter ("), "the filter is inside the read:\n" + plan);

        // pushed through a chain: withColumn, filter, select
        DFrame chain = back.withColumn("z", col("x").mul(2)).filter(col("i").gt(10)).select("k", "z");
        Table e2 = where(t, i -> !t.intColumn("i").isMissing(i) && t.intColumn("i").getInt(i) > 10);
        tech.tablesaw.api.DoubleColumn z = e2.doubleColumn("x").multiply(2).setName("z");
        Frames.assertTableEquals(Table.create("e", e2.stringColumn("k"), z), chain.compute(), c + " chain");
        String p2 = chain.explain();
        assertTrue(p2.contains("columns=[k, i, x]") && p2.contains("row filters=[(col(i) > 10)]"), p2);
      }
    }
  }

  @Test
  void badFile_failsNamingTheFile() throws IOException {
    Path bad = dir.resolve("bad.parquet");
    Files.writeString(bad, "PAR1 not really");
    Exception e = assertThrows(RuntimeException.class, () -> DFrame.readParquet(bad.toString()));
    assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
  }

  @Test
  void unknownColumn_failsWithTheColumns() {
    Table t = Frames.random(new Random(1), 20);
    DFrame.fromTable(t, 2).toParquet(dir.toString(), ParquetCompression.SNAPPY);
    Exception e = assertThrows(IllegalArgumentException.class, () -> DFrame.readParquet(dir.toString(), List.of("nope"), null));
    assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("[k, g, i, x, b]"), e.getMessage());
    Exception f = assertThrows(IllegalArgumentException.class,
        () -> DFrame.readParquet(dir.toString(), List.of("k"), col("zz").gt(1)));
    assertTrue(f.getMessage().contains("zz") && f.getMessage().contains("[k, g, i, x, b]"), f.getMessage());
  }

  @Test
  void failedWrite_leavesNoPartialFile() throws IOException {
    Table t = Frames.random(new Random(2), 30);
    Path out = dir.resolve("w");
    Files.createDirectories(out.resolve("part.00001.parquet").resolve("x")); // partition 1 cannot be renamed into place
    try (Config.Scope s = Config.set("scheduler", "sync")) { // no other partition still being written when it fails
      assertThrows(RuntimeException.class, () -> DFrame.fromTable(t, 3).toParquet(out.toString(), ParquetCompression.ZSTD));
    }
    try (var files = Files.list(out)) {
      for (Path p : files.toList()) {
        assertTrue(!p.getFileName().toString().endsWith(".tmp"), "temporary file left: " + p);
        if (Files.isDirectory(p)) {
          Files.delete(p.resolve("x"));
        }
      }
    }
  }
}
