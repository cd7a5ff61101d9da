package io.jask.array;

import io.jask.array.internal.Chunks;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Rechunking that moves only the overlapping pieces (no full materialization): along each axis,
 * a new chunk is the union of the parts of the old chunks that overlap it; an output block is
 * assembled from the grid of those parts, one task per output block, reading only the old blocks
 * it overlaps. A new block that is exactly an old block becomes an alias (no copy).
 */
final class Rechunker {
  private Rechunker() {}

  /** One old chunk's part inside a new chunk, along one axis. */
  record Piece(int block, long start, long stop) {}

  static DArray rechunk(DArray x, long[][] target) {
    long[][] old = x.chunks;
    if (target.length != old.length) {
      throw new IllegalArgumentException("rechunk to " + Chunks.describe(target) + " has " + target.length
          + " axes but the array of shape " + Chunks.describeShape(x.shape()) + " has " + old.length);
    }
    if (Chunks.same(old, target)) {
      return x;
    }
    List<List<List<Piece>>> perAxis = new ArrayList<>();
    for (int a = 0; a < old.length; a++) {
      if (Arrays.equals(old[a], target[a])) {
        List<List<Piece>> same = new ArrayList<>();
        for (int b = 0; b < old[a].length; b++) {
          same.add(List.of(new Piece(b, 0, old[a][b])));
        }
        perAxis.add(same);
        continue;
      }
      if (!Chunks.known(old[a])) {
        throw new IllegalArgumentException("cannot rechunk axis " + a + " of an array with unknown chunk sizes "
            + Chunks.describe(old) + " (compute the chunk sizes first)");
      }
      if (Chunks.axisSize(old[a]) != Chunks.axisSize(target[a])) {
        throw new IllegalArgumentException("rechunk to " + Chunks.describe(target) + " does not match the shape "
            + Chunks.describeShape(x.shape()) + " (axis " + a + ")");
      }
      perAxis.add(pieces(old[a], target[a]));
    }
    String name = Tokenize.name("rechunk", x.name, target);
    String parent = x.name;
    DataType dt = x.dtype;
    long[][] chunks = Chunks.copy(target);
    Layer layer = Layer.lazy(name, Set.of(parent), () -> {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int[] idx : Chunks.indices(Chunks.numBlocks(chunks))) {
        List<List<Piece>> grid = new ArrayList<>();
        int[] gridShape = new int[idx.length];
        for (int a = 0; a < idx.length; a++) {
          grid.add(perAxis.get(a).get(idx[a]));
          gridShape[a] = grid.get(a).size();
        }
        int n = Chunks.total(gridShape);
        if (n == 1) {
          boolean whole = true;
          int[] oi = new int[idx.length];
          for (int a = 0; a < idx.length; a++) {
            Piece p = grid.get(a).get(0);
            oi[a] = p.block();
            whole &= p.start() == 0 && p.stop() == old[a][p.block()];
          }
          if (whole) {
            tasks.put(Key.of(name, idx), Task.alias(Key.of(parent, oi)));
            continue;
          }
        }
        List<Key> keys = new ArrayList<>(n);
        long[][] starts = new long[n][];
        long[][] stops = new long[n][];
        for (int f = 0; f < n; f++) {
          int[] gi = Chunks.unravel(f, gridShape);
          int[] oi = new int[idx.length];
          starts[f] = new long[idx.length];
          stops[f] = new long[idx.length];
          for (int a = 0; a < idx.length; a++) {
            Piece p = grid.get(a).get(gi[a]);
            oi[a] = p.block();
            starts[f][a] = p.start();
            stops[f][a] = p.stop();
          }
          keys.add(Key.of(parent, oi));
        }
        tasks.put(Key.of(name, idx), Task.of(new Assemble(Chunks.blockShape(chunks, idx), gridShape, starts, stops, dt), keys));
      }
      return tasks;
    });
    return new DArray(name, x.graph.with(layer), chunks, dt);
  }

  /** For each new chunk, the parts of the old chunks it covers. */
  static List<List<Piece>> pieces(long[] old, long[] target) {
    long[] oo = Chunks.offsets(old);
    List<List<Piece>> out = new ArrayList<>();
    long start = 0;
    int b = 0;
    for (long size : target) {
      long stop = start + size;
      List<Piece> ps = new ArrayList<>();
      while (b < old.length - 1 && oo[b + 1] <= start) {
        b++;
      }
      if (size == 0) {
        ps.add(new Piece(b, start - oo[b], start - oo[b]));
      } else {
        for (int k = b; k < old.length && oo[k] < stop; k++) {
          long s = Math.max(start, oo[k]);
          long e = Math.min(stop, oo[k + 1]);
          if (e > s) {
            ps.add(new Piece(k, s - oo[k], e - oo[k]));
          }
        }
      }
      out.add(ps);
      start = stop;
    }
    return out;
  }

  /** Builds one new block from the parts of old blocks (row-major grid of parts). */
  record Assemble(long[] shape, int[] grid, long[][] starts, long[][] stops, DataType dtype) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      List<?> parts = (List<?>) args[0];
      INDArray out = Nd4j.createUninitialized(dtype, shape, 'c');
      if (out.length() == 0) {
        return out;
      }
      long[] pos = new long[shape.length];
      for (int f = 0; f < parts.size(); f++) {
        int[] gi = Chunks.unravel(f, grid);
        INDArray part = (INDArray) parts.get(f);
        INDArrayIndex[] src = new INDArrayIndex[shape.length];
        INDArrayIndex[] dst = new INDArrayIndex[shape.length];
        boolean empty = false;
        for (int a = 0; a < shape.length; a++) {
          // position of this part along axis a = sum of the sizes of the parts before it on that axis
          long p = 0;
          for (int g = 0; g < gi[a]; g++) {
            int[] prev = gi.clone();
            prev[a] = g;
            int pf = Chunks.ravel(prev, grid);
            p += stops[pf][a] - starts[pf][a];
          }
          pos[a] = p;
          long len = stops[f][a] - starts[f][a];
          empty |= len == 0;
          src[a] = NDArrayIndex.interval(starts[f][a], stops[f][a]);
          dst[a] = NDArrayIndex.interval(p, p + len);
        }
        if (empty) {
          continue;
        }
        INDArray piece = shape.length == 0 ? part : part.get(src);
        if (shape.length == 0) {
          out.assign(piece);
        } else {
          out.get(dst).assign(piece);
        }
      }
      return out;
    }
  }
}
