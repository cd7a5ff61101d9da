package io.jask.array.internal;

import io.jask.array.internal.Elem.BOp;
import io.jask.array.internal.Elem.UOp;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Evaluates an {@link Elem} tree over leaf blocks, tile by tile (2,048 elements, so the
 * intermediates of a deep chain stay in the L1/L2 cache and a chain of n operations costs one
 * pass over memory, not n). Leaves are first laid out in the output's row-major order: a leaf of
 * the output's shape in compact layout is read as it is; a transposed or broadcast leaf is gathered
 * once (tiled for transposes).
 */
public final class ElemEval {
  private static final int TILE = 2048;

  private final Elem expr;
  private final double[][] regs;
  private double[][] leaves;
  private int lastBase;

  ElemEval(Elem expr) {
    this.expr = expr;
    int d = Elem.depth(expr);
    this.regs = new double[3 * d + 4][];
  }

  /** The broadcast shape of the blocks (right-aligned, NumPy rules); fails naming the shapes. */
  public static long[] broadcastShape(INDArray[] blocks) {
    int rank = 0;
    for (INDArray b : blocks) {
      rank = Math.max(rank, b.rank());
    }
    long[] out = new long[rank];
    Arrays.fill(out, 1);
    for (INDArray b : blocks) {
      long[] s = b.shape();
      for (int i = 0; i < s.length; i++) {
        int a = rank - s.length + i;
        if (s[i] == out[a] || s[i] == 1) {
          continue;
        }
        if (out[a] == 1) {
          out[a] = s[i];
        } else {
          StringBuilder shapes = new StringBuilder();
          for (INDArray x : blocks) {
            shapes.append(' ').append(Blocks.shapeOf(x));
          }
          throw new IllegalArgumentException("blocks of shapes" + shapes + " do not broadcast together");
        }
      }
    }
    return out;
  }

  /** The leaf laid out in row-major order of {@code shape} (broadcast where its axes are 1 or missing). */
  public static double[] expand(INDArray leaf, long[] shape) {
    long[] ls = leaf.shape();
    if (Arrays.equals(ls, shape)) {
      return Blocks.toDoubles(leaf, true);
    }
    double[] compact = Blocks.toDoubles(leaf);
    long[] cs = Chunks.cStrides(ls);
    long[] strides = new long[shape.length];
    for (int i = 0; i < ls.length; i++) {
      int a = shape.length - ls.length + i;
      strides[a] = ls[i] == 1 && shape[a] != 1 ? 0 : cs[i];
    }
    double[] out = new double[Math.toIntExact(Chunks.product(shape))];
    Blocks.gather(compact, 0, shape, strides, out);
    return out;
  }

  /**
   * Evaluates {@code expr} over the blocks; returns the values in row-major order of {@code shape}
   * in a {@link Scratch} buffer (give it back when done).
   */
  public static double[] eval(Elem expr, INDArray[] blocks, long[] shape) {
    int n = Math.toIntExact(Chunks.product(shape));
    double[][] leaves = new double[blocks.length][];
    for (int i = 0; i < blocks.length; i++) {
      leaves[i] = expand(blocks[i], shape);
    }
    if (expr instanceof Elem.Leaf l) {
      for (int i = 0; i < leaves.length; i++) {
        if (i != l.i() && leaves[i] != leaves[l.i()]) {
          Scratch.give(leaves[i]);
        }
      }
      return leaves[l.i()];
    }
    double[] out = Scratch.take(n);
    new ElemEval(expr).run(leaves, n, out);
    for (double[] l : leaves) {
      Scratch.give(l);
    }
    return out;
  }

  /** Evaluates the expression over the first {@code n} values of the leaves into {@code out}, tile by tile. */
  void run(double[][] leafValues, int n, double[] out) {
    this.leaves = leafValues;
    for (int off = 0; off < n; off += TILE) {
      int len = Math.min(TILE, n - off);
      double[] r = src(expr, off, len, 0);
      System.arraycopy(r, lastBase, out, off, len);
    }
    this.leaves = null;
  }

  /** Values evaluated per step of {@link #range} at most. */
  static final int STEP = TILE;

