package io.jask.array.internal;

import io.jask.engine.TaskFn;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Tree reductions on blocks, in three steps like Dask's {@code reduction(chunk=…, combine=…,
 * aggregate=…)}: a {@link Partial} per input block (a small {@link Acc} with the reduced axes
 * kept as size 1), {@link Combine} of at most {@code splitEvery} accumulators at each level of the
 * tree, and {@link Final} that turns the last accumulator into the output block.
 *
 * <p>The kernels are plain loops over the block's values in row-major order with the output slot
 * advanced by an odometer: the innermost axis is either summed into one slot or added slot by
 * slot, so both {@code sum(axis=0)} and {@code sum(axis=-1)} are sequential passes. Variance is
 * two-pass per block (mean, then squared deviations) and blocks are merged with Chan's formula,
 * so it does not lose precision like a sum of squares would. NaN semantics follow NumPy: sum,
 * prod, mean, var, min and max propagate NaN; argmin/argmax return the first NaN; the nan-variants
 * skip NaN (an all-NaN slice gives NaN); any/all count NaN as true.
 */
public final class Reduce {
  private Reduce() {}

  /** The reductions. */
  public enum ROp { SUM, PROD, MIN, MAX, MEAN, VAR, STD, ANY, ALL, NANSUM, NANMEAN, NANMIN, NANMAX, ARGMIN, ARGMAX }

  /** A partial result for one output block: per slot value(s), count, second moment, index. */
  public record Acc(long[] shape, double[] v, double[] n, double[] m2, long[] idx) implements Serializable {}

  static boolean isArg(ROp op) {
    return op == ROp.ARGMIN || op == ROp.ARGMAX;
  }

  /** The accumulator of one block's values. */
  public static Acc partial(ROp op, double[] x, long[] shape, boolean[] reduced, long[] blockOffset, long[] fullShape, int argAxis) {
    int r = shape.length;
    long[] os = new long[r];
    for (int a = 0; a < r; a++) {
      os[a] = reduced[a] ? 1 : shape[a];
    }
    int slots = Math.toIntExact(Chunks.product(os));
    double[] v = new double[slots];
    double[] n = needsCount(op) ? new double[slots] : null;
    long[] idx = isArg(op) ? new long[slots] : null;
    Arrays.fill(v, identity(op));
    if (idx != null) {
      Arrays.fill(idx, -1);
    }
    if (x.length == 0) {
      return new Acc(os, v, n, op == ROp.VAR || op == ROp.STD ? new double[slots] : null, idx);
    }
    if (r == 0) {
      Acc one = partial(op, x, new long[] {1}, new boolean[] {true}, new long[] {0}, new long[] {1}, -1);
      return new Acc(new long[0], one.v(), one.n(), one.m2(), one.idx());
    }
    long[] ostr = Chunks.cStrides(os);
    for (int a = 0; a < r; a++) {
      if (reduced[a]) {
        ostr[a] = 0;
      }
    }
    long[] gw = idx != null ? argWeights(r, argAxis, fullShape) : new long[r];
    long gbase = argBase(blockOffset, gw);
    int inner = (int) shape[r - 1];
    boolean innerReduced = reduced[r - 1];
    int rows = x.length / inner;
    long[] ctr = new long[r];
    long ooff = 0;
    double[] mean = null;
    double[] m2 = null;
    if (op == ROp.VAR || op == ROp.STD) {
      // first pass: sums and counts
      rowLoop(ROp.MEAN, x, inner, innerReduced, rows, shape, ostr, gw, gbase, v, n, null, 0);
      Arrays.fill(n, (double) x.length / slots); // every slot sees the same number of values
      mean = new double[slots];
      for (int s = 0; s < slots; s++) {
        mean[s] = v[s] / n[s];
      }
      m2 = new double[slots];
      int p = 0;
      for (int row = 0; row < rows; row++) {
        int o = (int) ooff;
        if (innerReduced) {
          double mu = mean[o];
          double acc = 0;
          for (int k = 0; k < inner; k++) {
            double d = x[p + k] - mu;
            acc += d * d;
          }
          m2[o] += acc;
        } else {
          for (int k = 0; k < inner; k++) {
            double d = x[p + k] - mean[o + k];
            m2[o + k] += d * d;
          }
        }
        p += inner;
        for (int d = r - 2; d >= 0; d--) {
          ctr[d]++;
          ooff += ostr[d];
          if (ctr[d] < shape[d]) {
            break;
          }
          ooff -= ostr[d] * shape[d];
          ctr[d] = 0;
        }
      }
      return new Acc(os, mean, n, m2, null);
    }
    rowLoop(op, x, inner, innerReduced, rows, shape, ostr, gw, gbase, v, n, idx, 0);
    if (op == ROp.MEAN) {
      Arrays.fill(n, (double) x.length / slots); // every slot sees the same number of values
    }
    return new Acc(os, v, n, null, idx);
  }

