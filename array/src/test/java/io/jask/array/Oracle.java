package io.jask.array;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy's reduction semantics computed the slow, obvious way (for every output position, walk the
 * reduced coordinates): an oracle independent of the chunked kernels, used where ND4J's own
 * semantics differ (NaN in min/max/argmax, nan-variants, ddof).
 */
final class Oracle {
  private Oracle() {}

  static INDArray reduce(INDArray x, Reduction op, int[] axes, boolean keepdims, int ddof, DataType dtype) {
    long[] shape = x.shape();
    int r = shape.length;
    boolean[] red = new boolean[r];
    if (axes == null) {
      Arrays.fill(red, true);
    } else {
      for (int a : axes) {
        red[a < 0 ? a + r : a] = true;
      }
    }
    double[] v = Arrays2.values(x);
    long[] os = new long[r];
    for (int a = 0; a < r; a++) {
      os[a] = red[a] ? 1 : shape[a];
    }
    int outN = (int) Arrays.stream(os).reduce(1, (p, q) -> p * q);
    double[] out = new double[outN];
    long[] strides = io.jask.array.internal.Chunks.cStrides(shape);
    long[] ostr = io.jask.array.internal.Chunks.cStrides(os);
    for (int o = 0; o < outN; o++) {
      // collect the values of this output position in row-major order, with their flat or axis index
      java.util.List<double[]> vals = new java.util.ArrayList<>();
      for (int i = 0; i < v.length; i++) {
        long rem = i;
        long oo = 0;
        long axisIdx = 0;
        for (int a = 0; a < r; a++) {
          long c = rem / strides[a];
          rem %= strides[a];
          if (!red[a]) {
            oo += c * ostr[a];
          } else {
            axisIdx = c;
          }
        }
        if (oo == o) {
          vals.add(new double[] {v[i], axes == null ? i : axisIdx});
        }
      }
      out[o] = one(op, vals, ddof);
    }
    long[] res = os;
    if (!keepdims) {
      res = java.util.stream.IntStream.range(0, r).filter(a -> !red[a]).mapToLong(a -> shape[a]).toArray();
    }
    return Nd4j.create(out, res, 'c').castTo(dtype);
  }

  private static double one(Reduction op, java.util.List<double[]> vals, int ddof) {
    int n = vals.size();
    switch (op) {
      case SUM: { double s = 0; for (double[] p : vals) s += p[0]; return s; }
      case PROD: { double s = 1; for (double[] p : vals) s *= p[0]; return s; }
      case MIN: { double s = Double.POSITIVE_INFINITY; for (double[] p : vals) { if (Double.isNaN(p[0])) return Double.NaN; s = Math.min(s, p[0]); } return s; }
      case MAX: { double s = Double.NEGATIVE_INFINITY; for (double[] p : vals) { if (Double.isNaN(p[0])) return Double.NaN; s = Math.max(s, p[0]); } return s; }
      case NANMIN: { double s = Double.NaN; for (double[] p : vals) if (!Double.isNaN(p[0])) s = Double.isNaN(s) ? p[0] : Math.min(s, p[0]); return s; }
      case NANMAX: { double s = Double.NaN; for (double[] p : vals) if (!Double.isNaN(p[0])) s = Double.isNaN(s) ? p[0] : Math.max(s, p[0]); return s; }
      case MEAN: { double s = 0; for (double[] p : vals) s += p[0]; return s / n; }
      case NANSUM: { double s = 0; for (double[] p : vals) if (!Double.isNaN(p[0])) s += p[0]; return s; }
      case NANMEAN: { double s = 0; int c = 0; for (double[] p : vals) if (!Double.isNaN(p[0])) { s += p[0]; c++; } return s / c; }
      case VAR: case STD: {
        double m = 0; for (double[] p : vals) m += p[0]; m /= n;
        double q = 0; for (double[] p : vals) q += (p[0] - m) * (p[0] - m);
        double var = q / Math.max(0, n - ddof);
        return op == Reduction.VAR ? var : Math.sqrt(var);
      }
      case ANY: { for (double[] p : vals) if (p[0] != 0) return 1; return 0; }
      case ALL: { for (double[] p : vals) if (p[0] == 0) return 0; return 1; }
      case ARGMIN: case ARGMAX: {
        double best = Double.NaN; double bi = -1;
        for (double[] p : vals) {
          if (Double.isNaN(p[0])) return p[1];
          if (bi < 0 || (op == Reduction.ARGMAX ? p[0] > best : p[0] < best)) { best = p[0]; bi = p[1]; }
        }
        return bi;
      }
      default: throw new IllegalStateException();
    }
  }
}
