package io.jask.array.internal;

import io.jask.engine.TaskFn;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The task functions that create and transform chunks (serializable records: they travel to workers). */
public final class ArrayFns {
  private ArrayFns() {}

  /** A chunk carried inside its task as bytes (so any scheduler can ship it). */
  public record Literal(byte[] bytes) implements TaskFn {
    public static Literal of(INDArray a) {
      return new Literal(NdArrayCodec.toBytes(a));
    }

    @Override
    public Object apply(Object[] args) {
      return NdArrayCodec.fromBytes(bytes);
    }
  }

  /** A task's arguments as the blocks they are. */
  public static INDArray[] blocks(Object[] args) {
    INDArray[] blocks = new INDArray[args.length];
    for (int i = 0; i < args.length; i++) {
      blocks[i] = (INDArray) args[i];
    }
    return blocks;
  }

  /** A fused element-wise chain over the argument blocks. */
  public record ElemFn(Elem expr, DataType dtype) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      INDArray[] blocks = blocks(args);
      long[] shape = ElemEval.broadcastShape(blocks);
      if (dtype == DataType.DOUBLE && Bands.applies(blocks, shape)) {
        return Bands.materialize(expr, blocks, shape);
      }
      double[] v = ElemEval.eval(expr, blocks, shape);
      INDArray out = Blocks.fromDoubles(v, shape, dtype);
      Scratch.give(v);
      return out;
    }
  }

  /** A block filled with one value. */
  public record Full(long[] shape, double value, DataType dtype) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return Blocks.full(shape, value, dtype);
    }
  }

  /** {@code start + (offset + i) * step} for i in [0, n), like NumPy's arange and linspace. */
  public record Ramp(double start, double step, long offset, int n, DataType dtype, double last) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      double[] d = new double[n];
      for (int i = 0; i < n; i++) {
        d[i] = start + (offset + i) * step;
      }
      if (!Double.isNaN(last) && n > 0) {
        d[n - 1] = last; // linspace's endpoint is exactly stop
      }
      return Blocks.fromDoubles(d, new long[] {n}, dtype);
    }
  }

  /** A block of the identity-like matrix with ones where {@code col - row == k}. */
  public record Eye(long rows, long cols, long rowOffset, long colOffset, long k, DataType dtype) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      double[] d = new double[Math.toIntExact(rows * cols)];
      for (long r = 0; r < rows; r++) {
        long c = r + rowOffset + k - colOffset;
        if (c >= 0 && c < cols) {
          d[(int) (r * cols + c)] = 1;
        }
      }
      return Blocks.fromDoubles(d, new long[] {rows, cols}, dtype);
    }
  }

  /**
   * Random values for one block, from a generator seeded by the array's seed and the block's
   * number only: any block can be recomputed alone and gives the same values.
   */
  public record Random(long[] shape, long seed, int block, boolean normal, double a, double b, DataType dtype)
      implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      SplittableRandom r = new SplittableRandom(mix(seed, block));
      double[] d = new double[Math.toIntExact(Chunks.product(shape))];
      if (normal) {
        for (int i = 0; i < d.length; i++) {
          d[i] = a + b * r.nextGaussian();
        }
      } else {
        double w = b - a;
        for (int i = 0; i < d.length; i++) {
          d[i] = a + w * r.nextDouble();
        }
      }
      return Blocks.fromDoubles(d, shape, dtype);
    }

    static long mix(long seed, int block) {
      long z = seed * 0x9E3779B97F4A7C15L + (block + 1) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }

  /** Checks that a block from elsewhere (a Delayed) has the declared shape and dtype. */
  public record CheckBlock(long[] shape, DataType dtype, String where) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      if (!(args[0] instanceof INDArray a)) {
        throw new IllegalArgumentException(where + " produced " + (args[0] == null ? "null" : args[0].getClass().getName())
            + ", not an INDArray");
      }
      if (!Arrays.equals(a.shape(), shape)) {
        throw new IllegalArgumentException(where + " has shape " + Blocks.shapeOf(a) + " but the declared chunks need "
            + Chunks.describeShape(shape));
      }
      if (a.dataType() != dtype) {
        INDArray c = a.castTo(dtype);
        return c;
      }
      return a;
    }
  }

  /** Applies a user function to a block; checks the result's shape when it is declared. */
  public record MapBlock(io.jask.engine.Fn.F1<INDArray, INDArray> fn, long[] shape, DataType dtype, String where)
      implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      INDArray out = fn.apply((INDArray) args[0]);
      if (out == null) {
        throw new IllegalArgumentException("mapBlocks function returned null for " + where);
      }
      if (shape != null && !Arrays.equals(out.shape(), shape)) {
        throw new IllegalArgumentException("mapBlocks function returned a block of shape " + Blocks.shapeOf(out) + " for "
            + where + ", but the declared chunks need " + Chunks.describeShape(shape));
      }
      return out.dataType() == dtype ? out : out.castTo(dtype);
    }
  }
}
