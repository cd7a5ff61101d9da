package io.jask.array.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The pieces of the whole-array Gram ({@code compute()} of {@code x @ x.T} on sync/threads): the
 * mirror's row bands of equal work ({@link Gram#mirrorBands}: they cover every row once, in order,
 * and the largest band's work is near the mean, against the row-by-row count), and the gather of
 * row blocks into the raw-memory panel followed by the {@code dsyrk} and the mirror ({@link
 * Gram.GatherRows}, {@link Gram.SyrkWhole}, {@link Gram.MirrorRows}) against ND4J's {@code mmul} of
 * the whole array, with compact, strided (a view) and column-major float64 blocks, uneven widths.
 * The end-to-end path on every scheduler is in {@code GramKernelsTest}.
 */
class GramWholeTest {

  private static double work(int n, int from, int to) {
    double w = 0;
    for (int i = from; i < to; i++) {
      w += n - 1 - i;
    }
    return w;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 64, 65, 999, 1000, 4000, 4097})
  void mirrorBands_coverEveryRowOnce_withNearEqualWork(int n) {
    for (int bands : new int[] {1, 2, 8, 13}) {
      int[] s = Gram.mirrorBands(n, bands);
      String what = n + " rows in " + bands + " bands: " + java.util.Arrays.toString(s);
      assertEquals(0, s[0], what);
      assertEquals(n, s[s.length - 1], what);
      assertTrue(s.length - 1 <= bands, what);
      for (int i = 0; i + 1 < s.length; i++) {
        assertTrue(s[i + 1] > s[i], what + ": empty or unordered band");
      }
      double total = work(n, 0, n);
      if (n >= 64 * bands) {
        for (int i = 0; i + 1 < s.length; i++) {
          // each band within one row's work (<= n) of the equal share
          assertEquals(total / (s.length - 1), work(n, s[i], s[i + 1]), n, what + " band " + i);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void gatherSyrkMirror_ofRowBlocks_matchNd4jMmul(int seed) {
    Random r = new Random(4100 + seed);
    int n = 1 + r.nextInt(300);
    int k = 1 + r.nextInt(200);
    INDArray x = Nd4j.rand(DataType.DOUBLE, n, k).subi(0.5);
    if (seed == 2) {
      x.putScalar(r.nextInt(n), r.nextInt(k), Double.NaN);
    }
    // uneven row blocks and column blocks; block kinds by seed: compact, a strided view, column-major
    int[] rowCuts = cuts(r, n);
    int[] colCuts = cuts(r, k);
    INDArray expected = x.mmul(x.transpose());
    INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {n, n}, 'c');
    try (Gram.Panel panel = new Gram.Panel(n, k)) {
      for (int i = 0; i + 1 < rowCuts.length; i++) {
        Object[] blocks = new Object[colCuts.length - 1];
        for (int j = 0; j + 1 < colCuts.length; j++) {
          INDArray b = x.get(NDArrayIndex.interval(rowCuts[i], rowCuts[i + 1]), NDArrayIndex.interval(colCuts[j], colCuts[j + 1]));
          blocks[j] = switch (seed % 3) {
            case 0 -> b.dup('c');
            case 1 -> b; // a view with the whole array's row stride
            default -> b.dup('f');
          };
        }
        assertEquals(Boolean.TRUE, new Gram.GatherRows(panel, rowCuts[i]).apply(blocks));
      }
      new Gram.SyrkWhole(panel, out).apply(new Object[0]);
      int[] bands = Gram.mirrorBands(n, 5);
      for (int i = 0; i + 1 < bands.length; i++) {
        new Gram.MirrorRows(out, bands[i], bands[i + 1] - bands[i]).apply(new Object[0]);
      }
      double[] e = expected.dup('c').data().asDouble();
      double[] g = out.data().asDouble();
      String what = "seed " + seed + " x " + n + "x" + k + " rows " + java.util.Arrays.toString(rowCuts) + " cols "
          + java.util.Arrays.toString(colCuts);
      if (seed == 2) {
        assertTrue(java.util.stream.DoubleStream.of(g).anyMatch(Double::isNaN), what + ": NaN propagates");
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            assertEquals(Double.isNaN(e[i * n + j]), Double.isNaN(g[i * n + j]), what + " NaN at " + i + "," + j);
          }
        }
      } else {
        assertArrayEquals(e, g, 1e-12 * k, what);
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
          assertEquals(Double.doubleToLongBits(g[i * n + j]), Double.doubleToLongBits(g[j * n + i]), what + ": exact symmetry");
        }
      }
    } finally {
      out.close();
      expected.close();
    }
  }

  @Test
  void gatherRows_blockThatDoesNotFit_namesItsShapeAndPlace() {
    try (Gram.Panel panel = new Gram.Panel(10, 6)) {
      INDArray b = Nd4j.zeros(DataType.DOUBLE, 4, 7);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Gram.GatherRows(panel, 8).apply(new Object[] {b}));
      assertTrue(e.getMessage().contains("(4, 7)") && e.getMessage().contains("row 8"), e.getMessage());
      IllegalArgumentException short1 = assertThrows(IllegalArgumentException.class,
          () -> new Gram.GatherRows(panel, 0).apply(new Object[] {Nd4j.zeros(DataType.DOUBLE, 4, 5)}));
      assertTrue(short1.getMessage().contains("cover 5 of 6 columns"), short1.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> new Gram.Panel(0, 5));
  }

  private static int[] cuts(Random r, int n) {
    int parts = 1 + r.nextInt(Math.min(4, n));
    java.util.TreeSet<Integer> s = new java.util.TreeSet<>();
    s.add(0);
    s.add(n);
    while (s.size() < parts + 1) {
      s.add(1 + r.nextInt(n - 1));
    }
    return s.stream().mapToInt(Integer::intValue).toArray();
  }
}
