package io.jask.array;

import io.jask.array.internal.Blocks;
import io.jask.array.internal.Chunks;
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
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Selection: slices and integer indices per axis, boolean masks and {@code take}. Slicing maps
 * each output chunk to exactly one input block (one output chunk per input block the slice
 * touches, in the slice's direction), so it reads nothing it does not return. Kernels gather
 * along one axis at a time over the block's values ({@link Blocks#takeAlong}).
 */
final class Selection {
  private Selection() {}

  /** Per axis: for each output chunk, the input block and the local positions it takes. */
  record AxisPick(int block, long[] local) {}

  static DArray get(DArray x, Slice... slices) {
    int r = x.ndim();
    if (slices.length > r) {
      throw new IndexOutOfBoundsException("too many indices: " + slices.length + " for an array of shape "
          + Chunks.describeShape(x.shape()));
    }
    List<List<AxisPick>> picks = new ArrayList<>();
    boolean[] drop = new boolean[r];
    boolean[] whole = new boolean[r];
    List<long[]> outAxes = new ArrayList<>();
    for (int a = 0; a < r; a++) {
      Slice s = a < slices.length ? slices[a] : Slice.all();
      long[] c = x.chunks[a];
      if (s.isAll()) {
        whole[a] = true;
        picks.add(null);
        outAxes.add(c.clone());
        continue;
      }
      if (!Chunks.known(c)) {
        throw new IllegalArgumentException("cannot slice axis " + a + " (" + s + ") of an array with unknown chunk sizes "
            + Chunks.describe(x.chunks));
      }
      long n = Chunks.axisSize(c);
      long[] res = s.resolve(n, a);
      long[] off = Chunks.offsets(c);
      List<AxisPick> ps = new ArrayList<>();
      if (s.isIndex()) {
        int b = blockOf(off, res[0]);
        ps.add(new AxisPick(b, new long[] {res[0] - off[b]}));
        drop[a] = true;
      } else {
        long start = res[0];
        long step = res[1];
        long count = res[2];
        // walk the selected positions, cutting whenever the block changes
        int cur = -1;
        List<Long> locals = new ArrayList<>();
        for (long k = 0; k < count; k++) {
          long g = start + k * step;
          int b = cur >= 0 && g >= off[cur] && g < off[cur + 1] ? cur : blockOf(off, g);
          if (b != cur && cur >= 0) {
            ps.add(new AxisPick(cur, locals.stream().mapToLong(Long::longValue).toArray()));
            locals.clear();
          }
          cur = b;
          locals.add(g - off[b]);
        }
        if (cur >= 0) {
          ps.add(new AxisPick(cur, locals.stream().mapToLong(Long::longValue).toArray()));
        }
        if (ps.isEmpty()) {
          ps.add(new AxisPick(0, new long[0]));
        }
        long[] oc = new long[ps.size()];
        for (int i = 0; i < oc.length; i++) {
          oc[i] = ps.get(i).local().length;
        }
        outAxes.add(oc);
      }
      picks.add(ps);
    }
    long[][] full = new long[r][];
    for (int a = 0, j = 0; a < r; a++) {
      full[a] = drop[a] ? new long[] {1} : outAxes.get(j++);
    }
    long[][] outChunks = outAxes.toArray(new long[0][]);
    String name = Tokenize.name("getitem", x.name, Arrays.toString(slices));
    String parent = x.name;
    DataType dt = x.dtype;
    Layer layer = Layer.lazy(name, Set.of(parent), () -> {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int[] fi : Chunks.indices(Chunks.numBlocks(full))) {
        int[] in = new int[r];
        long[][] locals = new long[r][];
        for (int a = 0; a < r; a++) {
          if (whole[a]) {
            in[a] = fi[a];
          } else {
            AxisPick p = picks.get(a).get(fi[a]);
            in[a] = p.block();
            locals[a] = p.local();
          }
        }
        int[] oi = new int[outChunks.length];
        for (int a = 0, j = 0; a < r; a++) {
          if (!drop[a]) {
            oi[j++] = fi[a];
          }
        }
        tasks.put(Key.of(name, oi), Task.of(new Pick(locals, drop, dt), Key.of(parent, in)));
      }
      return tasks;
    });
    return new DArray(name, x.graph.with(layer), outChunks, dt);
  }

  static int blockOf(long[] off, long g) {
    int lo = 0;
    int hi = off.length - 2;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (off[mid] <= g) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    // skip empty blocks that start at g
    while (lo < off.length - 2 && off[lo + 1] <= g) {
      lo++;
    }
    return lo;
  }

  /** Picks local positions per axis (null: all) from one block, dropping the axes marked. */
  record Pick(long[][] locals, boolean[] drop, DataType dtype) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      INDArray b = (INDArray) args[0];
      long[] shape = b.shape().clone(); // takeAlong updates it; ND4J's shape() is the block's own array
      double[] v = Blocks.toDoubles(b);
      for (int a = 0; a < shape.length; a++) {
        if (locals[a] != null) {
          v = Blocks.takeAlong(v, shape, a, locals[a]);
        }
      }
      int kept = 0;
      for (boolean d : drop) {
        if (!d) {
          kept++;
        }
      }
      long[] out = new long[kept];
      for (int a = 0, j = 0; a < shape.length; a++) {
        if (!drop[a]) {
          out[j++] = shape[a];
        }
      }
      return Blocks.fromDoubles(v, out, dtype);
    }
  }

  // ---- take ------------------------------------------------------------------------------------

  static DArray take(DArray x, long[] indices, int axisIn) {
    int r = x.ndim();
    int axis = axisIn < 0 ? axisIn + r : axisIn;
    if (axis < 0 || axis >= r) {
      throw new IllegalArgumentException("take: axis " + axisIn + " is out of bounds for shape " + Chunks.describeShape(x.shape()));
    }
    long[] c = x.chunks[axis];
    if (!Chunks.known(c)) {
      throw new IllegalArgumentException("take along axis " + axis + " needs known chunk sizes, got " + Chunks.describe(x.chunks));
    }
    long n = Chunks.axisSize(c);
    long[] off = Chunks.offsets(c);
    long[] idx = new long[indices.length];
    for (int i = 0; i < idx.length; i++) {
      long v = indices[i] < 0 ? indices[i] + n : indices[i];
      if (v < 0 || v >= n) {
        throw new IndexOutOfBoundsException("take: index " + indices[i] + " is out of bounds for axis " + axis + " with size " + n);
      }
      idx[i] = v;
    }
    long size = 1;
    for (long s : c) {
      size = Math.max(size, s);
    }
    long[] outAxis = idx.length == 0 ? new long[] {0} : Chunks.regular(new long[] {idx.length}, new int[] {(int) size})[0];
    long[][] outChunks = Chunks.copy(x.chunks);
    outChunks[axis] = outAxis;
    String name = Tokenize.name("take", x.name, idx, axis);
    String parent = x.name;
    DataType dt = x.dtype;
    long[] oo = Chunks.offsets(outAxis);
    Layer layer = Layer.lazy(name, Set.of(parent), () -> {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int[] oi : Chunks.indices(Chunks.numBlocks(outChunks))) {
        int lo = (int) oo[oi[axis]];
        int hi = (int) oo[oi[axis] + 1];
        TreeSet<Integer> blocks = new TreeSet<>();
        for (int i = lo; i < hi; i++) {
          blocks.add(blockOf(off, idx[i]));
        }
        if (blocks.isEmpty()) {
          blocks.add(0);
        }
        List<Integer> bl = new ArrayList<>(blocks);
        List<Key> keys = new ArrayList<>();
        long[] pos = new long[bl.size() + 1];
        for (int j = 0; j < bl.size(); j++) {
          int[] in = oi.clone();
          in[axis] = bl.get(j);
          keys.add(Key.of(parent, in));
          pos[j + 1] = pos[j] + c[bl.get(j)];
        }
        long[] local = new long[hi - lo];
        for (int i = lo; i < hi; i++) {
          int b = blockOf(off, idx[i]);
          local[i - lo] = pos[bl.indexOf(b)] + idx[i] - off[b];
        }
        tasks.put(Key.of(name, oi), Task.of(new TakeFn(axis, local, dt), keys));
      }
      return tasks;
    });
    return new DArray(name, x.graph.with(layer), outChunks, dt);
  }

  /** Concatenates the blocks along the axis, then picks the positions. */
  record TakeFn(int axis, long[] local, DataType dtype) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      List<?> blocks = (List<?>) args[0];
      long[] shape = ((INDArray) blocks.get(0)).shape().clone();
      double[] v;
      if (blocks.size() == 1) {
        v = Blocks.toDoubles((INDArray) blocks.get(0));
      } else {
        List<double[]> parts = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        long total = 0;
        for (Object o : blocks) {
          INDArray b = (INDArray) o;
          parts.add(Blocks.toDoubles(b));
          shapes.add(b.shape());
          total += b.size(axis);
        }
        shape[axis] = total;
        v = concat(parts, shapes, axis, shape);
      }
      v = Blocks.takeAlong(v, shape, axis, local);
      return Blocks.fromDoubles(v, shape, dtype);
    }
  }

  /** Row-major concatenation of blocks along an axis. */
  static double[] concat(List<double[]> parts, List<long[]> shapes, int axis, long[] outShape) {
    int outer = 1;
    for (int a = 0; a < axis; a++) {
      outer *= (int) outShape[a];
    }
    int inner = 1;
    for (int a = axis + 1; a < outShape.length; a++) {
      inner *= (int) outShape[a];
    }
    double[] out = new double[Math.toIntExact(Chunks.product(outShape))];
    int o = 0;
    for (int i = 0; i < outer; i++) {
      for (int p = 0; p < parts.size(); p++) {
        int len = (int) shapes.get(p)[axis] * inner;
        System.arraycopy(parts.get(p), i * len, out, o, len);
        o += len;
      }
    }
    return out;
  }

  // ---- boolean masks -----------------------------------------------------------------------------

  static DArray mask(DArray x, DArray mask) {
    if (mask.dtype != DataType.BOOL) {
      throw new IllegalArgumentException("a boolean mask must have dtype BOOL, got " + mask.dtype + " (use astype or a comparison)");
    }
    long[] xs = x.shape();
    long[] ms = mask.shape();
    if (mask.ndim() == 1 && x.ndim() > 1) {
      if (xs[0] != ms[0] || xs[0] == Chunks.UNKNOWN) {
        throw new IllegalArgumentException("boolean mask of shape " + Chunks.describeShape(ms)
            + " does not match axis 0 of the array of shape " + Chunks.describeShape(xs));
      }
      long[] common = Chunks.common(x.chunks[0], mask.chunks[0]);
      long[][] xc = Chunks.copy(x.chunks);
      xc[0] = common;
      DArray xa = Rechunker.rechunk(x, xc);
      DArray ma = Rechunker.rechunk(mask, new long[][] {common});
      long[][] out = Chunks.copy(xa.chunks);
      Arrays.fill(out[0], Chunks.UNKNOWN);
      return maskLayer(xa, ma, out, true);
    }
    if (!Arrays.equals(xs, ms) || !Chunks.allKnown(x.chunks) || !Chunks.allKnown(mask.chunks)) {
      throw new IllegalArgumentException("boolean mask of shape " + Chunks.describeShape(ms) + " and chunks "
          + Chunks.describe(mask.chunks) + " does not match the array of shape " + Chunks.describeShape(xs)
          + " and chunks " + Chunks.describe(x.chunks) + " (same shape with known chunks, or a 1-d mask over axis 0)");
    }
    // blocks that span every axis but the first, so block order is row-major order (NumPy's result order)
    long[][] target = Chunks.copy(x.chunks);
    target[0] = Chunks.common(x.chunks[0], mask.chunks[0]);
    for (int a = 1; a < target.length; a++) {
      target[a] = new long[] {xs[a]};
    }
    DArray xa = Rechunker.rechunk(x, target);
    DArray ma = Rechunker.rechunk(mask, target);
    long[] out = new long[target[0].length];
    Arrays.fill(out, Chunks.UNKNOWN);
    return maskLayer(xa, ma, new long[][] {out}, false);
  }

  private static DArray maskLayer(DArray x, DArray m, long[][] outChunks, boolean rows) {
    String name = Tokenize.name("mask", x.name, m.name);
    DataType dt = x.dtype;
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int[] idx : Chunks.indices(x.numBlocks())) {
      Key mk = Key.of(m.name, rows ? new int[] {idx[0]} : idx);
      int[] oi = rows ? idx : new int[] {idx[0]};
      tasks.put(Key.of(name, oi), Task.of(new MaskFn(rows, dt), Key.of(x.name, idx), mk));
    }
    Graph g = Graph.merge(x.graph, m.graph).with(Layer.of(name, Set.of(x.name, m.name), tasks));
    return new DArray(name, g, outChunks, dt);
  }

  /** Keeps the elements (or rows, along axis 0) where the mask is true, in row-major order. */
  record MaskFn(boolean rows, DataType dtype) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      INDArray b = (INDArray) args[0];
      double[] v = Blocks.toDoubles(b);
      double[] m = Blocks.toDoubles((INDArray) args[1]);
      if (rows) {
        long[] shape = b.shape().clone();
        int cnt = 0;
        for (double x : m) {
          if (x != 0) {
            cnt++;
          }
        }
        long[] pick = new long[cnt];
        for (int i = 0, j = 0; i < m.length; i++) {
          if (m[i] != 0) {
            pick[j++] = i;
          }
        }
        double[] out = Blocks.takeAlong(v, shape, 0, pick);
        return Blocks.fromDoubles(out, shape, dtype);
      }
      int cnt = 0;
      for (double x : m) {
        if (x != 0) {
          cnt++;
        }
      }
      double[] out = new double[cnt];
      for (int i = 0, j = 0; i < m.length; i++) {
        if (m[i] != 0) {
          out[j++] = v[i];
        }
      }
      return Blocks.fromDoubles(out, new long[] {cnt}, dtype);
    }
  }
}
