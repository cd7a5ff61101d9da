package io.jask.array;

import io.jask.array.internal.Blocks;
import io.jask.array.internal.Chunks;
import java.nio.ByteBuffer;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Puts computed blocks together into one array (chunk sizes that were unknown are read from the blocks). */
final class Assembly {
  private Assembly() {}

  static INDArray assemble(List<Object> results, long[][] chunks, DataType dtype) {
    int r = chunks.length;
    int[] nb = Chunks.numBlocks(chunks);
    if (results.size() == 1) {
      INDArray only = (INDArray) results.get(0);
      return only.dataType() == dtype ? only : only.castTo(dtype);
    }
    long[][] actual = new long[r][];
    for (int a = 0; a < r; a++) {
      actual[a] = new long[nb[a]];
      for (int j = 0; j < nb[a]; j++) {
        int[] idx = new int[r];
        idx[a] = j;
        INDArray b = (INDArray) results.get(Chunks.ravel(idx, nb));
        actual[a][j] = b.size(a);
        if (chunks[a][j] != Chunks.UNKNOWN && chunks[a][j] != actual[a][j]) {
          throw new IllegalStateException("block " + java.util.Arrays.toString(idx) + " has shape "
              + Chunks.describeShape(b.shape()) + " but the chunks " + Chunks.describe(chunks) + " say " + chunks[a][j]
              + " along axis " + a);
        }
      }
    }
    long[] shape = Chunks.shape(actual);
    INDArray out = Nd4j.createUninitialized(dtype, shape, 'c');
    if (out.length() == 0) {
      return out;
    }
    long[][] offs = new long[r][];
    for (int a = 0; a < r; a++) {
      offs[a] = Chunks.offsets(actual[a]);
    }
    boolean bulk = out.length() * dtype.width() <= Integer.MAX_VALUE;
    ByteBuffer dst = bulk ? out.data().asNio() : null;
    long[] ostr = Chunks.cStrides(shape);
    for (int f = 0; f < results.size(); f++) {
      int[] idx = Chunks.unravel(f, nb);
      INDArray b = (INDArray) results.get(f);
      if (b.length() == 0) {
        continue;
      }
      if (bulk && b.dataType() == dtype && Blocks.compactC(b)) {
        long[] start = new long[r];
        for (int a = 0; a < r; a++) {
          start[a] = offs[a][idx[a]];
        }
        copyRows(b, start, ostr, dst, dtype.width());
        continue;
      }
      INDArrayIndex[] ix = new INDArrayIndex[r];
      for (int a = 0; a < r; a++) {
        ix[a] = NDArrayIndex.interval(offs[a][idx[a]], offs[a][idx[a] + 1]);
      }
      out.get(ix).assign(b);
    }
    return out;
  }

  /**
   * Copies a compact row-major block into {@code dst} (the buffer of a compact row-major array
   * with strides {@code ostr}) at element position {@code start}: one bulk copy per run of the
   * last axis.
   */
  private static void copyRows(INDArray b, long[] start, long[] ostr, ByteBuffer dst, int width) {
    ByteBuffer src = b.data().asNio();
    long[] bs = b.shape();
    int r = bs.length;
    int inner = r == 0 ? 1 : (int) bs[r - 1];
    int runBytes = inner * width;
    long runs = b.length() / inner;
    long[] ctr = new long[r];
    long base = 0;
    for (int a = 0; a < r; a++) {
      base += start[a] * ostr[a];
    }
    long o = base;
    for (long k = 0; k < runs; k++) {
      dst.put(Math.toIntExact(o * width), src, Math.toIntExact(k * runBytes), runBytes);
      for (int a = r - 2; a >= 0; a--) {
        ctr[a]++;
        o += ostr[a];
        if (ctr[a] < bs[a]) {
          break;
        }
        o -= ostr[a] * bs[a];
        ctr[a] = 0;
      }
    }
  }
}
