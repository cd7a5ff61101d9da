package io.jask.array.internal;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Streaming evaluation of an element-wise chain over 2-D float64 blocks, one band of rows at a
 * time, straight from the blocks' off-heap buffers.
 *
 * <p>Design: {@link ElemEval#eval} first copies every leaf block whole into a {@code double[]} (and
 * gathers a transposed one through a second copy), then writes a whole result array: five or six
 * passes over memory per block. Here a block of {@code rows x cols} is cut into bands of {@code h}
 * rows ({@code h * cols} about {@value #TARGET} elements, {@code h} a multiple of 8 so that a band
 * of a transposed leaf is read as runs of whole 64-byte cache lines of its buffer). For each band every
 * leaf is read once into a small L2-resident tile — a row-major leaf with one bulk copy, a
 * transposed one ({@code x.T} of a row-major block: strides {@code (1, rows)}) by bulk reads of
 * column runs into an L1-sized buffer, transposed from there in groups of 64 columns —
 * the chain is evaluated on the tiles, and the band is handed to a {@link Sink}: written into the
 * result's buffer with one bulk put ({@link #materialize}), or folded into a reduction's
 * accumulator ({@code Reduce.Partial}), so {@code (x + x.T).sum()} never holds {@code x + x.T}.
 *
 * <p>Applies when every leaf is float64, has the output's shape (no broadcasting) and is row-major
 * compact or a transposed compact buffer; other cases use {@link ElemEval#eval}.
 */
public final class Bands {
  /**
   * Elements per band: 64 KB per tile, so the leaves' tiles and the result of a band stay in the
   * core's L2 (512 KB here) while the chain runs over them and the sink reads them.
   */
  static final int TARGET = Integer.getInteger("jask.array.bandElements", 8192);

  private Bands() {}

  /** Columns per transposed group. */
  private static final int T = 64;
  private static final ThreadLocal<double[]> TMP = ThreadLocal.withInitial(() -> new double[Math.max(4 * TARGET, T)]);

  /** Receives the values of rows {@code [r0, r0 + h)} in row-major order ({@code v.length == h * cols}). */
  @FunctionalInterface
  public interface Sink {
    void band(double[] v, int r0, int h);
  }

  /** Whether {@link #run} handles these blocks for an output of {@code shape}. */
  public static boolean applies(INDArray[] blocks, long[] shape) {
    if (shape.length != 2 || shape[0] == 0 || shape[1] == 0 || shape[0] * shape[1] > Integer.MAX_VALUE) {
      return false;
    }
    for (INDArray b : blocks) {
      if (b.dataType() != DataType.DOUBLE || !Arrays.equals(b.shape(), shape) || layout(b) == 0) {
        return false;
      }
    }
    return true;
  }

  /** 1: compact row-major; 2: the transpose of a compact row-major buffer; 0: anything else. */
  static int layout(INDArray b) {
    if (b.rank() != 2 || b.offset() != 0 || b.data().length() != b.length()) {
      return 0;
    }
    long[] st = b.stride();
    long rows = b.size(0);
    long cols = b.size(1);
    if ((st[1] == 1 || cols == 1) && (st[0] == cols || rows == 1)) {
      return 1;
    }
    if ((st[0] == 1 || rows == 1) && (st[1] == rows || cols == 1)) {
      return 2;
    }
    return 0;
  }

  /**
   * The band height for {@code rows x cols}: about {@value #TARGET} elements, a multiple of 8 when
   * it can be. With a transposed leaf at least 32 rows (up to 256 KB per tile): its band is read
   * as one run of {@code h} values per column, and runs of one cache line (h = 8) cost 2.5 times
   * runs of four (a one-off measurement outside benchmarks/: 3.0 against 1.26 ms per 1,000 x 1,000 block, load ~20), as every run is on a new
   * page of the buffer (no huge pages here). (2-D pieces of 64 x 128 that keep every tile in L2
   * were tried and measured no faster than these bands.)
   */
  static int height(int rows, int cols, boolean transposed) {
    int h = Math.max(1, TARGET / cols);
    if (transposed && h < 32) {
      h = Math.max(h, Math.min(32, (4 * TARGET) / cols));
    }
    if (h >= 8) {
      h -= h % 8;
    }
    return Math.min(h, rows);
  }

  /** Evaluates {@code expr} over the blocks (see {@link #applies}) band by band into {@code sink}. */
  public static void run(Elem expr, INDArray[] blocks, long[] shape, Sink sink) {
    try {
      int rows = (int) shape[0];
      int cols = (int) shape[1];
      DoubleBuffer[] bufs = new DoubleBuffer[blocks.length];
      int[] lay = new int[blocks.length];
      boolean transposed = false;
      for (int i = 0; i < blocks.length; i++) {
        bufs[i] = blocks[i].data().asNioDouble();
        lay[i] = layout(blocks[i]);
        transposed |= lay[i] == 2 && rows > 1 && cols > 1;
      }
      int h = height(rows, cols, transposed);
      ElemEval ev = expr instanceof Elem.Leaf ? null : new ElemEval(expr);
      double[][] tiles = null;
      double[] out = null;
      for (int r0 = 0; r0 < rows; r0 += h) {
        int hh = Math.min(h, rows - r0);
        int n = hh * cols;
        if (tiles == null || tiles[0].length != n) {
          tiles = new double[blocks.length][n];
          out = ev == null ? null : new double[n];
        }
        for (int i = 0; i < blocks.length; i++) {
          if (ev == null && i != ((Elem.Leaf) expr).i()) {
            continue;
          }
          if (lay[i] == 2 && Native.available()) {
            Native.readTransposed(blocks[i], rows, cols, r0, hh, tiles[i]);
          } else {
            read(bufs[i], lay[i], rows, cols, r0, hh, tiles[i]);
          }
        }
        if (ev == null) {
          sink.band(tiles[((Elem.Leaf) expr).i()], r0, hh);
        } else {
          ev.run(tiles, n, out);
          sink.band(out, r0, hh);
        }
      }
    } finally {
      // the buffers are views of the blocks' off-heap memory without a reference to them: keep the
      // blocks (and so their memory) alive until the last read (see Native)
      java.lang.ref.Reference.reachabilityFence(blocks);
    }
  }

  /** Rows {@code [r0, r0 + h)} of a leaf into {@code tile}. */
  private static void read(DoubleBuffer buf, int layout, int rows, int cols, int r0, int h, double[] tile) {
    if (layout == 1) {
      buf.get(r0 * cols, tile, 0, h * cols);
      return;
    }
    // transposed: element (i, j) is at j * rows + i of the buffer, so column j of the band is a run
    // of h values there. Per group of T columns: T bulk reads into a small (L1) buffer, then a
    // transpose into the tile. (DoubleBuffer.get(int) per element costs about 4 ns here: never use it.)
    double[] tmp = TMP.get();
    for (int j0 = 0; j0 < cols; j0 += T) {
      int j1 = Math.min(cols, j0 + T);
      for (int j = j0; j < j1; j++) {
        buf.get(j * rows + r0, tmp, (j - j0) * h, h);
      }
      for (int i = 0; i < h; i++) {
        int o = i * cols;
        for (int j = j0, q = i; j < j1; j++, q += h) {
          tile[o + j] = tmp[q];
        }
      }
    }
  }

  /** The chain as a new compact float64 block of {@code shape}. */
  public static INDArray materialize(Elem expr, INDArray[] blocks, long[] shape) {
    INDArray out = org.nd4j.linalg.factory.Nd4j.createUninitialized(DataType.DOUBLE, shape, 'c');
    materializeInto(expr, blocks, shape, out.data().asNioDouble(), 0, shape[1]);
    return out;
  }

  /**
   * The chain written into {@code dst}: row i of the block goes to {@code [start + i * rowStride,
   * + cols)} (a block's place inside a larger compact row-major array), one bulk put per row.
   */
  public static void materializeInto(Elem expr, INDArray[] blocks, long[] shape, DoubleBuffer dst, long start,
      long rowStride) {
    int cols = (int) shape[1];
    if (start < 0 || start + (shape[0] - 1) * rowStride + cols > dst.capacity()) {
      throw new IllegalArgumentException("a block of shape " + Chunks.describeShape(shape) + " at " + start
          + " does not fit a buffer of " + dst.capacity());
    }
    if (rowStride == cols) {
      run(expr, blocks, shape, (v, r0, h) -> dst.put(Math.toIntExact(start + (long) r0 * cols), v, 0, h * cols));
      return;
    }
    run(expr, blocks, shape, (v, r0, h) -> {
      for (int i = 0; i < h; i++) {
        dst.put(Math.toIntExact(start + (r0 + i) * rowStride), v, i * cols, cols);
      }
    });
  }
}
