package io.jask.array.internal;

import java.lang.ref.Reference;
import java.lang.reflect.Field;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads of float64 blocks straight from their off-heap memory, for the memory-bound kernels.
 *
 * <p>Design: ND4J keeps a block's values in native memory. Copying a block to a {@code double[]}
 * first costs a whole extra pass over memory, and {@code DoubleBuffer.get(i)} per element costs
 * about 4 ns here (a bounds and scope check per call); transposed reads are the worst case, since a
 * column of a row-major block is one element per 8 KB. {@code sun.misc.Unsafe.getDouble(address)}
 * is a JIT intrinsic (one load), so these loops run at the speed of memory. Every public method
 * checks the block (float64, compact, offset 0) and the index ranges once before it reads, so an
 * address is never outside the block. The block must not be closed while a method runs (callers
 * hold the task's argument), and must not be collected either: once its address is taken, the JIT
 * may treat the {@code INDArray} as dead, and ND4J frees an unreachable array's memory from its
 * deallocator thread. A task's argument may have no other reference (a block made by the task
 * before it, released by the scheduler once its only consumer started), so every method keeps its
 * arrays reachable to the end ({@code Reference.reachabilityFence}): without it a JVM died once in
 * {@code sumRows} (SIGSEGV, A1's {@code random_gen_sum}, 2026-12-07).
 *
 * <p>Summation orders are those of {@code Reduce}'s loops over a {@code double[]} (a row's sum with
 * eight accumulators, rows added in order; column sums row by row), so a block gives the same bits
 * either way.
 */
public final class Native {
  private static final sun.misc.Unsafe U = unsafe();

  private Native() {}

