package io.jask.array;

import static io.jask.array.Arrays2.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Slicing, masks, take, rechunk and shape operations against ND4J on the whole array. */
class SelectionTest {
  private static final int CASES = 6;

  @AllSchedulers
  void slicesWithStepsNegativeIndicesAndIntegers_matchTheOracle(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(600 + seed);
        long[] shape = Arrays2.shape(r, 3, 9);
        INDArray x = Arrays2.doubles(r, shape, 0.1);
        DArray dx = DArray.fromArray(x, Arrays2.chunks(r, shape));
        for (int t = 0; t < 4; t++) {
          Slice[] sl = new Slice[shape.length];
          for (int a = 0; a < shape.length; a++) {
            sl[a] = randomSlice(r, shape[a]);
          }
          String what = "seed " + seed + " x" + java.util.Arrays.toString(shape) + " chunks "
              + Arrays2.describe(dx.chunks()) + " [" + java.util.Arrays.toString(sl) + "]";
          assertClose(slice(x, sl), dx.get(sl).compute(), 0, what);
        }
      }
    }
  }

  private static Slice randomSlice(Random r, long n) {
    switch (r.nextInt(5)) {
      case 0: return Slice.all();
      case 1: return Slice.at(r.nextInt((int) n) - (r.nextBoolean() ? n : 0));
      case 2: return Slice.of(r.nextInt((int) n + 2) - 1, r.nextInt((int) n + 3) - 2 - (r.nextBoolean() ? n : 0));
      case 3: return Slice.of(r.nextBoolean() ? Slice.END : r.nextInt((int) n), Slice.END, -1 - r.nextInt(3));
      default: return Slice.step(1 + r.nextInt(3));
    }
  }

  /** The oracle: Python slicing rules applied position by position. */
  private static INDArray slice(INDArray x, Slice[] sl) {
    long[] shape = x.shape();
    List<long[]> picks = new ArrayList<>();
    List<Long> outShape = new ArrayList<>();
    for (int a = 0; a < shape.length; a++) {
      long[] res = sl[a].resolve(shape[a], a);
      long[] p = new long[(int) res[2]];
      for (int k = 0; k < p.length; k++) {
        p[k] = res[0] + k * res[1];
      }
      picks.add(p);
      if (!sl[a].isIndex()) {
        outShape.add((long) p.length);
      }
    }
    double[] v = Arrays2.values(x);
    long[] st = io.jask.array.internal.Chunks.cStrides(shape);
    List<Double> out = new ArrayList<>();
    collect(v, st, picks, 0, 0, out);
    double[] d = out.stream().mapToDouble(Double::doubleValue).toArray();
    return Nd4j.create(d, outShape.stream().mapToLong(Long::longValue).toArray(), 'c').castTo(x.dataType());
  }

  private static void collect(double[] v, long[] st, List<long[]> picks, int a, long off, List<Double> out) {
    if (a == picks.size()) {
      out.add(v[(int) off]);
      return;
    }
    for (long p : picks.get(a)) {
      collect(v, st, picks, a + 1, off + p * st[a], out);
    }
  }

  @AllSchedulers
  void booleanMasksAndTake_matchRowMajorSelection(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(700 + seed);
        long[] shape = Arrays2.shape(r, 3, 8);
        INDArray x = Arrays2.doubles(r, shape, 0.1);
        DArray dx = DArray.fromArray(x, Arrays2.chunks(r, shape));
        String what = "seed " + seed + " chunks " + Arrays2.describe(dx.chunks());
        DArray sel = dx.get(dx.gt(0.0));
        assertEquals(DArray.UNKNOWN, sel.shape()[0]);
        List<Double> kept = new ArrayList<>();
        for (double v : Arrays2.values(x)) {
          if (v > 0) {
            kept.add(v);
          }
        }
        INDArray expected = Nd4j.create(kept.stream().mapToDouble(Double::doubleValue).toArray(), new long[] {kept.size()}, 'c');
        assertClose(expected, sel.compute(), 0, what + " x[x > 0]");
        DArray sized = sel.computeChunkSizes();
        assertEquals(kept.size(), sized.shape()[0], what + " computeChunkSizes");
        assertClose(expected, sized.get(Slice.of(0, kept.size())).compute(), 0, what + " slice after computeChunkSizes");
        // the unknown-size result still reduces
        assertEquals(kept.stream().mapToDouble(Double::doubleValue).sum(), sel.sum().compute().getDouble(0), 1e-9, what);
        long[] idx = new long[r.nextInt(6)];
        int axis = r.nextInt(shape.length);
        for (int i = 0; i < idx.length; i++) {
          idx[i] = r.nextInt((int) shape[axis]) - (r.nextBoolean() ? shape[axis] : 0);
        }
        Slice[] sl = new Slice[shape.length];
        List<INDArray> parts = new ArrayList<>();
        for (long i : idx) {
          for (int a = 0; a < shape.length; a++) {
            sl[a] = a == axis ? Slice.of(i < 0 ? i + shape[axis] : i, (i < 0 ? i + shape[axis] : i) + 1) : Slice.all();
          }
          parts.add(slice(x, sl));
        }
        if (idx.length > 0) {
          INDArray exp = Nd4j.concat(axis, parts.toArray(new INDArray[0]));
          assertClose(exp, dx.take(idx, axis).compute(), 0, what + " take " + java.util.Arrays.toString(idx) + " axis " + axis);
        } else {
          assertEquals(0, dx.take(idx, axis).shape()[axis]);
        }
        if (shape.length > 1) {
          INDArray rows = Arrays2.of(r, new long[] {shape[0]}, DataType.BOOL);
          DArray drows = DArray.fromArray(rows, Arrays2.chunks(r, rows.shape()));
          List<INDArray> keptRows = new ArrayList<>();
          for (int i = 0; i < shape[0]; i++) {
            if (rows.getDouble(i) != 0) {
              keptRows.add(x.get(NDArrayIndex.interval(i, i + 1)));
            }
          }
          INDArray got = dx.get(drows).compute();
          assertEquals(keptRows.size(), got.shape()[0], what + " row mask");
          if (!keptRows.isEmpty()) {
            assertClose(Nd4j.concat(0, keptRows.toArray(new INDArray[0])), got, 0, what + " row mask");
          }
        }
      }
    }
  }

  @AllSchedulers
  void rechunkTransposeReshapeSqueezeExpandConcatStack_matchNd4j(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(800 + seed);
        long[] shape = {1 + r.nextInt(8), 1 + r.nextInt(8), 1 + r.nextInt(4)};
        INDArray x = Arrays2.of(r, shape, seed % 3 == 0 ? DataType.INT : DataType.DOUBLE);
        DArray dx = DArray.fromArray(x, Arrays2.chunks(r, shape));
        String what = "seed " + seed + " shape " + java.util.Arrays.toString(shape) + " chunks " + Arrays2.describe(dx.chunks());
        long[][] target = Arrays2.chunks(r, shape);
        DArray re = dx.rechunk(target);
        assertArrayEquals(target, re.chunks(), what);
        assertClose(x, re.compute(), 0, what + " rechunk to " + Arrays2.describe(target));
        assertClose(x.permute(2, 0, 1).dup('c'), dx.transpose(2, 0, 1).compute(), 0, what + " transpose(2, 0, 1)");
        assertClose(x.permute(2, 1, 0).dup('c'), dx.transpose().compute(), 0, what + " transpose()");
        long total = shape[0] * shape[1] * shape[2];
        assertClose(x.reshape('c', new long[] {total}), dx.reshape(-1).compute(), 0, what + " reshape(-1)");
        assertClose(x.reshape('c', new long[] {shape[0] * shape[1], shape[2]}), dx.reshape(shape[0] * shape[1], shape[2]).compute(), 0,
            what + " reshape merge");
        assertClose(x.reshape('c', new long[] {shape[0], shape[1] * shape[2]}), dx.reshape(shape[0], -1).compute(), 0, what + " reshape merge tail");
        DArray flat = dx.reshape(-1);
        assertClose(x, flat.reshape(shape).compute(), 0, what + " reshape split");
        assertClose(x.reshape('c', new long[] {1, shape[0], shape[1], shape[2]}), dx.expandDims(0).compute(), 0, what + " expandDims");
        assertClose(x, dx.expandDims(1).squeeze(1).compute(), 0, what + " squeeze");
        INDArray y = Arrays2.of(r, shape, DataType.DOUBLE);
        DArray dy = DArray.fromArray(y, Arrays2.chunks(r, shape));
        int axis = r.nextInt(3);
        assertClose(Nd4j.concat(axis, x.castTo(DataType.DOUBLE), y), DArray.concatenate(List.of(dx, dy), axis).compute(), 0,
            what + " concatenate axis " + axis);
        INDArray stacked = Nd4j.concat(0, x.castTo(DataType.DOUBLE).reshape('c', new long[] {1, shape[0], shape[1], shape[2]}),
            y.reshape('c', new long[] {1, shape[0], shape[1], shape[2]}));
        assertClose(stacked, DArray.stack(List.of(dx, dy), 0).compute(), 0, what + " stack");
      }
    }
  }

  @Test
  void badSelections_failNamingShapesAndChunks() {
    DArray x = DArray.zeros(new long[] {4, 3}, new int[] {2});
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.get(Slice.at(4)));
    assertTrue(e.getMessage().contains("size 4"), e.getMessage());
    IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> x.reshape(5, 3));
    assertTrue(e2.getMessage().contains("(4, 3)") && e2.getMessage().contains("(5, 3)"), e2.getMessage());
    DArray masked = x.get(x.gt(0.0));
    IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> masked.get(Slice.of(0, 2)));
    assertTrue(e3.getMessage().contains("nan"), e3.getMessage());
    assertThrows(IllegalArgumentException.class, () -> x.squeeze(0));
    assertThrows(IllegalArgumentException.class, () -> x.get(x));
  }
}
