package io.jask.array;

import static io.jask.array.LinalgSupport.CASES;
import static io.jask.array.LinalgSupport.assertClose;
import static io.jask.array.LinalgSupport.describe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** matmul, dot and tensordot against ND4J on the whole arrays, over seeded shapes and chunkings. */
class ProductsTest {

  @AllSchedulers
  void matmul_2d_anyChunkingOfEitherSide_matchesNd4jMmul(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(seed);
        DataType t = new DataType[] {DataType.DOUBLE, DataType.FLOAT, DataType.LONG, DataType.DOUBLE}[seed % 4];
        long m = 1 + r.nextInt(13);
        long k = 1 + r.nextInt(13);
        long n = 1 + r.nextInt(13);
        INDArray a = LinalgSupport.random(r, t, seed % 3 == 0 ? 0.05 : 0, m, k);
        INDArray b = LinalgSupport.random(r, t, 0, k, n);
        DArray da = DArray.fromArray(a, LinalgSupport.chunks(r, a.shape(), 1));
        DArray db = DArray.fromArray(b, LinalgSupport.chunks(r, b.shape(), 1)); // k chunked differently
        String what = "seed " + seed + " " + t + " " + describe(da.chunks()) + " @ " + describe(db.chunks());
        DArray p = da.matmul(db);
        assertArrayEquals(da.chunks()[0], p.chunks()[0], what + ": rows keep a's chunks");
        assertArrayEquals(db.chunks()[1], p.chunks()[1], what + ": columns keep b's chunks");
        assertClose(a.mmul(b), p.compute(), t == DataType.FLOAT ? 1e-5 : 1e-12, what);
      }
    }
  }

  @AllSchedulers
  void matmul_vectorsAndMixedTypes_matchNd4j(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(100 + seed);
        long m = 1 + r.nextInt(9);
        long k = 1 + r.nextInt(9);
        INDArray a = LinalgSupport.random(r, DataType.DOUBLE, 0, m, k);
        INDArray v = LinalgSupport.random(r, DataType.INT, 0, k);
        INDArray w = LinalgSupport.random(r, DataType.FLOAT, 0, m);
        DArray da = DArray.fromArray(a, LinalgSupport.chunks(r, a.shape(), 1));
        DArray dv = DArray.fromArray(v, LinalgSupport.chunks(r, v.shape(), 1));
        DArray dw = DArray.fromArray(w, LinalgSupport.chunks(r, w.shape(), 1));
        String what = "seed " + seed + " " + describe(da.chunks()) + " " + describe(dv.chunks()) + " " + describe(dw.chunks());
        INDArray vd = v.castTo(DataType.DOUBLE);
        assertClose(a.mmul(vd.reshape(k, 1)).reshape(m), da.matmul(dv).compute(), 1e-12, what + " mat @ vec");
        assertClose(w.castTo(DataType.DOUBLE).reshape(1, m).mmul(a).reshape(k), dw.matmul(da).compute(), 1e-6,
            what + " vec @ mat");
        INDArray dotVec = Nd4j.scalar(vd.mul(vd).sumNumber().doubleValue()).castTo(DataType.DOUBLE);
        INDArray got = dv.dot(dv).compute();
        assertTrue(got.rank() == 0 && got.dataType() == DataType.INT, what + ": int vector dot is a 0-d int32 " + got);
        assertClose(dotVec, got.castTo(DataType.DOUBLE), 0, what + " vec . vec");
      }
    }
  }

  @AllSchedulers
  void tensordotAndDot_nd_matchNd4jTensorMmul(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(200 + seed);
        long[] sa = {1 + r.nextInt(5), 1 + r.nextInt(6), 1 + r.nextInt(6)};
        long[] sb = {sa[2], 1 + r.nextInt(4), sa[1]};
        INDArray a = LinalgSupport.random(r, DataType.DOUBLE, seed == 3 ? 0.1 : 0, sa);
        INDArray b = LinalgSupport.random(r, DataType.DOUBLE, 0, sb);
        DArray da = DArray.fromArray(a, LinalgSupport.chunks(r, sa, 1));
        DArray db = DArray.fromArray(b, LinalgSupport.chunks(r, sb, 1));
        String what = "seed " + seed + " " + describe(da.chunks()) + " x " + describe(db.chunks());
        INDArray expected = Nd4j.tensorMmul(a, b, new int[][] {{1, 2}, {2, 0}});
        assertClose(expected, da.tensordot(db, new int[] {1, 2}, new int[] {2, 0}).compute(), 1e-12, what + " tensordot");
        assertClose(expected, da.tensordot(db, new int[] {-2, -1}, new int[] {-1, 0}).compute(), 1e-12,
            what + " negative axes");
        // dot of a 3-D and a 2-D array: over a's last axis and b's first (its second to last)
        INDArray c = LinalgSupport.random(r, DataType.DOUBLE, 0, sa[2], 1 + r.nextInt(4));
        DArray dc = DArray.fromArray(c, LinalgSupport.chunks(r, c.shape(), 1));
        assertClose(Nd4j.tensorMmul(a, c, new int[][] {{2}, {0}}), da.dot(dc).compute(), 1e-12, what + " dot");
      }
    }
  }

  @Test
  void products_misalignedShapes_failNamingShapesAndChunks() {
    DArray a = DArray.fromArray(Nd4j.rand(DataType.DOUBLE, 4, 3), 2, 3);
    DArray b = DArray.fromArray(Nd4j.rand(DataType.DOUBLE, 4, 5), 2, 5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
    assertTrue(e.getMessage().contains("(4, 3)") && e.getMessage().contains("(4, 5)")
        && e.getMessage().contains("((2, 2), (3,))"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> a.tensordot(b, new int[] {0}, new int[] {0, 1}));
    assertTrue(e.getMessage().contains("tensordot"), e.getMessage());
  }
}
