package io.jask.array.internal;

import io.jask.engine.TaskFn;
import java.util.List;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Block kernels of a Gram product {@code x @ x.T}, which is symmetric: block {@code (i, j)} is
 * {@code Σ_k x[i,k] x[j,k]ᵀ} and block {@code (j, i)} is its transpose. So a diagonal block is one
 * BLAS {@code syrk} per contracted block (half the flops of a {@code gemm}: it computes one
 * triangle, which is then mirrored), a block above the diagonal is a {@code gemm} with the second
 * operand transposed by BLAS (no copy), and a block below it is the transpose of its mirror, copied
 * with bulk reads and a tiled gather. About half the flops of the general product (NumPy also calls
 * {@code syrk} for {@code x @ x.T}).
 *
 * <p>ND4J's own {@code Level3.syrk} passes {@code K = 1} to BLAS (it computes only the first
 * column's contribution), so the diagonal kernel calls OpenBLAS's {@code cblas_?syrk} directly on
 * the blocks' buffers, through the same {@code openblas_nolapack} library ND4J loads. Float64 and
 * float32 only (other dtypes use the general product); inputs are never modified and every copy is
 * closed before returning.
 */
public final class Gram {
  private Gram() {}

  /** Whether the Gram kernels handle {@code dtype}. */
  public static boolean supports(DataType dtype) {
    return dtype == DataType.DOUBLE || dtype == DataType.FLOAT;
  }

  /** {@code Σ_k as[k] · as[k]ᵀ} (a diagonal block), symmetric, in {@code dtype}. */
  public static INDArray diag(List<INDArray> as, DataType dtype) {
    long m = as.get(0).size(0);
    INDArray out = Nd4j.createUninitialized(dtype, m, m);
    if (m == 0) {
      return out;
    }
    boolean first = true;
    for (INDArray a : as) {
      if (a.rank() != 2 || a.size(0) != m) {
        out.close();
        throw new IllegalArgumentException("gram blocks do not fit: " + Blocks.shapeOf(a) + " in a row of blocks with "
            + m + " rows");
      }
      long k = a.size(1);
      if (k == 0) {
        continue;
      }
      INDArray c = Blocks.compact(Products.cast(a, dtype));
      try {
        int n = Math.toIntExact(m);
        int kk = Math.toIntExact(k);
        if (dtype == DataType.DOUBLE) {
          openblas_nolapack.cblas_dsyrk(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasLower,
              openblas_nolapack.CblasNoTrans, n, kk, 1.0, new DoublePointer(c.data().addressPointer()), kk,
              first ? 0.0 : 1.0, new DoublePointer(out.data().addressPointer()), n);
        } else {
          openblas_nolapack.cblas_ssyrk(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasLower,
              openblas_nolapack.CblasNoTrans, n, kk, 1.0f, new FloatPointer(c.data().addressPointer()), kk,
              first ? 0.0f : 1.0f, new FloatPointer(out.data().addressPointer()), n);
        }
        first = false;
      } finally {
        Products.closeIfCopy(c, a);
      }
    }
    if (first) {
      out.assign(0);
      return out;
    }
    mirrorLower(out);
    return out;
  }

