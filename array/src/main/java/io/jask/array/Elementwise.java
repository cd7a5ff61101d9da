package io.jask.array;

import io.jask.array.internal.ArrayFns;
import io.jask.array.internal.Chunks;
import io.jask.array.internal.Elem;
import io.jask.engine.Graph;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.Tokenize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Element-wise operations with NumPy broadcasting and blockwise fusion.
 *
 * <p>Broadcasting: shapes are right-aligned; an axis of size 1 stretches against any size. Along
 * each output axis, the operands that are not broadcast must have the same chunks; when they do
 * not, each is rechunked to the common refinement of their chunk boundaries (only the
 * overlapping pieces move, see {@link Rechunker}). A broadcast operand's single block is reused
 * for every output block along that axis.
 *
 * <p>Fusion: the result of an element-wise operation remembers its expression ({@link Elem}) and
 * the leaf arrays it reads. A further element-wise operation on it extends the expression instead
 * of reading its blocks, so {@code ((x + y) * 2).exp()} is one task per output chunk reading the
 * blocks of x and y; a reduction of such an array folds the expression into its per-chunk task.
 * The intermediate arrays keep their own layers, so computing one of them directly still works.
 */
final class Elementwise {
  private Elementwise() {}

  /** An operand: an array or a scalar. */
  static Object[] operands(Object... xs) {
    return xs;
  }

  /**
   * The element-wise result of {@code build} over the operands (DArrays and Double scalars).
   *
   * @param build gets one {@link Elem} per operand and returns the expression of the result
   */
  static DArray map(String prefix, DataType dtype, Function<List<Elem>, Elem> build, Object... operands) {
    List<DArray> arrays = new ArrayList<>();
    for (Object o : operands) {
      if (o instanceof DArray d) {
        arrays.add(d);
      }
    }
    long[][] outChunks = alignedChunks(arrays);
    int rank = outChunks.length;
    // rechunk operands whose non-broadcast axes differ from the output chunks
    List<Object> aligned = new ArrayList<>();
    for (Object o : operands) {
      if (o instanceof DArray d) {
        aligned.add(align(d, outChunks));
      } else {
        aligned.add(o);
      }
    }
    // collect the leaves (flattening operands that are themselves fused expressions)
    List<DArray> leaves = new ArrayList<>();
    Map<String, Integer> leafIndex = new LinkedHashMap<>();
    List<Elem> elems = new ArrayList<>();
    for (Object o : aligned) {
      if (o instanceof DArray d) {
        if (d.expr != null) {
          int[] map = new int[d.leaves.size()];
          for (int i = 0; i < map.length; i++) {
            map[i] = leafOf(d.leaves.get(i), leaves, leafIndex);
          }
          elems.add(Elem.shift(d.expr, map));
        } else {
          elems.add(new Elem.Leaf(leafOf(d, leaves, leafIndex)));
        }
      } else {
        elems.add(new Elem.Const(((Number) o).doubleValue()));
      }
    }
    Elem expr = build.apply(elems);
    if (leaves.isEmpty()) {
      throw new IllegalArgumentException("an element-wise operation needs at least one array");
    }
    List<String> leafNames = new ArrayList<>();
    for (DArray l : leaves) {
      leafNames.add(l.name);
    }
    String name = Tokenize.name(prefix, leafNames, expr, dtype.toString());
    Graph g = leaves.size() == 1 ? leaves.get(0).graph : Graph.merge(leaves.stream().map(l -> l.graph).toArray(Graph[]::new));
    List<DArray> fixedLeaves = List.copyOf(leaves);
    long[][] chunks = outChunks;
    Set<String> deps = new LinkedHashSet<>(leafNames);
    Layer layer = Layer.lazy(name, deps, () -> {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      ArrayFns.ElemFn fn = new ArrayFns.ElemFn(expr, dtype);
      for (int[] idx : Chunks.indices(Chunks.numBlocks(chunks))) {
        tasks.put(Key.of(name, idx), Task.of(fn, leafKeys(fixedLeaves, idx, rank).toArray()));
      }
      return tasks;
    });
    return new DArray(name, g.with(layer), outChunks, dtype, expr, fixedLeaves);
  }