  /**
   * Evaluates elements {@code [off, off + len)} ({@code len <= }{@link #STEP}) of the leaves; the
   * values are at {@code [base(), base() + len)} of the returned array (a leaf's own array when the
   * expression is a leaf; else a register, valid until the next call). No copy.
   */
  double[] range(double[][] leafValues, int off, int len) {
    this.leaves = leafValues;
    double[] r = src(expr, off, len, 0);
    this.leaves = null;
    return r;
  }

  /** Where the values of the last {@link #range} start in its returned array. */
  int base() {
    return lastBase;
  }

  private double[] reg(int i) {
    double[] r = regs[i];
    if (r == null) {
      r = regs[i] = new double[TILE];
    }
    return r;
  }

  /** Evaluates e for elements [off, off+len); returns an array whose [lastBase, lastBase+len) holds the values. */
  private double[] src(Elem e, int off, int len, int depth) {
    if (e instanceof Elem.Leaf l) {
      lastBase = off;
      return leaves[l.i()];
    }
    double[] out = reg(depth);
    if (e instanceof Elem.Const c) {
      Arrays.fill(out, 0, len, c.v());
    } else if (e instanceof Elem.Unary u) {
      double[] a = src(u.a(), off, len, depth + 1);
      unary(u.op(), a, lastBase, out, len);
    } else if (e instanceof Elem.Binary b) {
      double[] a = src(b.a(), off, len, depth + 1);
      int ab = lastBase;
      double[] bb = src(b.b(), off, len, depth + 2);
      binary(b.op(), a, ab, bb, lastBase, out, len);
    } else if (e instanceof Elem.Where w) {
      double[] c = src(w.c(), off, len, depth + 1);
      int cb = lastBase;
      double[] a = src(w.a(), off, len, depth + 2);
      int ab = lastBase;
      double[] b = src(w.b(), off, len, depth + 3);
      int bb = lastBase;
      for (int k = 0; k < len; k++) {
        out[k] = c[cb + k] != 0 ? a[ab + k] : b[bb + k];
      }
    }
    lastBase = 0;
    return out;
  }

  static void unary(UOp op, double[] a, int o, double[] out, int n) {
    switch (op) {
      case NEG -> { for (int k = 0; k < n; k++) out[k] = -a[o + k]; }
      case ABS -> { for (int k = 0; k < n; k++) out[k] = Math.abs(a[o + k]); }
      case EXP -> { for (int k = 0; k < n; k++) out[k] = Math.exp(a[o + k]); }
      case LOG -> { for (int k = 0; k < n; k++) out[k] = Math.log(a[o + k]); }
      case LOG10 -> { for (int k = 0; k < n; k++) out[k] = Math.log10(a[o + k]); }
      case LOG1P -> { for (int k = 0; k < n; k++) out[k] = Math.log1p(a[o + k]); }
      case EXPM1 -> { for (int k = 0; k < n; k++) out[k] = Math.expm1(a[o + k]); }
      case SQRT -> { for (int k = 0; k < n; k++) out[k] = Math.sqrt(a[o + k]); }
      case SIN -> { for (int k = 0; k < n; k++) out[k] = Math.sin(a[o + k]); }
      case COS -> { for (int k = 0; k < n; k++) out[k] = Math.cos(a[o + k]); }
      case TAN -> { for (int k = 0; k < n; k++) out[k] = Math.tan(a[o + k]); }
      case ARCSIN -> { for (int k = 0; k < n; k++) out[k] = Math.asin(a[o + k]); }
      case ARCCOS -> { for (int k = 0; k < n; k++) out[k] = Math.acos(a[o + k]); }
      case ARCTAN -> { for (int k = 0; k < n; k++) out[k] = Math.atan(a[o + k]); }
      case SINH -> { for (int k = 0; k < n; k++) out[k] = Math.sinh(a[o + k]); }
      case COSH -> { for (int k = 0; k < n; k++) out[k] = Math.cosh(a[o + k]); }
      case TANH -> { for (int k = 0; k < n; k++) out[k] = Math.tanh(a[o + k]); }
      case ISNAN -> { for (int k = 0; k < n; k++) out[k] = Double.isNaN(a[o + k]) ? 1 : 0; }
      case ISINF -> { for (int k = 0; k < n; k++) out[k] = Double.isInfinite(a[o + k]) ? 1 : 0; }
      case ISFINITE -> { for (int k = 0; k < n; k++) out[k] = Double.isFinite(a[o + k]) ? 1 : 0; }
      case NOT -> { for (int k = 0; k < n; k++) out[k] = a[o + k] != 0 ? 0 : 1; }
      case FLOOR -> { for (int k = 0; k < n; k++) out[k] = Math.floor(a[o + k]); }
      case CEIL -> { for (int k = 0; k < n; k++) out[k] = Math.ceil(a[o + k]); }
      case SIGN -> { for (int k = 0; k < n; k++) out[k] = Math.signum(a[o + k]); }
      case SQUARE -> { for (int k = 0; k < n; k++) out[k] = a[o + k] * a[o + k]; }
      case TRUNC -> { for (int k = 0; k < n; k++) { double v = a[o + k]; out[k] = v < 0 ? Math.ceil(v) : Math.floor(v); } }
      case TO_BOOL -> { for (int k = 0; k < n; k++) out[k] = a[o + k] != 0 ? 1 : 0; }
      case TO_FLOAT -> { for (int k = 0; k < n; k++) out[k] = (float) a[o + k]; }
      default -> throw new IllegalStateException(op.toString());
    }
  }

