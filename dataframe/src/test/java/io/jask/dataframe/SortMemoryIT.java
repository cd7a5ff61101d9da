package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.distributed.Client;
import io.jask.distributed.LocalCluster;
import io.jask.engine.config.Config;
import io.jask.io.DType;
import io.jask.io.Schema;
import io.jask.testing.MemoryWatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/**
 * A DFrame sort over data 4 times larger than the cluster's memory (issue #8): two worker
 * processes with 256 MiB each (512 MiB in all) sort 2 GiB of rows (4 columns of 8 bytes) by a
 * random key. The rows are generated inside the tasks, partition by partition, from a seed (they
 * never sit in the test JVM); the oracle regenerates each input partition here, one at a time, for
 * the row count and order-independent checksums (sum of values, sum of a hash of every row), and the
 * output is checked to be globally sorted (each partition sorted, partition boundaries ordered)
 * from one summary row per output partition. Every worker's resident memory must stay under its
 * limit, the workers must report spilled bytes, and no spill file may be left.
 */
class SortMemoryIT {

  static final long LIMIT = 256L << 20;
  static final long SEED = 20261122L;
  static final int PARTITIONS = Integer.getInteger("jask.sortit.partitions", 256);
  static final int ROWS = Integer.getInteger("jask.sortit.rows", 262_144); // 4 x 8 bytes: 8 MiB a partition, 2 GiB in all
  static final Schema ROW = Schema.of(List.of("k", "v", "id", "w"), List.of(DType.LONG, DType.DOUBLE, DType.LONG, DType.DOUBLE));
  static final Schema SUMMARY = Schema.of(List.of("part", "rows", "first", "last", "sorted", "vsum", "hsum"),
      List.of(DType.LONG, DType.LONG, DType.LONG, DType.LONG, DType.BOOLEAN, DType.DOUBLE, DType.LONG));

  @TempDir Path spillRoot;

  /** The rows of input partition {@code p}: keys drawn from a generator seeded by the seed and p alone. */
  static Table generate(long p) {
    SplittableRandom r = new SplittableRandom(SEED * 1_000_003L + p);
    long[] k = new long[ROWS];
    double[] v = new double[ROWS];
    long[] id = new long[ROWS];
    double[] w = new double[ROWS];
    for (int i = 0; i < ROWS; i++) {
      k[i] = r.nextLong(1L << 40);
      v[i] = r.nextDouble();
      id[i] = p * ROWS + i;
      w[i] = r.nextGaussian();
    }
    return Table.create("rows", LongColumn.create("k", k), DoubleColumn.create("v", v), LongColumn.create("id", id),
        DoubleColumn.create("w", w));
  }

