package io.jask.array;

import static io.jask.array.LinalgSupport.CASES;
import static io.jask.array.LinalgSupport.assertClose;
import static io.jask.array.LinalgSupport.describe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.JaskTaskException;
import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.inverse.InvertMatrix;

/**
 * TSQR, SVD, lstsq, solve and inv against properties and ND4J on the whole matrix (Q·R = A, QᵀQ =
 * I, R upper triangular; singular values as LAPACK's on the whole matrix, U S Vᵀ = A).
 */
class LinalgTest {

  static INDArray singularValues(INDArray a) {
    long m = a.size(0);
    long n = a.size(1);
    INDArray s = Nd4j.create(a.dataType(), Math.min(m, n));
    Nd4j.getBlasWrapper().lapack().gesvd(a.dup('f'), s, Nd4j.create(a.dataType(), new long[] {m, m}, 'f'),
        Nd4j.create(a.dataType(), new long[] {n, n}, 'f'));
    return s;
  }

  static void assertUpperTriangular(INDArray r, String what) {
    for (int i = 0; i < r.size(0); i++) {
      for (int j = 0; j < Math.min(i, r.size(1)); j++) {
        assertEquals(0.0, r.getDouble(i, j), what + ": R[" + i + "," + j + "]");
      }
    }
  }

