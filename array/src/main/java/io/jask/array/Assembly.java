package io.jask.array;

import io.jask.array.internal.Blocks;
import io.jask.array.internal.Chunks;
import io.jask.array.internal.ArrayFns;
import io.jask.array.internal.Bands;
import io.jask.array.internal.ElemEval;
import io.jask.array.internal.Gram;
import io.jask.array.internal.MirrorPairs;
import io.jask.engine.Graph;
import io.jask.engine.Jask;
import io.jask.engine.JaskCollection;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import io.jask.engine.scheduler.Scheduler;
import io.jask.engine.scheduler.local.LocalScheduler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Puts computed blocks together into one array (chunk sizes that were unknown are read from the
 * blocks), or, on an in-process scheduler, has the tasks write their blocks straight into it.
 */
final class Assembly {
  private Assembly() {}

  /**
   * {@code compute()} of an array whose blocks are all made by fused element-wise tasks, on an
   * in-process scheduler ({@code sync}, {@code threads}): the result is allocated first and each
   * task writes its block into its place ({@link Into}), so no block exists as an array of its own
   * and nothing is copied afterwards (a 2-D float64 chain is evaluated band by band straight into
   * the result). Returns empty when this does not apply (other schedulers, unknown chunks, one
   * block, other task kinds, results over 2 GB).
   */
  /**
   * {@code compute()} of a float64 element-wise expression over {@code m} and {@code m.T} (such as
   * {@code x + x.T}, see {@link Reductions#mirrorBase(DArray)}) on an in-process scheduler: one task
   * per mirrored pair of blocks reads {@code m[i, j]} and {@code m[j, i]} once and writes output blocks
   * (i, j) and (j, i) into the result ({@link MirrorPairs.IntoPair}); empty otherwise.
   */
  static Optional<INDArray> computePairsInto(Scheduler scheduler, DArray x) {
    if (!(scheduler instanceof LocalScheduler) || x.dtype != DataType.DOUBLE || x.ndim() != 2 || x.chunks[0].length * x.chunks[1].length <= 1
        || x.size() * 8 > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    DArray m = Reductions.mirrorBase(x);
    if (m == null) {
      return Optional.empty();
    }
    long[] shape = x.shape();
    long[] offs = Chunks.offsets(x.chunks[0]);
    int n = x.chunks[0].length;
    boolean[] transposed = new boolean[x.leaves.size()];
    for (int k = 0; k < transposed.length; k++) {
      transposed[k] = !x.leaves.get(k).name.equals(m.name);
    }
    INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, shape, 'c');
    String into = Tokenize.name("into-pairs", x.name);
    long cols = shape[1];
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        MirrorPairs.IntoPair fn = new MirrorPairs.IntoPair(x.expr, transposed, out, offs[i] * cols + offs[j],
            offs[j] * cols + offs[i], cols);
        tasks.put(Key.of(into, i, j), i == j ? Task.of(fn, Key.of(m.name, i, i))
            : Task.of(fn, Key.of(m.name, i, j), Key.of(m.name, j, i)));
      }
    }
    Graph g = m.graph.with(Layer.of(into, java.util.Set.of(m.name), tasks));
    try {
      Jask.compute(scheduler, new Written(g, new ArrayList<>(tasks.keySet())));
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
    return Optional.of(out);
  }

  /** {@code -Djask.array.gramWhole=false} keeps {@code compute()} of {@code x @ x.T} on the per-block Gram tasks (for A/B measurements). */
  static final boolean GRAM_WHOLE = !"false".equals(System.getProperty("jask.array.gramWhole"));

  /** Mirror tasks of the whole-array Gram: bands of rows with equal work, a few per core so that no task runs alone at the end. */
  static final int MIRROR_BANDS = 8;

  /**
   * {@code compute()} of a float64 {@code x @ x.T} (the Gram kernels, {@link DArray#gramOf}) on an
   * in-process scheduler: one task per row block of {@code x} copies its blocks into one compact
   * {@code n x k} array ({@link Gram.GatherRows}), then one BLAS {@code dsyrk} over the whole
   * contracted axis with OpenBLAS's threads writes the lower triangle of the result ({@link
   * Gram.SyrkWhole}), then {@value #MIRROR_BANDS} tasks fill the upper triangle by bands of rows of
   * equal work ({@link Gram.MirrorRows}, {@link Gram#mirrorBands}). The copy of {@code x} is plain
   * native memory that is not zero-filled first ({@link Gram.Panel}). As NumPy does it: one {@code syrk} call keeps both cores in BLAS's blocked
   * kernel, where per-block products (1 BLAS thread per task, the contracted axis cut in chunks)
   * spent ~20 % more CPU and waited on the slowest block (docs/array.md, "Performance"). Costs one
   * copy of {@code x} (freed before returning). Empty when this does not apply (other schedulers,
   * other dtypes, unknown chunks, an input or result over 2 GB, {@code -Djask.array.gramWhole=false}).
   */
  static Optional<INDArray> computeGramInto(Scheduler scheduler, DArray x) {
    DArray a = x.gramOf;
    if (!GRAM_WHOLE || a == null || !(scheduler instanceof LocalScheduler) || x.dtype != DataType.DOUBLE
        || a.dtype != DataType.DOUBLE || a.ndim() != 2 || !Chunks.allKnown(a.chunks)) {
      return Optional.empty();
    }
    long n = a.shape()[0];
    long k = a.shape()[1];
    if (n == 0 || k == 0 || n * n * 8 > Integer.MAX_VALUE || n * k * 8 > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {n, n}, 'c');
    Gram.Panel panel;
    try {
      panel = new Gram.Panel(n, k);
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
    long[] rowOffs = Chunks.offsets(a.chunks[0]);
    int rows = a.chunks[0].length;
    int ks = a.chunks[1].length;
    String gather = Tokenize.name("gram-gather", x.name);
    String syrk = Tokenize.name("gram-syrk", x.name);
    String mirror = Tokenize.name("gram-mirror", x.name);
    Map<Key, Task> gathers = new LinkedHashMap<>();
    for (int i = 0; i < rows; i++) {
      Key[] blocks = new Key[ks];
      for (int j = 0; j < ks; j++) {
        blocks[j] = Key.of(a.name, i, j);
      }
      gathers.put(Key.of(gather, i), Task.of(new Gram.GatherRows(panel, rowOffs[i]), (Object[]) blocks));
    }
    Key syrkKey = Key.of(syrk, 0);
    Map<Key, Task> syrks = Map.of(syrkKey, Task.of(new Gram.SyrkWhole(panel, out), gathers.keySet().toArray()));
    Map<Key, Task> mirrors = new LinkedHashMap<>();
    int[] bands = Gram.mirrorBands((int) n, MIRROR_BANDS);
    for (int i = 0; i + 1 < bands.length; i++) {
      mirrors.put(Key.of(mirror, i), Task.of(new Gram.MirrorRows(out, bands[i], bands[i + 1] - bands[i]), syrkKey));
    }
    Graph g = a.graph.with(Layer.of(gather, java.util.Set.of(a.name), gathers))
        .with(Layer.of(syrk, java.util.Set.of(gather), syrks))
        .with(Layer.of(mirror, java.util.Set.of(syrk), mirrors));
    try {
      Jask.compute(scheduler, new Written(g, new ArrayList<>(mirrors.keySet())));
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    } finally {
      panel.close();
    }
    return Optional.of(out);
  }

  static Optional<INDArray> computeInto(Scheduler scheduler, Graph graph, String name, long[][] chunks, DataType dtype) {
    if (!(scheduler instanceof LocalScheduler) || !Chunks.allKnown(chunks)) {
      return Optional.empty();
    }
    int[] nb = Chunks.numBlocks(chunks);
    long[] shape = Chunks.shape(chunks);
    long blocks = 1;
    for (int n : nb) {
      blocks *= n;
    }
    if (blocks <= 1 || shape.length == 0 || Chunks.product(shape) * dtype.width() > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    Layer layer = graph.layers().get(name);
    if (layer == null) {
      return Optional.empty();
    }
    Map<Key, Task> tasks = layer.materialize();
    List<Key> keys = new ArrayList<>();
    for (int[] idx : Chunks.indices(nb)) {
      Task t = tasks.get(Key.of(name, idx));
      if (t == null || t.isLiteral() || !(t.fn() instanceof ArrayFns.ElemFn)) {
        return Optional.empty();
      }
      keys.add(Key.of(name, idx));
    }
    INDArray out = Nd4j.createUninitialized(dtype, shape, 'c');
    String into = Tokenize.name("into", name);
    long[][] offs = new long[shape.length][];
    for (int a = 0; a < shape.length; a++) {
      offs[a] = Chunks.offsets(chunks[a]);
    }
    long[] ostr = Chunks.cStrides(shape);
    Map<Key, Task> intoTasks = new LinkedHashMap<>();
    List<Key> intoKeys = new ArrayList<>();
    for (Key k : keys) {
      int[] idx = k.indices();
      long[] start = new long[idx.length];
      for (int a = 0; a < idx.length; a++) {
        start[a] = offs[a][idx[a]];
      }
      Task t = tasks.get(k);
      Key ik = Key.of(into, idx);
      intoTasks.put(ik, Task.of(new Into((ArrayFns.ElemFn) t.fn(), out, start, ostr), t.args()));
      intoKeys.add(ik);
    }
    Graph g = graph.with(Layer.of(into, layer.dependsOn(), intoTasks));
    try {
      Jask.compute(scheduler, new Written(g, intoKeys));
    } catch (RuntimeException | Error e) {
      out.close();
      throw e;
    }
    return Optional.of(out);
  }

  /**
   * Task: computes a fused element-wise block and writes it into its place in the result (row
   * {@code i} of a 2-D block at {@code start + i * ostr[0]}); returns {@code true}. Only for
   * in-process schedulers: it holds the result array itself.
   */
  record Into(ArrayFns.ElemFn fn, INDArray out, long[] start, long[] ostr) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      INDArray[] blocks = ArrayFns.blocks(args);
      long[] shape = ElemEval.broadcastShape(blocks);
      if (fn.dtype() == DataType.DOUBLE && shape.length == 2 && Bands.applies(blocks, shape)) {
        Bands.materializeInto(fn.expr(), blocks, shape, out.data().asNioDouble(), start[0] * ostr[0] + start[1], ostr[0]);
        return Boolean.TRUE;
      }
      INDArray b = (INDArray) fn.apply(args);
      try {
        if (b.length() > 0 && b.dataType() == out.dataType() && Blocks.compactC(b)) {
          copyRows(b, start, ostr, out.data().asNio(), out.dataType().width());
        } else if (b.length() > 0) {
          INDArrayIndex[] ix = new INDArrayIndex[start.length];
          for (int a = 0; a < start.length; a++) {
            ix[a] = NDArrayIndex.interval(start[a], start[a] + b.size(a));
          }
          out.get(ix).assign(b);
        }
      } finally {
        b.close();
      }
      return Boolean.TRUE;
    }
  }

  /** The tasks of {@link #computeInto}: their results are only markers. */
  private record Written(Graph graph, List<Key> keys) implements JaskCollection<Object> {
    @Override
    public Object finalize(List<Object> results) {
      return Boolean.TRUE;
    }

    @Override
    public JaskCollection<Object> rebuild(Graph g) {
      return new Written(g, keys);
    }
  }

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