  static void binary(BOp op, double[] a, int ao, double[] b, int bo, double[] out, int n) {
    switch (op) {
      case ADD -> { for (int k = 0; k < n; k++) out[k] = a[ao + k] + b[bo + k]; }
      case SUB -> { for (int k = 0; k < n; k++) out[k] = a[ao + k] - b[bo + k]; }
      case MUL -> { for (int k = 0; k < n; k++) out[k] = a[ao + k] * b[bo + k]; }
      case DIV -> { for (int k = 0; k < n; k++) out[k] = a[ao + k] / b[bo + k]; }
      case POW -> { for (int k = 0; k < n; k++) out[k] = Math.pow(a[ao + k], b[bo + k]); }
      case MOD -> { for (int k = 0; k < n; k++) { double x = a[ao + k], y = b[bo + k]; double r = x % y; out[k] = r != 0 && (r < 0) != (y < 0) ? r + y : r; } }
      case FLOORDIV -> { for (int k = 0; k < n; k++) out[k] = Math.floor(a[ao + k] / b[bo + k]); }
      case INT_FLOORDIV -> { for (int k = 0; k < n; k++) { long x = (long) a[ao + k], y = (long) b[bo + k]; out[k] = y == 0 ? 0 : Math.floorDiv(x, y); } }
      case INT_MOD -> { for (int k = 0; k < n; k++) { long x = (long) a[ao + k], y = (long) b[bo + k]; out[k] = y == 0 ? 0 : Math.floorMod(x, y); } }
      case MINIMUM -> { for (int k = 0; k < n; k++) out[k] = Math.min(a[ao + k], b[bo + k]); }
      case MAXIMUM -> { for (int k = 0; k < n; k++) out[k] = Math.max(a[ao + k], b[bo + k]); }
      case EQ -> { for (int k = 0; k < n; k++) out[k] = a[ao + k] == b[bo + k] ? 1 : 0; }
      case NE -> { for (int k = 0; k < n; k++) out[k] = a[ao + k] != b[bo + k] ? 1 : 0; }
      case LT -> { for (int k = 0; k < n; k++) out[k] = a[ao + k] < b[bo + k] ? 1 : 0; }
      case LE -> { for (int k = 0; k < n; k++) out[k] = a[ao + k] <= b[bo + k] ? 1 : 0; }
      case GT -> { for (int k = 0; k < n; k++) out[k] = a[ao + k] > b[bo + k] ? 1 : 0; }
      case GE -> { for (int k = 0; k < n; k++) out[k] = a[ao + k] >= b[bo + k] ? 1 : 0; }
      case AND -> { for (int k = 0; k < n; k++) out[k] = a[ao + k] != 0 && b[bo + k] != 0 ? 1 : 0; }
      case OR -> { for (int k = 0; k < n; k++) out[k] = a[ao + k] != 0 || b[bo + k] != 0 ? 1 : 0; }
      case XOR -> { for (int k = 0; k < n; k++) out[k] = (a[ao + k] != 0) != (b[bo + k] != 0) ? 1 : 0; }
      default -> throw new IllegalStateException(op.toString());
    }
  }
}
