package io.jask.array.internal;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves chunk data between {@link INDArray}s and plain Java arrays, the fast path for element-wise
 * work and reductions (measured here: a loop over a {@code double[]} is 3–10 times faster than the
 * same ND4J op on memory-bound work). Bulk copies go through the data buffer's NIO view
 * ({@code DataBuffer.asDouble()} copies element by element and is ~20 times slower).
 */
public final class Blocks {
  private Blocks() {}

  /** The five dtypes a DArray supports. */
  public static void checkDtype(DataType dt) {
    switch (dt) {
      case DOUBLE, FLOAT, LONG, INT, BOOL -> { }
      default -> throw new IllegalArgumentException(
          "unsupported dtype " + dt + "; DArray supports DOUBLE (float64), FLOAT (float32), LONG (int64), INT (int32), BOOL");
    }
  }

  /** Whether the array owns a compact buffer in row-major order (no offset, default strides). */
  public static boolean compactC(INDArray a) {
    if (a.isEmpty()) {
      return true;
    }
    return !a.isView() && a.offset() == 0 && a.data().length() == a.length()
        && Arrays.equals(a.stride(), Chunks.cStrides(a.shape())) || a.length() == 1 && !a.isView() && a.offset() == 0;
  }

  /** The array in compact row-major layout: itself when it already is, else a copy. */
  public static INDArray compact(INDArray a) {
    return compactC(a) ? a : a.dup('c');
  }

  /** The elements in row-major order as doubles (bool as 0/1). */
  public static double[] toDoubles(INDArray a) {
    return toDoubles(a, false);
  }

  /**
   * The elements in row-major order as doubles; with {@code scratch}, in a {@link Scratch} buffer
   * that the caller gives back when done.
   */
  public static double[] toDoubles(INDArray a, boolean scratch) {
    int n = checkedLength(a);
    double[] out = scratch ? Scratch.take(n) : new double[n];
    if (n == 0) {
      return out;
    }
    if (compactC(a)) {
      readCompact(a, out);
      return out;
    }
    if (!a.isView() && a.offset() == 0 && a.data().length() == a.length()) {
      // a permuted compact buffer (e.g. a transpose): read the buffer, gather by strides
      double[] raw = Scratch.take(n);
      readCompact(a, raw);
      gather(raw, 0, a.shape(), a.stride(), out);
      Scratch.give(raw);
      return out;
    }
    INDArray c = a.dup('c');
    try {
      readCompact(c, out);
    } finally {
      c.close();
    }
    return out;
  }

  private static void readCompact(INDArray a, double[] out) {
    switch (a.dataType()) {
      case DOUBLE -> a.data().asNioDouble().get(out);
      case FLOAT -> {
        float[] f = new float[out.length];
        a.data().asNioFloat().get(f);
        for (int i = 0; i < f.length; i++) {
          out[i] = f[i];
        }
      }
      case LONG -> {
        long[] l = new long[out.length];
        a.data().asNioLong().get(l);
        for (int i = 0; i < l.length; i++) {
          out[i] = l[i];
        }
      }
      case INT -> {
        int[] l = new int[out.length];
        a.data().asNioInt().get(l);
        for (int i = 0; i < l.length; i++) {
          out[i] = l[i];
        }
      }
      case BOOL -> {
        byte[] b = new byte[out.length];
        a.data().asNio().get(b);
        for (int i = 0; i < b.length; i++) {
          out[i] = b[i] != 0 ? 1 : 0;
        }
      }
      default -> {
        for (int i = 0; i < out.length; i++) {
          out[i] = a.data().getDouble(i);
        }
      }
    }
  }

