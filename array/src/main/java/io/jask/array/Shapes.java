package io.jask.array;

import io.jask.array.internal.Blocks;
import io.jask.array.internal.Chunks;
import io.jask.array.internal.DTypes;
import io.jask.engine.Graph;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Shape operations: transpose (a permuted view per block, no copy: element-wise kernels read it
 * through its strides), reshape, squeeze, expandDims, concatenate and stack.
 *
 * <p>Reshape follows Dask's approach: blocks must be runs of whole rows in row-major order, so the
 * input is rechunked to span every axis but the first, in runs of rows whose element counts are
 * whole rows of the output (rows in multiples of {@code lcm(inner, outInner) / inner}); each block
 * is then reshaped alone.
 */
final class Shapes {
  private Shapes() {}

  static DArray transpose(DArray x, int[] axesIn) {
    int r = x.ndim();
    int[] perm = new int[r];
    if (axesIn.length == 0) {
      for (int i = 0; i < r; i++) {
        perm[i] = r - 1 - i;
      }
    } else {
      if (axesIn.length != r) {
        throw new IllegalArgumentException("transpose: axes " + Arrays.toString(axesIn) + " do not match an array of shape "
            + Chunks.describeShape(x.shape()));
      }
      boolean[] seen = new boolean[r];
      for (int i = 0; i < r; i++) {
        int a = axesIn[i] < 0 ? axesIn[i] + r : axesIn[i];
        if (a < 0 || a >= r || seen[a]) {
          throw new IllegalArgumentException("transpose: axes " + Arrays.toString(axesIn) + " are not a permutation of "
              + r + " axes (shape " + Chunks.describeShape(x.shape()) + ")");
        }
        seen[a] = true;
        perm[i] = a;
      }
    }
    boolean identity = true;
    for (int i = 0; i < r; i++) {
      identity &= perm[i] == i;
    }
    if (identity) {
      return x;
    }
    long[][] out = new long[r][];
    for (int i = 0; i < r; i++) {
      out[i] = x.chunks[perm[i]].clone();
    }
    String name = Tokenize.name("transpose", x.name, perm);
    String parent = x.name;
    Layer layer = Layer.lazy(name, Set.of(parent), () -> {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int[] oi : Chunks.indices(Chunks.numBlocks(out))) {
        int[] in = new int[r];
        for (int i = 0; i < r; i++) {
          in[perm[i]] = oi[i];
        }
        tasks.put(Key.of(name, oi), Task.of(new Permute(perm), Key.of(parent, in)));
      }
      return tasks;
    });
    return new DArray(name, x.graph.with(layer), out, x.dtype);
  }

  record Permute(int[] perm) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return ((INDArray) args[0]).permute(perm);
    }
  }

  record Reshape(long[] shape) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      INDArray b = (INDArray) args[0];
      long[] s = shape;
      if (s.length > 0 && s[0] == Chunks.UNKNOWN) {
        // a block of unknown rows (after a mask): as many rows as its values make
        s = s.clone();
        long rest = 1;
        for (int a = 1; a < s.length; a++) {
          rest *= s[a];
        }
        if (rest == 0 || b.length() % rest != 0) {
          throw new IllegalArgumentException("a block of shape " + Blocks.shapeOf(b) + " cannot be reshaped into "
              + Chunks.describeShape(shape));
        }
        s[0] = b.length() / rest;
      }
      if (Arrays.equals(b.shape(), s)) {
        return b;
      }
      INDArray c = b.dup('c');
      return c.reshape('c', s);
    }
  }

  /** Reshapes every block to the shape its output chunks give it. */
  private static DArray reshapeBlocks(String prefix, DArray x, long[][] out, Object token) {
    if (Chunks.total(Chunks.numBlocks(out)) != Chunks.total(x.numBlocks())) {
      throw new IllegalStateException("block grids differ: " + Chunks.describe(x.chunks) + " vs " + Chunks.describe(out));
    }
    String name = Tokenize.name(prefix, x.name, out, token);
    String parent = x.name;
    int[] inNb = x.numBlocks();
    Layer layer = Layer.lazy(name, Set.of(parent), () -> {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      int f = 0;
      for (int[] oi : Chunks.indices(Chunks.numBlocks(out))) {
        tasks.put(Key.of(name, oi), Task.of(new Reshape(Chunks.blockShape(out, oi)), Key.of(parent, Chunks.unravel(f++, inNb))));
      }
      return tasks;
    });
    return new DArray(name, x.graph.with(layer), out, x.dtype);
  }

  static DArray reshape(DArray x, long[] shapeIn) {
    if (!Chunks.allKnown(x.chunks)) {
      return reshapeUnknown(x, shapeIn);
    }
    long[] in = x.shape();
    long total = Chunks.product(in);
    long[] shape = shapeIn.clone();
    int unknown = -1;
    long known = 1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == -1) {
        if (unknown >= 0) {
          throw new IllegalArgumentException("reshape: only one dimension can be -1, got " + Chunks.describeShape(shapeIn));
        }
        unknown = i;
      } else if (shape[i] < 0) {
        throw new IllegalArgumentException("reshape: negative dimension in " + Chunks.describeShape(shapeIn));
      } else {
        known *= shape[i];
      }
    }
    if (unknown >= 0) {
      if (known == 0 || total % known != 0) {
        throw new IllegalArgumentException("cannot reshape array of shape " + Chunks.describeShape(in) + " into shape "
            + Arrays.toString(shapeIn).replace('[', '(').replace(']', ')'));
      }
      shape[unknown] = total / known;
    }
    if (Chunks.product(shape) != total) {
      throw new IllegalArgumentException("cannot reshape array of size " + total + " (shape " + Chunks.describeShape(in)
          + ") into shape " + Chunks.describeShape(shape));
    }
    if (Arrays.equals(shape, in)) {
      return x;
    }
    long inner = 1;
    for (int a = 1; a < in.length; a++) {
      inner *= in[a];
    }
    long outInner = 1;
    for (int a = 1; a < shape.length; a++) {
      outInner *= shape[a];
    }
    if (in.length == 0 || shape.length == 0 || total == 0 || Chunks.total(x.numBlocks()) == 1) {
      DArray one = Rechunker.rechunk(x, single(in));
      return reshapeBlocks("reshape", one, single(shape), "single");
    }
    long g = lcm(inner, outInner) / inner; // rows per run so that a run is whole output rows
    long c0 = Math.max(g, (x.chunks[0][0] / g) * g);
    long[][] target = new long[in.length][];
    target[0] = Chunks.regular(new long[] {in[0]}, new int[] {(int) Math.min(Integer.MAX_VALUE, c0)})[0];
    for (int a = 1; a < in.length; a++) {
      target[a] = new long[] {in[a]};
    }
    DArray runs = Rechunker.rechunk(x, target);
    long[][] out = new long[shape.length][];
    out[0] = new long[target[0].length];
    for (int b = 0; b < target[0].length; b++) {
      out[0][b] = target[0][b] * inner / outInner;
    }
    for (int a = 1; a < shape.length; a++) {
      out[a] = new long[] {shape[a]};
    }
    return reshapeBlocks("reshape", runs, out, "runs");
  }

  /**
   * Reshape of an array with unknown chunk sizes (after a boolean mask). Dask allows only {@code
   * x.reshape(-1)} of a 1-D array (the array itself). Here also the case where every block stays
   * whole rows: axis 0 is the only unknown one, the other axes are known and in one chunk each, the
   * new shape is {@code (-1, d1, …)} and {@code d1·…} divides the size of one input row; each block
   * is reshaped alone and the new axis 0 stays unknown. Anything else fails like Dask, naming the
   * shape and chunks.
   */
  private static DArray reshapeUnknown(DArray x, long[] shapeIn) {
    long[] in = x.shape();
    if (shapeIn.length == 1 && shapeIn[0] == -1 && in.length == 1) {
      return x;
    }
    boolean rowsOnly = in.length >= 1 && shapeIn.length >= 1 && shapeIn[0] == -1;
    long inner = 1;
    for (int a = 1; a < in.length && rowsOnly; a++) {
      rowsOnly = x.chunks[a].length == 1 && x.chunks[a][0] != Chunks.UNKNOWN;
      inner *= in[a];
    }
    long outInner = 1;
    for (int a = 1; a < shapeIn.length && rowsOnly; a++) {
      rowsOnly = shapeIn[a] >= 0;
      outInner *= shapeIn[a];
    }
    if (rowsOnly && outInner > 0 && inner % outInner == 0) {
      long[][] out = new long[shapeIn.length][];
      out[0] = new long[x.chunks[0].length];
      for (int b = 0; b < out[0].length; b++) {
        long r = x.chunks[0][b];
        out[0][b] = r == Chunks.UNKNOWN ? Chunks.UNKNOWN : r * (inner / outInner);
      }
      for (int a = 1; a < shapeIn.length; a++) {
        out[a] = new long[] {shapeIn[a]};
      }
      return reshapeBlocks("reshape", x, out, "unknown-rows");
    }
    throw new IllegalArgumentException("cannot reshape an array whose chunk sizes are unknown (shape "
        + Chunks.describeShape(in) + ", chunks " + Chunks.describe(x.chunks) + ") into "
        + Arrays.toString(shapeIn).replace('[', '(').replace(']', ')') + ": call computeChunkSizes() first (only "
        + "reshape(-1) of a 1-D array, or (-1, d1, …) when the other axes are known, in one chunk each, and d1·… "
        + "divides a row, keep the blocks)");
  }

  private static long[][] single(long[] shape) {
    long[][] c = new long[shape.length][];
    for (int a = 0; a < shape.length; a++) {
      c[a] = new long[] {shape[a]};
    }
    return c;
  }

  private static long lcm(long a, long b) {
    if (a == 0 || b == 0) {
      return Math.max(a, b);
    }
    long x = a;
    long y = b;
    while (y != 0) {
      long t = x % y;
      x = y;
      y = t;
    }
    return a / x * b;
  }

  static DArray squeeze(DArray x, int[] axesIn) {
    int r = x.ndim();
    long[] shape = x.shape();
    boolean[] drop = new boolean[r];
    if (axesIn.length == 0) {
      for (int a = 0; a < r; a++) {
        drop[a] = shape[a] == 1;
      }
    } else {
      for (int ax : axesIn) {
        int a = ax < 0 ? ax + r : ax;
        if (a < 0 || a >= r) {
          throw new IllegalArgumentException("squeeze: axis " + ax + " is out of bounds for shape " + Chunks.describeShape(shape));
        }
        if (shape[a] != 1) {
          throw new IllegalArgumentException("squeeze: cannot select axis " + ax + " of size " + shape[a]
              + " (shape " + Chunks.describeShape(shape) + ")");
        }
        drop[a] = true;
      }
    }
    List<long[]> out = new ArrayList<>();
    for (int a = 0; a < r; a++) {
      if (!drop[a]) {
        out.add(x.chunks[a].clone());
      }
    }
    if (out.size() == r) {
      return x;
    }
    return reshapeBlocks("squeeze", x, out.toArray(new long[0][]), drop);
  }

  static DArray expandDims(DArray x, int axisIn) {
    int r = x.ndim() + 1;
    int axis = axisIn < 0 ? axisIn + r : axisIn;
    if (axis < 0 || axis >= r) {
      throw new IllegalArgumentException("expandDims: axis " + axisIn + " is out of bounds for the result of rank " + r
          + " (shape " + Chunks.describeShape(x.shape()) + ")");
    }
    long[][] out = new long[r][];
    for (int a = 0, j = 0; a < r; a++) {
      out[a] = a == axis ? new long[] {1} : x.chunks[j++].clone();
    }
    return reshapeBlocks("expand-dims", x, out, axis);
  }

  static DArray concatenate(List<DArray> arrays, int axisIn) {
    if (arrays.isEmpty()) {
      throw new IllegalArgumentException("concatenate needs at least one array");
    }
    int r = arrays.get(0).ndim();
    if (r == 0) {
      throw new IllegalArgumentException("zero-dimensional arrays cannot be concatenated");
    }
    int axis = axisIn < 0 ? axisIn + r : axisIn;
    if (axis < 0 || axis >= r) {
      throw new IllegalArgumentException("concatenate: axis " + axisIn + " is out of bounds for rank " + r);
    }
    DataType dt = arrays.get(0).dtype;
    for (DArray a : arrays) {
      if (a.ndim() != r) {
        throw new IllegalArgumentException("concatenate: all arrays need the same number of dimensions, got shapes "
            + Elementwise.shapes(arrays));
      }
      dt = dt == DataType.BOOL && a.dtype == DataType.BOOL ? DataType.BOOL : DTypes.promote(dt, a.dtype);
      for (int ax = 0; ax < r; ax++) {
        if (ax != axis && a.shape()[ax] != arrays.get(0).shape()[ax]) {
          throw new IllegalArgumentException("concatenate along axis " + axis + ": shapes " + Elementwise.shapes(arrays)
              + " differ in axis " + ax);
        }
      }
    }
    // common chunks on the other axes
    long[][] common = Chunks.copy(arrays.get(0).chunks);
    for (DArray a : arrays) {
      for (int ax = 0; ax < r; ax++) {
        if (ax != axis && !Arrays.equals(common[ax], a.chunks[ax])) {
          if (!Chunks.known(common[ax]) || !Chunks.known(a.chunks[ax])) {
            throw new IllegalArgumentException("concatenate: cannot align unknown chunks " + Elementwise.chunkList(arrays));
          }
          common[ax] = Chunks.common(common[ax], a.chunks[ax]);
        }
      }
    }
    List<DArray> parts = new ArrayList<>();
    List<Long> axisChunks = new ArrayList<>();
    for (DArray a : arrays) {
      long[][] t = Chunks.copy(common);
      t[axis] = a.chunks[axis].clone();
      DArray p = Rechunker.rechunk(a, t).astype(dt);
      parts.add(p);
      for (long c : p.chunks[axis]) {
        axisChunks.add(c);
      }
    }
    long[][] out = Chunks.copy(common);
    out[axis] = axisChunks.stream().mapToLong(Long::longValue).toArray();
    String name = Tokenize.name("concatenate", parts.stream().map(p -> p.name).toList(), axis);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    Set<String> deps = new LinkedHashSet<>();
    int base = 0;
    for (DArray p : parts) {
      deps.add(p.name);
      for (int[] idx : Chunks.indices(p.numBlocks())) {
        int[] oi = idx.clone();
        oi[axis] += base;
        tasks.put(Key.of(name, oi), Task.alias(Key.of(p.name, idx)));
      }
      base += p.chunks[axis].length;
    }
    Graph g = Graph.merge(parts.stream().map(p -> p.graph).toArray(Graph[]::new)).with(Layer.of(name, deps, tasks));
    return new DArray(name, g, out, dt);
  }

  static DArray stack(List<DArray> arrays, int axisIn) {
    if (arrays.isEmpty()) {
      throw new IllegalArgumentException("stack needs at least one array");
    }
    long[] s0 = arrays.get(0).shape();
    for (DArray a : arrays) {
      if (!Arrays.equals(a.shape(), s0)) {
        throw new IllegalArgumentException("stack: all arrays need the same shape, got " + Elementwise.shapes(arrays));
      }
    }
    int r = s0.length + 1;
    int axis = axisIn < 0 ? axisIn + r : axisIn;
    List<DArray> expanded = new ArrayList<>();
    for (DArray a : arrays) {
      expanded.add(expandDims(a, axis));
    }
    return concatenate(expanded, axis);
  }
}
