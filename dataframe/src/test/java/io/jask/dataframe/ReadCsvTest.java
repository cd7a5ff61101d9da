package io.jask.dataframe;

import static io.jask.dataframe.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.io.CsvOptions;
import io.jask.io.CsvReader;
import io.jask.io.DType;
import io.jask.testing.AllSchedulers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class ReadCsvTest {
  @TempDir Path dir;

  private static String csv(Random r, int rows) {
    StringBuilder b = new StringBuilder("id,key,x,flag\n");
    for (int i = 0; i < rows; i++) {
      b.append(r.nextInt(50)).append(",k").append(r.nextInt(9)).append(',')
          .append(r.nextInt(9) == 0 ? "NA" : Double.toString(r.nextGaussian())).append(',')
          .append(r.nextBoolean()).append('\n');
    }
    return b.toString();
  }

  @AllSchedulers
  void readCsv_randomBlockSizes_giveExactlyTheRowsOfTheFiles(String scheduler) throws IOException {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(11);
      StringBuilder all = new StringBuilder();
      for (int f = 0; f < 3; f++) {
        String text = csv(r, 50 + r.nextInt(300));
        Files.writeString(dir.resolve("part-" + f + ".csv"), text);
        all.append(f == 0 ? text : text.substring(text.indexOf('\n') + 1));
      }
      Path whole = dir.resolve("whole.txt");
      Files.writeString(whole, all.toString());
      Table expected = CsvReader.read(whole, CsvOptions.defaults());
      for (int round = 0; round < 3; round++) {
        long blocksize = 64 + r.nextInt(4000);
        DFrame df = DFrame.readCsv(dir + "/part-*.csv", CsvOptions.defaults().withBlocksize(blocksize));
        assertTrue(df.npartitions() >= 3, "blocks: " + df.npartitions());
        assertEquals(List.of(DType.LONG, DType.STRING, DType.DOUBLE, DType.BOOLEAN), df.schema().types());
        Frames.assertTableEquals(expected, df.compute(), "blocksize " + blocksize);

        DFrame projected = df.select("x", "id");
        assertEquals(df.npartitions(), projected.npartitions());
        Frames.assertTableEquals(expected.selectColumns("x", "id"), projected.compute(), "projection");
        Table sums = projected.filter(col("x").gt(0)).groupBy("id").sum("x").compute();
        Table oracle = expected.where(expected.doubleColumn("x").isGreaterThan(0));
        assertEquals(oracle.longColumn("id").unique().size(), sums.rowCount(), "groups");
        Frames.assertClose(oracle.doubleColumn("x").sum(), sums.doubleColumn("x").sum(), "sum of x > 0");
      }
    }
  }

  @AllSchedulers
  void malformedRow_failsTheComputationNamingFileLineAndColumn(String scheduler) throws IOException {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      StringBuilder b = new StringBuilder("id,x\n");
      for (int i = 0; i < 500; i++) {
        b.append(i).append(',').append(i * 0.25).append('\n');
      }
      b.append("500,not-a-number\n");
      Path f = dir.resolve("bad.csv");
      Files.writeString(f, b.toString());
      DFrame df = DFrame.readCsv(f.toString(), CsvOptions.defaults().withType("x", DType.DOUBLE).withBlocksize(1024));
      RuntimeException e = assertThrows(RuntimeException.class, df::compute);
      String all = messages(e);
      assertTrue(all.contains("bad.csv:502, column 'x'") && all.contains("not-a-number"), all);
    }
  }

  private static String messages(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append(" | ");
    }
    return b.toString();
  }

  @AllSchedulers
  void gzipFiles_areOnePartitionEach(String scheduler) throws IOException {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(12);
      String text = csv(r, 400);
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("z.csv.gz")))) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      Files.writeString(dir.resolve("plain.csv"), text);
      DFrame df = DFrame.readCsv(dir + "/z.csv.gz", CsvOptions.defaults().withBlocksize(100));
      assertEquals(1, df.npartitions());
      Frames.assertTableEquals(CsvReader.read(dir.resolve("plain.csv"), CsvOptions.defaults()), df.compute(), "gzip");
      assertEquals(400, df.count("id").compute());
    }
  }
}
