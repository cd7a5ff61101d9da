package io.jask.array;

import static io.jask.array.LinalgSupport.assertClose;
import static io.jask.array.LinalgSupport.describe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * TSQR with many row blocks as a tree of stacked R factors ({@code splitEvery}), against the whole
 * matrix (Q·R = A, QᵀQ = I, R equal to the flat TSQR's R up to the signs of its rows, singular
 * values as LAPACK's), and {@code reshape} of arrays with unknown chunk sizes (after a boolean
 * mask) against ND4J's reshape of the selected values.
 */
class TsqrTreeAndReshapeTest {

  @AllSchedulers
  void qrAndSvd_manyRowBlocks_treeOfStackedR_matchTheWholeMatrix(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 5; seed++) {
        Random r = new Random(seed);
        long n = 1 + r.nextInt(4);
        int splitEvery = 2 + r.nextInt(3);
        long[] rows = new long[5 + r.nextInt(20)]; // enough blocks for two or more levels
        long m = 0;
        for (int i = 0; i < rows.length; i++) {
          rows[i] = n + r.nextInt(7);
          m += rows[i];
        }
        INDArray a = LinalgSupport.random(r, DataType.DOUBLE, 0, m, n);
        if (seed == 3) {
          a.putScalar(r.nextInt((int) m), 0, Double.NaN);
        }
        DArray da = DArray.fromArray(a, new long[][] {rows, {n}});
        String what = "seed " + seed + " " + m + "x" + n + " chunks " + describe(da.chunks()) + " splitEvery " + splitEvery;
        Linalg.QR tree = Linalg.qr(da, splitEvery);
        long levels = tree.r().graph().layers().keySet().stream().filter(k -> k.startsWith("qr-stacked")).count();
        long expectLevels = 0;
        for (long b = rows.length; b > 1 || expectLevels == 0; b = (b + splitEvery - 1) / splitEvery) {
          expectLevels++;
        }
        assertEquals(expectLevels, levels, what + ": levels of stacked QRs");
        INDArray q = tree.q().compute();
        INDArray rr = tree.r().compute();
        if (seed == 3) {
          assertTrue(BooleanIndexing.or(rr, Conditions.isNan()), what + ": a NaN gives NaN factors");
          continue;
        }
        assertClose(a, q.mmul(rr), 1e-9, what + " Q·R = A");
        assertClose(Nd4j.eye(n).castTo(DataType.DOUBLE), q.transpose().mmul(q), 1e-9, what + " QᵀQ = I");
        INDArray flat = Linalg.qr(da, 1_000).r().compute();
        for (int i = 0; i < n; i++) {
          double sign = Math.signum(rr.getDouble(i, i)) * Math.signum(flat.getDouble(i, i));
          assertClose(flat.getRow(i).mul(sign), rr.getRow(i), 1e-9, what + " row " + i + " of R as the flat TSQR's");
        }
        Linalg.SVD svd = Linalg.svd(da, splitEvery);
        INDArray sv = svd.s().compute();
        assertClose(LinalgTest.singularValues(a), sv, 1e-9, what + " singular values");
        assertClose(a, svd.u().compute().mulRowVector(sv).mmul(svd.vt().compute()), 1e-9, what + " U S Vᵀ = A");
      }
    }
  }

  @Test
  void qr_splitEveryBelowTwo_fails() {
    DArray da = DArray.random(new long[] {20, 2}, new int[] {5, 2}, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Linalg.qr(da, 1));
    assertTrue(e.getMessage().contains("splitEvery must be at least 2, got 1"), e.getMessage());
  }

  /** The rows of {@code a} where its first column is positive, and the mask DArray selecting them. */
  private static INDArray selectedRows(INDArray a) {
    java.util.List<INDArray> kept = new java.util.ArrayList<>();
    for (int i = 0; i < a.rows(); i++) {
      if (a.getDouble(i, 0) > 0) {
        kept.add(a.getRow(i).reshape(1, a.columns()));
      }
    }
    return kept.isEmpty() ? Nd4j.create(DataType.DOUBLE, 0, a.columns()) : Nd4j.vstack(kept.toArray(new INDArray[0]));
  }

  @AllSchedulers
  void reshape_unknownChunks_wholeRowsOrOneD_matchNd4j(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 6; seed++) {
        Random r = new Random(50 + seed);
        long rows = 1 + r.nextInt(40);
        long cols = new long[] {2, 4, 6, 12}[r.nextInt(4)];
        INDArray a = LinalgSupport.random(r, DataType.DOUBLE, seed == 2 ? 0.05 : 0, rows, cols);
        a.putScalar(0, 0, 1.0); // at least one row is selected
        long[] rc = LinalgSupport.axis(r, rows, 1);
        DArray x = DArray.fromArray(a, new long[][] {rc, {cols}});
        // rows with a positive first value; the mask is derived from x itself (the slice task once changed the shape
        // of the x block it shared with the mask task in-process: Pick updated the array ND4J's shape() returns)
        DArray picked = x.get(x.get(Slice.all(), Slice.at(0)).gt(0.0));
        String what = "seed " + seed + " " + rows + "x" + cols + " chunks " + describe(x.chunks());
        assertEquals(DArray.UNKNOWN, picked.chunks()[0][0], what + ": rows unknown after the mask");
        INDArray expected = selectedRows(a);
        long k = expected.rows();
        DArray flat = picked.reshape(-1);
        assertEquals(1, flat.ndim(), what);
        assertClose(expected.dup('c').reshape(new long[] {k * cols}), flat.compute(), 0, what + " reshape(-1)");
        DArray pairs = picked.reshape(-1, 2, cols / 2);
        assertArrayEquals(new long[] {2, cols / 2}, new long[] {pairs.shape()[1], pairs.shape()[2]}, what);
        assertClose(expected.dup('c').reshape(new long[] {k, 2, cols / 2}), pairs.compute(), 0, what + " reshape(-1, 2, cols/2)");
        DArray oneD = flat.reshape(-1); // Dask's case: 1-D reshape(-1) is the array itself
        assertTrue(oneD == flat, what);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> picked.reshape(cols, -1));
        assertTrue(e.getMessage().contains("unknown") && e.getMessage().contains("nan") && e.getMessage().contains("computeChunkSizes"),
            e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> picked.reshape(-1, 5 * cols));
        assertTrue(e2.getMessage().contains("chunks"), e2.getMessage());
      }
    }
  }
}
