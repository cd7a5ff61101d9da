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
 * transposed in cache as needed, and the expression is evaluated twice, once for the tile of output
 * block {@code (i, j)} (leaves {@code x} = the first tile, {@code x.T} = the second one transposed) and
 * once for the tile of {@code (j, i)}; a reduction folds both into the task's one accumulator, a direct
 * {@code compute()} ({@link IntoPair}) writes both into the result. So every element of {@code x} is
 * read from memory once. A diagonal block {@code (i, i)} is a task of its own
 * that reads tile {@code (b, a)} for each tile {@code (a, b)}.
 *
 * <p>Summation order (sums, means, products): within a task, tile after tile in row-major order of
 * the tiles of {@code x[i, j]}, for each tile the {@code (i, j)} values in row-major order and then
 * the {@code (j, i)} tile's in column-major order (the reduction reads that tile transposed, which
 * saves a transpose), each in steps of 2,048 values summed with eight interleaved accumulators (as
 * {@link Reduce}'s kernels); the per-pair accumulators are then combined by the reduction tree in the order
 * {@code (0,0), (0,1), …, (0,n-1), (1,1), …}. A {@code SUM}/{@code MEAN} of {@code x op x.T} ({@code op} one
 * of {@code + - *}, {@link #sumPair}) instead sums within a pair into eight lanes kept across all its
 * tiles (column {@code c} of a tile row to lane {@code c % 4}; the (i, j) values in lanes 0-3, the
 * (j, i) ones in 4-7), added pairwise at the end. This is not the row-major order of the whole array, so
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
  public static final boolean ENABLED = !"false".equals(System.getProperty("jask.array.mirrorPairs"));

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
        return reduce(op, expr, transposed, a, b);
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

  /** Receives an output tile: {@code h x w} values at row {@code r0}, column {@code c0} of output block (i, j) or, when {@code mirror}, of (j, i). */
  interface TileSink {
    void tile(double[] v, boolean mirror, int r0, int c0, int h, int w);
  }

  /** Evaluates the expression on tiles whose {@code x} leaves read one tile and {@code x.T} leaves another. */
  private static final class Eval {
    final ElemEval ev;
    final boolean[] transposed;
    final double[][] leafTiles;
    final double[] out = new double[T * T];
    final int leafExpr;

    Eval(Elem expr, boolean[] transposed) {
      this.ev = expr instanceof Elem.Leaf ? null : new ElemEval(expr);
      this.transposed = transposed;
      this.leafTiles = new double[transposed.length][];
      this.leafExpr = expr instanceof Elem.Leaf l ? l.i() : -1;
    }

    /** Folds the {@code n} values of the expression over these tiles into {@code acc}, a step at a time (no copy). */
    void fold(ROp op, Acc acc, double[] direct, double[] mirrored, int n) {
      for (int k = 0; k < leafTiles.length; k++) {
        leafTiles[k] = transposed[k] ? mirrored : direct;
      }
      for (int off = 0; off < n; off += ElemEval.STEP) {
        int len = Math.min(ElemEval.STEP, n - off);
        if (ev == null) {
          Reduce.foldAll(op, acc, leafTiles[leafExpr], off, len);
        } else {
          double[] v = ev.range(leafTiles, off, len);
          Reduce.foldAll(op, acc, v, ev.base(), len);
        }
      }
    }

    double[] run(double[] direct, double[] mirrored, int n) {
      for (int k = 0; k < leafTiles.length; k++) {
        leafTiles[k] = transposed[k] ? mirrored : direct;
      }
      if (ev == null) {
        return leafTiles[leafExpr];
      }
      ev.run(leafTiles, n, out);
      return out;
    }
  }

  /**
   * Walks the pair x[i, j] ({@code a}, p x q) and x[j, i] ({@code b}, q x p; null on the diagonal,
   * where {@code a} is read for both) in tiles, handing each output tile to the sink: tile (a0, b0)
   * of (i, j), then (unless diagonal) tile (b0, a0) of (j, i).
   */
  static void walk(Elem expr, boolean[] transposed, INDArray a, INDArray b, TileSink sink) {
    int p = (int) a.size(0);
    int q = (int) a.size(1);
    boolean diag = b == null;
    checkMirrored(a, b, p, q);
    Eval e = new Eval(expr, transposed);
    double[] ta = new double[T * T];
    double[] tb = new double[T * T];
    double[] tat = new double[T * T];
    double[] tbt = new double[T * T];
    INDArray other = diag ? a : b;
    for (int a0 = 0; a0 < p; a0 += T) {
      int h = Math.min(T, p - a0);
      for (int b0 = 0; b0 < q; b0 += T) {
        int w = Math.min(T, q - b0);
        Native.readTile(a, p, q, a0, h, b0, w, ta); // h x w
        Native.readTile(other, q, p, b0, w, a0, h, tb); // w x h
        transpose(tb, w, h, tbt); // h x w
        sink.tile(e.run(ta, tbt, h * w), false, a0, b0, h, w);
        if (!diag) {
          transpose(ta, h, w, tat); // w x h
          sink.tile(e.run(tb, tat, h * w), true, b0, a0, w, h);
        }
      }
    }
  }

  /** Block {@code b} must have the transposed shape of {@code a} (p x q); no {@code b}: a square diagonal block. */
  private static void checkMirrored(INDArray a, INDArray b, int p, int q) {
    if (b == null ? p != q : b.size(0) != q || b.size(1) != p) {
      throw new IllegalArgumentException("mirrored blocks do not fit: " + Blocks.shapeOf(a) + " and "
          + (b == null ? "itself (a diagonal block must be square)" : Blocks.shapeOf(b)));
    }
  }

  /**
   * The accumulator of output blocks (i, j) and (j, i) (one block when {@code b} is null). A
   * reduction of every axis does not depend on where a value sits, and tile (b, a) of output (j, i),
   * {@code f(x = B, x.T = Aᵀ)}, is the transpose of {@code f(x = Bᵀ, x.T = A)}: so each pair of tiles
   * needs one transpose ({@code Bᵀ}, read transposed straight from {@code x[j, i]}'s memory, no
   * copy of B first: ~15 % less CPU per pair), and the (j, i) tile's values are folded in the order
   * of that transpose (row-major over (j, i)'s columns).
   */
  static Acc reduce(ROp op, Elem expr, boolean[] transposed, INDArray a, INDArray b) {
    int p = (int) a.size(0);
    int q = (int) a.size(1);
    boolean diag = b == null;
    checkMirrored(a, b, p, q);
    Acc acc = Reduce.empty(op, new long[] {1, 1});
    int kop = pairSumOp(op, expr, transposed);
    if (kop >= 0) {
      acc.v()[0] = sumPair(kop, !transposed[((Elem.Leaf) ((Elem.Binary) expr).a()).i()], a, b, p, q);
      if (op == ROp.MEAN) {
        acc.n()[0] = (diag ? 1 : 2) * (double) a.length();
      }
      return acc;
    }
    Eval e = new Eval(expr, transposed);
    double[] ta = new double[T * T];
    double[] tbt = new double[T * T];
    INDArray other = diag ? a : b;
    for (int a0 = 0; a0 < p; a0 += T) {
      int h = Math.min(T, p - a0);
      for (int b0 = 0; b0 < q; b0 += T) {
        int w = Math.min(T, q - b0);
        Native.readTile(a, p, q, a0, h, b0, w, ta); // A: h x w
        Native.readTileTransposed(other, q, p, b0, w, a0, h, tbt); // Bᵀ: h x w, B (w x h) read transposed
        e.fold(op, acc, ta, tbt, h * w); // tile (a0, b0) of (i, j): x = A, x.T = Bᵀ
        if (!diag) {
          e.fold(op, acc, tbt, ta, h * w); // tile (b0, a0) of (j, i), transposed: x = Bᵀ, x.T = A
        }
      }
    }
    if (op == ROp.MEAN) {
      acc.n()[0] = (diag ? 1 : 2) * (double) a.length();
    }
    return acc;
  }

  /**
   * The {@link Native#sumPairTile} operation when a {@code SUM} or {@code MEAN} of {@code expr} can run
   * on it: {@code expr} is {@code x op x.T} or {@code x.T op x} with {@code op} one of {@code +, -, *};
   * else -1.
   */
  static int pairSumOp(ROp op, Elem expr, boolean[] transposed) {
    if (!FUSED_SUM || (op != ROp.SUM && op != ROp.MEAN) || !(expr instanceof Elem.Binary bin)
        || !(bin.a() instanceof Elem.Leaf la) || !(bin.b() instanceof Elem.Leaf lb)
        || transposed[la.i()] == transposed[lb.i()]) {
      return -1;
    }
    return switch (bin.op()) {
      case ADD -> Native.PAIR_ADD;
      case SUB -> Native.PAIR_SUB;
      case MUL -> Native.PAIR_MUL;
      default -> -1;
    };
  }

  /** {@code -Djask.array.pairSumKernel=false} keeps SUM/MEAN of {@code x op x.T} on the general tile evaluation (for A/B measurements). */
  static final boolean FUSED_SUM = !"false".equals(System.getProperty("jask.array.pairSumKernel"));

  /**
   * The sum of {@code x op x.T} over output blocks (i, j) and (j, i) ({@code a} = x[i, j], p x q;
   * {@code b} = x[j, i], or null on the diagonal), with {@code aLeft} when x is the left operand:
   * per {@value #T} x {@value #T} tile, {@code Bᵀ} is read transposed into a cache-resident tile
   * and {@link Native#sumPairTile} sums {@code f(A, Bᵀ)} and {@code f(Bᵀ, A)} reading A straight from
   * memory, into eight partial sums kept across the task (added pairwise at the end). Every element
   * of x is read from memory once, with no copy of A and no array of values.
   */
  static double sumPair(int kop, boolean aLeft, INDArray a, INDArray b, int p, int q) {
    boolean diag = b == null;
    INDArray other = diag ? a : b;
    double[] lanes = new double[8];
    double[] tbt = new double[T * T];
    for (int a0 = 0; a0 < p; a0 += T) {
      int h = Math.min(T, p - a0);
      for (int b0 = 0; b0 < q; b0 += T) {
        int w = Math.min(T, q - b0);
        Native.readTileTransposed(other, q, p, b0, w, a0, h, tbt); // Bᵀ: h x w
        Native.sumPairTile(a, p, q, a0, h, b0, w, tbt, kop, !diag, aLeft, lanes);
      }
    }
    return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
  }

  /**
   * Task of a direct {@code compute()} (sync/threads): writes output blocks (i, j) and (j, i) of a
   * float64 expression over x and x.T into their places in the compact row-major result {@code out}
   * (row length {@code rowStride}; block (i, j) starts at element {@code startIJ}, (j, i) at
   * {@code startJI}); returns {@code true}. Other layouts compute each block with {@link Bands} and write it the same way.
   */
  public record IntoPair(Elem expr, boolean[] transposed, INDArray out, long startIJ, long startJI, long rowStride)
      implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      INDArray a = (INDArray) args[0];
      INDArray b = args.length > 1 ? (INDArray) args[1] : null;
      if (fast(a) && (b == null || fast(b))) {
        walk(expr, transposed, a, b, (v, mirror, r0, c0, h, w) ->
            Native.writeTile(out, (mirror ? startJI : startIJ) + r0 * rowStride + c0, rowStride, h, w, v));
        return Boolean.TRUE;
      }
      write(leaves(a, b == null ? a : b), startIJ);
      if (b != null) {
        write(leaves(b, a), startJI);
      }
      return Boolean.TRUE;
    }

    private void write(INDArray[] blocks, long start) {
      long[] shape = ElemEval.broadcastShape(blocks);
      double[] v = ElemEval.eval(expr, blocks, shape);
      try {
        Native.writeTile(out, start, rowStride, (int) shape[0], (int) shape[1], v);
      } finally {
        Scratch.give(v);
      }
    }

    private INDArray[] leaves(INDArray ij, INDArray ji) {
      INDArray[] l = new INDArray[transposed.length];
      for (int k = 0; k < l.length; k++) {
        l[k] = transposed[k] ? ji.transpose() : ij;
      }
      return l;
    }
  }

  /** {@code dst} (c x r) = transpose of {@code src} (r x c), both row-major: four rows of src at a time. */
  static void transpose(double[] src, int r, int c, double[] dst) {
    int i = 0;
    for (; i + 4 <= r; i += 4) {
      int s0 = i * c;
      int s1 = s0 + c;
      int s2 = s1 + c;
      int s3 = s2 + c;
      for (int j = 0, o = i; j < c; j++, o += r) {
        dst[o] = src[s0 + j];
        dst[o + 1] = src[s1 + j];
        dst[o + 2] = src[s2 + j];
        dst[o + 3] = src[s3 + j];
      }
    }
    for (; i < r; i++) {
      for (int j = 0, o = i; j < c; j++, o += r) {
        dst[o] = src[i * c + j];
      }
    }
  }

}
