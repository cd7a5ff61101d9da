package io.jask.array.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Chunk arithmetic: per-axis chunk sizes ({@code long[axis][block]}, {@link #UNKNOWN} for a size
 * that is known only after computing, as after a boolean mask), block counts, offsets and the
 * row-major numbering of blocks.
 */
public final class Chunks {
  /** A chunk size that is not known until the chunk is computed (Dask's NaN). */
  public static final long UNKNOWN = -1;

  private Chunks() {}

  /** Regular chunks of {@code size[i]} along each axis (the last one smaller); 0 or less means the whole axis. */
  public static long[][] regular(long[] shape, int[] chunk) {
    if (chunk.length != shape.length && chunk.length != 1) {
      throw new IllegalArgumentException("chunks " + Arrays.toString(chunk) + " do not match shape "
          + Arrays.toString(shape) + " (one size per axis, or one size for all)");
    }
    long[][] out = new long[shape.length][];
    for (int a = 0; a < shape.length; a++) {
      long n = shape[a];
      if (n < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      long c = chunk.length == 1 ? chunk[0] : chunk[a];
      if (c <= 0 || c >= n) {
        out[a] = new long[] {n};
        continue;
      }
      int nb = (int) ((n + c - 1) / c);
      out[a] = new long[nb];
      for (int b = 0; b < nb; b++) {
        out[a][b] = Math.min(c, n - b * c);
      }
    }
    return out;
  }

  /** Checks explicit chunks against a shape; returns a defensive copy. */
  public static long[][] explicit(long[] shape, long[][] chunks) {
    if (chunks.length != shape.length) {
      throw new IllegalArgumentException("chunks " + describe(chunks) + " have " + chunks.length
          + " axes but the shape " + describeShape(shape) + " has " + shape.length);
    }
    long[][] out = copy(chunks);
    for (int a = 0; a < shape.length; a++) {
      if (out[a].length == 0) {
        throw new IllegalArgumentException("axis " + a + " of chunks " + describe(chunks) + " has no chunk");
      }
      long sum = 0;
      for (long c : out[a]) {
        if (c < 0) {
          throw new IllegalArgumentException("negative chunk size in " + describe(chunks));
        }
        sum += c;
      }
      if (sum != shape[a]) {
        throw new IllegalArgumentException("chunks " + describe(chunks) + " sum to " + sum + " along axis " + a
            + " but the shape " + describeShape(shape) + " has " + shape[a]);
      }
    }
    return out;
  }

  public static long[][] copy(long[][] c) {
    long[][] out = new long[c.length][];
    for (int i = 0; i < c.length; i++) {
      out[i] = c[i].clone();
    }
    return out;
  }

  /** The shape: sum of the chunks per axis, {@link #UNKNOWN} where a chunk is unknown. */
  public static long[] shape(long[][] chunks) {
    long[] s = new long[chunks.length];
    for (int a = 0; a < chunks.length; a++) {
      s[a] = axisSize(chunks[a]);
    }
    return s;
  }

  public static long axisSize(long[] axis) {
    long sum = 0;
    for (long c : axis) {
      if (c == UNKNOWN) {
        return UNKNOWN;
      }
      sum += c;
    }
    return sum;
  }

  public static boolean known(long[] axis) {
    return axisSize(axis) != UNKNOWN;
  }

  public static boolean allKnown(long[][] chunks) {
    for (long[] a : chunks) {
      if (!known(a)) {
        return false;
      }
    }
    return true;
  }

  public static int[] numBlocks(long[][] chunks) {
    int[] nb = new int[chunks.length];
    for (int a = 0; a < chunks.length; a++) {
      nb[a] = chunks[a].length;
    }
    return nb;
  }

  public static int total(int[] numBlocks) {
    long t = 1;
    for (int n : numBlocks) {
      t *= n;
    }
    if (t > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many blocks: " + t);
    }
    return (int) t;
  }

  /** Offsets of each chunk along one axis (length = chunks + 1). */
  public static long[] offsets(long[] axis) {
    long[] o = new long[axis.length + 1];
    for (int i = 0; i < axis.length; i++) {
      o[i + 1] = o[i] + axis[i];
    }
    return o;
  }

  /** The block index of flat number {@code flat} in row-major order. */
  public static int[] unravel(int flat, int[] nb) {
    int[] idx = new int[nb.length];
    for (int a = nb.length - 1; a >= 0; a--) {
      idx[a] = flat % nb[a];
      flat /= nb[a];
    }
    return idx;
  }

  public static int ravel(int[] idx, int[] nb) {
    int f = 0;
    for (int a = 0; a < nb.length; a++) {
      f = f * nb[a] + idx[a];
    }
    return f;
  }

  /** All block indices in row-major order. */
  public static List<int[]> indices(int[] nb) {
    int n = total(nb);
    List<int[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(unravel(i, nb));
    }
    return out;
  }

  public static long[] blockShape(long[][] chunks, int[] idx) {
    long[] s = new long[chunks.length];
    for (int a = 0; a < chunks.length; a++) {
      s[a] = chunks[a][idx[a]];
    }
    return s;
  }

  public static boolean same(long[][] a, long[][] b) {
    return Arrays.deepEquals(a, b);
  }

  /** Chunks that refine both {@code a} and {@code b} (the union of their boundaries). */
  public static long[] common(long[] a, long[] b) {
    TreeSet<Long> cuts = new TreeSet<>();
    for (long o : offsets(a)) {
      cuts.add(o);
    }
    for (long o : offsets(b)) {
      cuts.add(o);
    }
    long[] out = new long[Math.max(1, cuts.size() - 1)];
    int i = 0;
    long prev = -1;
    for (long c : cuts) {
      if (prev >= 0) {
        out[i++] = c - prev;
      }
      prev = c;
    }
    return out;
  }

  /** Like Dask's repr: {@code ((2, 2, 1), (3,))}, {@code nan} for an unknown size. */
  public static String describe(long[][] chunks) {
    StringBuilder b = new StringBuilder("(");
    for (int a = 0; a < chunks.length; a++) {
      if (a > 0) {
        b.append(", ");
      }
      b.append('(');
      for (int i = 0; i < chunks[a].length; i++) {
        if (i > 0) {
          b.append(", ");
        }
        b.append(chunks[a][i] == UNKNOWN ? "nan" : Long.toString(chunks[a][i]));
      }
      if (chunks[a].length == 1) {
        b.append(',');
      }
      b.append(')');
    }
    if (chunks.length == 1) {
      b.append(',');
    }
    return b.append(')').toString();
  }

  public static String describeShape(long[] shape) {
    StringBuilder b = new StringBuilder("(");
    for (int a = 0; a < shape.length; a++) {
      if (a > 0) {
        b.append(", ");
      }
      b.append(shape[a] == UNKNOWN ? "nan" : Long.toString(shape[a]));
    }
    if (shape.length == 1) {
      b.append(',');
    }
    return b.append(')').toString();
  }

  public static long product(long[] shape) {
    long p = 1;
    for (long s : shape) {
      p *= s;
    }
    return p;
  }

  /** Row-major (C order) strides in elements. */
  public static long[] cStrides(long[] shape) {
    long[] st = new long[shape.length];
    long s = 1;
    for (int a = shape.length - 1; a >= 0; a--) {
      st[a] = s;
      s *= shape[a];
    }
    return st;
  }
}
