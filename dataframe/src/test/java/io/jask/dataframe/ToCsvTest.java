package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.io.CsvOptions;
import io.jask.io.DType;
import io.jask.io.Schema;
import io.jask.testing.AllSchedulers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** toCsv: one file per partition that reads back as the same table; no partial files on failure. */
class ToCsvTest {
  @TempDir
  Path dir;

  private static CsvOptions typesOf(Schema s) {
    Map<String, DType> types = new LinkedHashMap<>();
    for (int i = 0; i < s.size(); i++) {
      types.put(s.names().get(i), s.types().get(i));
    }
    return CsvOptions.defaults().withTypes(types);
  }

  @AllSchedulers
  void toCsv_writesOneFilePerPartition_thatReadsBack(String scheduler) throws IOException {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(900);
      Table t = Frames.random(r, 150);
      StringColumn k = t.stringColumn("k");
      for (int row = 0; row < k.size(); row += 7) {
        k.set(row, "a,b \"q\" " + row);
      }
      DFrame df = Frames.partitioned(r, t);
      Path sub = dir.resolve(scheduler);
      List<Path> files = df.toCsv(sub.resolve("part-*.csv").toString());
      assertEquals(df.npartitions(), files.size());
      for (int i = 0; i < files.size(); i++) {
        assertEquals(sub.resolve("part-" + i + ".csv").toAbsolutePath(), files.get(i));
      }
      DFrame[] back = new DFrame[files.size()];
      for (int i = 0; i < back.length; i++) {
        back[i] = DFrame.readCsv(files.get(i).toString(), typesOf(df.schema()));
      }
      Frames.assertTableEquals(t, DFrame.concat(back).compute(), scheduler);
      try (Stream<Path> all = Files.list(sub)) {
        assertEquals(files.size(), all.count(), "no temporary files left");
      }
    }
  }

  @Test
  void aFailingPartition_leavesNoFileForIt_andNoTemporaryFiles() throws IOException {
    // sync: the scheduler stops at the failure, so no other write can still be running when we look
    try (Config.Scope s = Config.set("scheduler", "sync")) {
      List<Table> parts = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        parts.add(Table.create("t", DoubleColumn.create("x", p, p + 0.5)));
      }
      DFrame df = DFrame.fromPartitions(parts).mapPartitions(t -> {
        if (t.doubleColumn("x").getDouble(0) == 2.0) {
          throw new IllegalStateException("partition 2 fails");
        }
        return t;
      }, Schema.of(parts.get(0)));
      assertThrows(Exception.class, () -> df.toCsv(dir.resolve("out-*.csv").toString()));
      assertFalse(Files.exists(dir.resolve("out-2.csv")));
      try (Stream<Path> all = Files.list(dir)) {
        assertTrue(all.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary files");
      }

      // the rename fails (the target is a non-empty directory): the temporary file is removed
      Files.createDirectories(dir.resolve("bad-1.csv").resolve("x"));
      DFrame ok = DFrame.fromPartitions(parts);
      assertThrows(Exception.class, () -> ok.toCsv(dir.resolve("bad-*.csv").toString()));
      assertTrue(Files.isDirectory(dir.resolve("bad-1.csv")));
      try (Stream<Path> all = Files.list(dir)) {
        assertTrue(all.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary files");
      }
      assertThrows(IllegalArgumentException.class, () -> ok.toCsv(dir.resolve("no-pattern.csv").toString()));
    }
  }
}
