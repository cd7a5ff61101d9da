package io.jask.array;

import io.jask.array.internal.Blocks;
import io.jask.array.internal.Chunks;
import io.jask.array.internal.DTypes;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Cumulative sums and products along an axis, like Dask's {@code cumreduction}: each block is
 * scanned alone; a chain of carry tasks along the axis holds the running total of the blocks
 * before (last slice of each scanned block folded into the previous carry); each output block is
 * its scanned block combined with its carry.
 */
final class Scans {
  private Scans() {}

  static DArray scan(DArray x, boolean product, int axisIn) {
    int r = x.ndim();
    int axis = axisIn < 0 ? axisIn + r : axisIn;
    if (axis < 0 || axis >= r) {
      throw new IllegalArgumentException((product ? "cumprod" : "cumsum") + ": axis " + axisIn
          + " is out of bounds for shape " + Chunks.describeShape(x.shape()));
    }
    DataType dt = DTypes.sumType(x.dtype);
    String prefix = product ? "cumprod" : "cumsum";
    String token = Tokenize.token(x.name, axis);
    String local = prefix + "-local-" + token;
    String carry = prefix + "-carry-" + token;
    String out = prefix + "-" + token;
    String parent = x.name;
    long[][] chunks = x.chunks;
    Map<Key, Task> lt = new LinkedHashMap<>();
    Map<Key, Task> ct = new LinkedHashMap<>();
    Map<Key, Task> ot = new LinkedHashMap<>();
    for (int[] idx : Chunks.indices(x.numBlocks())) {
      lt.put(Key.of(local, idx), Task.of(new Local(product, axis, dt), Key.of(parent, idx)));
      if (idx[axis] == 0) {
        ot.put(Key.of(out, idx), Task.alias(Key.of(local, idx)));
        continue;
      }
      int[] prev = idx.clone();
      prev[axis]--;
      Object prevCarry = prev[axis] == 0 ? "none" : Key.of(carry, prev);
      ct.put(Key.of(carry, idx), Task.of(new Carry(product, axis), prevCarry, Key.of(local, prev)));
      ot.put(Key.of(out, idx), Task.of(new Apply(product, axis, dt), Key.of(local, idx), Key.of(carry, idx)));
    }
    var g = x.graph.with(Layer.of(local, Set.of(parent), lt)).with(Layer.of(carry, Set.of(local), ct))
        .with(Layer.of(out, Set.of(local, carry), ot));
    return new DArray(out, g, Chunks.copy(chunks), dt);
  }

  /** outer x n x inner decomposition of a shape around an axis. */
  private static int[] split(long[] shape, int axis) {
    int outer = 1;
    for (int a = 0; a < axis; a++) {
      outer *= (int) shape[a];
    }
    int inner = 1;
    for (int a = axis + 1; a < shape.length; a++) {
      inner *= (int) shape[a];
    }
    return new int[] {outer, (int) shape[axis], inner};
  }

  record Local(boolean product, int axis, DataType dtype) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      INDArray b = (INDArray) args[0];
      double[] v = Blocks.toDoubles(b);
      int[] s = split(b.shape(), axis);
      for (int o = 0; o < s[0]; o++) {
        int base = o * s[1] * s[2];
        for (int i = 1; i < s[1]; i++) {
          int p = base + i * s[2];
          int q = p - s[2];
          if (product) {
            for (int j = 0; j < s[2]; j++) {
              v[p + j] *= v[q + j];
            }
          } else {
            for (int j = 0; j < s[2]; j++) {
              v[p + j] += v[q + j];
            }
          }
        }
      }
      return Blocks.fromDoubles(v, b.shape(), dtype);
    }
  }

  /** The running total after a block: its last slice folded into the previous carry. Returns double[] slices. */
  record Carry(boolean product, int axis) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      INDArray b = (INDArray) args[1];
      double[] v = Blocks.toDoubles(b);
      int[] s = split(b.shape(), axis);
      double[] last = new double[s[0] * s[2]];
      if (s[1] == 0) {
        java.util.Arrays.fill(last, product ? 1 : 0);
      } else {
        for (int o = 0; o < s[0]; o++) {
          System.arraycopy(v, (o * s[1] + s[1] - 1) * s[2], last, o * s[2], s[2]);
        }
      }
      if (args[0] instanceof double[] prev) {
        for (int i = 0; i < last.length; i++) {
          last[i] = product ? last[i] * prev[i] : last[i] + prev[i];
        }
      }
      return last;
    }
  }

  record Apply(boolean product, int axis, DataType dtype) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      INDArray b = (INDArray) args[0];
      double[] c = (double[]) args[1];
      double[] v = Blocks.toDoubles(b);
      int[] s = split(b.shape(), axis);
      for (int o = 0; o < s[0]; o++) {
        for (int i = 0; i < s[1]; i++) {
          int p = (o * s[1] + i) * s[2];
          int q = o * s[2];
          if (product) {
            for (int j = 0; j < s[2]; j++) {
              v[p + j] *= c[q + j];
            }
          } else {
            for (int j = 0; j < s[2]; j++) {
              v[p + j] += c[q + j];
            }
          }
        }
      }
      return Blocks.fromDoubles(v, b.shape(), dtype);
    }
  }
}
