package io.jask.array;

import io.jask.array.internal.Chunks;
import io.jask.array.internal.DTypes;
import io.jask.array.internal.Gram;
import io.jask.array.internal.Products;
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
 * {@code matmul}, {@code dot} and {@code tensordot} as blockwise products with summation, like
 * dask's: every output block is one task that receives the blocks along the contracted axes and
 * accumulates their products in one array ({@link Products}). The contracted axes' chunks are
 * aligned first (rechunked to the common refinement of both sides' boundaries when they differ).
 */
final class ProductOps {
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

  private ProductOps() {}

  static DArray matmul(DArray a, DArray b) {
    if (a.ndim() == 0 || b.ndim() == 0) {
      throw new IllegalArgumentException("matmul: operands must have at least one axis, got shapes "
          + Chunks.describeShape(a.shape()) + " and " + Chunks.describeShape(b.shape()) + " (use mul for scalars)");
    }
    if (a.ndim() > 2 || b.ndim() > 2) {
      throw new IllegalArgumentException("matmul supports 1-D and 2-D arrays, got shapes " + Chunks.describeShape(a.shape())
          + " and " + Chunks.describeShape(b.shape()) + "; use tensordot for stacks of matrices");
    }
    int ka = a.ndim() - 1;
    int kb = 0; // the rows of b (its only axis when 1-D)
    checkContracted("matmul", a, b, new int[] {ka}, new int[] {kb});
    if (a.ndim() == 2 && b.ndim() == 2) {
      DataType t = productType(a, b);
      if (Gram.supports(t) && isTransposeOf(b, a)) {
        return gram(a, t);
      }
      DArray out = Blockwise.blockwise("matmul", new Products.MatmulSum(t), "matmul", "ik", t, false,
          List.of(new Blockwise.Arg(a, "ij"), new Blockwise.Arg(b, "jk")));
      return finish(out, a, b);
    }
    return tensordot("matmul", a, b, new int[] {ka}, new int[] {kb});
  }

  /** Whether {@code b} is {@code a.transpose()} (transposes are named by their input and permutation). */
  static boolean isTransposeOf(DArray b, DArray a) {
    return b.name().equals(Tokenize.name("transpose", a.name(), new int[] {1, 0}));
  }

  /**
   * {@code a @ a.T} through the Gram kernels: a diagonal block by {@code syrk}, a block above the
   * diagonal by {@code gemm}, a block below it as the transpose of its mirror (see {@link Gram}).
   */
  static DArray gram(DArray a, DataType t) {
    long[][] outChunks = {a.chunks()[0].clone(), a.chunks()[0].clone()};
    int rows = a.numBlocks()[0];
    int ks = a.numBlocks()[1];
    String name = Tokenize.name("matmul-gram", a.name(), t.toString());
    String parent = a.name();
    Layer layer = Layer.lazy(name, Set.of(parent), () -> {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < rows; j++) {
          Task task;
          if (i == j) {
            task = Task.of(new Gram.Diag(t), rowKeys(parent, i, ks));
          } else if (i < j) {
            task = Task.of(new Gram.Off(t), rowKeys(parent, i, ks), rowKeys(parent, j, ks));
          } else {
            task = Task.of(new Gram.Mirror(), Key.of(name, j, i));
          }
          tasks.put(Key.of(name, i, j), task);
        }
      }
      return tasks;
    });
    return new DArray(name, a.graph().with(layer), outChunks, t, null, List.of(), a);
  }

  private static List<Key> rowKeys(String parent, int i, int ks) {
    List<Key> keys = new ArrayList<>(ks);
    for (int k = 0; k < ks; k++) {
      keys.add(Key.of(parent, i, k));
    }
    return keys;
  }

  static DArray dot(DArray a, DArray b) {
    if (a.ndim() <= 2 && b.ndim() <= 2 && a.ndim() > 0 && b.ndim() > 0) {
      return matmul(a, b);
    }
    if (a.ndim() == 0 || b.ndim() == 0) {
      throw new IllegalArgumentException("dot of a 0-d array: use mul (shapes " + Chunks.describeShape(a.shape())
          + " and " + Chunks.describeShape(b.shape()) + ")");
    }
    int kb = b.ndim() == 1 ? 0 : b.ndim() - 2;
    return tensordot("dot", a, b, new int[] {a.ndim() - 1}, new int[] {kb});
  }

  static DArray tensordot(DArray a, DArray b, int[] axesA, int[] axesB) {
    return tensordot("tensordot", a, b, axesA, axesB);
  }

  private static DArray tensordot(String op, DArray a, DArray b, int[] axesA, int[] axesB) {
    if (axesA.length != axesB.length) {
      throw new IllegalArgumentException(op + ": " + axesA.length + " axes of a but " + axesB.length + " of b");
    }
    int[] na = normalize(op, axesA, a);
    int[] nb = normalize(op, axesB, b);
    checkContracted(op, a, b, na, nb);
    if (a.ndim() + b.ndim() > LETTERS.length()) {
      throw new IllegalArgumentException(op + ": too many axes");
    }
    char[] ia = new char[a.ndim()];
    char[] ib = new char[b.ndim()];
    StringBuilder out = new StringBuilder();
    int next = 0;
    for (int i = 0; i < a.ndim(); i++) {
      ia[i] = LETTERS.charAt(next++);
    }
    for (int t = 0; t < nb.length; t++) {
      ib[nb[t]] = ia[na[t]];
    }
    for (int i = 0; i < a.ndim(); i++) {
      if (indexOf(na, i) < 0) {
        out.append(ia[i]);
      }
    }
    for (int i = 0; i < b.ndim(); i++) {
      if (indexOf(nb, i) < 0) {
        ib[i] = LETTERS.charAt(next++);
        out.append(ib[i]);
      }
    }
    DataType t = productType(a, b);
    DArray result = Blockwise.blockwise(op, new Nested(new Products.TensordotSum(na, nb, t)),
        List.of(op, Arrays.toString(na), Arrays.toString(nb)), out.toString(), t, false,
        List.of(new Blockwise.Arg(a, new String(ia)), new Blockwise.Arg(b, new String(ib))));
    return finish(result, a, b);
  }

  private static void checkContracted(String op, DArray a, DArray b, int[] na, int[] nb) {
    for (int t = 0; t < na.length; t++) {
      if (a.shape()[na[t]] != b.shape()[nb[t]]) {
        throw new IllegalArgumentException(op + ": shapes " + Chunks.describeShape(a.shape()) + " (chunks "
            + Chunks.describe(a.chunks()) + ") and " + Chunks.describeShape(b.shape()) + " (chunks "
            + Chunks.describe(b.chunks()) + ") do not align: axis " + na[t] + " of a has " + a.shape()[na[t]]
            + " elements, axis " + nb[t] + " of b has " + b.shape()[nb[t]]);
      }
    }
  }

  private static int[] normalize(String op, int[] axes, DArray x) {
    int[] out = new int[axes.length];
    for (int i = 0; i < axes.length; i++) {
      int ax = axes[i] < 0 ? axes[i] + x.ndim() : axes[i];
      if (ax < 0 || ax >= x.ndim() || indexOf(Arrays.copyOf(out, i), ax) >= 0) {
        throw new IllegalArgumentException(op + ": axis " + axes[i] + " is out of range or repeated for shape "
            + Chunks.describeShape(x.shape()));
      }
      out[i] = ax;
    }
    return out;
  }

  private static int indexOf(int[] xs, int x) {
    for (int i = 0; i < xs.length; i++) {
      if (xs[i] == x) {
        return i;
      }
    }
    return -1;
  }

  /** NumPy's result type of a product; booleans are multiplied as int64 and turned back at the end. */
  private static DataType productType(DArray a, DArray b) {
    DataType t = DTypes.promote(a.dtype(), b.dtype());
    return t == DataType.BOOL ? DataType.LONG : t;
  }

  private static DArray finish(DArray out, DArray a, DArray b) {
    return a.dtype() == DataType.BOOL && b.dtype() == DataType.BOOL ? out.astype(DataType.BOOL) : out;
  }

  /** Flattens the two nested lists of blocks (same nesting on both sides) and calls the kernel. */
  record Nested(TaskFn kernel) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      return kernel.apply(new Object[] {flat(args[0]), flat(args[1])});
    }

    private static List<INDArray> flat(Object nested) {
      List<INDArray> out = new ArrayList<>();
      collect(nested, out);
      return out;
    }

    private static void collect(Object o, List<INDArray> out) {
      if (o instanceof List<?> l) {
        for (Object x : l) {
          collect(x, out);
        }
      } else {
        out.add((INDArray) o);
      }
    }
  }
}
