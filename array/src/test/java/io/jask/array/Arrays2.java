package io.jask.array;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Test helpers: seeded random arrays and chunkings, and comparisons with a tolerance that treats NaN as equal. */
final class Arrays2 {
  private Arrays2() {}

  /** A random shape of rank 1..maxRank with sizes 1..maxSize (sometimes 0 when allowEmpty). */
  static long[] shape(Random r, int maxRank, int maxSize) {
    long[] s = new long[1 + r.nextInt(maxRank)];
    for (int i = 0; i < s.length; i++) {
      s[i] = 1 + r.nextInt(maxSize);
    }
    return s;
  }

  /** Random uneven chunks for a shape: sometimes one chunk per axis, sometimes many. */
  static long[][] chunks(Random r, long[] shape) {
    long[][] c = new long[shape.length][];
    for (int a = 0; a < shape.length; a++) {
      long n = shape[a];
      if (n == 0 || r.nextInt(4) == 0) {
        c[a] = new long[] {n};
        continue;
      }
      java.util.List<Long> parts = new java.util.ArrayList<>();
      long left = n;
      while (left > 0) {
        long p = 1 + r.nextInt((int) Math.min(left, Math.max(1, n / 2 + 1)));
        parts.add(p);
        left -= p;
      }
      c[a] = parts.stream().mapToLong(Long::longValue).toArray();
    }
    return c;
  }

  /** Random float64 values in [-2, 2), with some NaN when nanRate > 0. */
  static INDArray doubles(Random r, long[] shape, double nanRate) {
    int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = r.nextDouble() < nanRate ? Double.NaN : Math.round((r.nextDouble() * 4 - 2) * 1000) / 1000.0;
    }
    return Nd4j.create(d, shape, 'c').castTo(DataType.DOUBLE);
  }

  /** Random values of a dtype (ints in [-5, 5], bools 50/50). */
  static INDArray of(Random r, long[] shape, DataType dt) {
    int n = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = switch (dt) {
        case BOOL -> r.nextBoolean() ? 1 : 0;
        case INT, LONG -> r.nextInt(11) - 5;
        default -> Math.round((r.nextDouble() * 4 - 2) * 1000) / 1000.0;
      };
    }
    INDArray x = Nd4j.create(d, shape, 'c');
    return x.dataType() == dt ? x : x.castTo(dt);
  }

  static double[] values(INDArray a) {
    INDArray c = a.dup('c').castTo(DataType.DOUBLE);
    return c.length() == 0 ? new double[0] : c.data().asDouble();
  }

  /** Same shape, dtype and values (NaN equals NaN; relative tolerance tol). */
  static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Arrays.toString(expected.shape())
        + " vs " + Arrays.toString(actual.shape()));
    assertEquals(expected.dataType(), actual.dataType(), what + ": dtype");
    double[] e = values(expected);
    double[] a = values(actual);
    for (int i = 0; i < e.length; i++) {
      if (Double.isNaN(e[i]) && Double.isNaN(a[i])) {
        continue;
      }
      if (e[i] == a[i]) {
        continue;
      }
      double diff = Math.abs(e[i] - a[i]);
      if (diff > tol * Math.max(1, Math.abs(e[i]))) {
        fail(what + ": element " + i + " expected " + e[i] + " got " + a[i] + "\nexpected " + expected + "\nactual " + actual);
      }
    }
  }

  static String describe(long[][] c) {
    return io.jask.array.internal.Chunks.describe(c);
  }
}
