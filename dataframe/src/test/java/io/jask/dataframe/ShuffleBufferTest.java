package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.dataframe.internal.ShuffleBuffer;
import io.jask.engine.config.Config;
import io.jask.io.Schema;
import io.jask.testing.AllSchedulers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * The {@code dataframe.shuffle.buffer} bound: with a tiny bound, shuffles on the local schedulers
 * write their pieces to spill files in {@code temporary-directory}, read them back, and give the
 * same rows as one table (sort, hash merge, groupBy splitOut); no file remains afterwards, also
 * when a task fails before or after the pieces were read. Other schedulers give the same rows.
 */
class ShuffleBufferTest {
  @TempDir Path tmp;

  private Config.Scope tiny(String scheduler) {
    return Config.set(Map.of("scheduler", scheduler, "temporary-directory", tmp.toString(),
        ShuffleBuffer.KEY, "2KiB"));
  }

  private static boolean local(String scheduler) {
    return scheduler.equals("sync") || scheduler.equals("threads");
  }

  /**
   * The spill files in the temporary directory; after a failure, a split still running on another
   * loop thread when compute() returned may be writing one (it deletes it at once), so wait a
   * little for 0.
   */
  private long files() throws IOException {
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (true) {
      long n;
      try (Stream<Path> s = Files.list(tmp)) {
        n = s.filter(p -> p.getFileName().toString().startsWith("jask-shuffle-")).count();
      }
      if (n == 0 || System.nanoTime() > deadline) {
        return n;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return n;
      }
    }
  }

  @AllSchedulers
  void tinyBound_sortSpills_andMatchesAStableSort(String scheduler) throws IOException {
    try (Config.Scope s = tiny(scheduler)) {
      for (int seed = 0; seed < 3; seed++) {
        Random r = new Random(1200 + seed);
        Table t = SortTest.table(r, 200 + r.nextInt(400));
        DFrame df = Frames.partitioned(r, t);
        long before = ShuffleBuffer.spillFilesWritten();
        DFrame sorted = df.sortValues(List.of("x", "k"), List.of(true, false));
        String ctx = "seed " + seed + " over " + df.npartitions() + " partitions";
        Frames.assertRowsEqual(SortTest.oracle(t, List.of("x", "k"), List.of(true, false)), Frames.rows(sorted.compute()), ctx);
        if (local(scheduler) && df.npartitions() > 1) {
          assertTrue(ShuffleBuffer.spillFilesWritten() > before, ctx + ": no spill file with a 2KiB bound");
        }
        assertEquals(0, files(), ctx + ": spill files left");
      }
    }
  }

  /**
   * A bound of about half the frame: on the local schedulers the first splits are held (their
   * output tasks read slices of the cuts) and the later ones spilled (tables read back), so a
   * sort's output tasks get both kinds of piece; with a datetime column (and nulls) besides the
   * string, long, int, double and boolean ones, uneven and empty partitions. Other schedulers:
   * the same rows.
   */
  @AllSchedulers
  void halfBound_sortMixesHeldAndSpilledPieces_andMatchesAStableSort(String scheduler) throws IOException {
    for (int seed = 0; seed < 4; seed++) {
      Random r = new Random(1300 + seed);
      int rows = 300 + r.nextInt(600);
      Table t = SortTest.table(r, rows);
      tech.tablesaw.api.DateTimeColumn d = tech.tablesaw.api.DateTimeColumn.create("d");
      for (int i = 0; i < rows; i++) {
        if (r.nextInt(7) == 0) {
          d.appendMissing();
        } else {
          d.append(java.time.LocalDateTime.of(2020, 1, 1, 0, 0).plusMinutes(r.nextInt(100_000)));
        }
      }
      t.addColumns(d);
      // uneven partitions, one of them empty
      int[] cuts = {0, rows / 7, rows / 7, rows / 2, rows / 2 + 13, rows};
      List<Table> parts = new java.util.ArrayList<>();
      for (int p = 0; p + 1 < cuts.length; p++) {
        parts.add(t.inRange(cuts[p], cuts[p + 1]).copy());
      }
      DFrame df = DFrame.fromPartitions(parts);
      long half = new io.jask.dataframe.internal.ArrowTableCodec().sizeOf(t) / 2;
      List<String> by = seed % 2 == 0 ? List.of("x") : List.of("d", "k");
      List<Boolean> asc = seed % 2 == 0 ? List.of(true) : List.of(seed == 1, true);
      try (Config.Scope s = Config.set(Map.of("scheduler", scheduler, "temporary-directory", tmp.toString(),
          ShuffleBuffer.KEY, Long.toString(half)))) {
        long before = ShuffleBuffer.spillFilesWritten();
        String ctx = "seed " + seed + " by " + by + " " + asc + ", bound " + half;
        Frames.assertRowsEqual(SortTest.oracle(t, by, asc), Frames.rows(df.sortValues(by, asc).compute()), ctx);
        if (local(scheduler)) {
          long spilled = ShuffleBuffer.spillFilesWritten() - before;
          assertTrue(spilled > 0 && spilled < parts.size(), ctx + ": " + spilled + " of " + parts.size() + " splits spilled");
        }
        assertEquals(0, files(), ctx + ": spill files left");
      }
    }
  }