  /** Copies the lower triangle of a square compact block onto its upper triangle. */
  static void mirrorLower(INDArray out) {
    int n = (int) out.size(0);
    double[] v = Blocks.toDoubles(out, true);
    final int t = 64;
    for (int i0 = 0; i0 < n; i0 += t) {
      int i1 = Math.min(n, i0 + t);
      for (int j0 = i0; j0 < n; j0 += t) {
        int j1 = Math.min(n, j0 + t);
        for (int i = i0; i < i1; i++) {
          int row = i * n;
          for (int j = Math.max(j0, i + 1); j < j1; j++) {
            v[row + j] = v[j * n + i];
          }
        }
      }
    }
    if (out.dataType() == DataType.DOUBLE) {
      out.data().asNioDouble().put(0, v, 0, n * n);
    } else {
      float[] f = new float[n * n];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) v[i];
      }
      out.data().asNioFloat().put(0, f, 0, f.length);
    }
    Scratch.give(v);
  }

  /** {@code Σ_k as[k] · bs[k]ᵀ} (a block above the diagonal), in {@code dtype}. */
  public static INDArray off(List<INDArray> as, List<INDArray> bs, DataType dtype) {
    long m = as.get(0).size(0);
    long n = bs.get(0).size(0);
    INDArray out = Nd4j.createUninitialized(dtype, m, n);
    boolean first = true;
    for (int k = 0; k < as.size(); k++) {
      INDArray a = as.get(k);
      INDArray b = bs.get(k);
      if (a.rank() != 2 || b.rank() != 2 || a.size(1) != b.size(1) || a.size(0) != m || b.size(0) != n) {
        out.close();
        throw new IllegalArgumentException("gram blocks do not fit: " + Blocks.shapeOf(a) + " @ " + Blocks.shapeOf(b)
            + ".T (pair " + k + ", output block " + m + "x" + n + ")");
      }
      if (a.size(1) == 0 || m == 0 || n == 0) {
        continue;
      }
      INDArray ac = Products.cast(a, dtype);
      INDArray bc = Products.cast(b, dtype);
      try {
        Nd4j.gemm(ac, bc, out, false, true, 1.0, first ? 0.0 : 1.0);
        first = false;
      } finally {
        Products.closeIfCopy(ac, a);
        Products.closeIfCopy(bc, b);
      }
    }
    if (first) {
      out.assign(0);
    }
    return out;
  }

  /** The transpose of a block as a new compact block of the same dtype. */
  public static INDArray transposed(INDArray b) {
    INDArray t = b.transpose();
    double[] v = Blocks.toDoubles(t, true);
    INDArray out = Blocks.fromDoubles(v, t.shape(), b.dataType());
    Scratch.give(v);
    return out;
  }

  /** Task: {@link #diag} of a list of blocks. */
  public record Diag(DataType dtype) implements TaskFn {
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object[] args) {
      try (BlasThreads.Scope s = BlasThreads.forTask()) {
        return diag((List<INDArray>) args[0], dtype);
      }
    }
  }

  /** Task: {@link #off} of two lists of blocks. */
  public record Off(DataType dtype) implements TaskFn {
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object[] args) {
      try (BlasThreads.Scope s = BlasThreads.forTask()) {
        return off((List<INDArray>) args[0], (List<INDArray>) args[1], dtype);
      }
    }
  }

  /**
   * The {@code n x k} float64 copy of {@code x} that the whole-array Gram's {@code dsyrk} reads:
   * plain native memory ({@code malloc}, not zero-filled: every value is written by a gather before
   * the {@code dsyrk} reads it; ND4J's allocation fills 128 MB with zeros on the calling thread first,
   * ~20 ms before any task could start). Closed by {@code compute()} once the tasks are done.
   */
  public static final class Panel implements AutoCloseable {
    final DoublePointer mem;
    final long n;
    final long k;

    public Panel(long n, long k) {
      if (n <= 0 || k <= 0 || n * k > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("a gram panel of " + n + "x" + k);
      }
      this.n = n;
      this.k = k;
      this.mem = new DoublePointer(n * k);
      if (mem.isNull()) {
        throw new OutOfMemoryError("cannot allocate a gram panel of " + n + "x" + k + " float64");
      }
    }

    @Override
    public void close() {
      mem.close();
    }
  }

  /**
   * Task of the whole-array Gram ({@code compute()} of {@code x @ x.T} on an in-process scheduler):
   * copies row block {@code i} of {@code x} (its blocks, left to right, are the arguments) into rows
   * {@code [r0, r0 + h)} of the compact {@code n x k} float64 {@code panel}; returns {@code true}.
   */
  public record GatherRows(Panel panel, long r0) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      try {
        return gather(args);
      } finally {
        java.lang.ref.Reference.reachabilityFence(panel);
      }
    }

    private Object gather(Object[] args) {
      long k = panel.k;
      long c0 = 0;
      long address = panel.mem.address();
      long capacity = panel.n * k;
      for (Object o : args) {
        INDArray b = (INDArray) o;
        if (b.rank() != 2 || c0 + b.size(1) > k || r0 + b.size(0) > panel.n) {
          throw new IllegalArgumentException("gram block " + Blocks.shapeOf(b) + " at row " + r0 + ", column " + c0
              + " does not fit the (" + panel.n + ", " + k + ") array it is gathered into");
        }
        if (b.dataType() == DataType.DOUBLE && Blocks.compactC(b)) {
          Native.copyBlockIntoMemory(b, address, capacity, r0 * k + c0, k);
        } else {
          double[] v = Blocks.toDoubles(b, true);
          try {
            Native.writeTileMemory(address, capacity, r0 * k + c0, k, (int) b.size(0), (int) b.size(1), v);
          } finally {
            Scratch.give(v);
          }
        }
        c0 += b.size(1);
      }
      if (c0 != k) {
        throw new IllegalArgumentException("gram row blocks at row " + r0 + " cover " + c0 + " of " + k + " columns");
      }
      return Boolean.TRUE;
    }
  }

  /**
   * Task of the whole-array Gram: the lower triangle of {@code out = panel · panelᵀ} by one BLAS
   * {@code dsyrk} over the whole contracted axis, with OpenBLAS's own threads (the only task running
   * then: it waits for every gather); returns {@code true}.
   */
  public record SyrkWhole(Panel panel, INDArray out) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      int n = Math.toIntExact(panel.n);
      int k = Math.toIntExact(panel.k);
      if (out.size(0) != n || out.size(1) != n || out.dataType() != DataType.DOUBLE) {
        throw new IllegalArgumentException("gram of [" + n + ", " + k + "] into " + Blocks.shapeOf(out) + " " + out.dataType());
      }
      try {
        openblas_nolapack.cblas_dsyrk(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasLower,
            openblas_nolapack.CblasNoTrans, n, k, 1.0, panel.mem, k, 0.0,
            new DoublePointer(out.data().addressPointer()), n);
      } finally {
        java.lang.ref.Reference.reachabilityFence(panel);
        java.lang.ref.Reference.reachabilityFence(out);
      }
      return Boolean.TRUE;
    }
  }

  /**
   * Row bands of an {@code n x n} mirror with about equal work each: row {@code i} writes {@code n - 1
   * - i} values, so equal row counts (the row blocks) gave the first band 7 times the last one's work
   * at 4 blocks, and the last task ran alone. Returns band starts, ending with {@code n}; {@code bands}
   * at most, each at least one row.
   */
  public static int[] mirrorBands(int n, int bands) {
    int b = Math.max(1, Math.min(bands, n));
    int[] starts = new int[b + 1];
    double total = (double) n * (n - 1) / 2;
    int r = 0;
    int used = 0;
    for (int t = 1; t < b; t++) {
      double target = total * t / b;
      // work of rows [0, r): r * n - r * (r + 1) / 2
      while (r < n && (double) r * n - (double) r * (r + 1) / 2 < target) {
        r++;
      }
      if (r > starts[used]) {
        starts[++used] = r;
      }
    }
    if (starts[used] < n) {
      starts[++used] = n;
    }
    return java.util.Arrays.copyOf(starts, used + 1);
  }

  /** Task of the whole-array Gram: the upper triangle of rows {@code [r0, r0 + h)} from the lower one; returns {@code true}. */
  public record MirrorRows(INDArray out, int r0, int h) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Native.mirrorLowerRows(out, (int) out.size(0), r0, h);
      return Boolean.TRUE;
    }
  }

  /** Task: {@link #transposed} of the mirror block. */
  public record Mirror() implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return transposed((INDArray) args[0]);
    }
  }
}
