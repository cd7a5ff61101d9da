package io.jask.array;

import static io.jask.array.LinalgSupport.assertClose;
import static io.jask.array.LinalgSupport.describe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Layer;
import io.jask.engine.config.Config;
import io.jask.engine.scheduler.Schedulers;
import io.jask.engine.scheduler.local.LocalScheduler;
import io.jask.testing.AllSchedulers;
import java.util.Arrays;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Whole-array reductions of expressions over {@code x} and {@code x.T}, computed one task per mirrored
 * pair of blocks ({@code internal/MirrorPairs}), against the same computation on the whole array:
 * ND4J's {@code a + a.T} (and other expressions) reduced by the {@link Oracle}, and ND4J's own
 * {@code sumNumber()} for sums without NaN, within a rounding bound tied to the number of elements.
 * Seeded square shapes with uneven chunks (the same along both axes), one chunk, tiles of 64 with
 * remainders, NaN; every scheduler. The graph is checked to hold one partial task per pair, and
 * {@code compute()} of such expressions (written into the result by pairs on sync/threads) equals ND4J exactly.
 */
class MirrorPairsTest {
  private static final Reduction[] OPS = {
    Reduction.SUM, Reduction.MEAN, Reduction.MIN, Reduction.MAX, Reduction.PROD, Reduction.ANY, Reduction.ALL,
    Reduction.NANSUM, Reduction.NANMEAN, Reduction.NANMIN, Reduction.NANMAX
  };

  private record Expr(String name, UnaryOperator<DArray> lazy, UnaryOperator<INDArray> whole) {}

  private static final Expr[] EXPRS = {
    new Expr("x + x.T", x -> x.add(x.transpose()), a -> a.add(a.transpose())),
    new Expr("x.T * 0.5 - x", x -> x.transpose().mul(0.5).sub(x), a -> a.transpose().mul(0.5).sub(a)),
    // x op x.T with op +, -, * and x on either side: SUM and MEAN take the pair-sum kernel (Native.sumPairTile)
    new Expr("x - x.T", x -> x.sub(x.transpose()), a -> a.sub(a.transpose())),
    new Expr("x.T - x", x -> x.transpose().sub(x), a -> a.transpose().sub(a)),
    new Expr("x.T * x", x -> x.transpose().mul(x), a -> a.transpose().mul(a)),
    new Expr("abs(x - 2 x.T) > 1", x -> x.sub(x.transpose().mul(2.0)).abs().gt(1.0),
        a -> Transforms.abs(a.sub(a.transpose().mul(2.0)), false).gt(1.0).castTo(DataType.DOUBLE)),
  };

  /** A square side: one tile or less, a few tiles with a remainder, or larger. */
  private static int side(Random r, int seed) {
    return switch (seed % 4) {
      case 0 -> 1 + r.nextInt(12);
      case 1 -> 60 + r.nextInt(150);
      case 2 -> 100 + r.nextInt(40);
      default -> 20 + r.nextInt(40);
    };
  }

  /** Values multiples of 1/64 in [-2, 2) (near 1 for prod, so that it neither overflows nor vanishes). */
  private static INDArray values(Random r, int n, double nanRate, boolean forProd) {
    double[] d = new double[n * n];
    for (int i = 0; i < d.length; i++) {
      double v = forProd ? 1 + Math.round((r.nextDouble() - 0.5) * 8) / 512.0 : Math.round((r.nextDouble() * 4 - 2) * 64) / 64.0;
      d[i] = r.nextDouble() < nanRate ? Double.NaN : v;
    }
    return Nd4j.create(d, new long[] {n, n}, 'c');
  }

