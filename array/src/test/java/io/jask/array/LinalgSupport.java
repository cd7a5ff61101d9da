package io.jask.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded random arrays and chunkings for the linear algebra, blockwise, overlap and HDF5 tests. */
final class LinalgSupport {
  /** Seeded cases per test and scheduler. */
  static final int CASES = 6;

  private LinalgSupport() {}

  /** Random uneven chunks summing to n, each at least {@code min} (one chunk sometimes, and when n < 2 min). */
  static long[] axis(Random r, long n, long min) {
    if (n == 0 || r.nextInt(4) == 0 || n < 2 * Math.max(1, min)) {
      return new long[] {n};
    }
    List<Long> parts = new ArrayList<>();
    long left = n;
    long lo = Math.max(1, min);
    while (left > 0) {
      long p = left < 2 * lo ? left : lo + r.nextInt((int) Math.min(left - lo, Math.max(1, n / 2)) + 1);
      if (left - p > 0 && left - p < lo) {
        p = left;
      }
      parts.add(p);
      left -= p;
    }
    return parts.stream().mapToLong(Long::longValue).toArray();
  }

  static long[][] chunks(Random r, long[] shape, long min) {
    long[][] c = new long[shape.length][];
    for (int a = 0; a < shape.length; a++) {
      c[a] = axis(r, shape[a], min);
    }
    return c;
  }

  /** Random values of a dtype (floats in [-2, 2) with some NaN when nanRate > 0, ints in [-5, 5]). */
  static INDArray random(Random r, DataType dt, double nanRate, long... shape) {
    int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = switch (dt) {
        case BOOL -> r.nextBoolean() ? 1 : 0;
        case INT, LONG -> r.nextInt(11) - 5;
        default -> r.nextDouble() < nanRate ? Double.NaN : r.nextDouble() * 4 - 2;
      };
    }
    INDArray x = Nd4j.create(d, shape, 'c');
    return x.dataType() == dt ? x : x.castTo(dt);
  }

  static double[] values(INDArray a) {
    INDArray c = a.dup('c').castTo(DataType.DOUBLE);
    return c.length() == 0 ? new double[0] : c.data().asDouble();
  }

  /** Same shape and dtype, values within tol relative (NaN equals NaN). */
  static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Arrays.toString(expected.shape()) + " vs "
        + Arrays.toString(actual.shape()));
    assertEquals(expected.dataType(), actual.dataType(), what + ": dtype");
    double[] e = values(expected);
    double[] a = values(actual);
    for (int i = 0; i < e.length; i++) {
      if (Double.isNaN(e[i]) || Double.isNaN(a[i])) {
        if (Double.isNaN(e[i]) != Double.isNaN(a[i])) {
          fail(what + ": element " + i + " expected " + e[i] + " got " + a[i]);
        }
        continue;
      }
      if (Math.abs(e[i] - a[i]) > tol * Math.max(1, Math.abs(e[i]))) {
        fail(what + ": element " + i + " expected " + e[i] + " got " + a[i] + "\nexpected " + expected + "\nactual "
            + actual);
      }
    }
  }

  static String describe(long[][] c) {
    return io.jask.array.internal.Chunks.describe(c);
  }
}
