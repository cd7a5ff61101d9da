package io.jask.array;

import static io.jask.array.LinalgSupport.assertClose;
import static io.jask.array.LinalgSupport.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.engine.scheduler.Schedulers;
import io.jask.engine.scheduler.local.LocalScheduler;
import io.jask.testing.AllSchedulers;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The memory-bound fast paths of A1/A2 against ND4J and the reduction {@link Oracle} on the whole
 * array, on every scheduler, over seeded shapes and uneven chunkings (one chunk, blocks with a
 * column count that is not a multiple of 8, several bands per block), with NaN: reductions of
 * {@code x + y.T} (transposed blocks read straight from their memory, bands folded in place), the
 * plain sum and the column-sum kernel of {@code mean(axis=0)}, and {@code compute()} of fused
 * element-wise arrays written into the result by their tasks (sync/threads).
 */
class FastPathsTest {
  private static final Reduction[] OPS = {
    Reduction.SUM, Reduction.MEAN, Reduction.MIN, Reduction.MAX, Reduction.NANSUM, Reduction.ARGMAX, Reduction.PROD,
    Reduction.VAR
  };
  private static final int[][] AXES = {null, {0}, {1}};

  /** Shape of case {@code seed}: tiny and one chunk, several bands per block, wide. */
  private static long[] shape(Random r, int seed) {
    return switch (seed % 3) {
      case 0 -> new long[] {1 + r.nextInt(6), 1 + r.nextInt(6)};
      case 1 -> new long[] {40 + r.nextInt(90), 9 + r.nextInt(60)};
      default -> new long[] {3 + r.nextInt(20), 200 + r.nextInt(400)};
    };
  }

  /** Values in [-2, 2) as multiples of 1/64 (sums exact up to the order), some NaN when asked; near 1 for prod. */
  private static INDArray values(Random r, long rows, long cols, double nanRate, boolean forProd) {
    double[] d = new double[(int) (rows * cols)];
    for (int i = 0; i < d.length; i++) {
      double v = forProd ? 1 + Math.round((r.nextDouble() - 0.5) * 8) / 256.0 : Math.round((r.nextDouble() * 4 - 2) * 64) / 64.0;
      d[i] = r.nextDouble() < nanRate ? Double.NaN : v;
    }
    return Nd4j.create(d, new long[] {rows, cols}, 'c');
  }

  private static long[][] chunks(Random r, long rows, long cols, int seed) {
    if (seed % 3 == 0 && seed % 2 == 0) {
      return new long[][] {{rows}, {cols}};
    }
    return new long[][] {LinalgSupport.axis(r, rows, 1), LinalgSupport.axis(r, cols, 1)};
  }