  private static int leafOf(DArray d, List<DArray> leaves, Map<String, Integer> index) {
    Integer i = index.get(d.name);
    if (i == null) {
      i = leaves.size();
      leaves.add(d);
      index.put(d.name, i);
    }
    return i;
  }

  /** The keys of the leaves' blocks that output block {@code idx} reads. */
  static List<Key> leafKeys(List<DArray> leaves, int[] idx, int rank) {
    List<Key> keys = new ArrayList<>(leaves.size());
    for (DArray l : leaves) {
      keys.add(Key.of(l.name, leafIndex(l, idx, rank)));
    }
    return keys;
  }

  static int[] leafIndex(DArray l, int[] idx, int rank) {
    int r = l.chunks.length;
    int[] li = new int[r];
    for (int j = 0; j < r; j++) {
      li[j] = l.chunks[j].length == 1 ? 0 : idx[rank - r + j];
    }
    return li;
  }

  /** The output chunks of broadcasting the arrays; fails naming the shapes that do not broadcast. */
  static long[][] alignedChunks(List<DArray> arrays) {
    int rank = 0;
    for (DArray a : arrays) {
      rank = Math.max(rank, a.chunks.length);
    }
    long[][] out = new long[rank][];
    for (int ax = 0; ax < rank; ax++) {
      long size = 1;
      boolean unknown = false;
      for (DArray a : arrays) {
        int j = ax - (rank - a.chunks.length);
        if (j < 0) {
          continue;
        }
        long s = Chunks.axisSize(a.chunks[j]);
        if (s == Chunks.UNKNOWN) {
          unknown = true;
        } else if (s != 1) {
          if (size != 1 && size != s) {
            throw new IllegalArgumentException("operands could not be broadcast together with shapes " + shapes(arrays)
                + " (axis " + ax + " of the result: " + size + " vs " + s + ")");
          }
          size = s;
        }
      }
      long[] common = null;
      for (DArray a : arrays) {
        int j = ax - (rank - a.chunks.length);
        if (j < 0) {
          continue;
        }
        long[] c = a.chunks[j];
        long s = Chunks.axisSize(c);
        if (s == 1 && (size != 1 || unknown)) {
          continue; // broadcast along this axis
        }
        if (common == null) {
          common = c;
        } else if (!Arrays.equals(common, c)) {
          if (unknown) {
            throw new IllegalArgumentException("cannot align arrays with unknown chunk sizes: shapes " + shapes(arrays)
                + ", chunks " + chunkList(arrays) + " (compute the chunk sizes first, e.g. with computeChunkSizes())");
          }
          common = Chunks.common(common, c);
        }
      }
      out[ax] = common == null ? new long[] {1} : common;
    }
    return out;
  }

  /** The array rechunked so its non-broadcast axes match {@code out} (right-aligned). */
  static DArray align(DArray d, long[][] out) {
    int off = out.length - d.chunks.length;
    long[][] target = Chunks.copy(d.chunks);
    boolean change = false;
    for (int j = 0; j < d.chunks.length; j++) {
      long s = Chunks.axisSize(d.chunks[j]);
      long os = Chunks.axisSize(out[off + j]);
      if (s == 1 && os != 1) {
        continue;
      }
      if (!Arrays.equals(d.chunks[j], out[off + j])) {
        target[j] = out[off + j];
        change = true;
      }
    }
    return change ? Rechunker.rechunk(d, target) : d;
  }

  static String shapes(List<DArray> arrays) {
    StringBuilder b = new StringBuilder();
    for (DArray a : arrays) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(Chunks.describeShape(a.shape()));
    }
    return b.toString();
  }

  static String chunkList(List<DArray> arrays) {
    StringBuilder b = new StringBuilder();
    for (DArray a : arrays) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(Chunks.describe(a.chunks));
    }
    return b.toString();
  }
}