  @AllSchedulers
  void tinyBound_hashMerge_andGroupBySplitOut_matchOneTable(String scheduler) throws IOException {
    try (Config.Scope s = tiny(scheduler)) {
      for (int seed = 0; seed < 3; seed++) {
        Random r = new Random(1300 + seed);
        Table lt = Frames.random(r, 100 + r.nextInt(200));
        Table rt = MergeTest.right(r, 1 + r.nextInt(60));
        DFrame left = Frames.partitioned(r, lt);
        DFrame right = Frames.partitioned(r, rt);
        String ctx = "seed " + seed;
        long before = ShuffleBuffer.spillFilesWritten();
        for (DFrame.How how : DFrame.How.values()) {
          DFrame m = left.merge(right, how, 1 + r.nextInt(6), "k");
          Frames.assertRowsEqual(ShuffleOpsTest.sorted(MergeTest.oracle(lt, rt, List.of("k"), how)),
              ShuffleOpsTest.sorted(Frames.rows(m.compute())), ctx + " " + how);
        }
        DFrame g = left.groupBy("k", "g").agg(1 + r.nextInt(5), Agg.sum("i").as("si"), Agg.size().as("n"));
        try (Config.Scope big = Config.set(ShuffleBuffer.KEY, "1GiB")) {
          Table inMemory = g.compute();
          Frames.assertRowsEqual(ShuffleOpsTest.sorted(Frames.rows(inMemory)),
              ShuffleOpsTest.sorted(Frames.rows(left.groupBy("k", "g").agg(Agg.sum("i").as("si"), Agg.size().as("n"))
                  .compute())), ctx + " groupBy in memory");
        }
        Frames.assertRowsEqual(ShuffleOpsTest.sorted(Frames.rows(left.groupBy("k", "g")
            .agg(Agg.sum("i").as("si"), Agg.size().as("n")).compute())), ShuffleOpsTest.sorted(Frames.rows(g.compute())),
            ctx + " groupBy splitOut spilled");
        if (local(scheduler) && left.npartitions() > 1) {
          assertTrue(ShuffleBuffer.spillFilesWritten() > before, ctx + ": no spill file with a 2KiB bound");
        }
        assertEquals(0, files(), ctx + ": spill files left");
      }
    }
  }

  @AllSchedulers
  void failingTask_beforeOrAfterTheSpilledPiecesAreRead_leavesNoFile(String scheduler) throws IOException {
    try (Config.Scope s = tiny(scheduler); Config.Scope every = Config.set(ShuffleBuffer.KEY, 1)) {
      Random r = new Random(1400);
      Table t = SortTest.table(r, 600);
      DFrame df = DFrame.fromTable(t, 8);
      Schema schema = df.schema();
      // after: an output of the sort fails, the other outputs' parts stay unread
      long spilled = ShuffleBuffer.spillFilesWritten();
      DFrame after = df.sortValues("x").mapPartitions(p -> {
        throw new IllegalStateException("boom after the shuffle");
      }, schema);
      RuntimeException e = assertThrows(RuntimeException.class, after::compute);
      assertTrue(e.getMessage().contains("boom after the shuffle"), e.getMessage());
      if (local(scheduler)) {
        assertTrue(ShuffleBuffer.spillFilesWritten() >= spilled + 8, "every split spills with a 1-byte bound");
      }
      assertEquals(0, files(), "spill files left after a failing output task");
      // before: the last input of a hash merge fails, after (on sync) the earlier splits spilled
      spilled = ShuffleBuffer.spillFilesWritten();
      DFrame failing = DFrame.fromPartitions(List.of(t.inRange(0, 200).copy(), t.inRange(200, 400).copy(),
          t.inRange(400, 600).copy(), t.inRange(0, 0).copy())).mapPartitions(p -> {
            if (p.rowCount() == 0) {
              throw new IllegalStateException("boom before the shuffle");
            }
            return p;
          }, schema);
      e = assertThrows(RuntimeException.class, () -> failing.merge(df, DFrame.How.INNER, 3, "k").compute());
      assertTrue(e.getMessage().contains("boom before the shuffle"), e.getMessage());
      if (scheduler.equals("sync")) {
        assertTrue(ShuffleBuffer.spillFilesWritten() > spilled, "splits before the failure spilled");
      }
      assertEquals(0, files(), "spill files left after a failing split");
    }
  }
}