  @AllSchedulers
  void reductionsOfXAndXTransposed_byMirroredPairs_matchTheWholeArray(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 8; seed++) {
        Random r = new Random(300 + seed);
        int n = side(r, seed);
        long[] c = seed % 4 == 3 ? new long[] {n} : LinalgSupport.axis(r, n, 1);
        long[][] cx = {c, c.clone()};
        double nan = seed % 3 == 1 ? 0.005 : 0;
        INDArray plain = values(r, n, nan, false);
        INDArray nearOne = values(r, n, nan, true);
        DArray xPlain = DArray.fromArray(plain, cx);
        DArray xNearOne = DArray.fromArray(nearOne, cx);
        for (Reduction op : OPS) {
          boolean prod = op == Reduction.PROD;
          INDArray a = prod ? nearOne : plain;
          DArray x = prod ? xNearOne : xPlain;
          for (Expr e : EXPRS) {
            if (prod && !e.name.equals("x + x.T")) {
              continue;
            }
            String what = "seed " + seed + " " + op + " of " + e.name + ", shape " + n + "x" + n + " chunks " + describe(cx)
                + (nan > 0 ? " with NaN" : "");
            DArray lazy = e.lazy.apply(x);
            DArray red = lazy.reduce(op, null, false, 4, 0);
            assertEquals(c.length * (c.length + 1) / 2, partialTasks(red), what + ": one partial task per mirrored pair");
            INDArray whole = e.whole.apply(a);
            INDArray expected = Oracle.reduce(whole, op, null, false, 0, red.dtype());
            INDArray actual = red.compute();
            // a different summation order: rounding of order n^2 * eps * sum|v| (the values are multiples of
            // 1/64, so sums are exact in practice; products round at every step)
            double tol = 4.0 * n * n * Math.ulp(1.0);
            assertClose(expected, actual, tol, what);
            if ((op == Reduction.SUM || op == Reduction.MEAN) && nan == 0 && e.name.equals("x + x.T")) {
              double nd = op == Reduction.SUM ? whole.sumNumber().doubleValue() : whole.meanNumber().doubleValue();
              double sumAbs = Transforms.abs(whole, true).sumNumber().doubleValue() / (op == Reduction.MEAN ? (double) n * n : 1);
              assertTrue(Math.abs(actual.getDouble(0) - nd) <= 4.0 * n * n * Math.ulp(1.0) * Math.max(1, sumAbs),
                  what + ": " + actual.getDouble(0) + " vs ND4J " + nd);
            }
            whole.close();
          }
        }
      }
    }
  }

  @AllSchedulers
  void keepdimsAndSplitEvery_keepTheShapeAndTheValue(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(7);
      INDArray a = values(r, 97, 0, false);
      long[] c = {10, 40, 1, 30, 16};
      DArray x = DArray.fromArray(a, new long[][] {c, c});
      INDArray whole = a.add(a.transpose());
      for (int splitEvery : new int[] {2, 3, 100}) {
        DArray red = x.add(x.transpose()).reduce(Reduction.SUM, null, true, splitEvery, 0);
        assertEquals(15, partialTasks(red));
        INDArray got = red.compute();
        assertClose(Oracle.reduce(whole, Reduction.SUM, null, true, 0, DataType.DOUBLE), got, 1e-12,
            "keepdims, splitEvery " + splitEvery);
        assertEquals(2, got.rank());
      }
    }
  }

  @AllSchedulers
  void computeOfExpressionsOverXAndXTransposed_writesBothBlocksOfEachPair_equalsNd4j(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      boolean local = Schedulers.current() instanceof LocalScheduler;
      for (int seed = 0; seed < 8; seed++) {
        Random r = new Random(500 + seed);
        int n = side(r, seed);
        long[] c = seed % 4 == 3 ? new long[] {n} : LinalgSupport.axis(r, n, 1);
        long[][] cx = {c, c.clone()};
        INDArray a = values(r, n, seed % 3 == 1 ? 0.01 : 0, false);
        DArray x = DArray.fromArray(a, cx);
        for (Expr e : EXPRS) {
          String what = "seed " + seed + " " + e.name + ", shape " + n + "x" + n + " chunks " + describe(cx);
          DArray lazy = e.lazy.apply(x);
          boolean pairs = lazy.dtype() == DataType.DOUBLE && c.length > 1;
          java.util.Optional<INDArray> direct = Assembly.computePairsInto(Schedulers.current(), lazy);
          assertEquals(local && pairs, direct.isPresent(), what + ": by pairs exactly for float64 on sync/threads");
          INDArray expected = e.whole.apply(a).castTo(lazy.dtype());
          direct.ifPresent(d -> assertClose(expected, d, 0, what + " (direct)"));
          assertClose(expected, lazy.compute(), 0, what);
        }
        // the blocks of a strided view are not compact: same pairs, each block through the general kernel
        INDArray big = values(r, 2 * n, 0, false);
        long[] c2 = Arrays.stream(c).map(k -> 2 * k).toArray();
        DArray v = DArray.fromArray(big, new long[][] {c2, c2}).get(Slice.step(2), Slice.step(2));
        assertEquals(Arrays.deepToString(cx), Arrays.deepToString(v.chunks()), "seed " + seed + " sliced chunks");
        INDArray vw = big.get(NDArrayIndex.interval(0, 2, 2L * n), NDArrayIndex.interval(0, 2, 2L * n)).dup('c');
        assertClose(vw.add(vw.transpose()), v.add(v.transpose()).compute(), 0, "seed " + seed + " strided blocks");
      }
    }
  }

  @Test
  void otherCases_keepThePerBlockPath() {
    Random r = new Random(11);
    INDArray a = values(r, 30, 0, false);
    long[] c = {10, 20};
    DArray x = DArray.fromArray(a, new long[][] {c, c});
    DArray y = DArray.fromArray(values(r, 30, 0, false), new long[][] {c, c});
    // one axis, var, argmax, another array's transpose, chunks that differ between the axes
    assertEquals(4, partialTasks(x.add(x.transpose()).reduce(Reduction.SUM, new int[] {0}, false, 4, 0)));
    assertEquals(4, partialTasks(x.add(x.transpose()).reduce(Reduction.VAR, null, false, 4, 0)));
    assertEquals(4, partialTasks(x.add(x.transpose()).reduce(Reduction.ARGMAX, null, false, 4, 0)));
    assertEquals(4, partialTasks(x.add(y.transpose()).sum()));
    assertEquals(4, partialTasks(x.add(x.transpose()).add(y).sum()));
    DArray z = DArray.fromArray(a, new long[][] {{10, 20}, {15, 15}});
    DArray zz = z.add(z.transpose());
    // both operands rechunked to (10, 5, 15) on each axis: the leaves are not z and z.T, 9 blocks
    assertEquals(9, partialTasks(zz.sum()), "rechunked leaves: " + Arrays.deepToString(zz.chunks()));
    assertClose(Oracle.reduce(a.add(a.transpose()), Reduction.SUM, null, false, 0, DataType.DOUBLE), zz.sum().compute(),
        1e-12, "rechunked x + x.T");
    // float32: per-block path, same value
    INDArray f = a.castTo(DataType.FLOAT);
    DArray xf = DArray.fromArray(f, new long[][] {c, c});
    assertEquals(4, partialTasks(xf.add(xf.transpose()).sum()));
  }

  /** Tasks of the reduction's partial layer. */
  private static int partialTasks(DArray red) {
    for (Layer l : red.graph().layers().values()) {
      if (l.name().contains("-partial-")) {
        return l.materialize().size();
      }
    }
    throw new AssertionError("no partial layer in " + red.graph().layers().keySet());
  }
}
