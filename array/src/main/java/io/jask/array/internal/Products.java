package io.jask.array.internal;

import io.jask.engine.TaskFn;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Block kernels of the products ({@code matmul}, {@code dot}, {@code tensordot}): one output block
 * is the sum over the contracted block indices of the products of the input blocks, computed by
 * BLAS through ND4J and accumulated in place into a single output array ({@code gemm} with {@code
 * beta = 1}), so that no partial product is ever materialized as a separate array.
 *
 * <p>The kernels never modify their inputs (the threads scheduler shares results between tasks);
 * every temporary they make (dtype casts, reshaped copies) is closed before they return.
 */
public final class Products {
  private Products() {}

  /**
   * {@code Σ_k as[k] · bs[k]} for 2-D blocks, in {@code dtype}: one {@code gemm} per pair, all into
   * the same output. Zero-sized contractions give zeros.
   */
  public static INDArray matmulSum(List<INDArray> as, List<INDArray> bs, DataType dtype) {
    check(as, bs);
    long m = as.get(0).size(0);
    long n = bs.get(0).size(1);
    INDArray out = Nd4j.createUninitialized(dtype, m, n);
    boolean first = true;
    for (int k = 0; k < as.size(); k++) {
      INDArray a = as.get(k);
      INDArray b = bs.get(k);
      if (a.rank() != 2 || b.rank() != 2 || a.size(0) != m || b.size(1) != n || a.size(1) != b.size(0)) {
        out.close();
        throw new IllegalArgumentException("matmul blocks do not fit: " + Arrays.toString(a.shape()) + " @ "
            + Arrays.toString(b.shape()) + " (pair " + k + ", output block " + m + "x" + n + ")");
      }
      if (a.size(1) == 0 || m == 0 || n == 0) {
        continue;
      }
      INDArray ac = cast(a, dtype);
      INDArray bc = cast(b, dtype);
      try {
        Nd4j.gemm(ac, bc, out, false, false, 1.0, first ? 0.0 : 1.0);
        first = false;
      } finally {
        closeIfCopy(ac, a);
        closeIfCopy(bc, b);
      }
    }
    if (first) {
      out.assign(0);
    }
    return out;
  }

  /**
   * {@code Σ_k tensordot(as[k], bs[k], axesA, axesB)}: the free axes of {@code a} then those of
   * {@code b}, in {@code dtype}.
   */
  public static INDArray tensordotSum(List<INDArray> as, List<INDArray> bs, int[] axesA, int[] axesB, DataType dtype) {
    check(as, bs);
    INDArray out = null;
    for (int k = 0; k < as.size(); k++) {
      INDArray a = as.get(k);
      INDArray b = bs.get(k);
      for (int i = 0; i < axesA.length; i++) {
        if (a.size(axesA[i]) != b.size(axesB[i])) {
          if (out != null) {
            out.close();
          }
          throw new IllegalArgumentException("tensordot blocks do not fit: " + Arrays.toString(a.shape()) + " axes "
              + Arrays.toString(axesA) + " vs " + Arrays.toString(b.shape()) + " axes " + Arrays.toString(axesB));
        }
      }
      INDArray part = tensordot(a, b, axesA, axesB, dtype);
      if (out == null) {
        out = part;
      } else {
        out.addi(part);
        part.close();
      }
    }
    return out;
  }

  /** One tensordot of two blocks, as a gemm on the blocks permuted and reshaped to matrices. */
  static INDArray tensordot(INDArray a, INDArray b, int[] axesA, int[] axesB, DataType dtype) {
    int[] freeA = free(a.rank(), axesA);
    int[] freeB = free(b.rank(), axesB);
    long[] shape = new long[freeA.length + freeB.length];
    long m = 1;
    long n = 1;
    long kk = 1;
    for (int i = 0; i < freeA.length; i++) {
      shape[i] = a.size(freeA[i]);
      m *= shape[i];
    }
    for (int i = 0; i < freeB.length; i++) {
      shape[freeA.length + i] = b.size(freeB[i]);
      n *= shape[freeA.length + i];
    }
    for (int ax : axesA) {
      kk *= a.size(ax);
    }
    if (m == 0 || n == 0 || kk == 0) {
      INDArray empty = Nd4j.create(dtype, shape);
      return empty;
    }
    INDArray ca = permuted(a, concat(freeA, axesA), dtype);
    INDArray cb = permuted(b, concat(axesB, freeB), dtype);
    try {
      INDArray out = Nd4j.createUninitialized(dtype, m, n);
      Nd4j.gemm(ca.reshape('c', m, kk), cb.reshape('c', kk, n), out, false, false, 1.0, 0.0);
      if (shape.length == 2) {
        return out;
      }
      INDArray shaped = out.reshape('c', shape).dup('c'); // a result of its own, not a view
      out.close();
      return shaped;
    } finally {
      ca.close();
      cb.close();
    }
  }

  /** A fresh 'c' copy of {@code a} with its axes in {@code order}, in {@code dtype}. */
  private static INDArray permuted(INDArray a, int[] order, DataType dtype) {
    INDArray c = Nd4j.createUninitialized(dtype, a.permute(order).shape());
    c.assign(a.permute(order));
    return c;
  }

  private static int[] free(int rank, int[] contracted) {
    int[] out = new int[rank - contracted.length];
    int j = 0;
    outer:
    for (int i = 0; i < rank; i++) {
      for (int c : contracted) {
        if (c == i) {
          continue outer;
        }
      }
      out[j++] = i;
    }
    return out;
  }

  private static int[] concat(int[] x, int[] y) {
    int[] out = Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }

  private static void check(List<INDArray> as, List<INDArray> bs) {
    if (as.isEmpty() || as.size() != bs.size()) {
      throw new IllegalArgumentException("a product needs as many left as right blocks, got " + as.size() + " and "
          + bs.size());
    }
  }

  /** {@code a} in {@code dtype}: itself when it already is, else a new array. */
  static INDArray cast(INDArray a, DataType dtype) {
    return a.dataType() == dtype ? a : a.castTo(dtype);
  }

  static void closeIfCopy(INDArray maybeCopy, INDArray original) {
    if (maybeCopy != original) {
      maybeCopy.close();
    }
  }

  /** The task function of {@link #matmulSum}: arguments (list of left blocks, list of right blocks). */
  public record MatmulSum(DataType dtype) implements TaskFn {
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object[] args) {
      try (BlasThreads.Scope s = BlasThreads.forTask()) {
        return matmulSum((List<INDArray>) args[0], (List<INDArray>) args[1], dtype);
      }
    }
  }

  /** The task function of {@link #tensordotSum}: arguments (list of left blocks, list of right blocks). */
  public record TensordotSum(int[] axesA, int[] axesB, DataType dtype) implements TaskFn {
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object[] args) {
      return tensordotSum((List<INDArray>) args[0], (List<INDArray>) args[1], axesA, axesB, dtype);
    }
  }
}