  @AllSchedulers
  void reductionsOfXPlusYTransposed_matchTheOracleOnTheWholeArray(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 9; seed++) {
        Random r = new Random(seed);
        long[] shape = shape(r, seed);
        double nan = seed % 4 == 1 ? 0.01 : 0;
        long[][] cx = chunks(r, shape[0], shape[1], seed);
        for (Reduction op : OPS) {
          boolean prod = op == Reduction.PROD;
          INDArray a = values(r, shape[0], shape[1], nan, prod);
          INDArray b = values(r, shape[1], shape[0], nan, prod);
          DArray x = DArray.fromArray(a, cx);
          DArray y = DArray.fromArray(b, new long[][] {cx[1], cx[0]}); // y.T has x's chunks
          DArray e = prod ? x.mul(y.transpose()) : x.add(y.transpose().mul(2.0));
          INDArray whole = prod ? a.mul(b.transpose()) : a.add(b.transpose().mul(2.0));
          for (int[] axes : AXES) {
            String what = "seed " + seed + " " + op + " axes " + java.util.Arrays.toString(axes) + " of x + 2 y.T, shape "
                + shape[0] + "x" + shape[1] + " chunks " + describe(cx);
            INDArray expected = Oracle.reduce(whole, op, axes, false, 0, e.reduce(op, axes, false, 4, 0).dtype());
            INDArray actual = e.reduce(op, axes, false, 4, 0).compute();
            assertClose(expected, actual, 1e-12, what);
          }
        }
      }
    }
  }

  @AllSchedulers
  void plainSumAndColumnMeans_readTheBlocksDirectly_matchTheOracle(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 9; seed++) {
        Random r = new Random(100 + seed);
        long[] shape = shape(r, seed);
        INDArray a = values(r, shape[0], shape[1], seed % 4 == 1 ? 0.01 : 0, false);
        long[][] cx = chunks(r, shape[0], shape[1], seed);
        DArray x = DArray.fromArray(a, cx);
        String what = "seed " + seed + " shape " + shape[0] + "x" + shape[1] + " chunks " + describe(cx);
        for (Reduction op : new Reduction[] {Reduction.SUM, Reduction.MEAN}) {
          for (int[] axes : AXES) {
            INDArray expected = Oracle.reduce(a, op, axes, false, 0, DataType.DOUBLE);
            assertClose(expected, x.reduce(op, axes, false, 3, 0).compute(), 1e-12,
                what + " " + op + " " + java.util.Arrays.toString(axes));
          }
        }
        // the transposed array's plain reductions take the banded path instead: same values
        assertClose(Oracle.reduce(a, Reduction.MEAN, new int[] {1}, false, 0, DataType.DOUBLE),
            x.transpose().mean(0).compute(), 1e-12, what + " x.T.mean(0)");
      }
    }
  }

  @AllSchedulers
  void computeOfFusedChains_writesEveryBlockIntoTheResult_equalsNd4j(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 9; seed++) {
        Random r = new Random(200 + seed);
        long[] shape = shape(r, seed);
        INDArray a = values(r, shape[0], shape[1], seed % 4 == 1 ? 0.01 : 0, false);
        INDArray b = values(r, shape[1], shape[0], 0, false);
        INDArray v = values(r, 1, shape[1], 0, false).reshape(shape[1]);
        long[][] cx = chunks(r, shape[0], shape[1], seed);
        DArray x = DArray.fromArray(a, cx);
        DArray y = DArray.fromArray(b, new long[][] {cx[1], cx[0]});
        String what = "seed " + seed + " shape " + shape[0] + "x" + shape[1] + " chunks " + describe(cx);
        // float64 2-D with a transposed leaf: bands written straight into the result
        DArray sum = x.add(y.transpose());
        assertDirect(sum, what);
        assertClose(a.add(b.transpose()), sum.compute(), 0, what + " x + y.T");
        // a broadcast leaf (not banded): the block is computed, then copied into its place
        DArray bc = x.mul(DArray.fromArray(v, new long[][] {cx[1]})).sub(y.transpose());
        assertDirect(bc, what);
        assertClose(a.mulRowVector(v).sub(b.transpose()), bc.compute(), 0, what + " x * v - y.T");
        // other dtypes: float32 and int64 blocks copied into their places
        INDArray f32 = a.castTo(DataType.FLOAT);
        DArray xf = DArray.fromArray(f32, cx);
        assertClose(f32.add(f32), xf.add(xf).compute(), 0, what + " float32 x + x");
        INDArray ints = Nd4j.create(new long[] {shape[0], shape[1]}, 'c').castTo(DataType.LONG).assign(3);
        DArray xi = DArray.fromArray(ints, cx);
        INDArray gotInts = xi.mul(7L).compute();
        assertEquals(DataType.LONG, gotInts.dataType(), what);
        assertEquals(21L * shape[0] * shape[1], gotInts.sumNumber().longValue(), what + " int64 x * 7");
      }
    }
  }

  /** On sync/threads an array of more than one fused block is computed by its tasks writing into the result. */
  private static void assertDirect(DArray x, String what) {
    boolean local = Schedulers.current() instanceof LocalScheduler;
    long blocks = 1;
    for (long[] c : x.chunks()) {
      blocks *= c.length;
    }
    boolean several = blocks > 1;
    java.util.Optional<INDArray> direct = Assembly.computeInto(Schedulers.current(), x.graph(), x.name(), x.chunks(),
        x.dtype());
    assertEquals(local && several, direct.isPresent(), what + ": the direct path applies exactly on sync/threads");
    direct.ifPresent(d -> {
      INDArray assembled = (INDArray) io.jask.engine.Jask.compute(x).get(0); // the blocks, then Assembly.assemble
      assertClose(assembled, d, 0, what + ": direct and assembled results agree");
      assembled.close();
      d.close();
    });
  }
}
