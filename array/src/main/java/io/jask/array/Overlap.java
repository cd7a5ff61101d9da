package io.jask.array;

import io.jask.array.internal.Chunks;
import io.jask.array.internal.OverlapKernels;
import io.jask.array.internal.OverlapKernels.Take;
import io.jask.engine.Fn;
import io.jask.engine.Graph;
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

/**
 * {@code mapOverlap}, like {@code da.map_overlap}: every block is extended by {@code depth[a]}
 * elements of its neighbours on both sides of each axis a (corners included), the function runs on
 * the extended block, and the result is trimmed back to the block's own extent.
 *
 * <p>Design (dask's {@code overlap} + {@code map_blocks} + {@code trim_internal}, in two layers):
 * a slab layer cuts from each block only the thin pieces its neighbours need (faces, edges,
 * corners; for the array's edges the mirrored or repeated pieces of the block itself, or the
 * wrapped-around pieces of the block at the other end), so a task never receives a whole neighbour
 * block; then one task per block glues the block and its pieces into the extended block, applies
 * the function and trims ({@link OverlapKernels}). Depth may not exceed the smallest chunk of its
 * axis (a neighbour must hold {@code depth} elements).
 */
final class Overlap {
  private Overlap() {}

  static DArray mapOverlap(DArray x, Fn.F1<INDArray, INDArray> fn, int[] depth, Boundary boundary, boolean trim) {
    int rank = x.ndim();
    long[][] chunks = x.chunks();
    if (depth.length != rank) {
      throw new IllegalArgumentException("mapOverlap needs one depth per axis: " + depth.length + " given for shape "
          + Chunks.describeShape(x.shape()));
    }
    if (!Chunks.allKnown(chunks)) {
      throw new IllegalArgumentException("mapOverlap: unknown chunk sizes " + Chunks.describe(chunks));
    }
    for (int a = 0; a < rank; a++) {
      if (depth[a] < 0) {
        throw new IllegalArgumentException("mapOverlap: negative depth " + depth[a] + " on axis " + a);
      }
      long min = Arrays.stream(chunks[a]).min().orElse(0);
      if (depth[a] > min) {
        throw new IllegalArgumentException("mapOverlap: depth " + depth[a] + " on axis " + a
            + " is larger than the smallest chunk " + min + " of that axis (shape " + Chunks.describeShape(x.shape())
            + ", chunks " + Chunks.describe(chunks) + "); rechunk to larger chunks or use a smaller depth");
      }
    }
    int[] nb = Chunks.numBlocks(chunks);
    String base = Tokenize.name("overlap", x.name(), Arrays.toString(depth), boundary.kind().name(), boundary.value(),
        trim, fn);
    String slabName = "slab-" + base;
    String name = Tokenize.functionName(fn) + "-" + base;
    Map<Key, Task> slabs = new LinkedHashMap<>();
    Map<Key, Task> tasks = new LinkedHashMap<>();
    long[][] outChunks = Chunks.copy(chunks);
    for (int[] idx : Chunks.indices(nb)) {
      int[] low = new int[rank];
      int[] high = new int[rank];
      for (int a = 0; a < rank; a++) {
        boolean none = boundary.kind() == Boundary.Kind.NONE;
        low[a] = none && idx[a] == 0 ? 0 : depth[a];
        high[a] = none && idx[a] == nb[a] - 1 ? 0 : depth[a];
        if (!trim) {
          outChunks[a][idx[a]] = chunks[a][idx[a]] + low[a] + high[a];
        }
      }
      List<Object> pieces = new ArrayList<>();
      for (int[] off : OverlapKernels.offsets(low, high)) {
        pieces.add(piece(x, idx, off, nb, depth, boundary, slabName, slabs));
      }
      tasks.put(Key.of(name, idx), Task.of(new Apply(new OverlapKernels.Assemble(low, high, trim, fn), x.dtype()),
          pieces));
    }
    Graph g = x.graph();
    if (!slabs.isEmpty()) {
      g = Graph.of(Layer.of(slabName, Set.of(x.name()), slabs), g);
    }
    g = Graph.of(Layer.of(name, slabs.isEmpty() ? Set.of(x.name()) : Set.of(x.name(), slabName), tasks), g);
    return DArray.fromGraph(name, g, outChunks, x.dtype());
  }

  /** The key (or constant) of the piece at offset {@code off} around block {@code idx}. */
  private static Object piece(DArray x, int[] idx, int[] off, int[] nb, int[] depth, Boundary boundary,
      String slabName, Map<Key, Task> slabs) {
    int rank = idx.length;
    int[] src = new int[rank];
    Take[] takes = new Take[rank];
    boolean center = true;
    for (int a = 0; a < rank; a++) {
      int o = off[a];
      if (o == 0) {
        src[a] = idx[a];
        takes[a] = Take.ALL;
        continue;
      }
      center = false;
      int n = idx[a] + o;
      if (n >= 0 && n < nb[a]) {
        src[a] = n;
        takes[a] = o < 0 ? Take.LAST : Take.FIRST;
        continue;
      }
      switch (boundary.kind()) {
        case PERIODIC -> {
          src[a] = o < 0 ? nb[a] - 1 : 0;
          takes[a] = o < 0 ? Take.LAST : Take.FIRST;
        }
        case REFLECT -> {
          src[a] = idx[a];
          takes[a] = o < 0 ? Take.FIRST_REVERSED : Take.LAST_REVERSED;
        }
        case NEAREST -> {
          src[a] = idx[a];
          takes[a] = o < 0 ? Take.FIRST_REPEATED : Take.LAST_REPEATED;
        }
        case CONSTANT -> {
          return boundary.value();
        }
        default -> throw new IllegalStateException("no piece beyond the edge with boundary " + boundary);
      }
    }
    if (center) {
      return x.blockKey(idx);
    }
    int code = 0;
    for (Take t : takes) {
      code = code * Take.values().length + t.ordinal();
    }
    int[] keyIdx = Arrays.copyOf(src, rank + 1);
    keyIdx[rank] = code;
    Key k = Key.of(slabName, keyIdx);
    slabs.computeIfAbsent(k, kk -> Task.of(new OverlapKernels.Slab(takes, depth), x.blockKey(src)));
    return k;
  }

  /** The assembling task, with the result cast to the array's dtype. */
  record Apply(TaskFn assemble, DataType dtype) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      INDArray r = (INDArray) assemble.apply(args);
      if (r.dataType() == dtype) {
        return r;
      }
      INDArray c = r.castTo(dtype);
      if (r.closeable()) {
        r.close();
      }
      return c;
    }
  }
}
