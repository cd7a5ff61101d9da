package io.jask.array.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.array.internal.OverlapKernels.Take;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The block kernels alone (no scheduler), each against the same ND4J computation on the whole
 * array: products over random splits of the contracted axis, the TSQR and SVD steps done by hand on
 * random row blocks, and overlap slabs glued back around a block.
 */
class LinalgKernelsTest {

  static INDArray random(Random r, DataType t, long... shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    double[] v = new double[(int) n];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextGaussian();
    }
    return Nd4j.createFromArray(v).reshape(shape).castTo(t);
  }

  /** Random sizes summing to {@code total}, at least {@code min} each (one part when total < min). */
  static long[] split(Random r, long total, long min) {
    List<Long> parts = new ArrayList<>();
    long left = total;
    while (left > 0) {
      long s = left < 2 * min ? left : min + r.nextInt((int) (left - min) + 1);
      if (left - s > 0 && left - s < min) {
        s = left;
      }
      parts.add(s);
      left -= s;
    }
    if (parts.isEmpty()) {
      parts.add(0L);
    }
    return parts.stream().mapToLong(Long::longValue).toArray();
  }

  static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
    assertTrue(Arrays.equals(expected.shape(), actual.shape()),
        what + ": shape " + Arrays.toString(actual.shape()) + " vs " + Arrays.toString(expected.shape()));
    INDArray e = expected.castTo(DataType.DOUBLE).reshape(expected.length());
    INDArray a = actual.castTo(DataType.DOUBLE).reshape(actual.length());
    for (long i = 0; i < e.length(); i++) {
      double x = e.getDouble(i);
      double y = a.getDouble(i);
      if (Double.isNaN(x) || Double.isNaN(y)) {
        assertEquals(Double.isNaN(x), Double.isNaN(y), what + ": NaN at flat " + i);
      } else {
        assertTrue(Math.abs(x - y) <= tol * (1 + Math.abs(x)), what + ": at flat " + i + " " + y + " vs " + x);
      }
    }
  }

  static Stream<Long> seeds() {
    return LongStream.range(0, 30).boxed();
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void matmulSum_overRandomSplitsOfK_equalsWholeMmul(long seed) {
    Random r = new Random(seed);
    DataType t = r.nextBoolean() ? DataType.DOUBLE : DataType.FLOAT;
    long m = 1 + r.nextInt(9);
    long k = r.nextInt(12);
    long n = 1 + r.nextInt(9);
    INDArray a = random(r, t, m, k);
    INDArray b = random(r, t, k, n);
    if (k > 0 && r.nextInt(3) == 0) {
      a.putScalar(r.nextInt((int) m), r.nextInt((int) k), Double.NaN);
    }
    List<INDArray> as = new ArrayList<>();
    List<INDArray> bs = new ArrayList<>();
    long at = 0;
    for (long s : split(r, k, 1)) {
      as.add(a.get(NDArrayIndex.all(), NDArrayIndex.interval(at, at + s)));
      bs.add(b.get(NDArrayIndex.interval(at, at + s), NDArrayIndex.all()));
      at += s;
    }
    INDArray expected = k == 0 ? Nd4j.zeros(t, m, n) : a.mmul(b);
    INDArray got = Products.matmulSum(as, bs, t);
    assertClose(expected, got, t == DataType.FLOAT ? 1e-4 : 1e-10, "seed " + seed + " " + m + "x" + k + "x" + n);
    assertEquals(t, got.dataType());
    // inputs untouched
    assertClose(a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, Math.min(1, k))),
        as.get(0).get(NDArrayIndex.all(), NDArrayIndex.interval(0, Math.min(1, k))), 0, "input kept");
  }

  @Test
  void matmulSum_mixedTypes_castToTheRequestedType() {
    INDArray a = Nd4j.createFromArray(new int[][] {{1, 2}, {3, 4}});
    INDArray b = Nd4j.createFromArray(new double[][] {{0.5}, {0.25}});
    INDArray got = Products.matmulSum(List.of(a), List.of(b), DataType.DOUBLE);
    assertClose(Nd4j.createFromArray(new double[][] {{1.0}, {2.5}}), got, 0, "int @ double");
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void tensordotSum_equalsNd4jTensorMmul(long seed) {
    Random r = new Random(seed);
    long[] sa = {1 + r.nextInt(4), 1 + r.nextInt(4), 1 + r.nextInt(4)};
    long[] sb = {sa[2], 1 + r.nextInt(3), sa[1]};
    INDArray a = random(r, DataType.DOUBLE, sa);
    INDArray b = random(r, DataType.DOUBLE, sb);
    int[] axA = {1, 2};
    int[] axB = {2, 0};
    INDArray expected = Nd4j.tensorMmul(a, b, new int[][] {axA, axB});
    // split the contraction along a's axis 2 / b's axis 0
    List<INDArray> as = new ArrayList<>();
    List<INDArray> bs = new ArrayList<>();
    long at = 0;
    for (long s : split(r, sa[2], 1)) {
      as.add(a.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(at, at + s)));
      bs.add(b.get(NDArrayIndex.interval(at, at + s), NDArrayIndex.all(), NDArrayIndex.all()));
      at += s;
    }
    assertClose(expected, Products.tensordotSum(as, bs, axA, axB, DataType.DOUBLE), 1e-10, "seed " + seed);
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void tsqrSteps_onRandomRowBlocks_giveQROfTheWholeMatrix(long seed) {
    Random r = new Random(seed);
    DataType t = seed % 5 == 4 ? DataType.FLOAT : DataType.DOUBLE;
    double tol = t == DataType.FLOAT ? 1e-3 : 1e-9;
    long n = 1 + r.nextInt(6);
    long[] rows = split(r, n + r.nextInt(60), n);
    long m = Arrays.stream(rows).sum();
    INDArray a = random(r, t, m, n);
    List<INDArray> locals = new ArrayList<>();
    long at = 0;
    for (long s : rows) {
      locals.add(Tsqr.local(a.get(NDArrayIndex.interval(at, at + s), NDArrayIndex.all())));
      at += s;
    }
    INDArray stacked = Tsqr.stacked(locals, n);
    INDArray rr = Tsqr.rOf(stacked, n);
    List<INDArray> qs = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      qs.add(Tsqr.qBlock(locals.get(i), stacked, i, n));
    }
    INDArray q = Nd4j.vstack(qs.toArray(new INDArray[0]));
    String what = "seed " + seed + " " + m + "x" + n + " rows " + Arrays.toString(rows);
    assertClose(a, q.mmul(rr), tol, what + " Q·R = A");
    assertClose(Nd4j.eye(n).castTo(t), q.transpose().mmul(q), tol, what + " QᵀQ = I");
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        assertEquals(0.0, rr.getDouble(i, j), what + " R upper triangular");
      }
    }
    // SVD on top: singular values as ND4J's LAPACK SVD of the whole matrix, and U S Vᵀ = A
    INDArray svd = Tsqr.smallSvd(stacked, n);
    INDArray s = Tsqr.sOf(svd, n);
    INDArray vt = Tsqr.vtOf(svd, n);
    List<INDArray> us = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      us.add(Tsqr.uBlock(locals.get(i), stacked, svd, i, n));
    }
    INDArray u = Nd4j.vstack(us.toArray(new INDArray[0]));
    INDArray whole = a.dup('f');
    INDArray ws = Nd4j.create(t, n);
    Nd4j.getBlasWrapper().lapack().gesvd(whole, ws, Nd4j.create(t, new long[] {m, m}, 'f'), Nd4j.create(t, new long[] {n, n}, 'f'));
    assertClose(ws, s, tol, what + " singular values");
    assertClose(a, u.mulRowVector(s).mmul(vt), tol, what + " U S Vᵀ = A");
    assertClose(Nd4j.eye(n).castTo(t), u.transpose().mmul(u), tol, what + " UᵀU = I");
  }

  @Test
  void tsqr_nanInABlock_givesNaNFactorsNotALapackError() {
    INDArray a = random(new Random(1), DataType.DOUBLE, 8, 3);
    a.putScalar(5, 1, Double.NaN);
    INDArray local = Tsqr.local(a);
    assertTrue(Double.isNaN(local.getDouble(0, 0)));
    INDArray svd = Tsqr.smallSvd(Tsqr.stacked(List.of(local), 3), 3);
    assertTrue(Double.isNaN(Tsqr.sOf(svd, 3).getDouble(0)));
    assertThrows(IllegalArgumentException.class, () -> Tsqr.local(random(new Random(2), DataType.DOUBLE, 2, 3)));
  }

  @Test
  void dense_solveAndInv_matchNd4jAndRejectSingular() {
    Random r = new Random(3);
    INDArray a = random(r, DataType.DOUBLE, 5, 5).addi(Nd4j.eye(5).muli(4));
    INDArray b = random(r, DataType.DOUBLE, 5, 3);
    assertClose(b, a.mmul(Dense.solve(a, b, DataType.DOUBLE)), 1e-10, "A x = b");
    INDArray v = random(r, DataType.DOUBLE, 5);
    INDArray x = Dense.solve(a, v, DataType.DOUBLE);
    assertEquals(1, x.rank());
    assertClose(v, a.mmul(x.reshape(5, 1)).reshape(5), 1e-10, "A x = v");
    assertClose(Nd4j.eye(5).castTo(DataType.DOUBLE), a.mmul(Dense.inv(a, DataType.DOUBLE)), 1e-10, "A A⁻¹ = I");
    INDArray singular = Nd4j.createFromArray(new double[][] {{1, 2}, {2, 4}});
    ArithmeticException e = assertThrows(ArithmeticException.class, () -> Dense.inv(singular, DataType.DOUBLE));
    assertTrue(e.getMessage().contains("singular"), e.getMessage());
    e = assertThrows(ArithmeticException.class,
        () -> Dense.solve(singular, Nd4j.createFromArray(1.0, 1.0), DataType.DOUBLE));
    assertTrue(e.getMessage().contains("[2, 2]"), e.getMessage());
  }

  // ------------------------------------------------------------------ overlap

  @Test
  void slab_takesEdgesReversedAndRepeated() {
    INDArray x = Nd4j.createFromArray(new double[][] {{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}});
    int[] depth = {1, 2};
    assertClose(Nd4j.createFromArray(new double[][] {{2, 3}}), OverlapKernels.slab(x, new Take[] {Take.FIRST, Take.LAST}, depth),
        0, "corner");
    assertClose(Nd4j.createFromArray(new double[][] {{1, 0}, {5, 4}, {9, 8}}),
        OverlapKernels.slab(x, new Take[] {Take.ALL, Take.FIRST_REVERSED}, depth), 0, "reflect low");
    assertClose(Nd4j.createFromArray(new double[][] {{11, 10}}),
        OverlapKernels.slab(x, new Take[] {Take.LAST_REVERSED, Take.LAST_REVERSED}, depth), 0, "reflect corner");
    assertClose(Nd4j.createFromArray(new double[][] {{8, 9, 10, 11}}),
        OverlapKernels.slab(x, new Take[] {Take.LAST_REPEATED, Take.ALL}, depth), 0, "nearest");
    assertClose(Nd4j.createFromArray(new double[][] {{0, 0}, {4, 4}, {8, 8}}),
        OverlapKernels.slab(x, new Take[] {Take.ALL, Take.FIRST_REPEATED}, depth), 0, "nearest low");
  }

  @Test
  void assemble_gluesPiecesAppliesAndTrims() throws Exception {
    INDArray block = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}});
    int[] low = {1, 0};
    int[] high = {0, 1};
    // offsets in order: (-1,0) (-1,1) (0,0) (0,1)
    assertEquals("[[-1, 0], [-1, 1], [0, 0], [0, 1]]", Arrays.deepToString(OverlapKernels.offsets(low, high)));
    List<Object> pieces = List.of(Nd4j.createFromArray(new double[][] {{7, 8}}), 9.0, block,
        Nd4j.createFromArray(new double[][] {{5}, {6}}));
    INDArray ext = OverlapKernels.extend(pieces, low, high);
    assertClose(Nd4j.createFromArray(new double[][] {{7, 8, 9}, {1, 2, 5}, {3, 4, 6}}), ext, 0, "extended");
    INDArray out = OverlapKernels.assemble(pieces, low, high, true, e -> e.mul(10));
    assertClose(block.mul(10), out, 0, "trimmed");
    assertClose(Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}}), block, 0, "input kept");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> OverlapKernels.assemble(pieces, low, high, true, z -> z.sum(0)));
    assertTrue(e.getMessage().contains("[3, 3]"), e.getMessage());
  }
}
