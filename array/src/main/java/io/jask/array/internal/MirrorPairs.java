package io.jask.array.internal;

import io.jask.array.internal.Reduce.Acc;
import io.jask.array.internal.Reduce.ROp;
import io.jask.engine.TaskFn;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Whole-array reductions of an element-wise expression whose leaves are a square-chunked 2-D array
 * {@code x} and its transpose {@code x.T} (such as {@code (x + x.T).sum()}), one task per mirrored
 * pair of blocks.
 *
 * <p>Design: block {@code (i, j)} of the expression reads {@code x[i, j]} and {@code x[j, i]ᵀ}; block
 * {@code (j, i)} reads the same two blocks the other way round. One task per block reads every block
 * of {@code x} twice (it is memory-bound on those reads). A pair task gets {@code x[i, j]} and
 * {@code x[j, i]} ({@code i < j}) and walks them in {@value #T} x {@value #T} tiles: tile {@code (a, b)} of
 * {@code x[i, j]} and tile {@code (b, a)} of {@code x[j, i]} are copied once into L2-resident arrays,
 * each is transposed in cache, and the expression is evaluated twice, once for the tile of output
 * block {@code (i, j)} (leaves {@code x} = the first tile, {@code x.T} = the second one transposed) and
 * once for the tile of {@code (j, i)}; both are folded into the task's one accumulator. So every
 * element of {@code x} is read from memory once. A diagonal block {@code (i, i)} is a task of its own
 * that reads tile {@code (b, a)} for each tile {@code (a, b)}.
 *
 * <p>Summation order (sums, means, products): within a task, tile after tile in row-major order of
 * the tiles of {@code x[i, j]}, for each tile the {@code (i, j)} values in row-major order (a sum of
 * four interleaved accumulators, as {@link Reduce}'s kernels) and then the {@code (j, i)} tile's in
 * row-major order; the per-pair accumulators are then combined by the reduction tree in the order
 * {@code (0,0), (0,1), …, (0,n-1), (1,1), …}. This is not the row-major order of the whole array, so
 * a sum differs from ND4J's by rounding only (a bound of order {@code n · eps · Σ|v|}); min, max,
 * any, all and the NaN-skipping counts are exact.
 *
 * <p>Applies to the reductions whose accumulator does not depend on the order of its values beyond
 * rounding and has no positions (not var/std, argmin/argmax: they keep the per-block path). Blocks
 * that are not compact float64 (the caller only plans the path for float64) fall back to the
 * per-block kernels of {@link Reduce.Partial} inside the same task.
 */
public final class MirrorPairs {
  /** Tile edge: four tiles of 32 KB and the expression's output stay in the core's L2. */
  static final int T = 64;

  private MirrorPairs() {}

  /** {@code -Djask.array.mirrorPairs=false} keeps these reductions on the per-block path (for A/B measurements). */
  static final boolean ENABLED = !"false".equals(System.getProperty("jask.array.mirrorPairs"));

  /** Whether a whole-array reduction {@code op} can run by mirrored pairs. */
  public static boolean supports(ROp op) {
    if (!ENABLED) {
      return false;
    }
    return switch (op) {
      case SUM, PROD, MIN, MAX, MEAN, ANY, ALL, NANSUM, NANMEAN, NANMIN, NANMAX -> true;
      default -> false;
    };
  }

  /**
   * The accumulator of output blocks {@code (i, j)} and {@code (j, i)}: arguments {@code x[i, j]} and
   * {@code x[j, i]} (one argument, {@code x[i, i]}, on the diagonal). {@code transposed[k]} says whether
   * leaf {@code k} of {@code expr} is {@code x.T} (else {@code x}).
   */
  public record Pair(ROp op, Elem expr, boolean[] transposed, long[] fullShape) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      INDArray a = (INDArray) args[0];
      INDArray b = args.length > 1 ? (INDArray) args[1] : null;
      if (fast(a) && (b == null || fast(b))) {
        return b == null ? diagonal(op, expr, transposed, a) : pair(op, expr, transposed, a, b);
      }
      // any other layout: the per-block kernels, output (i, j) then (j, i)
      boolean[] all = {true, true};
      long[] zero = {0, 0};
      Reduce.Partial p = new Reduce.Partial(op, all, expr, zero, fullShape, -1);
      Acc acc = (Acc) p.apply(leaves(a, b == null ? a : b));
      if (b != null) {
        acc = Reduce.combine(op, acc, (Acc) p.apply(leaves(b, a)));
      }
      return acc;
    }

    /** The leaf blocks of output block (i, j) given x[i, j] and x[j, i]. */
    private Object[] leaves(INDArray ij, INDArray ji) {
      Object[] out = new Object[transposed.length];
      for (int k = 0; k < out.length; k++) {
        out[k] = transposed[k] ? ji.transpose() : ij;
      }
      return out;
    }
  }

  private static boolean fast(INDArray b) {
    return Native.available() && b.dataType() == DataType.DOUBLE && b.rank() == 2 && Bands.layout(b) == 1
        && b.length() > 0;
  }

  /** Evaluates the expression on one tile and folds it into the accumulator. */
  private static final class Tiles {
    final ROp op;
    final ElemEval ev;
    final boolean[] transposed;
    final double[][] leafTiles;
    final double[] out = new double[T * T];
    final Acc acc;
    final long[] tileShape = {1, 0};
    final boolean[] all = {true, true};
    final long[] zero = {0, 0};

    Tiles(ROp op, Elem expr, boolean[] transposed) {
      this.op = op;
      this.ev = expr instanceof Elem.Leaf ? null : new ElemEval(expr);
      this.transposed = transposed;
      this.leafTiles = new double[transposed.length][];
      this.acc = Reduce.empty(op, new long[] {1, 1});
      this.leafExpr = expr instanceof Elem.Leaf l ? l.i() : -1;
    }

    final int leafExpr;

    /** Output tile of {@code n} values whose {@code x} leaves read {@code direct} and {@code x.T} leaves {@code mirrored}. */
    void fold(double[] direct, double[] mirrored, int n) {
      for (int k = 0; k < leafTiles.length; k++) {
        leafTiles[k] = transposed[k] ? mirrored : direct;
      }
      double[] v;
      if (ev == null) {
        v = leafTiles[leafExpr];
      } else {
        ev.run(leafTiles, n, out);
        v = out;
      }
      tileShape[1] = n;
      Reduce.accumulate(op, acc, v, tileShape, all, zero, zero, -1, 0);
    }

    Acc finish(long count) {
      if (op == ROp.MEAN) {
        acc.n()[0] = count;
      }
      return acc;
    }
  }

  /** Both outputs of the pair x[i, j] (p x q) and x[j, i] (q x p). */
  static Acc pair(ROp op, Elem expr, boolean[] transposed, INDArray a, INDArray b) {
    int p = (int) a.size(0);
    int q = (int) a.size(1);
    if (b.size(0) != q || b.size(1) != p) {
      throw new IllegalArgumentException("mirrored blocks do not fit: " + Blocks.shapeOf(a) + " and " + Blocks.shapeOf(b));
    }
    Tiles t = new Tiles(op, expr, transposed);
    double[] ta = new double[T * T];
    double[] tb = new double[T * T];
    double[] tat = new double[T * T];
    double[] tbt = new double[T * T];
    for (int a0 = 0; a0 < p; a0 += T) {
      int h = Math.min(T, p - a0);
      for (int b0 = 0; b0 < q; b0 += T) {
        int w = Math.min(T, q - b0);
        Native.readTile(a, p, q, a0, h, b0, w, ta); // h x w
        Native.readTile(b, q, p, b0, w, a0, h, tb); // w x h
        transpose(ta, h, w, tat); // w x h
        transpose(tb, w, h, tbt); // h x w
        t.fold(ta, tbt, h * w); // tile (a, b) of output (i, j)
        t.fold(tb, tat, h * w); // tile (b, a) of output (j, i)
      }
    }
    return t.finish(2L * p * q);
  }

  /** The output of the diagonal block x[i, i] (p x p). */
  static Acc diagonal(ROp op, Elem expr, boolean[] transposed, INDArray a) {
    int p = (int) a.size(0);
    if (a.size(1) != p) {
      throw new IllegalArgumentException("a diagonal block must be square, got " + Blocks.shapeOf(a));
    }
    Tiles t = new Tiles(op, expr, transposed);
    double[] ta = new double[T * T];
    double[] tb = new double[T * T];
    double[] tbt = new double[T * T];
    for (int a0 = 0; a0 < p; a0 += T) {
      int h = Math.min(T, p - a0);
      for (int b0 = 0; b0 < p; b0 += T) {
        int w = Math.min(T, p - b0);
        Native.readTile(a, p, p, a0, h, b0, w, ta);
        Native.readTile(a, p, p, b0, w, a0, h, tb);
        transpose(tb, w, h, tbt);
        t.fold(ta, tbt, h * w);
      }
    }
    return t.finish((long) p * p);
  }

  /** {@code dst} (c x r) = transpose of {@code src} (r x c), both row-major. */
  static void transpose(double[] src, int r, int c, double[] dst) {
    for (int i0 = 0; i0 < r; i0 += 8) {
      int i1 = Math.min(r, i0 + 8);
      for (int j = 0; j < c; j++) {
        int o = j * r;
        for (int i = i0; i < i1; i++) {
          dst[o + i] = src[i * c + j];
        }
      }
    }
  }
}