  static long rowHash(long k, double v, long id, double w) {
    long h = k * 0x9E3779B97F4A7C15L;
    h = (h ^ Double.doubleToLongBits(v)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ id) * 0x94D049BB133111EBL;
    h = (h ^ Double.doubleToLongBits(w)) * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 31);
  }

  /** One row per partition: count, first and last key, sortedness, sum of v, sum of row hashes. */
  static Table summary(Table t, long part) {
    long[] k = ((LongColumn) t.column("k")).asLongArray();
    double[] v = ((DoubleColumn) t.column("v")).asDoubleArray();
    long[] id = ((LongColumn) t.column("id")).asLongArray();
    double[] w = ((DoubleColumn) t.column("w")).asDoubleArray();
    boolean sorted = true;
    double vsum = 0;
    long hsum = 0;
    for (int i = 0; i < k.length; i++) {
      if (i > 0 && k[i - 1] > k[i]) {
        sorted = false;
      }
      vsum += v[i];
      hsum += rowHash(k[i], v[i], id[i], w[i]);
    }
    Table out = Table.create("summary", LongColumn.create("part"), LongColumn.create("rows"), LongColumn.create("first"),
        LongColumn.create("last"), BooleanColumn.create("sorted"), DoubleColumn.create("vsum"), LongColumn.create("hsum"));
    ((LongColumn) out.column("part")).append(part);
    ((LongColumn) out.column("rows")).append(k.length);
    ((LongColumn) out.column("first")).append(k.length == 0 ? Long.MAX_VALUE : k[0]);
    ((LongColumn) out.column("last")).append(k.length == 0 ? Long.MIN_VALUE : k[k.length - 1]);
    ((BooleanColumn) out.column("sorted")).append(sorted);
    ((DoubleColumn) out.column("vsum")).append(vsum);
    ((LongColumn) out.column("hsum")).append(hsum);
    return out;
  }

  @Test
  void twoGiBOfRows_sortValues_onTwo256MiBWorkers() throws Exception {
    long expectedRows = 0;
    double expectedV = 0;
    long expectedH = 0;
    for (int p = 0; p < PARTITIONS; p++) {
      Table s = summary(generate(p), p);
      expectedRows += s.longColumn("rows").get(0);
      expectedV += s.doubleColumn("vsum").get(0);
      expectedH += s.longColumn("hsum").get(0);
    }
    List<Table> seeds = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      seeds.add(Table.create("seed", LongColumn.create("p", new long[] {p})));
    }
    long t0 = System.nanoTime();
    MemoryWatch watch;
    Table summaries;
    try (Config.Scope c = Config.set("temporary-directory", spillRoot.toString());
         Config.Scope target = Config.set("distributed.worker.memory.target", 0.4);
         Config.Scope spill = Config.set("distributed.worker.memory.spill", 0.6);
         Config.Scope pause = Config.set("distributed.worker.memory.pause", 0.7);
         LocalCluster cluster = LocalCluster.builder().workers(2).threadsPerWorker(1).memoryLimit(LIMIT).build()) {
      try (Client client = Client.connect(cluster)) {
        watch = new MemoryWatch(cluster, client);
        try (watch) {
          DFrame rows = DFrame.fromPartitions(seeds).mapPartitions(s -> generate(s.longColumn("p").get(0)), ROW);
          DFrame sorted = rows.sortValues("k");
          long planned = System.nanoTime();
          // one summary row per output partition, numbered by a first column the sort task cannot see
          summaries = sorted.mapPartitions(SortMemoryIT::summaryWithoutPart, SUMMARY).compute();
          System.out.printf("DFrame sort of %d MiB on 2 x %d MiB workers: sampling %.1f s, shuffle and sort %.1f s, spilled (peak, MiB) %s%n",
              (long) PARTITIONS * ROWS * 32 >> 20, LIMIT >> 20, (planned - t0) / 1e9, (System.nanoTime() - planned) / 1e9,
              watch.peakSpilled().values().stream().map(b -> b >> 20).toList());
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (MemoryWatch.files(spillRoot) != 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(0, MemoryWatch.files(spillRoot), "spill files of released keys are deleted");
    }
    System.out.printf("DFrame 2 GiB sort: %.1f s in all; peak RSS per worker process (MiB): %s; limit %d MiB%n",
        (System.nanoTime() - t0) / 1e9, watch.peakRssMiB(), LIMIT >> 20);
    long rows = 0;
    double vsum = 0;
    long hsum = 0;
    long previousLast = Long.MIN_VALUE;
    for (int i = 0; i < summaries.rowCount(); i++) {
      long n = summaries.longColumn("rows").get(i);
      rows += n;
      vsum += summaries.doubleColumn("vsum").get(i);
      hsum += summaries.longColumn("hsum").get(i);
      assertTrue(summaries.booleanColumn("sorted").get(i), "output partition " + i + " is sorted");
      if (n > 0) {
        long first = summaries.longColumn("first").get(i);
        assertTrue(previousLast <= first, "output partition " + i + " starts at " + first + " before the end of the previous, " + previousLast);
        previousLast = summaries.longColumn("last").get(i);
      }
    }
    assertEquals(expectedRows, rows, "row count");
    assertEquals(expectedH, hsum, "sum of row hashes");
    assertEquals(expectedV, vsum, Math.abs(expectedV) * 1e-9, "sum of v");
    watch.assertUnderLimit(2, LIMIT);
    MemoryWatch.assertNoSpillFiles(spillRoot);
  }

  static Table summaryWithoutPart(Table t) {
    return summary(t, -1);
  }
}
