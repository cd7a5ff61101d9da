package io.jask.array.internal;

import io.jask.engine.Fn;
import io.jask.engine.TaskFn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Block kernels of {@code mapOverlap}: {@link #slab} cuts the thin piece of a block that a
 * neighbour needs (an edge, a face or a corner, possibly mirrored or repeated for the array's
 * boundary), and {@link #assemble} glues a block and the pieces around it into the extended block,
 * applies the user's function and trims the result back.
 *
 * <p>Pieces are enumerated in row-major order over the axes, each axis contributing the offsets
 * {@code -1} (only when something is added on the low side), {@code 0} and {@code +1} (only when
 * something is added on the high side); the piece at offset 0 on every axis is the block itself.
 */
public final class OverlapKernels {
  private OverlapKernels() {}

  /** How a slab takes one axis of its source block. */
  public enum Take {
    /** The whole axis. */
    ALL,
    /** The first {@code depth} elements. */
    FIRST,
    /** The last {@code depth} elements. */
    LAST,
    /** The first {@code depth} elements, reversed ("reflect" at the low boundary). */
    FIRST_REVERSED,
    /** The last {@code depth} elements, reversed ("reflect" at the high boundary). */
    LAST_REVERSED,
    /** The first element, {@code depth} times ("nearest" at the low boundary). */
    FIRST_REPEATED,
    /** The last element, {@code depth} times ("nearest" at the high boundary). */
    LAST_REPEATED
  }

  /** The piece of {@code block} described by one {@link Take} and depth per axis, a new array. */
  public static INDArray slab(INDArray block, Take[] takes, int[] depth) {
    // Only arrays made here are closed: a view (or a full-range "get", which ND4J may return as a
    // non-view sharing the block's memory) must never be closed, or the block itself would be freed.
    List<INDArray> made = new ArrayList<>();
    INDArray cur = block;
    for (int a = 0; a < takes.length; a++) {
      long len = cur.size(a);
      int d = depth[a];
      switch (takes[a]) {
        case ALL -> {
          continue;
        }
        case FIRST -> cur = cur.get(along(cur.rank(), a, NDArrayIndex.interval(0, d)));
        case LAST -> cur = cur.get(along(cur.rank(), a, NDArrayIndex.interval(len - d, len)));
        default -> {
          long[] shape = cur.shape().clone();
          shape[a] = d;
          INDArray next = Nd4j.createUninitialized(cur.dataType(), shape);
          made.add(next);
          for (int j = 0; j < d; j++) {
            long src = switch (takes[a]) {
              case FIRST_REVERSED -> d - 1 - j;
              case LAST_REVERSED -> len - 1 - j;
              case FIRST_REPEATED -> 0;
              default -> len - 1;
            };
            next.get(along(cur.rank(), a, NDArrayIndex.interval(j, j + 1)))
                .assign(cur.get(along(cur.rank(), a, NDArrayIndex.interval(src, src + 1))));
          }
          cur = next;
        }
      }
    }
    // a fresh array, never a view that would keep the whole block alive (or be sent whole)
    INDArray out = cur.dup('c');
    for (INDArray m : made) {
      m.close();
    }
    return out;
  }

  /**
   * The extended block from its pieces (each an {@code INDArray}, or a {@code Double} constant that
   * fills the piece), with {@code low[a]}/{@code high[a]} elements added on each side of axis a.
   */
  public static INDArray extend(List<?> pieces, int[] low, int[] high) {
    int rank = low.length;
    int[][] offsets = offsets(low, high);
    INDArray center = null;
    for (int p = 0; p < offsets.length; p++) {
      if (Arrays.stream(offsets[p]).allMatch(o -> o == 0)) {
        center = (INDArray) pieces.get(p);
      }
    }
    if (center == null || pieces.size() != offsets.length) {
      throw new IllegalStateException("overlap: expected " + offsets.length + " pieces with the block in the middle, got "
          + pieces.size());
    }
    long[] core = center.shape();
    long[] shape = new long[rank];
    for (int a = 0; a < rank; a++) {
      shape[a] = low[a] + core[a] + high[a];
    }
    INDArray ext = Nd4j.createUninitialized(center.dataType(), shape);
    for (int p = 0; p < offsets.length; p++) {
      INDArrayIndex[] region = new INDArrayIndex[rank];
      for (int a = 0; a < rank; a++) {
        region[a] = switch (offsets[p][a]) {
          case -1 -> NDArrayIndex.interval(0, low[a]);
          case 0 -> NDArrayIndex.interval(low[a], low[a] + core[a]);
          default -> NDArrayIndex.interval(low[a] + core[a], shape[a]);
        };
      }
      Object piece = pieces.get(p);
      INDArray target = ext.get(region);
      if (piece instanceof INDArray x) {
        if (!Arrays.equals(x.shape(), target.shape())) {
          ext.close();
          throw new IllegalStateException("overlap: piece at offset " + Arrays.toString(offsets[p]) + " has shape "
              + Arrays.toString(x.shape()) + ", expected " + Arrays.toString(target.shape()));
        }
        target.assign(x);
      } else {
        target.assign(((Number) piece).doubleValue());
      }
    }
    return ext;
  }

  /** The pieces' offsets, in the order {@link #extend} expects them. */
  public static int[][] offsets(int[] low, int[] high) {
    List<int[]> out = new ArrayList<>();
    out.add(new int[0]);
    for (int a = 0; a < low.length; a++) {
      List<int[]> next = new ArrayList<>();
      for (int[] prefix : out) {
        for (int o = -1; o <= 1; o++) {
          if ((o == -1 && low[a] == 0) || (o == 1 && high[a] == 0)) {
            continue;
          }
          int[] x = Arrays.copyOf(prefix, a + 1);
          x[a] = o;
          next.add(x);
        }
      }
      out = next;
    }
    return out.toArray(new int[0][]);
  }

  /**
   * Extends the block, applies {@code fn} and, when {@code trim}, cuts {@code low}/{@code high}
   * elements off each side of each axis again.
   */
  public static INDArray assemble(List<?> pieces, int[] low, int[] high, boolean trim, Fn.F1<INDArray, INDArray> fn)
      throws Exception {
    INDArray ext = extend(pieces, low, high);
    INDArray result = fn.apply(ext);
    if (!trim) {
      // the result may be the extended block or share its memory: ext is left to the garbage collector
      return result;
    }
    if (!Arrays.equals(result.shape(), ext.shape())) {
      long[] expected = ext.shape();
      ext.close();
      throw new IllegalStateException("mapOverlap: the function returned a block of shape " + Arrays.toString(result.shape())
          + " for an extended block of shape " + Arrays.toString(expected)
          + "; with trim it must keep the shape (use trim=false otherwise)");
    }
    INDArrayIndex[] keep = new INDArrayIndex[low.length];
    for (int a = 0; a < low.length; a++) {
      keep[a] = NDArrayIndex.interval(low[a], result.size(a) - high[a]);
    }
    INDArray out = result.get(keep).dup('c');
    if (result != ext && result.closeable()) {
      result.close(); // a copy of what is kept was taken; a result sharing ext's memory dies with it anyway
    }
    ext.close();
    return out;
  }

  private static INDArrayIndex[] along(int rank, int axis, INDArrayIndex index) {
    INDArrayIndex[] idx = new INDArrayIndex[rank];
    for (int i = 0; i < rank; i++) {
      idx[i] = i == axis ? index : NDArrayIndex.all();
    }
    return idx;
  }

  /** Task: {@link #slab} of its one argument. */
  public record Slab(Take[] takes, int[] depth) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return slab((INDArray) args[0], takes, depth);
    }
  }

  /** Task: {@link #assemble} of its one argument, the list of pieces. */
  public record Assemble(int[] low, int[] high, boolean trim, Fn.F1<INDArray, INDArray> fn) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      return assemble((List<?>) args[0], low, high, trim, fn);
    }
  }
}
