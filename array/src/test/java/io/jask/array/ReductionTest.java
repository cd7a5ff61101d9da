package io.jask.array;

import static io.jask.array.Arrays2.assertClose;
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

/** Reductions over all, one and several axes, keepdims and splitEvery, against ND4J and NumPy's semantics. */
class ReductionTest {
  private static final int CASES = 5;

  @AllSchedulers
  void everyReduction_anyAxesAndChunks_matchesTheOracle(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(300 + seed);
        long[] shape = Arrays2.shape(r, 3, 7);
        boolean nans = seed % 2 == 1;
        INDArray x = Arrays2.doubles(r, shape, nans ? 0.1 : 0);
        DArray dx = DArray.fromArray(x, Arrays2.chunks(r, shape));
        int[] axes = r.nextInt(3) == 0 ? null : randomAxes(r, shape.length);
        boolean keep = r.nextBoolean();
        int split = 2 + r.nextInt(3);
        for (Reduction op : Reduction.values()) {
          int[] ax = axes;
          if ((op == Reduction.ARGMIN || op == Reduction.ARGMAX) && ax != null) {
            ax = new int[] {ax[0]};
          }
          if ((op == Reduction.ARGMIN || op == Reduction.ARGMAX) && keep) {
            continue;
          }
          int ddof = op == Reduction.VAR || op == Reduction.STD ? seed % 2 : 0;
          DArray got = dx.reduce(op, ax, keep, split, ddof);
          String what = "seed " + seed + " " + op + " axes " + java.util.Arrays.toString(ax) + " keepdims " + keep
              + " splitEvery " + split + " chunks " + Arrays2.describe(dx.chunks());
          INDArray expected = Oracle.reduce(x, op, ax, keep, ddof, got.dtype());
          assertClose(expected, got.compute(), 1e-9, what);
        }
      }
    }
  }

  @AllSchedulers
  void withoutNan_matchesNd4jItself(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(400 + seed);
        long[] shape = {1 + r.nextInt(9), 1 + r.nextInt(9)};
        INDArray x = Arrays2.doubles(r, shape, 0);
        DArray dx = DArray.fromArray(x, Arrays2.chunks(r, shape));
        String what = "seed " + seed + " chunks " + Arrays2.describe(dx.chunks());
        assertEquals(x.sumNumber().doubleValue(), dx.sum().compute().getDouble(0), 1e-9, what);
        assertClose(x.sum(0), dx.sum(0).compute(), 1e-9, what + " sum(0)");
        assertClose(x.mean(1), dx.mean(1).compute(), 1e-9, what + " mean(1)");
        assertClose(x.max(0), dx.max(0).compute(), 0, what + " max(0)");
        assertClose(x.min(1), dx.min(1).compute(), 0, what + " min(1)");
        // ND4J keeps a leading 1 in var/std of a 1-row matrix; NumPy (and DArray) do not
        assertClose(x.var(false, 0).reshape(shape[1]), dx.var(0).compute(), 1e-9, what + " var(0), ddof 0");
        assertClose(x.std(false, 1).reshape(shape[0]), dx.std(1).compute(), 1e-9, what + " std(1), ddof 0");
        assertClose(x.prod(0), dx.prod(0).compute(), 1e-9, what + " prod(0)");
        assertClose(x.argMax(0).castTo(DataType.LONG), dx.argmax(0).compute(), 0, what + " argmax(0)");
        assertEquals(x.argMax().getLong(0), dx.argmax().compute().getLong(0), what + " argmax()");
        if (shape[0] > 1 && shape[1] > 1) { // ND4J treats 1-row/1-column matrices as vectors in cumsum
          assertClose(x.cumsum(1), dx.cumsum(1).compute(), 1e-9, what + " cumsum(1)");
          assertClose(x.cumsum(0), dx.cumsum(0).compute(), 1e-9, what + " cumsum(0)");
        }
      }
    }
  }

  @AllSchedulers
  void cumsumCumprod_withNanAndIntegers_matchSequentialScan(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(500 + seed);
        long[] shape = Arrays2.shape(r, 3, 6);
        INDArray x = seed % 2 == 0 ? Arrays2.doubles(r, shape, 0.1) : Arrays2.of(r, shape, DataType.INT);
        DArray dx = DArray.fromArray(x, Arrays2.chunks(r, shape));
        int axis = r.nextInt(shape.length);
        for (boolean prod : new boolean[] {false, true}) {
          INDArray expected = scan(x, axis, prod);
          DArray got = prod ? dx.cumprod(axis) : dx.cumsum(axis);
          assertClose(expected, got.compute(), 1e-9, "seed " + seed + (prod ? " cumprod" : " cumsum") + " axis " + axis
              + " chunks " + Arrays2.describe(dx.chunks()));
        }
      }
    }
  }

  private static INDArray scan(INDArray x, int axis, boolean prod) {
    long[] shape = x.shape();
    double[] v = Arrays2.values(x);
    long[] st = io.jask.array.internal.Chunks.cStrides(shape);
    for (int i = 0; i < v.length; i++) {
      long c = (i / st[axis]) % shape[axis];
      if (c > 0) {
        int p = (int) (i - st[axis]);
        v[i] = prod ? v[i] * v[p] : v[i] + v[p];
      }
    }
    DataType dt = x.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.LONG;
    return org.nd4j.linalg.factory.Nd4j.create(v, shape, 'c').castTo(dt);
  }

  private static int[] randomAxes(Random r, int rank) {
    java.util.List<Integer> all = new java.util.ArrayList<>();
    for (int i = 0; i < rank; i++) {
      all.add(r.nextBoolean() ? i : i - rank);
    }
    java.util.Collections.shuffle(all, r);
    int k = 1 + r.nextInt(rank);
    return all.subList(0, k).stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void keepdimsAndOutputChunks_followTheInput() {
    DArray x = DArray.ones(new long[] {10, 6, 4}, new int[] {3, 4, 4});
    DArray s = x.sum(true, 1);
    assertArrayEquals(new long[][] {{3, 3, 3, 1}, {1}, {4}}, s.chunks());
    assertArrayEquals(new long[][] {{3, 3, 3, 1}}, x.mean(1, 2).chunks());
    assertEquals(0, x.sum().ndim());
    assertEquals(DataType.LONG, DArray.ones(new long[] {3}, new int[] {2}, DataType.INT).sum().dtype());
    assertEquals(DataType.BOOL, x.any().dtype());
  }

  @Test
  void badAxesAndEmptyMinimum_failNamingTheShape() {
    DArray x = DArray.zeros(new long[] {4, 3}, new int[] {2});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.sum(2));
    assertTrue(e.getMessage().contains("(4, 3)"), e.getMessage());
    DArray empty = DArray.zeros(new long[] {0, 3}, new int[] {2});
    e = assertThrows(IllegalArgumentException.class, () -> empty.max(0));
    assertTrue(e.getMessage().contains("(0, 3)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> x.argmax(5));
  }
}