  private static void rowLoop(ROp op, double[] x, int inner, boolean innerReduced, int rows, long[] shape, long[] ostr,
      long[] gw, long gbase, double[] v, double[] n, long[] idx, long o0) {
    int r = shape.length;
    long[] ctr = new long[r];
    long ooff = o0;
    long goff = gbase;
    long gInner = gw[r - 1];
    int p = 0;
    for (int row = 0; row < rows; row++) {
      int o = (int) ooff;
      if (innerReduced) {
        reduceInto(op, x, p, inner, v, n, idx, o, goff, gInner);
      } else {
        elementwiseInto(op, x, p, inner, v, n, idx, o, goff, gInner);
      }
      p += inner;
      for (int d = r - 2; d >= 0; d--) {
        ctr[d]++;
        ooff += ostr[d];
        goff += gw[d];
        if (ctr[d] < shape[d]) {
          break;
        }
        ooff -= ostr[d] * shape[d];
        goff -= gw[d] * shape[d];
        ctr[d] = 0;
      }
    }
  }

  private static boolean needsCount(ROp op) {
    return op == ROp.MEAN || op == ROp.NANMEAN || op == ROp.VAR || op == ROp.STD || op == ROp.NANMIN || op == ROp.NANMAX;
  }

  static double identity(ROp op) {
    return switch (op) {
      case PROD, ALL -> 1;
      case MIN, NANMIN, ARGMIN -> Double.POSITIVE_INFINITY;
      case MAX, NANMAX, ARGMAX -> Double.NEGATIVE_INFINITY;
      default -> 0;
    };
  }

  /** Reduces x[p, p+len) into slot o. */
  private static void reduceInto(ROp op, double[] x, int p, int len, double[] v, double[] n, long[] idx, int o, long g, long gs) {
    double acc = v[o];
    switch (op) {
      case SUM -> acc += sum8(x, p, len);
      case PROD -> { for (int k = 0; k < len; k++) acc *= x[p + k]; }
      case MIN -> { for (int k = 0; k < len; k++) acc = Math.min(acc, x[p + k]); }
      case MAX -> { for (int k = 0; k < len; k++) acc = Math.max(acc, x[p + k]); }
      case ANY -> { for (int k = 0; k < len; k++) if (x[p + k] != 0) acc = 1; }
      case ALL -> { for (int k = 0; k < len; k++) if (x[p + k] == 0) acc = 0; }
      case NANSUM -> { for (int k = 0; k < len; k++) { double y = x[p + k]; if (y == y) acc += y; } }
      case MEAN -> acc += sum8(x, p, len); // counts: filled after the loop
      case NANMEAN -> { int c = 0; for (int k = 0; k < len; k++) { double y = x[p + k]; if (y == y) { acc += y; c++; } } n[o] += c; }
      case NANMIN -> { int c = 0; for (int k = 0; k < len; k++) { double y = x[p + k]; if (y == y) { acc = Math.min(acc, y); c++; } } n[o] += c; }
      case NANMAX -> { int c = 0; for (int k = 0; k < len; k++) { double y = x[p + k]; if (y == y) { acc = Math.max(acc, y); c++; } } n[o] += c; }
      case ARGMIN, ARGMAX -> {
        long best = idx[o];
        for (int k = 0; k < len; k++) {
          double y = x[p + k];
          long gi = g + k * gs;
          if (better(op, y, gi, acc, best)) {
            acc = y;
            best = gi;
          }
        }
        idx[o] = best;
      }
      default -> throw new IllegalStateException(op.toString());
    }
    v[o] = acc;
  }