  /**
   * Copies {@code src} (elements at {@code base + sum(i[d] * strides[d])}) into {@code out} in
   * row-major order of {@code shape}. A stride may be 0 (broadcasting). Rank-2 transposes go
   * through 32 x 32 tiles so both sides stay in cache.
   */
  public static void gather(double[] src, long base, long[] shape, long[] strides, double[] out) {
    int r = shape.length;
    if (out.length == 0) {
      return;
    }
    if (r == 0) {
      out[0] = src[(int) base];
      return;
    }
    if (r == 2 && strides[1] != 1 && strides[0] == 1) {
      int rows = (int) shape[0];
      int cols = (int) shape[1];
      int s1 = (int) strides[1];
      int b = (int) base;
      final int t = 32;
      for (int i0 = 0; i0 < rows; i0 += t) {
        int i1 = Math.min(rows, i0 + t);
        for (int j0 = 0; j0 < cols; j0 += t) {
          int j1 = Math.min(cols, j0 + t);
          for (int i = i0; i < i1; i++) {
            int o = i * cols;
            for (int j = j0; j < j1; j++) {
              out[o + j] = src[b + i + j * s1];
            }
          }
        }
      }
      return;
    }
    int inner = (int) shape[r - 1];
    int is = (int) strides[r - 1];
    long[] idx = new long[r];
    int rows = out.length / Math.max(1, inner);
    long off = base;
    int o = 0;
    for (int row = 0; row < rows; row++) {
      int p = (int) off;
      if (is == 1) {
        System.arraycopy(src, p, out, o, inner);
      } else {
        for (int k = 0; k < inner; k++) {
          out[o + k] = src[p + k * is];
        }
      }
      o += inner;
      // advance the odometer over the outer axes
      for (int d = r - 2; d >= 0; d--) {
        idx[d]++;
        off += strides[d];
        if (idx[d] < shape[d]) {
          break;
        }
        off -= strides[d] * shape[d];
        idx[d] = 0;
      }
    }
  }

  /** A new compact array of {@code dt} holding {@code d} (cast like NumPy's astype: truncation, bool = nonzero). */
  public static INDArray fromDoubles(double[] d, long[] shape, DataType dt) {
    INDArray out = Nd4j.createUninitialized(dt, shape, 'c');
    if (d.length == 0) {
      return out;
    }
    switch (dt) {
      case DOUBLE -> out.data().asNioDouble().put(d);
      case FLOAT -> {
        float[] f = new float[d.length];
        for (int i = 0; i < f.length; i++) {
          f[i] = (float) d[i];
        }
        out.data().asNioFloat().put(f);
      }
      case LONG -> {
        long[] l = new long[d.length];
        for (int i = 0; i < l.length; i++) {
          l[i] = (long) d[i];
        }
        out.data().asNioLong().put(l);
      }
      case INT -> {
        int[] l = new int[d.length];
        for (int i = 0; i < l.length; i++) {
          l[i] = (int) (long) d[i];
        }
        out.data().asNioInt().put(l);
      }
      case BOOL -> {
        byte[] b = new byte[d.length];
        for (int i = 0; i < b.length; i++) {
          b[i] = d[i] != 0 ? (byte) 1 : (byte) 0; // NaN != 0: true, like NumPy
        }
        out.data().asNio().put(b);
      }
      default -> throw new IllegalArgumentException("unsupported dtype " + dt);
    }
    return out;
  }

  /** A block of {@code shape} filled with {@code value}. */
  public static INDArray full(long[] shape, double value, DataType dt) {
    double[] d = new double[Math.toIntExact(Chunks.product(shape))];
    if (value != 0) {
      Arrays.fill(d, value);
    }
    return fromDoubles(d, shape, dt);
  }

  public static int checkedLength(INDArray a) {
    long n = a.length();
    if (n > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("chunk of shape " + Arrays.toString(a.shape())
          + " has more than 2^31 elements; use smaller chunks");
    }
    return (int) n;
  }

  /** The shape of a block, as a string like {@code (3, 4)}. */
  public static String shapeOf(INDArray a) {
    return Chunks.describeShape(a.shape());
  }

  /**
   * Picks positions {@code idx} along {@code axis} of a row-major block (values {@code x}, shape
   * {@code shape}); returns the new values and writes the new size of the axis into shape.
   */
  public static double[] takeAlong(double[] x, long[] shape, int axis, long[] idx) {
    int outer = 1;
    for (int a = 0; a < axis; a++) {
      outer *= (int) shape[a];
    }
    int n = (int) shape[axis];
    int inner = 1;
    for (int a = axis + 1; a < shape.length; a++) {
      inner *= (int) shape[a];
    }
    int m = idx.length;
    double[] out = new double[outer * m * inner];
    int o = 0;
    for (int i = 0; i < outer; i++) {
      int base = i * n * inner;
      for (int k = 0; k < m; k++) {
        System.arraycopy(x, base + (int) idx[k] * inner, out, o, inner);
        o += inner;
      }
    }
    shape[axis] = m;
    return out;
  }
}
