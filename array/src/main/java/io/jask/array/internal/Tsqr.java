package io.jask.array.internal;

import io.jask.engine.TaskFn;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The block kernels of TSQR, the communication-avoiding QR of a tall-and-skinny matrix (Demmel et
 * al.; Benson, Gleich and Demmel; dask's {@code tsqr}), and of the SVD built on it.
 *
 * <p>For {@code A} (m x n) split into row blocks {@code A_i} (r_i x n, every r_i >= n):
 *
 * <ol>
 *   <li>{@link #local}: {@code A_i = Q_i R_i} by LAPACK {@code geqrf}, one task per block.
 *   <li>{@link #stacked}: the R_i stacked (b·n x n) are factored once more, {@code [R_1; ...; R_b]
 *       = Q2 R}; R is the R of A.
 *   <li>{@link #qBlock}: {@code Q}'s block i is {@code Q_i · Q2[i·n : (i+1)·n]}.
 * </ol>
 *
 * Then {@code A = Q R} with orthonormal Q. For the SVD, {@link #smallSvd} factors the n x n R as
 * {@code U_r S V^T} (LAPACK {@code gesvd}) and {@link #uBlock} gives U's block i as {@code Q_i ·
 * Q2_i · U_r}, so that {@code A = (Q U_r) S V^T}.
 *
 * <p>A task's result travels as one {@code INDArray} (the codec sends raw buffers), so the pairs
 * are packed by rows: {@link #local} returns {@code [Q_i; R_i]} ((r_i + n) x n), {@link #stacked}
 * returns {@code [Q2; R]} ((b·n + n) x n) and {@link #smallSvd} returns {@code [U_r; S; V^T]} ((2n
 * + 1) x n). The kernels never modify their inputs (LAPACK works on copies) and close their
 * temporaries. A block that holds NaN or an infinity gives NaN factors, as NumPy's LAPACK calls do,
 * instead of LAPACK's argument error.
 */
public final class Tsqr {
  private Tsqr() {}

  /** {@code [Q; R]} of one block (r x n, r >= n) in a float type. */
  public static INDArray local(INDArray block) {
    long r = block.size(0);
    long n = block.size(1);
    if (r < n) {
      throw new IllegalArgumentException("TSQR needs row blocks with at least as many rows as columns, got a block of "
          + r + "x" + n);
    }
    DataType t = block.dataType();
    INDArray out = Nd4j.createUninitialized(t, r + n, n);
    if (n == 0) {
      return out;
    }
    if (!finite(block)) {
      return out.assign(Double.NaN);
    }
    INDArray q = Nd4j.createUninitialized(t, r, n);
    q.assign(block);
    INDArray rr = Nd4j.create(t, n, n);
    try {
      Nd4j.getBlasWrapper().lapack().geqrf(q, rr);
      out.get(NDArrayIndex.interval(0, r), NDArrayIndex.all()).assign(q);
      out.get(NDArrayIndex.interval(r, r + n), NDArrayIndex.all()).assign(rr);
      return out;
    } finally {
      q.close();
      rr.close();
    }
  }

  /** {@code [Q2; R]} of the R parts of the given {@link #local} results (each the last n rows). */
  public static INDArray stacked(List<INDArray> locals, long n) {
    int b = locals.size();
    DataType t = locals.get(0).dataType();
    INDArray rs = Nd4j.createUninitialized(t, b * n, n);
    for (int i = 0; i < b; i++) {
      INDArray l = locals.get(i);
      long r = l.size(0) - n;
      rs.get(NDArrayIndex.interval(i * n, (i + 1) * n), NDArrayIndex.all())
          .assign(l.get(NDArrayIndex.interval(r, r + n), NDArrayIndex.all()));
    }
    try {
      return local(rs);
    } finally {
      rs.close();
    }
  }

  /** Q's block i: {@code Q_i · Q2_i}. */
  public static INDArray qBlock(INDArray local, INDArray stacked, int i, long n) {
    long r = local.size(0) - n;
    INDArray qi = local.get(NDArrayIndex.interval(0, r), NDArrayIndex.all());
    INDArray q2i = stacked.get(NDArrayIndex.interval(i * n, (i + 1) * n), NDArrayIndex.all());
    INDArray out = Nd4j.createUninitialized(local.dataType(), r, n);
    if (r == 0 || n == 0) {
      return out;
    }
    Nd4j.gemm(qi, q2i, out, false, false, 1.0, 0.0);
    return out;
  }

  /** R: the last n rows of {@link #stacked}'s result, a copy. */
  public static INDArray rOf(INDArray stacked, long n) {
    long rows = stacked.size(0);
    return stacked.get(NDArrayIndex.interval(rows - n, rows), NDArrayIndex.all()).dup('c');
  }

  /** {@code [U_r; S; V^T]} of the n x n R at the end of {@link #stacked}'s result. */
  public static INDArray smallSvd(INDArray stacked, long n) {
    DataType t = stacked.dataType();
    INDArray out = Nd4j.createUninitialized(t, 2 * n + 1, n);
    if (n == 0) {
      return out;
    }
    long rows = stacked.size(0);
    INDArray r = stacked.get(NDArrayIndex.interval(rows - n, rows), NDArrayIndex.all()).dup('f');
    if (!finite(r)) {
      r.close();
      return out.assign(Double.NaN);
    }
    INDArray s = Nd4j.create(t, n);
    INDArray u = Nd4j.create(t, new long[] {n, n}, 'f');
    INDArray vt = Nd4j.create(t, new long[] {n, n}, 'f');
    try {
      Nd4j.getBlasWrapper().lapack().gesvd(r, s, u, vt);
      out.get(NDArrayIndex.interval(0, n), NDArrayIndex.all()).assign(u);
      out.getRow(n).assign(s);
      out.get(NDArrayIndex.interval(n + 1, 2 * n + 1), NDArrayIndex.all()).assign(vt);
      return out;
    } finally {
      r.close();
      s.close();
      u.close();
      vt.close();
    }
  }

  /** U's block i: {@code Q_i · (Q2_i · U_r)}. */
  public static INDArray uBlock(INDArray local, INDArray stacked, INDArray svd, int i, long n) {
    long r = local.size(0) - n;
    INDArray out = Nd4j.createUninitialized(local.dataType(), r, n);
    if (r == 0 || n == 0) {
      return out;
    }
    INDArray q2i = stacked.get(NDArrayIndex.interval(i * n, (i + 1) * n), NDArrayIndex.all());
    INDArray ur = svd.get(NDArrayIndex.interval(0, n), NDArrayIndex.all());
    INDArray small = Nd4j.createUninitialized(local.dataType(), n, n);
    try {
      Nd4j.gemm(q2i, ur, small, false, false, 1.0, 0.0);
      Nd4j.gemm(local.get(NDArrayIndex.interval(0, r), NDArrayIndex.all()), small, out, false, false, 1.0, 0.0);
      return out;
    } finally {
      small.close();
    }
  }

  /** The singular values (row n of {@link #smallSvd}'s result), a 1-D copy. */
  public static INDArray sOf(INDArray svd, long n) {
    return svd.getRow(n).dup('c').reshape(n);
  }

  /** V^T (the last n rows of {@link #smallSvd}'s result), a copy. */
  public static INDArray vtOf(INDArray svd, long n) {
    return svd.get(NDArrayIndex.interval(n + 1, 2 * n + 1), NDArrayIndex.all()).dup('c');
  }

  /** Whether every element is finite (LAPACK rejects NaN with an argument error). */
  static boolean finite(INDArray a) {
    if (a.isEmpty()) {
      return true;
    }
    double s = a.sumNumber().doubleValue();
    return !Double.isNaN(s) && !Double.isInfinite(s) || allFinite(a);
  }

  private static boolean allFinite(INDArray a) {
    // the sum can overflow to infinity although every element is finite: check element by element
    INDArray copy = a.dup('c');
    INDArray flat = copy.reshape(a.length());
    try {
      for (long i = 0; i < flat.length(); i++) {
        double v = flat.getDouble(i);
        if (Double.isNaN(v) || Double.isInfinite(v)) {
          return false;
        }
      }
      return true;
    } finally {
      copy.close();
    }
  }

  // ------------------------------------------------------------------ task functions

  /** Task: {@link #local} of its one argument. */
  public enum Local implements TaskFn {
    INSTANCE;

    @Override
    public Object apply(Object[] args) {
      return local((INDArray) args[0]);
    }
  }

  /** Task: {@link #stacked} of its argument, the list of local results. */
  public record Stacked(long n) implements TaskFn {
    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object[] args) {
      return stacked((List<INDArray>) args[0], n);
    }
  }

  /**
   * The factor of a node of TSQR's tree below the root: {@code Q2_node · F_parent[pos·n,
   * (pos+1)·n)}, where {@code Q2_node} is the Q part of the node's {@link #stacked} result (all but
   * its last n rows) and {@code F_parent} the parent's factor (the root's factor is its own
   * stacked result). The result has the Q part's rows, so {@link #qBlock} and {@link #uBlock} take
   * it in place of a stacked result.
   */
  public static INDArray down(INDArray node, INDArray parentFactor, int pos, long n) {
    long k = node.size(0) - n;
    INDArray out = Nd4j.createUninitialized(node.dataType(), k, n);
    if (k == 0 || n == 0) {
      return out;
    }
    INDArray q2 = node.get(NDArrayIndex.interval(0, k), NDArrayIndex.all());
    INDArray slice = parentFactor.get(NDArrayIndex.interval(pos * n, (pos + 1) * n), NDArrayIndex.all());
    Nd4j.gemm(q2, slice, out, false, false, 1.0, 0.0);
    return out;
  }

  /** Task: {@link #down} of (node, parent's factor). */
  public record Down(int pos, long n) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return down((INDArray) args[0], (INDArray) args[1], pos, n);
    }
  }

  /** Task: {@link #qBlock} of (local, stacked). */
  public record QBlock(int i, long n) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return qBlock((INDArray) args[0], (INDArray) args[1], i, n);
    }
  }

  /** Task: {@link #rOf} of (stacked). */
  public record ROf(long n) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return rOf((INDArray) args[0], n);
    }
  }

  /** Task: {@link #smallSvd} of (stacked). */
  public record SmallSvd(long n) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return smallSvd((INDArray) args[0], n);
    }
  }

  /** Task: {@link #uBlock} of (local, stacked, svd). */
  public record UBlock(int i, long n) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return uBlock((INDArray) args[0], (INDArray) args[1], (INDArray) args[2], i, n);
    }
  }

  /** Task: {@link #sOf} of (svd). */
  public record SOf(long n) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return sOf((INDArray) args[0], n);
    }
  }

  /** Task: {@link #vtOf} of (svd). */
  public record VtOf(long n) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return vtOf((INDArray) args[0], n);
    }
  }
}
