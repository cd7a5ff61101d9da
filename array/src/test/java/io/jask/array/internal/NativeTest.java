package io.jask.array.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The direct-memory kernels against ND4J on the same block: a transposed tile read ({@link
 * Native#readTileTransposed} vs {@code get(interval, interval).transpose()}), a block copied into a
 * larger array ({@link Native#copyBlockInto} vs {@code get(...)} of the result), the upper triangle
 * mirrored by row bands ({@link Native#mirrorLowerRows} vs ND4J's transpose), and the eight-lane
 * row sum ({@link Native#sumRows} vs ND4J's sum), over seeded sizes (tiles of 1 to 70 rows, edges
 * not multiples of 4, NaN), and the errors for pieces that do not fit.
 */
class NativeTest {

  private static INDArray block(Random r, long rows, long cols, double nanRate) {
    double[] d = new double[(int) (rows * cols)];
    for (int i = 0; i < d.length; i++) {
      d[i] = r.nextDouble() < nanRate ? Double.NaN : r.nextDouble() * 4 - 2;
    }
    return Nd4j.create(d, new long[] {rows, cols}, 'c');
  }

  private static double[] values(INDArray a) {
    return a.dup('c').data().asDouble();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
  void transposedTileRead_equalsNd4jTransposeOfThePiece(int seed) {
    Random r = new Random(300 + seed);
    int rows = 1 + r.nextInt(150);
    int cols = 1 + r.nextInt(150);
    INDArray b = block(r, rows, cols, seed % 3 == 0 ? 0.05 : 0);
    for (int t = 0; t < 20; t++) {
      int r0 = r.nextInt(rows);
      int c0 = r.nextInt(cols);
      int h = 1 + r.nextInt(Math.min(70, rows - r0));
      int w = 1 + r.nextInt(Math.min(70, cols - c0));
      double[] tile = new double[h * w];
      Native.readTileTransposed(b, rows, cols, r0, h, c0, w, tile);
      INDArray piece = b.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(r0, r0 + h),
          org.nd4j.linalg.indexing.NDArrayIndex.interval(c0, c0 + w));
      assertArrayEquals(values(piece.transpose()), tile, 0, "seed " + seed + " piece " + r0 + "+" + h + " x " + c0
          + "+" + w + " of " + rows + "x" + cols);
    }
    assertThrows(IllegalArgumentException.class, () -> Native.readTileTransposed(b, rows, cols, 0, rows + 1, 0, 1,
        new double[cols * (rows + 1)]));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void blockCopyAndMirror_matchNd4j(int seed) {
    Random r = new Random(700 + seed);
    int n = 1 + r.nextInt(200);
    int k = 1 + r.nextInt(120);
    INDArray panel = Nd4j.zeros(DataType.DOUBLE, n, k);
    int r0 = r.nextInt(n);
    int c0 = r.nextInt(k);
    INDArray b = block(r, 1 + r.nextInt(n - r0), 1 + r.nextInt(k - c0), 0.02);
    Native.copyBlockInto(b, panel, (long) r0 * k + c0, k);
    INDArray placed = panel.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(r0, r0 + b.size(0)),
        org.nd4j.linalg.indexing.NDArrayIndex.interval(c0, c0 + b.size(1)));
    assertArrayEquals(values(b), values(placed), 0, "seed " + seed + ": the block at its place");
    assertEquals(countNonZero(values(b)), countNonZero(values(panel)),
        "seed " + seed + ": nothing written outside the block");
    assertThrows(IllegalArgumentException.class, () -> Native.copyBlockInto(b, panel, (long) (n - 1) * k + k - 1 + 1, k));

    INDArray sq = block(r, n, n, seed == 2 ? 0.05 : 0);
    INDArray lower = sq.dup('c');
    // bands of rows, each filled on its own, as the tasks do
    int start = 0;
    while (start < n) {
      int h = Math.min(n - start, 1 + r.nextInt(70));
      Native.mirrorLowerRows(lower, n, start, h);
      start += h;
    }
    double[] got = values(lower);
    double[] src = values(sq);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double want = j > i ? src[j * n + i] : src[i * n + j];
        assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got[i * n + j]),
            "seed " + seed + " mirrored " + i + ", " + j + " of " + n);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Native.mirrorLowerRows(sq, n, n - 1, 2));
  }

  private static int countNonZero(double[] v) {
    int c = 0;
    for (double d : v) {
      if (d != 0) {
        c++;
      }
    }
    return c;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3})
  void eightLaneRowSums_matchNd4j(int seed) {
    Random r = new Random(900 + seed);
    int rows = 1 + r.nextInt(60);
    int cols = 1 + r.nextInt(300);
    INDArray b = block(r, rows, cols, 0);
    double[] all = {0};
    Native.sumRows(b, rows, cols, 0, rows, Native.ALL, all);
    double want = b.sumNumber().doubleValue();
    assertTrue(Math.abs(all[0] - want) <= 1e-12 * Math.max(1, Math.abs(want)), "seed " + seed + ": " + all[0] + " vs " + want);
    double[] perRow = new double[rows];
    Native.sumRows(b, rows, cols, 0, rows, Native.AXIS1, perRow);
    double[] wantRows = b.sum(1).data().asDouble();
    assertArrayEquals(wantRows, perRow, 1e-12 * cols * 2, "seed " + seed + ": row sums");
  }

  /**
   * {@link Native#sumPairTile} against ND4J: the sum of {@code f(A, T)} and of {@code f(T, A)} for the
   * piece A of a block and a tile T, computed as whole arrays ({@code add}, {@code sub}, {@code mul},
   * then {@code sumNumber}); widths not multiples of 4, both and single forms, x on either side, NaN.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})
  void pairTileSum_equalsNd4jSumsOfTheTwoOperandOrders(int seed) {
    Random r = new Random(900 + seed);
    int rows = 1 + r.nextInt(130);
    int cols = 1 + r.nextInt(130);
    INDArray b = block(r, rows, cols, seed % 5 == 4 ? 0.02 : 0);
    for (int t = 0; t < 12; t++) {
      int r0 = r.nextInt(rows);
      int c0 = r.nextInt(cols);
      int h = 1 + r.nextInt(Math.min(70, rows - r0));
      int w = 1 + r.nextInt(Math.min(70, cols - c0));
      INDArray piece = b.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(r0, r0 + h),
          org.nd4j.linalg.indexing.NDArrayIndex.interval(c0, c0 + w)).dup('c');
      INDArray tileArr = block(r, h, w, seed % 5 == 4 ? 0.02 : 0);
      double[] tile = values(tileArr);
      int op = r.nextInt(3);
      boolean both = r.nextBoolean();
      boolean aLeft = r.nextBoolean();
      INDArray at = op == Native.PAIR_ADD ? piece.add(tileArr) : op == Native.PAIR_SUB ? piece.sub(tileArr) : piece.mul(tileArr);
      INDArray ta = op == Native.PAIR_ADD ? tileArr.add(piece) : op == Native.PAIR_SUB ? tileArr.sub(piece) : tileArr.mul(piece);
      double expectAt = at.sumNumber().doubleValue();
      double expectTa = ta.sumNumber().doubleValue();
      double sumAbs = at.norm1Number().doubleValue() + ta.norm1Number().doubleValue();
      double[] lanes = new double[8];
      lanes[1] = 0.25; // carried over from earlier tiles: added, not overwritten
      Native.sumPairTile(b, rows, cols, r0, h, c0, w, tile, op, both, aLeft, lanes);
      double first = lanes[0] + lanes[1] + lanes[2] + lanes[3] - 0.25;
      double second = lanes[4] + lanes[5] + lanes[6] + lanes[7];
      String what = "seed " + seed + " op " + op + (both ? " both" : aLeft ? " A op T" : " T op A") + " piece " + r0 + "+"
          + h + " x " + c0 + "+" + w + " of " + rows + "x" + cols;
      double tol = 1e-12 * Math.max(1, sumAbs);
      if (Double.isNaN(expectAt)) {
        assertTrue(Double.isNaN(first) && (!both || Double.isNaN(second)), what + ": NaN expected, got " + first);
      } else if (both) {
        assertEquals(expectAt, first, tol, what + " (A op T)");
        assertEquals(expectTa, second, tol, what + " (T op A)");
      } else {
        assertEquals(aLeft ? expectAt : expectTa, first, tol, what);
        assertEquals(0.0, second, 0.0, what + ": lanes 4-7 untouched");
      }
    }
    assertThrows(IllegalArgumentException.class, () -> Native.sumPairTile(b, rows, cols, 0, rows + 1, 0, 1,
        new double[rows + 1], Native.PAIR_ADD, true, true, new double[8]));
    assertThrows(IllegalArgumentException.class, () -> Native.sumPairTile(b, rows, cols, 0, 1, 0, 1,
        new double[1], 7, true, true, new double[8]));
  }
}