  @AllSchedulers
  void qrAndSvd_tallSkinny_anyRowChunks_matchTheWholeMatrix(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(seed);
        DataType t = seed == 4 ? DataType.FLOAT : DataType.DOUBLE;
        double tol = t == DataType.FLOAT ? 2e-3 : 1e-9;
        long n = 1 + r.nextInt(6);
        long m = n + r.nextInt(50);
        INDArray a = LinalgSupport.random(r, t, 0, m, n);
        // rows in chunks of any size (also fewer rows than columns: merged), columns sometimes split
        long[][] chunks = {LinalgSupport.axis(r, m, 1), LinalgSupport.axis(r, n, 1)};
        DArray da = DArray.fromArray(a, chunks);
        String what = "seed " + seed + " " + t + " " + m + "x" + n + " chunks " + describe(chunks);
        Linalg.QR qr = Linalg.qr(da);
        assertEquals(1, qr.q().chunks()[1].length, what);
        for (long rows : qr.q().chunks()[0]) {
          assertTrue(rows >= n, what + ": row blocks are tall " + describe(qr.q().chunks()));
        }
        INDArray q = qr.q().compute();
        INDArray rr = qr.r().compute();
        assertClose(a, q.mmul(rr), tol, what + " Q·R = A");
        assertClose(Nd4j.eye(n).castTo(t), q.transpose().mmul(q), tol, what + " QᵀQ = I");
        assertUpperTriangular(rr, what);
        Linalg.SVD svd = Linalg.svd(da);
        INDArray sv = svd.s().compute();
        assertClose(singularValues(a), sv, tol, what + " singular values");
        INDArray u = svd.u().compute();
        assertClose(a, u.mulRowVector(sv).mmul(svd.vt().compute()), tol, what + " U S Vᵀ = A");
        assertClose(Nd4j.eye(n).castTo(t), u.transpose().mmul(u), tol, what + " UᵀU = I");
      }
    }
  }

  @AllSchedulers
  void svd_shortAndFat_goesThroughTheTranspose(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(9);
      INDArray a = LinalgSupport.random(r, DataType.DOUBLE, 0, 3, 40);
      DArray da = DArray.fromArray(a, new long[][] {{3}, {10, 17, 13}});
      Linalg.SVD svd = Linalg.svd(da);
      INDArray sv = svd.s().compute();
      assertClose(singularValues(a), sv, 1e-9, "singular values");
      assertClose(a, svd.u().compute().mulRowVector(sv).mmul(svd.vt().compute()), 1e-9, "U S Vᵀ = A");
    }
  }

  @AllSchedulers
  void qr_integersAndNaN(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(5);
      INDArray ints = LinalgSupport.random(r, DataType.LONG, 0, 20, 3);
      Linalg.QR qr = Linalg.qr(DArray.fromArray(ints, 7, 3));
      assertEquals(DataType.DOUBLE, qr.q().dtype());
      assertClose(ints.castTo(DataType.DOUBLE), qr.q().compute().mmul(qr.r().compute()), 1e-9, "int QR");
      INDArray withNan = LinalgSupport.random(r, DataType.DOUBLE, 0, 20, 3);
      withNan.putScalar(15, 2, Double.NaN);
      INDArray rr = Linalg.qr(DArray.fromArray(withNan, 5, 3)).r().compute();
      assertTrue(Double.isNaN(rr.getDouble(0, 0)), "a NaN makes R NaN: " + rr);
    }
  }

  @AllSchedulers
  void lstsq_matchesTheNormalEquations(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(300 + seed);
        long n = 1 + r.nextInt(4);
        long m = n + 5 + r.nextInt(30);
        INDArray a = LinalgSupport.random(r, DataType.DOUBLE, 0, m, n);
        INDArray b = LinalgSupport.random(r, DataType.DOUBLE, 0, m, 2);
        DArray da = DArray.fromArray(a, LinalgSupport.chunks(r, a.shape(), 1));
        DArray db = DArray.fromArray(b, LinalgSupport.chunks(r, b.shape(), 1));
        INDArray at = a.transpose();
        INDArray expected = InvertMatrix.invert(at.mmul(a), false).mmul(at.mmul(b));
        String what = "seed " + seed + " " + describe(da.chunks()) + " " + describe(db.chunks());
        assertClose(expected, Linalg.lstsq(da, db).compute(), 1e-8, what);
        DArray b1 = DArray.fromArray(b.getColumn(0).dup().reshape(m), LinalgSupport.chunks(r, new long[] {m}, 1));
        assertClose(expected.getColumn(0).dup().reshape(n), Linalg.lstsq(da, b1).compute(), 1e-8, what + " 1-D b");
      }
    }
  }

  @AllSchedulers
  void solveAndInv_oneChunk_matchNd4j(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(400 + seed);
        long n = 1 + r.nextInt(8);
        INDArray a = LinalgSupport.random(r, DataType.DOUBLE, 0, n, n).addi(Nd4j.eye(n).castTo(DataType.DOUBLE).muli(5));
        INDArray b = LinalgSupport.random(r, DataType.DOUBLE, 0, n, 1 + r.nextInt(7));
        DArray da = DArray.fromArray(a, (int) n);
        DArray db = DArray.fromArray(b, LinalgSupport.chunks(r, b.shape(), 1)); // rows merged, columns solved apart
        String what = "seed " + seed + " b chunks " + describe(db.chunks());
        DArray x = Linalg.solve(da, db);
        assertArrayEquals(db.chunks()[1], x.chunks()[1], what);
        assertClose(Nd4j.linalg().solve(a, b), x.compute(), 1e-9, what);
        INDArray v = b.getColumn(0).dup().reshape(n); // getColumn of an n x 1 matrix keeps both axes
        assertClose(Nd4j.linalg().solve(a, v.reshape(n, 1)).reshape(n),
            Linalg.solve(da, DArray.fromArray(v, 2)).compute(), 1e-9, what + " vector");
        assertClose(InvertMatrix.invert(a, false), Linalg.inv(da).compute(), 1e-9, what + " inv");
        INDArray ints = LinalgSupport.random(r, DataType.INT, 0, n, n).addi(Nd4j.eye(n).castTo(DataType.INT).muli(20));
        assertClose(InvertMatrix.invert(ints.castTo(DataType.DOUBLE), false),
            Linalg.inv(DArray.fromArray(ints, (int) n)).compute(), 1e-9, what + " int inv is float64");
      }
    }
  }

  @AllSchedulers
  void solve_singular_failsTheComputationNamingIt(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      DArray a = DArray.fromArray(Nd4j.createFromArray(new double[][] {{1, 2}, {2, 4}}), 2);
      JaskTaskException e = assertThrows(JaskTaskException.class, () -> Linalg.inv(a).compute());
      assertTrue(e.getMessage().contains("singular"), e.getMessage());
      e = assertThrows(JaskTaskException.class,
          () -> Linalg.solve(a, DArray.fromArray(Nd4j.createFromArray(1.0, 1.0), 2)).compute());
      assertTrue(e.getMessage().contains("singular"), e.getMessage());
    }
  }

  @Test
  void badShapesAndChunks_failNamingThem() {
    DArray split = DArray.fromArray(Nd4j.rand(DataType.DOUBLE, 6, 6), 3, 6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Linalg.inv(split));
    assertTrue(e.getMessage().contains("(6, 6)") && e.getMessage().contains("((3, 3), (6,))")
        && e.getMessage().contains("one chunk"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Linalg.solve(split, split));
    assertTrue(e.getMessage().contains("((3, 3), (6,))"), e.getMessage());
    DArray rect = DArray.fromArray(Nd4j.rand(DataType.DOUBLE, 4, 6), 4, 6);
    e = assertThrows(IllegalArgumentException.class, () -> Linalg.inv(rect));
    assertTrue(e.getMessage().contains("square") && e.getMessage().contains("(4, 6)"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Linalg.qr(rect));
    assertTrue(e.getMessage().contains("tall-and-skinny") && e.getMessage().contains("(4, 6)"), e.getMessage());
    DArray cube = DArray.fromArray(Nd4j.rand(DataType.DOUBLE, 2, 2, 2), 1);
    e = assertThrows(IllegalArgumentException.class, () -> Linalg.qr(cube));
    assertTrue(e.getMessage().contains("2-D") && e.getMessage().contains("(2, 2, 2)"), e.getMessage());
  }

  @Test
  void tallRows_mergesShortChunks() {
    assertArrayEquals(new long[] {5, 7}, Linalg.tallRows(new long[] {2, 3, 4, 3}, 4));
    assertArrayEquals(new long[] {10}, Linalg.tallRows(new long[] {10}, 4));
    assertArrayEquals(new long[] {4, 6}, Linalg.tallRows(new long[] {4, 4, 2}, 4));
    assertArrayEquals(new long[] {3}, Linalg.tallRows(new long[] {1, 1, 1}, 3));
  }
}
