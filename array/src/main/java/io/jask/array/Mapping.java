package io.jask.array;

import io.jask.array.internal.ArrayFns;
import io.jask.array.internal.Blocks;
import io.jask.array.internal.Chunks;
import io.jask.engine.Fn;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.Tokenize;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code mapBlocks}: a user function per block, with declared output chunks on the same block grid. */
final class Mapping {
  private Mapping() {}

  static DArray mapBlocks(DArray x, Fn.F1<INDArray, INDArray> fn, long[][] outChunks, DataType dtype) {
    Blocks.checkDtype(dtype);
    if (!Arrays.equals(Chunks.numBlocks(outChunks), x.numBlocks())) {
      throw new IllegalArgumentException("mapBlocks: the declared chunks " + Chunks.describe(outChunks)
          + " do not have the block grid " + Arrays.toString(x.numBlocks()) + " of the input chunks " + Chunks.describe(x.chunks));
    }
    String name = Tokenize.name(Tokenize.functionName(fn), x.name, fn, outChunks, dtype.toString());
    String parent = x.name;
    long[][] oc = Chunks.copy(outChunks);
    Layer layer = Layer.lazy(name, Set.of(parent), () -> {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int[] idx : Chunks.indices(Chunks.numBlocks(oc))) {
        long[] bs = Chunks.blockShape(oc, idx);
        boolean known = Arrays.stream(bs).allMatch(v -> v >= 0);
        tasks.put(Key.of(name, idx), Task.of(new ArrayFns.MapBlock(fn, known ? bs : null, dtype,
            "block " + Arrays.toString(idx) + " of " + parent), Key.of(parent, idx)));
      }
      return tasks;
    });
    return new DArray(name, x.graph.with(layer), oc, dtype);
  }
}