  /** Folds {@code x[p, p + len)} into slot 0 of an accumulator of every axis reduced (not var/std, arg*). */
  static void foldAll(ROp op, Acc acc, double[] x, int p, int len) {
    reduceInto(op, x, p, len, acc.v(), acc.n(), acc.idx(), 0, 0, 0);
  }

  /**
   * A sum with eight independent accumulators (lane {@code k % 8} takes value {@code k}; lanes
   * added pairwise at the end): eight chains of additions keep both floating-point adders of a core
   * busy where four left them waiting on the add latency (the JIT does not reorder a
   * floating-point reduction itself).
   */
  static double sum8(double[] x, int p, int len) {
    double a0 = 0;
    double a1 = 0;
    double a2 = 0;
    double a3 = 0;
    double a4 = 0;
    double a5 = 0;
    double a6 = 0;
    double a7 = 0;
    int k = 0;
    for (; k + 7 < len; k += 8) {
      int q = p + k;
      a0 += x[q];
      a1 += x[q + 1];
      a2 += x[q + 2];
      a3 += x[q + 3];
      a4 += x[q + 4];
      a5 += x[q + 5];
      a6 += x[q + 6];
      a7 += x[q + 7];
    }
    for (; k < len; k++) {
      a0 += x[p + k];
    }
    return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
  }

  /** Adds x[p, p+len) slot by slot into slots [o, o+len). */
  private static void elementwiseInto(ROp op, double[] x, int p, int len, double[] v, double[] n, long[] idx, int o, long g, long gs) {
    switch (op) {
      case SUM -> { for (int k = 0; k < len; k++) v[o + k] += x[p + k]; }
      case PROD -> { for (int k = 0; k < len; k++) v[o + k] *= x[p + k]; }
      case MIN -> { for (int k = 0; k < len; k++) v[o + k] = Math.min(v[o + k], x[p + k]); }
      case MAX -> { for (int k = 0; k < len; k++) v[o + k] = Math.max(v[o + k], x[p + k]); }
      case ANY -> { for (int k = 0; k < len; k++) if (x[p + k] != 0) v[o + k] = 1; }
      case ALL -> { for (int k = 0; k < len; k++) if (x[p + k] == 0) v[o + k] = 0; }
      case NANSUM -> { for (int k = 0; k < len; k++) { double y = x[p + k]; if (y == y) v[o + k] += y; } }
      case MEAN -> { for (int k = 0; k < len; k++) v[o + k] += x[p + k]; } // counts: filled after the loop
      case NANMEAN -> { for (int k = 0; k < len; k++) { double y = x[p + k]; if (y == y) { v[o + k] += y; n[o + k] += 1; } } }
      case NANMIN -> { for (int k = 0; k < len; k++) { double y = x[p + k]; if (y == y) { v[o + k] = Math.min(v[o + k], y); n[o + k] += 1; } } }
      case NANMAX -> { for (int k = 0; k < len; k++) { double y = x[p + k]; if (y == y) { v[o + k] = Math.max(v[o + k], y); n[o + k] += 1; } } }
      case ARGMIN, ARGMAX -> {
        for (int k = 0; k < len; k++) {
          double y = x[p + k];
          if (better(op, y, g, v[o + k], idx[o + k])) {
            v[o + k] = y;
            idx[o + k] = g;
          }
        }
      }
      default -> throw new IllegalStateException(op.toString());
    }
  }

