package io.jask.array.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.array.internal.Elem.BOp;
import io.jask.array.internal.Elem.UOp;
import io.jask.array.internal.Reduce.Acc;
import io.jask.array.internal.Reduce.ROp;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The banded kernels against the whole-block ones: an element-wise chain over a row-major block
 * and a transposed one, materialized ({@link Bands#materialize} vs ND4J's {@code a + 2 b.T}) and
 * folded into every reduction ({@link Reduce.Partial} on the bands vs {@link Reduce#partial} on the
 * whole block evaluated by {@link ElemEval}), over seeded shapes with one band, several bands and a
 * short last band, with NaN.
 */
class BandsTest {

  private static long[] shape(Random r, int seed) {
    return switch (seed % 4) {
      case 0 -> new long[] {1 + r.nextInt(5), 1 + r.nextInt(5)}; // one band
      case 1 -> new long[] {200 + r.nextInt(300), 150 + r.nextInt(200)}; // several bands, a short last one
      case 2 -> new long[] {3 + r.nextInt(40), 5000 + r.nextInt(40000)}; // bands of one row
      default -> new long[] {300 + r.nextInt(100), 1 + r.nextInt(3)}; // narrow
    };
  }

  private static INDArray values(Random r, long[] shape, double nanRate) {
    int n = (int) (shape[0] * shape[1]);
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = r.nextDouble() < nanRate ? Double.NaN : Math.round((r.nextDouble() * 4 - 2) * 64) / 64.0;
    }
    INDArray a = Nd4j.createUninitialized(DataType.DOUBLE, shape, 'c');
    a.data().asNioDouble().put(d);
    return a;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
  void chainOverRowMajorAndTransposedBlocks_matchesNd4jAndTheWholeBlockKernels(int seed) {
    Random r = new Random(seed);
    long[] shape = shape(r, seed);
    INDArray a = values(r, shape, seed % 2 == 1 ? 0.01 : 0);
    INDArray raw = values(r, new long[] {shape[1], shape[0]}, 0);
    INDArray bt = raw.transpose();
    INDArray[] blocks = {a, bt};
    assertTrue(Bands.applies(blocks, shape), "a row-major and a transposed block take the banded path");
    if (shape[0] > 1 && shape[1] > 1) { // a vector is both
      assertEquals(1, Bands.layout(a));
      assertEquals(2, Bands.layout(bt));
    }
    // a + 2 * b.T, then abs
    Elem expr = new Elem.Unary(UOp.ABS, new Elem.Binary(BOp.ADD, new Elem.Leaf(0),
        new Elem.Binary(BOp.MUL, new Elem.Const(2), new Elem.Leaf(1))));
    INDArray expected = org.nd4j.linalg.ops.transforms.Transforms.abs(a.add(bt.mul(2)), true);
    INDArray got = Bands.materialize(expr, blocks, shape);
    assertArrayEquals(expected.shape(), got.shape());
    double[] e = Blocks.toDoubles(expected);
    double[] g = Blocks.toDoubles(got);
    for (int i = 0; i < e.length; i++) {
      assertTrue(e[i] == g[i] || Double.isNaN(e[i]) && Double.isNaN(g[i]), "seed " + seed + " element " + i);
    }
    double[] whole = ElemEval.eval(expr, blocks, shape);
    long[] full = {shape[0] + 7, shape[1] + 3};
    long[] offset = {7, 3};
    for (ROp op : ROp.values()) {
      for (boolean[] reduced : new boolean[][] {{true, true}, {true, false}, {false, true}}) {
        for (int argAxis : new int[] {-1, 0, 1}) {
          if (argAxis >= 0 && (op != ROp.ARGMIN && op != ROp.ARGMAX || !reduced[argAxis] || reduced[1 - argAxis])) {
            continue;
          }
          if ((op == ROp.ARGMIN || op == ROp.ARGMAX) && argAxis < 0 && !(reduced[0] && reduced[1])) {
            continue;
          }
          String what = "seed " + seed + " " + op + " reduced " + reduced[0] + "," + reduced[1] + " argAxis " + argAxis
              + " shape " + shape[0] + "x" + shape[1];
          Acc want = Reduce.partial(op, whole, shape, reduced, offset, full, argAxis);
          Acc have = (Acc) new Reduce.Partial(op, reduced, expr, offset, full, argAxis).apply(new Object[] {a, bt});
          assertArrayEquals(want.shape(), have.shape(), what);
          double[] wf = Reduce.finish(op, want, 0);
          double[] hf = Reduce.finish(op, have, 0);
          for (int i = 0; i < wf.length; i++) {
            if (op == ROp.PROD && !(Double.isFinite(wf[i]) && wf[i] != 0)) {
              continue; // a product that overflows in one band and reaches 0 in another is order-dependent (inf * 0), as across chunks
            }
            double tol = 1e-9 * Math.max(1, Math.abs(wf[i]));
            assertTrue(wf[i] == hf[i] || Double.isNaN(wf[i]) && Double.isNaN(hf[i]) || Math.abs(wf[i] - hf[i]) <= tol,
                what + " slot " + i + ": " + wf[i] + " vs " + hf[i]);
          }
          // and the plain block (no expression) too
          Acc plainWant = Reduce.partial(op, Blocks.toDoubles(a), shape, reduced, offset, full, argAxis);
          Acc plainHave = (Acc) new Reduce.Partial(op, reduced, null, offset, full, argAxis).apply(new Object[] {a});
          double[] pw = Reduce.finish(op, plainWant, 0);
          double[] ph = Reduce.finish(op, plainHave, 0);
          for (int i = 0; i < pw.length; i++) {
            if (op == ROp.PROD && !(Double.isFinite(pw[i]) && pw[i] != 0)) {
              continue;
            }
            double tol = 1e-9 * Math.max(1, Math.abs(pw[i]));
            assertTrue(pw[i] == ph[i] || Double.isNaN(pw[i]) && Double.isNaN(ph[i]) || Math.abs(pw[i] - ph[i]) <= tol,
                what + " plain slot " + i + ": " + pw[i] + " vs " + ph[i]);
          }
        }
      }
    }
    Scratch.give(whole);
    for (INDArray x : new INDArray[] {a, raw, expected, got}) {
      x.close();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2})
  void otherLayouts_doNotTakeTheBandedPath(int seed) {
    INDArray a = Nd4j.rand(DataType.DOUBLE, 6, 8);
    INDArray view = a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 4), org.nd4j.linalg.indexing.NDArrayIndex.all());
    INDArray f = Nd4j.rand(DataType.FLOAT, 6, 8);
    INDArray row = Nd4j.rand(DataType.DOUBLE, 1, 8);
    INDArray[][] cases = {{view}, {a, f}, {a, row}};
    long[][] shapes = {{3, 8}, {6, 8}, {6, 8}};
    assertTrue(!Bands.applies(cases[seed], shapes[seed]), "case " + seed);
  }
}
