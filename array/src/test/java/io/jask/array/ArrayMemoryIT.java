package io.jask.array;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jask.array.internal.ArrayFns;
import io.jask.distributed.Client;
import io.jask.distributed.LocalCluster;
import io.jask.engine.config.Config;
import io.jask.testing.MemoryWatch;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A DArray reduction over data 4 times larger than the cluster's memory (issue #8): two worker
 * processes with 256 MiB each (512 MiB in all) persist a 2 GiB random float64 array (256 chunks of
 * 8 MiB, so most of it must be spilled), then compute its sum and its column means from the
 * persisted chunks. The oracle regenerates the same seeded chunks here one at a time (each chunk
 * of {@link DArray#random(long[], int[], long)} depends only on the seed and its index) and sums
 * them with plain loops, never holding more than one chunk. Every worker's resident memory must
 * stay under its limit for the whole run, the workers must report spilled bytes, and no spill file
 * may be left.
 */
class ArrayMemoryIT {

  static final long LIMIT = 256L << 20;
  static final long SEED = 20261122L;
  static final int ROWS_PER_CHUNK = 256;
  static final int COLS = 4096; // a chunk: 256 x 4096 doubles = 8 MiB
  static final int CHUNKS = 256; // 2 GiB: 4x the memory of the cluster
  static final long ROWS = (long) ROWS_PER_CHUNK * CHUNKS;

  @TempDir Path spillRoot;

  /** Column sums over all chunks, regenerating each chunk by itself. */
  static double[] expectedColumnSums() {
    double[] colSums = new double[COLS];
    for (int b = 0; b < CHUNKS; b++) {
      INDArray block = (INDArray) new ArrayFns.Random(new long[] {ROWS_PER_CHUNK, COLS}, SEED, b, false, 0, 1, DataType.DOUBLE)
          .apply(new Object[0]);
      double[] d = block.data().asDouble();
      for (int r = 0; r < ROWS_PER_CHUNK; r++) {
        for (int c = 0; c < COLS; c++) {
          colSums[c] += d[r * COLS + c];
        }
      }
      block.close();
    }
    return colSums;
  }

  @Test
  void twoGiBRandomArray_persisted_sumAndColumnMeans_onTwo256MiBWorkers() throws Exception {
    double[] colSums = expectedColumnSums();
    double expectedTotal = 0;
    for (double s : colSums) {
      expectedTotal += s;
    }
    long t0 = System.nanoTime();
    MemoryWatch watch;
    double total;
    INDArray means;
    try (Config.Scope c = Config.set("temporary-directory", spillRoot.toString());
         Config.Scope t = Config.set("distributed.worker.memory.target", 0.5);
         Config.Scope s = Config.set("distributed.worker.memory.spill", 0.6);
         Config.Scope p = Config.set("distributed.worker.memory.pause", 0.7);
         // the nanny restarts a worker at 0.99 of the limit instead of 0.95: the claim checked
         // here is "under the limit", and ND4J's ~70 MiB of native memory leaves 243 MiB tight
         Config.Scope k = Config.set("distributed.worker.memory.terminate", 0.99);
         LocalCluster cluster = LocalCluster.builder().workers(2).threadsPerWorker(1).memoryLimit(LIMIT).build()) {
      try (Client client = Client.connect(cluster)) {
        watch = new MemoryWatch(cluster, client);
        try (watch) {
          DArray x = DArray.random(new long[] {ROWS, COLS}, new int[] {ROWS_PER_CHUNK, COLS}, SEED).persist();
          long persisted = System.nanoTime();
          total = x.sum().compute().getDouble(0);
          means = x.mean(0).compute();
          System.out.printf("DArray 2 GiB on 2 x %d MiB workers: persist %.1f s, sum + mean(0) %.1f s, spilled (peak, MiB) %s%n",
              LIMIT >> 20, (persisted - t0) / 1e9, (System.nanoTime() - persisted) / 1e9,
              watch.peakSpilled().values().stream().map(b -> b >> 20).toList());
        }
      }
      // the client is gone, so are its keys: their spill files are deleted while the workers run
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (MemoryWatch.files(spillRoot) != 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals(0, MemoryWatch.files(spillRoot), "spill files of released keys are deleted");
    }
    System.out.printf("DArray 2 GiB reduction: %.1f s in all; peak RSS per worker process (MiB): %s; limit %d MiB%n",
        (System.nanoTime() - t0) / 1e9, watch.peakRssMiB(), LIMIT >> 20);
    // summation order differs (tree of chunk sums vs one running sum): relative tolerance
    assertEquals(expectedTotal, total, Math.abs(expectedTotal) * 1e-11, "sum()");
    assertEquals(1, means.rank());
    assertEquals(COLS, means.length());
    for (int c = 0; c < COLS; c++) {
      double expected = colSums[c] / ROWS;
      assertEquals(expected, means.getDouble(c), 1e-12, "mean(0) at column " + c);
    }
    watch.assertUnderLimit(2, LIMIT);
    MemoryWatch.assertNoSpillFiles(spillRoot);
  }
}
