package io.jask.array;

import static io.jask.array.Arrays2.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Element-wise operations against the same ND4J computation on the whole arrays. */
class ElementwiseTest {
  private static final int CASES = 6;

  @AllSchedulers
  void arithmeticChain_withScalarsAndTranspose_matchesNd4j(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(seed);
        long n = 1 + r.nextInt(9);
        long m = 1 + r.nextInt(9);
        INDArray x = Arrays2.doubles(r, new long[] {n, m}, seed % 2 == 0 ? 0.1 : 0);
        INDArray y = Arrays2.doubles(r, new long[] {n, m}, 0);
        INDArray z = Arrays2.doubles(r, new long[] {m, n}, 0);
        DArray dx = DArray.fromArray(x, Arrays2.chunks(r, x.shape()));
        DArray dy = DArray.fromArray(y, Arrays2.chunks(r, y.shape()));
        DArray dz = DArray.fromArray(z, Arrays2.chunks(r, z.shape()));
        String what = "seed " + seed + " x" + Arrays2.describe(dx.chunks()) + " y" + Arrays2.describe(dy.chunks())
            + " z" + Arrays2.describe(dz.chunks());
        INDArray expected = x.add(y).mul(2.0).sub(z.transpose()).div(y.add(3.0)).rsub(1.0);
        DArray chain = dx.add(dy).mul(2.0).sub(dz.transpose()).div(dy.add(3.0)).rsub(1.0);
        assertClose(expected, chain.compute(), 1e-12, what);
        assertClose(Transforms.exp(x.neg(), true), dx.neg().exp().compute(), 1e-12, what + " exp(-x)");
        assertClose(Transforms.abs(x, true), dx.abs().compute(), 0, what + " abs");
        assertClose(Transforms.sqrt(Transforms.abs(x, true), true), dx.abs().sqrt().compute(), 1e-12, what + " sqrt");
        assertClose(Transforms.log(Transforms.abs(x, true).add(1), true), dx.abs().add(1.0).log().compute(), 1e-12, what + " log");
        assertClose(Transforms.sin(x, true), dx.sin().compute(), 1e-12, what + " sin");
        assertClose(Transforms.cos(x, true), dx.cos().compute(), 1e-12, what + " cos");
        assertClose(Transforms.tanh(x, true), dx.tanh().compute(), 1e-12, what + " tanh");
        assertClose(Transforms.pow(Transforms.abs(x, true), 1.5, true), dx.abs().pow(1.5).compute(), 1e-12, what + " pow");
        assertClose(Transforms.max(x, y, true), dx.maximum(dy).compute(), 0, what + " maximum");
      }
    }
  }

  @AllSchedulers
  void broadcasting_differentShapesAndChunks_matchesNd4j(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(50 + seed);
        long a = 1 + r.nextInt(7);
        long b = 1 + r.nextInt(7);
        long c = 1 + r.nextInt(5);
        INDArray x = Arrays2.doubles(r, new long[] {a, b, c}, 0.05);
        INDArray row = Arrays2.doubles(r, new long[] {c}, 0);
        INDArray col = Arrays2.doubles(r, new long[] {a, 1, 1}, 0);
        INDArray mid = Arrays2.doubles(r, new long[] {b, 1}, 0);
        DArray dx = DArray.fromArray(x, Arrays2.chunks(r, x.shape()));
        DArray drow = DArray.fromArray(row, Arrays2.chunks(r, row.shape()));
        DArray dcol = DArray.fromArray(col, Arrays2.chunks(r, col.shape()));
        DArray dmid = DArray.fromArray(mid, Arrays2.chunks(r, mid.shape()));
        String what = "seed " + seed + " x" + Arrays2.describe(dx.chunks()) + " row" + Arrays2.describe(drow.chunks());
        INDArray expected = x.add(row.reshape(1, 1, c).broadcast(a, b, c)).mul(col.broadcast(a, b, c))
            .sub(mid.reshape(1, b, 1).broadcast(a, b, c));
        DArray got = dx.add(drow).mul(dcol).sub(dmid);
        assertArrayEquals(new long[] {a, b, c}, got.shape());
        assertClose(expected, got.compute(), 1e-12, what);
        // uneven, different chunks on the same shape are aligned by rechunking
        DArray dx2 = DArray.fromArray(x, Arrays2.chunks(r, x.shape()));
        assertClose(x.add(x), dx.add(dx2).compute(), 0, what + " x + x (other chunks)");
      }
    }
  }

  @AllSchedulers
  void comparisonsLogicWhereClipAstypeIsnan_matchNumpySemantics(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(70 + seed);
        long[] shape = Arrays2.shape(r, 3, 7);
        INDArray x = Arrays2.doubles(r, shape, 0.15);
        INDArray y = Arrays2.doubles(r, shape, 0);
        DArray dx = DArray.fromArray(x, Arrays2.chunks(r, shape));
        DArray dy = DArray.fromArray(y, Arrays2.chunks(r, shape));
        String what = "seed " + seed + " chunks " + Arrays2.describe(dx.chunks());
        double[] xv = Arrays2.values(x);
        double[] yv = Arrays2.values(y);
        int n = xv.length;
        double[] gt = new double[n];
        double[] and = new double[n];
        double[] where = new double[n];
        double[] clip = new double[n];
        double[] nan = new double[n];
        double[] trunc = new double[n];
        double[] ne = new double[n];
        for (int i = 0; i < n; i++) {
          gt[i] = xv[i] > yv[i] ? 1 : 0;
          and[i] = xv[i] > 0 && yv[i] > 0 ? 1 : 0;
          where[i] = xv[i] > 0.5 || Double.isNaN(xv[i]) ? xv[i] : yv[i];
          clip[i] = Double.isNaN(xv[i]) ? Double.NaN : Math.max(-0.5, Math.min(0.5, xv[i]));
          nan[i] = Double.isNaN(xv[i]) ? 1 : 0;
          trunc[i] = Double.isNaN(xv[i]) ? 0 : (long) (xv[i] * 3);
          ne[i] = xv[i] != yv[i] ? 1 : 0;
        }
        assertClose(bools(gt, shape), dx.gt(dy).compute(), 0, what + " gt");
        assertClose(bools(ne, shape), dx.ne(dy).compute(), 0, what + " ne (NaN != anything)");
        assertClose(bools(and, shape), dx.gt(0.0).and(dy.gt(0.0)).compute(), 0, what + " and");
        DArray cond = dx.gt(0.5).or(dx.isnan());
        assertClose(Nd4j.create(where, shape, 'c'), DArray.where(cond, dx, dy).compute(), 0, what + " where");
        assertClose(Nd4j.create(clip, shape, 'c'), dx.clip(-0.5, 0.5).compute(), 0, what + " clip");
        assertClose(bools(nan, shape), dx.isnan().compute(), 0, what + " isnan");
        assertClose(Nd4j.create(trunc, shape, 'c').castTo(DataType.INT), dx.isnan().not().astype(DataType.DOUBLE)
            .mul(DArray.where(dx.isnan(), 0, 1)).mul(dx.mul(3.0)).astype(DataType.INT).compute(), 0, what + " astype int");
        assertEquals(DataType.FLOAT, dx.astype(DataType.FLOAT).add(1.0).dtype());
      }
    }
  }

  private static INDArray bools(double[] v, long[] shape) {
    return Nd4j.create(v, shape, 'c').castTo(DataType.BOOL);
  }

  @AllSchedulers
  void integerArrays_keepIntegerTypes_divisionGivesFloat(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(9);
      INDArray a = Arrays2.of(r, new long[] {7, 5}, DataType.INT);
      INDArray b = Arrays2.of(r, new long[] {7, 5}, DataType.LONG);
      DArray da = DArray.fromArray(a, 3, 2);
      DArray db = DArray.fromArray(b, 2, 4);
      assertEquals(DataType.LONG, da.add(db).dtype());
      assertClose(a.castTo(DataType.LONG).add(b), da.add(db).compute(), 0, "int32 + int64");
      assertEquals(DataType.INT, da.mul(3L).dtype());
      assertClose(a.mul(3), da.mul(3L).compute(), 0, "int32 * 3");
      assertEquals(DataType.DOUBLE, da.div(db).dtype());
      assertClose(a.castTo(DataType.DOUBLE).div(b.castTo(DataType.DOUBLE)), da.div(db).compute(), 1e-15, "int / int");
    }
  }

  @Test
  void chainOfElementwiseOps_isOneTaskPerOutputChunk() {
    DArray x = DArray.fromArray(Nd4j.rand(DataType.DOUBLE, 6, 6), 3, 3);
    DArray y = DArray.fromArray(Nd4j.rand(DataType.DOUBLE, 6, 6), 3, 3);
    DArray chain = x.add(y).mul(2.0).exp().sub(x.transpose()).gt(1.0);
    Map<Key, Task> tasks = chain.graph().materialize(chain.keys());
    // 4 + 4 source blocks, 4 transposed blocks, 4 fused output blocks: no intermediate per operation
    assertEquals(16, tasks.size(), tasks.keySet().toString());
    long fused = tasks.keySet().stream().filter(k -> k.name().equals(chain.name())).count();
    assertEquals(4, fused);
  }

  @Test
  void shapesThatDoNotBroadcast_failNamingThem() {
    DArray x = DArray.zeros(new long[] {4, 3}, new int[] {2});
    DArray y = DArray.zeros(new long[] {4}, new int[] {2});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.add(y));
    assertTrue(e.getMessage().contains("(4, 3)") && e.getMessage().contains("(4,)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> x.clip(1, 0));
  }
}