  /** Whether (y, gi) beats the current (best, bi): the first NaN wins, then the extreme value, then the smaller index. */
  private static boolean better(ROp op, double y, long gi, double best, long bi) {
    if (bi < 0) {
      return true;
    }
    boolean yNan = y != y;
    boolean bNan = best != best;
    if (bNan || yNan) {
      return yNan && (!bNan || gi < bi);
    }
    if (y == best) {
      return gi < bi;
    }
    return op == ROp.ARGMAX ? y > best : y < best;
  }

  /** Merges b into a copy of a (same shape). */
  public static Acc combine(ROp op, Acc a, Acc b) {
    int s = a.v().length;
    double[] v = a.v().clone();
    double[] n = a.n() == null ? null : a.n().clone();
    double[] m2 = a.m2() == null ? null : a.m2().clone();
    long[] idx = a.idx() == null ? null : a.idx().clone();
    double[] bv = b.v();
    switch (op) {
      case SUM, NANSUM -> { for (int i = 0; i < s; i++) v[i] += bv[i]; }
      case PROD -> { for (int i = 0; i < s; i++) v[i] *= bv[i]; }
      case MIN -> { for (int i = 0; i < s; i++) v[i] = Math.min(v[i], bv[i]); }
      case MAX -> { for (int i = 0; i < s; i++) v[i] = Math.max(v[i], bv[i]); }
      case NANMIN -> { for (int i = 0; i < s; i++) { v[i] = Math.min(v[i], bv[i]); n[i] += b.n()[i]; } }
      case NANMAX -> { for (int i = 0; i < s; i++) { v[i] = Math.max(v[i], bv[i]); n[i] += b.n()[i]; } }
      case ANY -> { for (int i = 0; i < s; i++) v[i] = v[i] != 0 || bv[i] != 0 ? 1 : 0; }
      case ALL -> { for (int i = 0; i < s; i++) v[i] = v[i] != 0 && bv[i] != 0 ? 1 : 0; }
      case MEAN, NANMEAN -> { for (int i = 0; i < s; i++) { v[i] += bv[i]; n[i] += b.n()[i]; } }
      case VAR, STD -> {
        for (int i = 0; i < s; i++) {
          double na = n[i];
          double nb = b.n()[i];
          if (nb == 0) {
            continue;
          }
          if (na == 0) {
            v[i] = bv[i];
            n[i] = nb;
            m2[i] = b.m2()[i];
            continue;
          }
          double nt = na + nb;
          double delta = bv[i] - v[i];
          v[i] = v[i] + delta * nb / nt;
          m2[i] = m2[i] + b.m2()[i] + delta * delta * na * nb / nt;
          n[i] = nt;
        }
      }
      case ARGMIN, ARGMAX -> {
        for (int i = 0; i < s; i++) {
          if (b.idx()[i] >= 0 && better(op, bv[i], b.idx()[i], v[i], idx[i])) {
            v[i] = bv[i];
            idx[i] = b.idx()[i];
          }
        }
      }
      default -> throw new IllegalStateException(op.toString());
    }
    return new Acc(a.shape(), v, n, m2, idx);
  }

  /** The final values of an accumulator. */
  public static double[] finish(ROp op, Acc a, int ddof) {
    double[] v = a.v();
    int s = v.length;
    double[] out = new double[s];
    switch (op) {
      case MEAN, NANMEAN -> { for (int i = 0; i < s; i++) out[i] = v[i] / a.n()[i]; }
      case VAR -> { for (int i = 0; i < s; i++) out[i] = a.m2()[i] / Math.max(0, a.n()[i] - ddof); }
      case STD -> { for (int i = 0; i < s; i++) out[i] = Math.sqrt(a.m2()[i] / Math.max(0, a.n()[i] - ddof)); }
      case NANMIN, NANMAX -> { for (int i = 0; i < s; i++) out[i] = a.n()[i] == 0 ? Double.NaN : v[i]; }
      case ARGMIN, ARGMAX -> { for (int i = 0; i < s; i++) out[i] = a.idx()[i]; }
      default -> System.arraycopy(v, 0, out, 0, s);
    }
    return out;
  }

  // ---- task functions ----------------------------------------------------------------------------

