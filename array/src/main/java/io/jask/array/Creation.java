package io.jask.array;

import io.jask.array.internal.ArrayFns;
import io.jask.array.internal.Blocks;
import io.jask.array.internal.Chunks;
import io.jask.array.internal.NdArrayCodec;
import io.jask.engine.Graph;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.SingleValue;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The creation functions behind DArray's static factories: one task per block, no data in the graph except fromArray's chunks. */
final class Creation {
  private Creation() {}

  static DArray fromArray(INDArray x, long[][] chunks) {
    Blocks.checkDtype(x.dataType());
    long[] shape = x.shape();
    long[][] c = Chunks.explicit(shape, chunks);
    INDArray compact = Blocks.compact(x);
    byte[] all = NdArrayCodec.toBytes(compact);
    String name = Tokenize.name("array", all, c);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    long[][] offs = new long[c.length][];
    for (int a = 0; a < c.length; a++) {
      offs[a] = Chunks.offsets(c[a]);
    }
    for (int[] idx : Chunks.indices(Chunks.numBlocks(c))) {
      long[] bs = Chunks.blockShape(c, idx);
      INDArray block;
      if (shape.length == 0) {
        block = compact;
      } else if (Chunks.product(bs) == 0) {
        block = Nd4j.createUninitialized(x.dataType(), bs, 'c');
      } else {
        INDArrayIndex[] ix = new INDArrayIndex[shape.length];
        for (int a = 0; a < shape.length; a++) {
          ix[a] = NDArrayIndex.interval(offs[a][idx[a]], offs[a][idx[a]] + bs[a]);
        }
        block = compact.get(ix).dup('c');
      }
      tasks.put(Key.of(name, idx), Task.of(ArrayFns.Literal.of(block)));
    }
    return new DArray(name, Graph.of(Layer.of(name, Set.of(), tasks)), c, x.dataType());
  }

  /** An array whose block at each index is made by {@code fn(index, blockShape)}. */
  static DArray generated(String prefix, long[][] chunks, DataType dtype, Object token, BiFunction<int[], long[], TaskFn> fn) {
    Blocks.checkDtype(dtype);
    String name = Tokenize.name(prefix, chunks, dtype.toString(), token);
    long[][] c = Chunks.copy(chunks);
    Layer layer = Layer.lazy(name, Set.of(), () -> {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int[] idx : Chunks.indices(Chunks.numBlocks(c))) {
        tasks.put(Key.of(name, idx), Task.of(fn.apply(idx, Chunks.blockShape(c, idx))));
      }
      return tasks;
    });
    return new DArray(name, Graph.of(layer), c, dtype);
  }

  static DArray full(long[] shape, int[] chunk, double value, DataType dtype) {
    long[][] c = Chunks.regular(shape, chunk);
    return generated(value == 0 ? "zeros" : value == 1 ? "ones" : "full", c, dtype, value,
        (idx, bs) -> new ArrayFns.Full(bs, value, dtype));
  }

  static DArray ramp(String prefix, double start, double step, long n, int chunk, DataType dtype, double last) {
    long[][] c = Chunks.regular(new long[] {n}, new int[] {chunk});
    long[] offs = Chunks.offsets(c[0]);
    return generated(prefix, c, dtype, List.of(start, step, last),
        (idx, bs) -> new ArrayFns.Ramp(start, step, offs[idx[0]], (int) bs[0],
            dtype, idx[0] == c[0].length - 1 ? last : Double.NaN));
  }

  static DArray eye(long n, long m, long k, int chunk, DataType dtype) {
    long[][] c = Chunks.regular(new long[] {n, m}, new int[] {chunk});
    long[] ro = Chunks.offsets(c[0]);
    long[] co = Chunks.offsets(c[1]);
    return generated("eye", c, dtype, k,
        (idx, bs) -> new ArrayFns.Eye(bs[0], bs[1], ro[idx[0]], co[idx[1]], k, dtype));
  }

  static DArray random(long[] shape, int[] chunk, long seed, boolean normal, double a, double b, DataType dtype) {
    long[][] c = Chunks.regular(shape, chunk);
    int[] nb = Chunks.numBlocks(c);
    return generated(normal ? "normal" : "uniform", c, dtype, List.of(seed, a, b),
        (idx, bs) -> new ArrayFns.Random(bs, seed, Chunks.ravel(idx, nb), normal, a, b, dtype));
  }

  static DArray fromDelayed(List<? extends SingleValue<? extends INDArray>> blocks, long[][] chunks, DataType dtype) {
    Blocks.checkDtype(dtype);
    for (long[] axis : chunks) {
      for (long s : axis) {
        if (s < 0) {
          throw new IllegalArgumentException("fromDelayed needs known chunk sizes, got " + Chunks.describe(chunks));
        }
      }
    }
    int[] nb = Chunks.numBlocks(chunks);
    if (blocks.size() != Chunks.total(nb)) {
      throw new IllegalArgumentException("fromDelayed got " + blocks.size() + " blocks but the chunks "
          + Chunks.describe(chunks) + " make a grid of " + Chunks.total(nb));
    }
    Set<String> deps = new LinkedHashSet<>();
    Graph[] graphs = new Graph[blocks.size()];
    for (int i = 0; i < blocks.size(); i++) {
      deps.add(blocks.get(i).key().name());
      graphs[i] = blocks.get(i).graph();
    }
    String name = Tokenize.name("from-delayed", blocks.stream().map(b -> b.key()).toList(), chunks, dtype.toString());
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int i = 0; i < blocks.size(); i++) {
      int[] idx = Chunks.unravel(i, nb);
      Key src = blocks.get(i).key();
      tasks.put(Key.of(name, idx), Task.of(new ArrayFns.CheckBlock(Chunks.blockShape(chunks, idx), dtype,
          "block " + java.util.Arrays.toString(idx) + " (" + src + ")"), src));
    }
    return new DArray(name, Graph.merge(graphs).with(Layer.of(name, deps, tasks)), Chunks.copy(chunks), dtype);
  }
}
