package io.jask.array;

import static io.jask.array.LinalgSupport.CASES;
import static io.jask.array.LinalgSupport.assertClose;
import static io.jask.array.LinalgSupport.describe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * mapOverlap with a box-sum stencil against the same stencil on the whole array padded by the
 * boundary mode (plain index arithmetic), for every boundary, random depths and uneven chunks.
 */
class OverlapTest {

  /** Each element: the sum of the elements within {@code radius} along every axis that exist (2-D). */
  static INDArray boxSum(INDArray x, int[] radius) {
    long m = x.size(0);
    long n = x.size(1);
    INDArray out = Nd4j.create(DataType.DOUBLE, m, n);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int di = -radius[0]; di <= radius[0]; di++) {
          for (int dj = -radius[1]; dj <= radius[1]; dj++) {
            if (i + di >= 0 && i + di < m && j + dj >= 0 && j + dj < n) {
              s += x.getDouble(i + di, j + dj);
            }
          }
        }
        out.putScalar(i, j, s);
      }
    }
    return out;
  }

  /** The index of padded position p (-depth..len+depth-1) in the array, or -1 for "constant". */
  static long source(long p, long len, Boundary b) {
    if (p >= 0 && p < len) {
      return p;
    }
    return switch (b.kind()) {
      case PERIODIC -> Math.floorMod(p, len);
      case REFLECT -> p < 0 ? -p - 1 : 2 * len - p - 1;
      case NEAREST -> p < 0 ? 0 : len - 1;
      default -> -1;
    };
  }

  /** The whole array padded by {@code depth} with the boundary mode (nothing for NONE). */
  static INDArray pad(INDArray x, int[] depth, Boundary b) {
    if (b.kind() == Boundary.Kind.NONE) {
      return x.dup();
    }
    long m = x.size(0);
    long n = x.size(1);
    INDArray out = Nd4j.create(DataType.DOUBLE, m + 2L * depth[0], n + 2L * depth[1]);
    for (long i = -depth[0]; i < m + depth[0]; i++) {
      for (long j = -depth[1]; j < n + depth[1]; j++) {
        long si = source(i, m, b);
        long sj = source(j, n, b);
        out.putScalar(new long[] {i + depth[0], j + depth[1]}, si < 0 || sj < 0 ? b.value() : x.getDouble(si, sj));
      }
    }
    return out;
  }

  static final Boundary[] BOUNDARIES = {Boundary.reflect(), Boundary.periodic(), Boundary.constant(0.5),
      Boundary.nearest(), Boundary.none(), Boundary.constant(Double.NaN)};

  @AllSchedulers
  void mapOverlap_boxSum_everyBoundary_matchesThePaddedWholeArray(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < BOUNDARIES.length * 2; seed++) {
        Random r = new Random(seed);
        Boundary b = BOUNDARIES[seed % BOUNDARIES.length];
        int[] depth = {r.nextInt(3), r.nextInt(3)};
        long[] shape = {Math.max(1, depth[0]) + r.nextInt(12), Math.max(1, depth[1]) + r.nextInt(12)};
        INDArray x = LinalgSupport.random(r, DataType.DOUBLE, seed % 4 == 1 ? 0.05 : 0, shape);
        long[][] chunks = {LinalgSupport.axis(r, shape[0], Math.max(1, depth[0])),
            LinalgSupport.axis(r, shape[1], Math.max(1, depth[1]))};
        DArray dx = DArray.fromArray(x, chunks);
        String what = "seed " + seed + " " + b + " depth " + Arrays.toString(depth) + " chunks " + describe(chunks);
        DArray y = dx.mapOverlap(block -> boxSum(block, depth), depth, b);
        assertArrayEquals(chunks, y.chunks(), what + ": chunks kept");
        INDArray padded = boxSum(pad(x, depth, b), depth);
        INDArray expected = b.kind() == Boundary.Kind.NONE ? padded
            : padded.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(depth[0], depth[0] + shape[0]),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(depth[1], depth[1] + shape[1])).dup();
        assertClose(expected, y.compute(), 1e-12, what);
      }
    }
  }

  @AllSchedulers
  void mapOverlap_withoutTrim_returnsTheExtendedBlocks(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      INDArray x = Nd4j.createFromArray(0.0, 1, 2, 3, 4, 5, 6);
      DArray dx = DArray.fromArray(x, new long[][] {{3, 2, 2}});
      DArray y = dx.mapOverlap(block -> block.mul(10), new int[] {1}, Boundary.periodic(), false);
      assertArrayEquals(new long[][] {{5, 4, 4}}, y.chunks());
      assertClose(Nd4j.createFromArray(6.0, 0, 1, 2, 3, 2, 3, 4, 5, 4, 5, 6, 0).mul(10), y.compute(), 0, "periodic 1-D");
      DArray z = dx.mapOverlap(block -> block, new int[] {2}, Boundary.reflect(), false);
      assertClose(Nd4j.createFromArray(1.0, 0, 0, 1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 3, 4, 5, 6, 6, 5), z.compute(), 0,
          "reflect 1-D, Dask's semantics");
    }
  }

  @Test
  void mapOverlap_depthLargerThanAChunk_failsNamingChunks() {
    DArray x = DArray.fromArray(Nd4j.rand(DataType.DOUBLE, 10, 4), new long[][] {{8, 2}, {4}});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> x.mapOverlap(b -> b, new int[] {3, 0}, Boundary.reflect()));
    assertTrue(e.getMessage().contains("((8, 2), (4,))") && e.getMessage().contains("depth 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> x.mapOverlap(b -> b, new int[] {1}, Boundary.reflect()));
    assertTrue(e.getMessage().contains("one depth per axis"), e.getMessage());
  }
}