  private static sun.misc.Unsafe unsafe() {
    try {
      Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return (sun.misc.Unsafe) f.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Whether the direct reads are available (they are on the JDKs Jask supports; otherwise callers copy). */
  public static boolean available() {
    return U != null;
  }

  /** The address of element 0 of a compact float64 block (offset 0, buffer as long as the block). */
  static long address(INDArray b) {
    if (b.dataType() != DataType.DOUBLE || b.offset() != 0 || b.data().length() != b.length()) {
      throw new IllegalArgumentException("not a compact float64 block: " + b.shapeInfoToString());
    }
    return b.data().addressPointer().address();
  }

  /**
   * Rows {@code [r0, r0 + h)} of the transpose of a compact row-major {@code cols x rows} buffer
   * (so the block seen is {@code rows x cols}; element (i, j) is at {@code j * rows + i}) into
   * {@code tile} in row-major order. Eight columns are read at a time: eight runs of {@code h}
   * contiguous values, written as eight-wide pieces of the tile's rows, so both sides move through
   * whole cache lines.
   */
  static void readTransposed(INDArray b, int rows, int cols, int r0, int h, double[] tile) {
    try {
      readTransposedAt(b, rows, cols, r0, h, tile);
    } finally {
      Reference.reachabilityFence(b);
    }
  }

  private static void readTransposedAt(INDArray b, int rows, int cols, int r0, int h, double[] tile) {
    if (r0 < 0 || h < 0 || r0 + h > rows || (long) rows * cols != b.length() || tile.length < h * cols) {
      throw new IllegalArgumentException("rows " + r0 + ".." + (r0 + h) + " of a " + rows + "x" + cols + " block");
    }
    long base = address(b);
    long rs = 8L * rows;
    int j = 0;
    for (; j + 8 <= cols; j += 8) {
      long p = base + 8L * ((long) j * rows + r0);
      for (int i = 0, o = j; i < h; i++, o += cols) {
        long q = p + 8L * i;
        tile[o] = U.getDouble(q);
        tile[o + 1] = U.getDouble(q + rs);
        tile[o + 2] = U.getDouble(q + 2 * rs);
        tile[o + 3] = U.getDouble(q + 3 * rs);
        tile[o + 4] = U.getDouble(q + 4 * rs);
        tile[o + 5] = U.getDouble(q + 5 * rs);
        tile[o + 6] = U.getDouble(q + 6 * rs);
        tile[o + 7] = U.getDouble(q + 7 * rs);
      }
    }
    for (; j < cols; j++) {
      long p = base + 8L * ((long) j * rows + r0);
      for (int i = 0, o = j; i < h; i++, o += cols) {
        tile[o] = U.getDouble(p + 8L * i);
      }
    }
  }

  /**
   * The {@code h x w} piece at row {@code r0}, column {@code c0} of a compact row-major {@code rows x
   * cols} block into {@code tile} (row-major, {@code w} values per row): one bulk copy per row.
   */
  static void readTile(INDArray b, int rows, int cols, int r0, int h, int c0, int w, double[] tile) {
    try {
      readTileAt(b, rows, cols, r0, h, c0, w, tile);
    } finally {
      Reference.reachabilityFence(b);
    }
  }

  /** Fails unless the {@code h x w} piece at ({@code r0}, {@code c0}) lies in the block and fits {@code tile}. */
  private static void checkPiece(INDArray b, int rows, int cols, int r0, int h, int c0, int w, double[] tile) {
    if (r0 < 0 || h < 0 || r0 + h > rows || c0 < 0 || w < 0 || c0 + w > cols || (long) rows * cols != b.length()
        || tile.length < h * w) {
      throw new IllegalArgumentException("piece " + r0 + ".." + (r0 + h) + " x " + c0 + ".." + (c0 + w) + " of a "
          + rows + "x" + cols + " block");
    }
  }

  private static void readTileAt(INDArray b, int rows, int cols, int r0, int h, int c0, int w, double[] tile) {
    checkPiece(b, rows, cols, r0, h, c0, w, tile);
    long base = address(b) + 8L * ((long) r0 * cols + c0);
    long bytes = 8L * w;
    for (int i = 0; i < h; i++) {
      U.copyMemory(null, base + 8L * i * cols, tile, DOUBLES + 8L * i * w, bytes);
    }
  }

  /**
   * The transpose of the {@code h x w} piece at row {@code r0}, column {@code c0} of a compact
   * row-major {@code rows x cols} block into {@code tile} ({@code w x h}, row-major: {@code
   * tile[j * h + i] = piece[i][j]}), read straight from the block's memory: four rows of the piece
   * at a time (four sequential streams), each step writing four adjacent values of a tile row. Saves
   * the copy of the piece and the in-cache transpose of {@link #readTile} followed by a transpose.
   */
  static void readTileTransposed(INDArray b, int rows, int cols, int r0, int h, int c0, int w, double[] tile) {
    try {
      readTileTransposedAt(b, rows, cols, r0, h, c0, w, tile);
    } finally {
      Reference.reachabilityFence(b);
    }
  }

  private static void readTileTransposedAt(INDArray b, int rows, int cols, int r0, int h, int c0, int w, double[] tile) {
    checkPiece(b, rows, cols, r0, h, c0, w, tile);
    long base = address(b) + 8L * ((long) r0 * cols + c0);
    long rb = 8L * cols;
    int i = 0;
    for (; i + 4 <= h; i += 4) {
      long p0 = base + rb * i;
      long p1 = p0 + rb;
      long p2 = p1 + rb;
      long p3 = p2 + rb;
      for (int j = 0, o = i; j < w; j++, o += h) {
        long d = 8L * j;
        tile[o] = U.getDouble(p0 + d);
        tile[o + 1] = U.getDouble(p1 + d);
        tile[o + 2] = U.getDouble(p2 + d);
        tile[o + 3] = U.getDouble(p3 + d);
      }
    }
    for (; i < h; i++) {
      long p0 = base + rb * i;
      for (int j = 0, o = i; j < w; j++, o += h) {
        tile[o] = U.getDouble(p0 + 8L * j);
      }
    }
  }

  /**
   * Writes the {@code h x w} row-major {@code tile} into a compact float64 array {@code out}: row
   * {@code i} of the tile to elements {@code [start + i * rowStride, + w)}, one bulk copy per row.
   */
  static void writeTile(INDArray out, long start, long rowStride, int h, int w, double[] tile) {
    try {
      writeTileAt(out, start, rowStride, h, w, tile);
    } finally {
      Reference.reachabilityFence(out);
    }
  }

  private static void writeTileAt(INDArray out, long start, long rowStride, int h, int w, double[] tile) {
    if (h == 0 || w == 0) {
      return;
    }
    if (start < 0 || h < 0 || w < 0 || w > rowStride || start + (h - 1) * rowStride + w > out.length() || tile.length < h * w) {
      throw new IllegalArgumentException("a " + h + "x" + w + " tile at " + start + " (rows " + rowStride
          + " apart) does not fit an array of " + out.length());
    }
    long base = address(out) + 8L * start;
    long bytes = 8L * w;
    for (int i = 0; i < h; i++) {
      U.copyMemory(tile, DOUBLES + 8L * i * w, null, base + 8L * i * rowStride, bytes);
    }
  }

  private static final long DOUBLES = U == null ? 0 : U.arrayBaseOffset(double[].class);

  /**
   * Copies a compact row-major float64 block ({@code h x w}) into a compact float64 array {@code out}:
   * row {@code i} of the block to elements {@code [start + i * rowStride, + w)}, one memory-to-memory
   * bulk copy per row (no heap array in between).
   */
  static void copyBlockInto(INDArray b, INDArray out, long start, long rowStride) {
    try {
      copyBlockIntoAt(b, out, start, rowStride);
    } finally {
      Reference.reachabilityFence(b);
      Reference.reachabilityFence(out);
    }
  }

  /**
   * {@link #copyBlockInto} with the destination given as raw memory: {@code capacity} float64 values
   * at {@code address} (the caller keeps that memory allocated while this runs).
   */
  static void copyBlockIntoMemory(INDArray b, long address, long capacity, long start, long rowStride) {
    try {
      copyBlockIntoMemoryAt(b, address, capacity, start, rowStride);
    } finally {
      Reference.reachabilityFence(b);
    }
  }

  private static void copyBlockIntoMemoryAt(INDArray b, long address, long capacity, long start, long rowStride) {
    if (b.rank() != 2) {
      throw new IllegalArgumentException("not a 2-D block: " + Blocks.shapeOf(b));
    }
    long h = b.size(0);
    long w = b.size(1);
    if (h == 0 || w == 0) {
      return;
    }
    if (address == 0 || start < 0 || w > rowStride || start + (h - 1) * rowStride + w > capacity) {
      throw new IllegalArgumentException("a " + h + "x" + w + " block at " + start + " (rows " + rowStride
          + " apart) does not fit a buffer of " + capacity + " values");
    }
    long src = address(b);
    long dst = address + 8L * start;
    long bytes = 8L * w;
    for (long i = 0; i < h; i++) {
      U.copyMemory(src + i * bytes, dst + 8L * i * rowStride, bytes);
    }
  }

  /** {@link #writeTile} into raw memory: {@code capacity} float64 values at {@code address} (kept allocated by the caller). */
  static void writeTileMemory(long address, long capacity, long start, long rowStride, int h, int w, double[] tile) {
    if (h == 0 || w == 0) {
      return;
    }
    if (address == 0 || start < 0 || h < 0 || w < 0 || w > rowStride || start + (h - 1) * rowStride + w > capacity
        || tile.length < h * w) {
      throw new IllegalArgumentException("a " + h + "x" + w + " tile at " + start + " (rows " + rowStride
          + " apart) does not fit a buffer of " + capacity + " values");
    }
    long base = address + 8L * start;
    long bytes = 8L * w;
    for (int i = 0; i < h; i++) {
      U.copyMemory(tile, DOUBLES + 8L * i * w, null, base + 8L * i * rowStride, bytes);
    }
  }

  private static void copyBlockIntoAt(INDArray b, INDArray out, long start, long rowStride) {
    if (b.rank() != 2) {
      throw new IllegalArgumentException("not a 2-D block: " + Blocks.shapeOf(b));
    }
    long h = b.size(0);
    long w = b.size(1);
    if (h == 0 || w == 0) {
      return;
    }
    if (start < 0 || w > rowStride || start + (h - 1) * rowStride + w > out.length()) {
      throw new IllegalArgumentException("a " + h + "x" + w + " block at " + start + " (rows " + rowStride
          + " apart) does not fit an array of " + out.length());
    }
    long src = address(b);
    long dst = address(out) + 8L * start;
    long bytes = 8L * w;
    for (long i = 0; i < h; i++) {
      U.copyMemory(src + i * bytes, dst + 8L * i * rowStride, bytes);
    }
  }

  /**
   * Fills the upper triangle of rows {@code [r0, r0 + h)} of a compact square {@code n x n} float64
   * array from its lower triangle ({@code out[i][j] = out[j][i]} for {@code j > i}), in 64 x 64 tiles
   * so that the column reads stay in L1. Bands of rows are disjoint in what they write and only read
   * the lower triangle, so several bands can be filled at once.
   */
  static void mirrorLowerRows(INDArray out, int n, int r0, int h) {
    try {
      mirrorLowerRowsAt(out, n, r0, h);
    } finally {
      Reference.reachabilityFence(out);
    }
  }

  private static void mirrorLowerRowsAt(INDArray out, int n, int r0, int h) {
    if ((long) n * n != out.length() || r0 < 0 || h < 0 || r0 + h > n) {
      throw new IllegalArgumentException("rows " + r0 + ".." + (r0 + h) + " of a " + n + "x" + n + " array of "
          + out.length() + " values");
    }
    long base = address(out);
    long rb = 8L * n;
    final int t = 64;
    for (int i0 = r0; i0 < r0 + h; i0 += t) {
      int i1 = Math.min(r0 + h, i0 + t);
      for (int j0 = i0; j0 < n; j0 += t) {
        int j1 = Math.min(n, j0 + t);
        for (int i = i0; i < i1; i++) {
          long row = base + rb * i;
          long col = base + 8L * i;
          for (int j = Math.max(j0, i + 1); j < j1; j++) {
            U.putDouble(row + 8L * j, U.getDouble(col + rb * j));
          }
        }
      }
    }
  }

  /**
   * Adds rows {@code [r0, r0 + h)} of a compact row-major {@code rows x cols} block into the
   * accumulator: {@code all}: {@code v[0] += sum8(row)} row by row; {@code axis0}: {@code v[j] +=
   * x[i][j]} row by row (a column-sum); otherwise {@code v[i] += sum8(row i)}.
   */
  static void sumRows(INDArray b, int rows, int cols, int r0, int h, int mode, double[] v) {
    try {
      sumRowsAt(b, rows, cols, r0, h, mode, v);
    } finally {
      Reference.reachabilityFence(b);
    }
  }

  private static void sumRowsAt(INDArray b, int rows, int cols, int r0, int h, int mode, double[] v) {
    if (r0 < 0 || h < 0 || r0 + h > rows || (long) rows * cols != b.length()) {
      throw new IllegalArgumentException("rows " + r0 + ".." + (r0 + h) + " of a " + rows + "x" + cols + " block");
    }
    long base = address(b);
    if (mode == AXIS0) {
      if (v.length < cols) {
        throw new IllegalArgumentException(v.length + " slots for " + cols + " columns");
      }
      // four rows per pass over the slots: v[j] = (((v[j] + x0[j]) + x1[j]) + x2[j]) + x3[j] is the
      // row-by-row order (same bits), with one load and store of a slot per four rows
      int i = r0;
      long rb = 8L * cols;
      for (; i + 4 <= r0 + h; i += 4) {
        long p = base + rb * i;
        for (int j = 0; j < cols; j++) {
          long q = p + 8L * j;
          v[j] = (((v[j] + U.getDouble(q)) + U.getDouble(q + rb)) + U.getDouble(q + 2 * rb)) + U.getDouble(q + 3 * rb);
        }
      }
      for (; i < r0 + h; i++) {
        long p = base + rb * i;
        for (int j = 0; j < cols; j++) {
          v[j] += U.getDouble(p + 8L * j);
        }
      }
      return;
    }
    if (mode == AXIS1 && v.length < rows) {
      throw new IllegalArgumentException(v.length + " slots for " + rows + " rows");
    }
    double total = v[0];
    for (int i = r0; i < r0 + h; i++) {
      long p = base + 8L * ((long) i * cols);
      double a0 = 0;
      double a1 = 0;
      double a2 = 0;
      double a3 = 0;
      double a4 = 0;
      double a5 = 0;
      double a6 = 0;
      double a7 = 0;
      int k = 0;
      for (; k + 7 < cols; k += 8) {
        long q = p + 8L * k;
        a0 += U.getDouble(q);
        a1 += U.getDouble(q + 8);
        a2 += U.getDouble(q + 16);
        a3 += U.getDouble(q + 24);
        a4 += U.getDouble(q + 32);
        a5 += U.getDouble(q + 40);
        a6 += U.getDouble(q + 48);
        a7 += U.getDouble(q + 56);
      }
      for (; k < cols; k++) {
        a0 += U.getDouble(p + 8L * k);
      }
      double s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
      if (mode == ALL) {
        total += s;
      } else {
        v[i] += s;
      }
    }
    if (mode == ALL) {
      v[0] = total;
    }
  }

  /** {@link #sumRows} modes: every axis reduced, axis 0 only (column sums), axis 1 only (row sums). */
  static final int ALL = 0;
  static final int AXIS0 = 1;
  static final int AXIS1 = 2;

  /** {@link #sumPairTile} operations: {@code l + r}, {@code l - r}, {@code l * r}. */
  static final int PAIR_ADD = 0;
  static final int PAIR_SUB = 1;
  static final int PAIR_MUL = 2;

  /**
   * Adds to {@code lanes} (eight partial sums) the values of {@code f(l, r)} over the {@code h x w}
   * piece at row {@code r0}, column {@code c0} of a compact row-major {@code rows x cols} block
   * {@code A}, read straight from its memory, and the row-major {@code h x w} tile {@code t} (in
   * cache): with {@code both}, {@code f(A, t)} into lanes 0-3 and {@code f(t, A)} into lanes 4-7
   * (a mirrored pair's two output tiles, see {@code MirrorPairs}); otherwise only {@code aLeft ?
   * f(A, t) : f(t, A)}, into lanes 0-3. Four columns at a time, column {@code j} of each group to
   * lane {@code j % 4} (the rest of a row to lane 0): eight independent chains of additions, no
   * copy of {@code A} and no array of the values.
   */
  static void sumPairTile(INDArray a, int rows, int cols, int r0, int h, int c0, int w, double[] t, int op,
      boolean both, boolean aLeft, double[] lanes) {
    try {
      sumPairTileAt(a, rows, cols, r0, h, c0, w, t, op, both, aLeft, lanes);
    } finally {
      Reference.reachabilityFence(a);
    }
  }

  private static void sumPairTileAt(INDArray a, int rows, int cols, int r0, int h, int c0, int w, double[] t, int op,
      boolean both, boolean aLeft, double[] lanes) {
    checkPiece(a, rows, cols, r0, h, c0, w, t);
    if (lanes.length < 8 || op < PAIR_ADD || op > PAIR_MUL) {
      throw new IllegalArgumentException("pair sum: op " + op + ", " + lanes.length + " lanes (8 needed)");
    }
    long base = address(a) + 8L * ((long) r0 * cols + c0);
    long rb = 8L * cols;
    // one f(l, r) for the single case: a SUB with the tile on the left is f(t, A) = -(A - t) exactly
    // (IEEE negation is exact), so it is summed as A - t into lanes that are negated at the end
    boolean neg = !both && !aLeft && op == PAIR_SUB;
    double s0 = neg ? -lanes[0] : lanes[0];
    double s1 = neg ? -lanes[1] : lanes[1];
    double s2 = neg ? -lanes[2] : lanes[2];
    double s3 = neg ? -lanes[3] : lanes[3];
    double s4 = lanes[4];
    double s5 = lanes[5];
    double s6 = lanes[6];
    double s7 = lanes[7];
    for (int i = 0; i < h; i++) {
      long pa = base + rb * i;
      int o = i * w;
      int j = 0;
      if (op == PAIR_ADD) {
        for (; j + 4 <= w; j += 4) {
          long q = pa + 8L * j;
          double x0 = U.getDouble(q);
          double x1 = U.getDouble(q + 8);
          double x2 = U.getDouble(q + 16);
          double x3 = U.getDouble(q + 24);
          double y0 = t[o + j];
          double y1 = t[o + j + 1];
          double y2 = t[o + j + 2];
          double y3 = t[o + j + 3];
          s0 += x0 + y0;
          s1 += x1 + y1;
          s2 += x2 + y2;
          s3 += x3 + y3;
          if (both) {
            s4 += y0 + x0;
            s5 += y1 + x1;
            s6 += y2 + x2;
            s7 += y3 + x3;
          }
        }
      } else if (op == PAIR_SUB) {
        for (; j + 4 <= w; j += 4) {
          long q = pa + 8L * j;
          double x0 = U.getDouble(q);
          double x1 = U.getDouble(q + 8);
          double x2 = U.getDouble(q + 16);
          double x3 = U.getDouble(q + 24);
          double y0 = t[o + j];
          double y1 = t[o + j + 1];
          double y2 = t[o + j + 2];
          double y3 = t[o + j + 3];
          s0 += x0 - y0;
          s1 += x1 - y1;
          s2 += x2 - y2;
          s3 += x3 - y3;
          if (both) {
            s4 += y0 - x0;
            s5 += y1 - x1;
            s6 += y2 - x2;
            s7 += y3 - x3;
          }
        }
      } else {
        for (; j + 4 <= w; j += 4) {
          long q = pa + 8L * j;
          double x0 = U.getDouble(q);
          double x1 = U.getDouble(q + 8);
          double x2 = U.getDouble(q + 16);
          double x3 = U.getDouble(q + 24);
          double y0 = t[o + j];
          double y1 = t[o + j + 1];
          double y2 = t[o + j + 2];
          double y3 = t[o + j + 3];
          s0 += x0 * y0;
          s1 += x1 * y1;
          s2 += x2 * y2;
          s3 += x3 * y3;
          if (both) {
            s4 += y0 * x0;
            s5 += y1 * x1;
            s6 += y2 * x2;
            s7 += y3 * x3;
          }
        }
      }
      for (; j < w; j++) {
        double x = U.getDouble(pa + 8L * j);
        double y = t[o + j];
        s0 += op == PAIR_ADD ? x + y : op == PAIR_SUB ? x - y : x * y;
        if (both) {
          s4 += op == PAIR_ADD ? y + x : op == PAIR_SUB ? y - x : y * x;
        }
      }
    }
    lanes[0] = neg ? -s0 : s0;
    lanes[1] = neg ? -s1 : s1;
    lanes[2] = neg ? -s2 : s2;
    lanes[3] = neg ? -s3 : s3;
    lanes[4] = s4;
    lanes[5] = s5;
    lanes[6] = s6;
    lanes[7] = s7;
  }
}
