package io.jask.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code x @ x.T} through the Gram kernels (syrk on the diagonal blocks, gemm above, mirrored
 * transposes below) against ND4J's {@code mmul} of the whole array and its transpose, over seeded
 * shapes and chunkings (uneven, a single chunk, NaN, float32 and float64, contracted axis cut in
 * several chunks), on every scheduler.
 */
class GramKernelsTest {

  @AllSchedulers
  void xTimesXT_anyChunking_matchesNd4jMmul(String scheduler) {
    int before = Nd4j.factory().blas().getMaxThreads();
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 8; seed++) {
        Random r = new Random(4000 + seed);
        DataType t = seed % 3 == 2 ? DataType.FLOAT : DataType.DOUBLE;
        long m = 1 + r.nextInt(seed < 2 ? 150 : 40);
        long k = 1 + r.nextInt(seed < 2 ? 120 : 30);
        INDArray a = LinalgSupport.random(r, t, seed == 3 ? 0.05 : 0, m, k);
        DArray x = DArray.fromArray(a, LinalgSupport.chunks(r, a.shape(), 1));
        String what = "seed " + seed + " " + t + " shape (" + m + ", " + k + ") chunks " + LinalgSupport.describe(x.chunks());
        DArray p = x.matmul(x.transpose());
        assertTrue(p.name().startsWith("matmul-gram"), what + ": x @ x.T takes the Gram path, got " + p.name());
        assertArrayEquals(x.chunks()[0], p.chunks()[0], what + ": rows keep x's row chunks");
        assertArrayEquals(x.chunks()[0], p.chunks()[1], what + ": columns keep x's row chunks");
        assertEquals(t, p.dtype(), what + ": dtype");
        INDArray expected = a.mmul(a.transpose());
        INDArray got = p.compute();
        LinalgSupport.assertClose(expected, got, t == DataType.FLOAT ? 1e-4 : 1e-12, what);
        for (long i = 0; i < m && seed != 3; i++) {
          for (long j = 0; j < i; j++) {
            assertEquals(got.getDouble(i, j), got.getDouble(j, i), what + ": symmetric at " + i + ", " + j);
          }
        }
        // the same product through the general kernels (x.T * 1 is not recognised as x.T) agrees too
        DArray general = x.matmul(x.transpose().mul(1.0));
        assertTrue(!general.name().startsWith("matmul-gram"), what);
        LinalgSupport.assertClose(expected, general.compute(), t == DataType.FLOAT ? 1e-4 : 1e-12, what + " general");
      }
    }
    assertEquals(before, Nd4j.factory().blas().getMaxThreads(), "BLAS threads restored after the product tasks");
  }

  /**
   * {@code compute()} of a float64 {@code x @ x.T}: on sync/threads the whole-array path (row blocks
   * gathered into one array, one {@code dsyrk}, upper triangle mirrored by row bands), elsewhere the
   * per-block tasks; both against ND4J's {@code mmul} on the whole array and against the per-block
   * result of the same product (persisted block by block), exactly symmetric, over seeded shapes and
   * uneven chunkings (single chunk, one-row chunks, NaN, an input that is itself an expression).
   */
  @AllSchedulers
  void xTimesXT_compute_wholeGramMatchesNd4jAndPerBlockResult(String scheduler) {
    int before = Nd4j.factory().blas().getMaxThreads();
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 6; seed++) {
        Random r = new Random(9100 + seed);
        long m = 1 + r.nextInt(seed == 0 ? 3 : 260);
        long k = 1 + r.nextInt(seed == 1 ? 2 : 220);
        INDArray a = LinalgSupport.random(r, DataType.DOUBLE, seed == 2 ? 0.01 : 0, m, k);
        long[][] chunks = seed == 3 ? new long[][] {{m}, {k}} : LinalgSupport.chunks(r, a.shape(), seed == 4 ? 1 : 7);
        DArray base = DArray.fromArray(a, chunks);
        boolean expression = seed == 5;
        DArray x = expression ? base.mul(2.0).add(1.0) : base;
        INDArray ax = expression ? a.mul(2.0).add(1.0) : a;
        String what = "seed " + seed + " shape (" + m + ", " + k + ") chunks " + LinalgSupport.describe(chunks) + " on "
            + scheduler;
        DArray p = x.matmul(x.transpose());
        INDArray expected = ax.mmul(ax.transpose());
        INDArray got = p.compute();
        LinalgSupport.assertClose(expected, got, 1e-12, what);
        INDArray perBlock = p.persist().compute();
        LinalgSupport.assertClose(perBlock, got, 1e-12, what + ": whole vs per-block");
        double[] g = LinalgSupport.values(got);
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < i; j++) {
            assertEquals(Double.doubleToLongBits(g[i * (int) m + j]), Double.doubleToLongBits(g[j * (int) m + i]),
                what + ": symmetric at " + i + ", " + j);
          }
        }
        got.close();
        perBlock.close();
      }
    }
    assertEquals(before, Nd4j.factory().blas().getMaxThreads(), "BLAS threads restored");
  }

  @AllSchedulers
  void xTimesXT_usedInsideAnExpression_matchesNd4j(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(77);
      INDArray a = LinalgSupport.random(r, DataType.DOUBLE, 0, 37, 23);
      DArray x = DArray.fromArray(a, new long[][] {{10, 1, 26}, {5, 18}});
      INDArray g = a.mmul(a.transpose());
      LinalgSupport.assertClose(g.sum(0), x.matmul(x.transpose()).sum(0).compute(), 1e-12, "sum(0) of the Gram matrix");
      LinalgSupport.assertClose(g.add(1.0), x.matmul(x.transpose()).add(1.0).compute(), 1e-12, "Gram + 1");
    }
  }
}