  /**
   * The accumulator of one block; with an element-wise expression, the block is computed from the
   * expression's leaf blocks inside this task (element-wise chain and reduction fused, no chunk
   * materialized as an INDArray).
   */
  public record Partial(ROp op, boolean[] reduced, Elem expr, long[] blockOffset, long[] fullShape, int argAxis)
      implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      INDArray[] in = ArrayFns.blocks(args);
      long[] shape = expr == null ? in[0].shape() : ElemEval.broadcastShape(in);
      if (Bands.applies(in, shape)) {
        return banded(op, expr == null ? new Elem.Leaf(0) : expr, in, shape, reduced, blockOffset, fullShape, argAxis);
      }
      double[] x = expr == null ? Blocks.toDoubles(in[0], true) : ElemEval.eval(expr, in, shape);
      Acc acc = partial(op, x, shape, reduced, blockOffset, fullShape, argAxis);
      Scratch.give(x);
      return acc;
    }
  }

  /**
   * The accumulator of a 2-D float64 block streamed band by band ({@link Bands}). Every reduction
   * but var/std folds each band into one accumulator for the whole block in place (the same
   * arithmetic, in the same order, as {@link #partial} of the whole block: a band's rows are added
   * to the running slots); var/std merge per-band moments with Chan's formula. A plain sum or mean
   * of a row-major block reads the block's memory directly ({@link Native#sumRows}: the column-sum
   * kernel for {@code mean(axis=0)}), with no copy at all.
   */
  static Acc banded(ROp op, Elem expr, INDArray[] blocks, long[] shape, boolean[] reduced, long[] blockOffset,
      long[] fullShape, int argAxis) {
    if (op == ROp.VAR || op == ROp.STD) {
      return bandedMoments(op, expr, blocks, shape, reduced, blockOffset, fullShape, argAxis);
    }
    int rows = (int) shape[0];
    int cols = (int) shape[1];
    long[] os = {reduced[0] ? 1 : rows, reduced[1] ? 1 : cols};
    Acc acc = empty(op, os);
    int perRow = reduced[1] ? 1 : cols;
    if ((op == ROp.SUM || op == ROp.MEAN) && (reduced[0] || reduced[1]) && expr instanceof Elem.Leaf l
        && Bands.layout(blocks[l.i()]) == 1 && Native.available()) {
      int mode = reduced[0] && reduced[1] ? Native.ALL : reduced[0] ? Native.AXIS0 : Native.AXIS1;
      Native.sumRows(blocks[l.i()], rows, cols, 0, rows, mode, acc.v());
    } else {
      long[] bandShape = {0, cols};
      Bands.run(expr, blocks, shape, (v, r0, h) -> {
        bandShape[0] = h;
        long[] off = {blockOffset[0] + r0, blockOffset[1]};
        accumulate(op, acc, v, bandShape, reduced, off, fullShape, argAxis, reduced[0] ? 0 : (long) r0 * perRow);
      });
    }
    if (op == ROp.MEAN) {
      Arrays.fill(acc.n(), (double) rows * cols / acc.v().length); // every slot sees the same number of values
    }
    return acc;
  }

  /** An accumulator of {@code os} slots holding the reduction's identity. */
  static Acc empty(ROp op, long[] os) {
    int slots = Math.toIntExact(Chunks.product(os));
    double[] v = new double[slots];
    Arrays.fill(v, identity(op));
    double[] n = needsCount(op) ? new double[slots] : null;
    long[] idx = null;
    if (isArg(op)) {
      idx = new long[slots];
      Arrays.fill(idx, -1);
    }
    return new Acc(os, v, n, op == ROp.VAR || op == ROp.STD ? new double[slots] : null, idx);
  }

  /**
   * Folds the values {@code x} of a 2-D piece of {@code shape} at global offset {@code off} into
   * {@code acc} in place, starting at slot {@code o0} (not for var/std, whose counts are filled by
   * the caller for mean).
   */
  static void accumulate(ROp op, Acc acc, double[] x, long[] shape, boolean[] reduced, long[] off, long[] fullShape,
      int argAxis, long o0) {
    int r = shape.length;
    long[] os = new long[r];
    for (int a = 0; a < r; a++) {
      os[a] = reduced[a] ? 1 : shape[a];
    }
    long[] ostr = Chunks.cStrides(os);
    for (int a = 0; a < r; a++) {
      if (reduced[a]) {
        ostr[a] = 0;
      }
    }
    long[] gw = acc.idx() != null ? argWeights(r, argAxis, fullShape) : new long[r];
    long gbase = argBase(off, gw);
    int inner = (int) shape[r - 1];
    int rows = Math.toIntExact(Chunks.product(shape) / inner);
    rowLoop(op, x, inner, reduced[r - 1], rows, shape, ostr, gw, gbase, acc.v(), acc.n(), acc.idx(), o0);
  }

  /** var/std of a banded block: two-pass moments per band, merged in order (axis 0 reduced) or stacked (kept). */
  private static Acc bandedMoments(ROp op, Elem expr, INDArray[] blocks, long[] shape, boolean[] reduced,
      long[] blockOffset, long[] fullShape, int argAxis) {
    Acc[] acc = {null};
    List<Acc> parts = new ArrayList<>();
    Bands.run(expr, blocks, shape, (v, r0, h) -> {
      long[] off = {blockOffset[0] + r0, blockOffset[1]};
      Acc b = partial(op, v, new long[] {h, shape[1]}, reduced, off, fullShape, argAxis);
      if (reduced[0]) {
        acc[0] = acc[0] == null ? b : combine(op, acc[0], b);
      } else {
        parts.add(b);
      }
    });
    if (reduced[0]) {
      return acc[0];
    }
    long perRow = reduced[1] ? 1 : shape[1];
    int slots = Math.toIntExact(shape[0] * perRow);
    double[] v = new double[slots];
    double[] n = new double[slots];
    double[] m2 = new double[slots];
    int at = 0;
    for (Acc p : parts) {
      int len = p.v().length;
      System.arraycopy(p.v(), 0, v, at, len);
      System.arraycopy(p.n(), 0, n, at, len);
      System.arraycopy(p.m2(), 0, m2, at, len);
      at += len;
    }
    return new Acc(new long[] {shape[0], perRow}, v, n, m2, null);
  }

  /** Merges a list of accumulators in order. */
  public record Combine(ROp op) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return merge(op, (List<?>) args[0]);
    }
  }

  static Acc merge(ROp op, List<?> accs) {
    Acc a = (Acc) accs.get(0);
    for (int i = 1; i < accs.size(); i++) {
      a = combine(op, a, (Acc) accs.get(i));
    }
    return a;
  }

  /** Merges the last accumulators and builds the output block. */
  public record Final(ROp op, int ddof, boolean[] reduced, boolean keepdims, DataType dtype) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Acc a = merge(op, (List<?>) args[0]);
      double[] v = finish(op, a, ddof);
      long[] shape = a.shape();
      if (!keepdims) {
        int kept = 0;
        for (boolean b : reduced) {
          if (!b) {
            kept++;
          }
        }
        long[] s = new long[kept];
        int j = 0;
        for (int i = 0; i < reduced.length; i++) {
          if (!reduced[i]) {
            s[j++] = shape[i];
          }
        }
        shape = s;
      }
      return Blocks.fromDoubles(v, shape, dtype);
    }
  }
  /**
   * Global index weights for argmin/argmax: the C strides of the full array (the flat index), or 1
   * on {@code argAxis} alone (the coordinate along it).
   */
  private static long[] argWeights(int r, int argAxis, long[] fullShape) {
    if (argAxis < 0) {
      return Chunks.cStrides(fullShape);
    }
    long[] gw = new long[r];
    gw[argAxis] = 1;
    return gw;
  }

  /** The global index of a block's first element under the weights {@code gw}. */
  private static long argBase(long[] blockOffset, long[] gw) {
    long base = 0;
    for (int a = 0; a < gw.length; a++) {
      base += blockOffset[a] * gw[a];
    }
    return base;
  }
}
