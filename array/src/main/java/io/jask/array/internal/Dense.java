package io.jask.array.internal;

import io.jask.engine.TaskFn;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.inverse.InvertMatrix;

/**
 * Kernels of the dense solvers for matrices held in one block: {@link #solve} (LU with partial
 * pivoting, ND4J's {@code solve}) and {@link #inv}. A singular matrix fails with an {@link
 * ArithmeticException} (as NumPy's {@code LinAlgError}) instead of returning infinities. Inputs are
 * never modified.
 */
public final class Dense {
  private Dense() {}

  /** The x with {@code a · x = b}, for square {@code a} (n x n) and {@code b} (n) or (n x k). */
  public static INDArray solve(INDArray a, INDArray b, DataType dtype) {
    long n = a.size(0);
    boolean vector = b.rank() == 1;
    if (n == 0 || b.length() == 0) {
      return Nd4j.create(dtype, b.shape());
    }
    INDArray ac = Nd4j.createUninitialized(dtype, a.shape());
    ac.assign(a);
    INDArray bc = Nd4j.createUninitialized(dtype, vector ? new long[] {n, 1} : b.shape());
    bc.assign(vector ? b.reshape(n, 1) : b);
    try {
      INDArray x = Nd4j.linalg().solve(ac, bc);
      if (!Tsqr.finite(x) && Tsqr.finite(ac) && Tsqr.finite(bc)) {
        x.close();
        throw new ArithmeticException("singular matrix: cannot solve a " + Arrays.toString(a.shape()) + " system");
      }
      return vector ? x.reshape(n) : x;
    } finally {
      ac.close();
      bc.close();
    }
  }

  /** The inverse of square {@code a}. */
  public static INDArray inv(INDArray a, DataType dtype) {
    if (a.size(0) == 0) {
      return Nd4j.create(dtype, a.shape());
    }
    INDArray ac = Nd4j.createUninitialized(dtype, a.shape());
    ac.assign(a);
    try {
      if (!Tsqr.finite(ac)) {
        return Nd4j.createUninitialized(dtype, a.shape()).assign(Double.NaN);
      }
      try {
        return InvertMatrix.invert(ac, false);
      } catch (RuntimeException e) {
        throw new ArithmeticException("singular matrix: a " + Arrays.toString(a.shape()) + " matrix has no inverse ("
            + e.getMessage() + ")");
      }
    } finally {
      ac.close();
    }
  }

  /** Task: {@link #solve} of (a, b). */
  public record Solve(DataType dtype) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return solve((INDArray) args[0], (INDArray) args[1], dtype);
    }
  }

  /** Task: {@link #inv} of (a). */
  public record Inv(DataType dtype) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return inv((INDArray) args[0], dtype);
    }
  }
}
