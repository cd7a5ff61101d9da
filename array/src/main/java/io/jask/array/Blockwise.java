package io.jask.array;

import io.jask.array.internal.Chunks;
import io.jask.engine.Fn;
import io.jask.engine.Graph;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dask's {@code blockwise} in index notation: each array argument is given with one letter per
 * axis; the output has the letters of {@code out}; a letter that is in the inputs but not in the
 * output is contracted: the function receives, for that argument, the list of its blocks along the
 * letter (nested, one level per contracted letter in the order they appear in the argument's
 * index), or with {@code concatenate} those blocks joined into one array.
 *
 * <p>Alignment: the axes that share a letter must have the same length, or length 1 in one chunk
 * (broadcast: that block is used for every output block). Equal lengths with different chunks are
 * rechunked to the common refinement of their boundaries (only the overlapping pieces move).
 *
 * <p>Design: one lazy layer, one task per output block; a task's arguments are block keys (or
 * nested lists of keys), so only the blocks a task needs are sent to it. {@code matmul}, {@code
 * tensordot} and {@code solve} are built on this class with their own kernels.
 */
final class Blockwise {
  private Blockwise() {}

  /** One argument: an array with its index, or a literal (index null). */
  record Arg(Object value, String index) {}

  /** Parses {@code x, "ij", y, "j", 3.0, null, ...}. */
  static List<Arg> parse(Object... argsAndIndices) {
    if (argsAndIndices.length % 2 != 0) {
      throw new IllegalArgumentException("blockwise needs (argument, index) pairs, got " + argsAndIndices.length
          + " values");
    }
    List<Arg> out = new ArrayList<>();
    for (int i = 0; i < argsAndIndices.length; i += 2) {
      Object v = argsAndIndices[i];
      Object ind = argsAndIndices[i + 1];
      if (v instanceof DArray d) {
        if (!(ind instanceof String s) || s.length() != d.ndim()) {
          throw new IllegalArgumentException("blockwise argument " + (i / 2) + " of shape "
              + Chunks.describeShape(d.shape()) + " needs an index string of " + d.ndim() + " letters, got " + ind);
        }
        if (s.chars().distinct().count() != s.length()) {
          throw new IllegalArgumentException("blockwise index '" + s + "' repeats a letter (no diagonals)");
        }
      } else if (ind != null) {
        throw new IllegalArgumentException("blockwise argument " + (i / 2) + " is not a DArray; its index must be null");
      }
      out.add(new Arg(v, (String) ind));
    }
    return out;
  }

  /**
   * The general form: {@code fn} gets the task arguments (blocks, lists of blocks, literals) and
   * returns the output block, whose shape is checked.
   */
  static DArray blockwise(String prefix, TaskFn fn, Object token, String out, DataType dtype, boolean concatenate,
      List<Arg> args) {
    if (out.chars().distinct().count() != out.length()) {
      throw new IllegalArgumentException("blockwise output index '" + out + "' repeats a letter");
    }
    // ---- letters: sizes and chunks, aligning (rechunking) where needed
    Map<Character, long[]> letterChunks = new LinkedHashMap<>();
    Map<Character, Long> letterSize = new LinkedHashMap<>();
    for (Arg a : args) {
      if (a.value() instanceof DArray d) {
        if (!Chunks.allKnown(d.chunks())) {
          throw new IllegalArgumentException(prefix + ": array of chunks " + Chunks.describe(d.chunks())
              + " has unknown chunk sizes; compute them first");
        }
        for (int ax = 0; ax < d.ndim(); ax++) {
          char c = a.index().charAt(ax);
          long len = d.shape()[ax];
          Long prev = letterSize.get(c);
          if (prev == null || (prev == 1 && len != 1)) {
            if (prev != null && letterChunks.get(c).length != 1) {
              throw new IllegalArgumentException(prefix + ": index '" + c + "' has length 1 in several chunks in one "
                  + "argument and " + len + " in another (" + describe(args) + ")");
            }
            letterSize.put(c, len);
            letterChunks.put(c, d.chunks()[ax]);
          } else if (len == prev) {
            letterChunks.put(c, Chunks.common(letterChunks.get(c), d.chunks()[ax]));
          } else if (!(len == 1 && d.chunks()[ax].length == 1)) {
            throw new IllegalArgumentException(prefix + ": index '" + c + "' has length " + prev + " in one argument and "
                + len + " in another (" + describe(args) + ")");
          }
        }
      }
    }
    for (char c : out.toCharArray()) {
      if (!letterSize.containsKey(c)) {
        throw new IllegalArgumentException(prefix + ": output index '" + c + "' is in no input (" + describe(args) + ")");
      }
    }
    List<Arg> aligned = new ArrayList<>();
    for (Arg a : args) {
      if (a.value() instanceof DArray d) {
        long[][] want = new long[d.ndim()][];
        for (int ax = 0; ax < d.ndim(); ax++) {
          char c = a.index().charAt(ax);
          want[ax] = broadcast(d, ax, letterSize.get(c)) ? d.chunks()[ax] : letterChunks.get(c);
        }
        aligned.add(Chunks.same(want, d.chunks()) ? a : new Arg(d.rechunk(want), a.index()));
      } else {
        aligned.add(a);
      }
    }
    List<Character> contracted = new ArrayList<>();
    for (Arg a : aligned) {
      if (a.index() != null) {
        for (char c : a.index().toCharArray()) {
          if (out.indexOf(c) < 0 && !contracted.contains(c)) {
            contracted.add(c);
          }
        }
      }
    }
    long[][] outChunks = new long[out.length()][];
    for (int i = 0; i < out.length(); i++) {
      outChunks[i] = letterChunks.get(out.charAt(i)).clone();
    }
    // ---- the layer
    List<Object> tokenParts = new ArrayList<>();
    tokenParts.add(token);
    tokenParts.add(out);
    tokenParts.add(dtype.name());
    tokenParts.add(concatenate);
    List<Graph> graphs = new ArrayList<>();
    Set<String> deps = new HashSet<>();
    for (Arg a : aligned) {
      if (a.value() instanceof DArray d) {
        tokenParts.add(d.name());
        tokenParts.add(a.index());
        graphs.add(d.graph());
        deps.add(d.name());
      } else {
        tokenParts.add(String.valueOf(a.value()));
      }
    }
    String name = Tokenize.name(prefix, tokenParts.toArray());
    Map<Character, Integer> outNb = new LinkedHashMap<>();
    for (int i = 0; i < out.length(); i++) {
      outNb.put(out.charAt(i), outChunks[i].length);
    }
    Map<Character, Integer> allNb = new LinkedHashMap<>(outNb);
    for (char c : contracted) {
      allNb.put(c, letterChunks.get(c).length);
    }
    Layer layer = Layer.lazy(name, deps, () -> {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int[] idx : Chunks.indices(Chunks.numBlocks(outChunks))) {
        Map<Character, Integer> at = new LinkedHashMap<>();
        for (int i = 0; i < out.length(); i++) {
          at.put(out.charAt(i), idx[i]);
        }
        Object[] taskArgs = new Object[aligned.size()];
        for (int k = 0; k < aligned.size(); k++) {
          Arg a = aligned.get(k);
          if (a.value() instanceof DArray d) {
            int[] blk = new int[d.ndim()];
            for (int ax = 0; ax < d.ndim(); ax++) {
              char c = a.index().charAt(ax);
              blk[ax] = at.containsKey(c) && !broadcast(d, ax, letterSize.get(c)) ? at.get(c) : 0;
            }
            taskArgs[k] = keys(d, a.index(), contracted, 0, blk, allNb, letterSize);
          } else {
            taskArgs[k] = a.value();
          }
        }
        long[] expected = Chunks.blockShape(outChunks, idx);
        TaskFn call = new Call(fn, expected, dtype, concatenate ? concatPlan(aligned, contracted) : null, name);
        tasks.put(Key.of(name, idx), Task.of(call, taskArgs));
      }
      return tasks;
    });
    Graph graph = Graph.of(layer, graphs.toArray(new Graph[0]));
    return DArray.fromGraph(name, graph, outChunks, dtype);
  }

  /** Whether axis {@code ax} of {@code d} is broadcast against a letter of length {@code size}. */
  private static boolean broadcast(DArray d, int ax, long size) {
    return d.shape()[ax] == 1 && size != 1 && d.chunks()[ax].length == 1;
  }

  /**
   * The key, or nested list of keys over the contracted letters (outermost = first contracted
   * letter, in the order of {@code contracted}, the same for every argument), of one argument.
   */
  private static Object keys(DArray d, String index, List<Character> contracted, int level, int[] blk,
      Map<Character, Integer> nb, Map<Character, Long> size) {
    while (level < contracted.size() && index.indexOf(contracted.get(level)) < 0) {
      level++;
    }
    if (level == contracted.size()) {
      return d.blockKey(blk.clone());
    }
    int ax = index.indexOf(contracted.get(level));
    List<Object> list = new ArrayList<>();
    int n = broadcast(d, ax, size.get(contracted.get(level))) ? 1 : nb.get(contracted.get(level));
    for (int i = 0; i < n; i++) {
      blk[ax] = i;
      list.add(keys(d, index, contracted, level + 1, blk, nb, size));
    }
    return list;
  }

  /** Per argument, the axes to concatenate its nested lists along (null for literals). */
  private static int[][] concatPlan(List<Arg> args, List<Character> contracted) {
    int[][] plan = new int[args.size()][];
    for (int k = 0; k < args.size(); k++) {
      String ind = args.get(k).index();
      if (ind == null) {
        continue;
      }
      List<Integer> axes = new ArrayList<>();
      for (char c : contracted) {
        if (ind.indexOf(c) >= 0) {
          axes.add(ind.indexOf(c));
        }
      }
      plan[k] = axes.stream().mapToInt(Integer::intValue).toArray();
    }
    return plan;
  }

  private static String describe(List<Arg> args) {
    StringBuilder b = new StringBuilder();
    for (Arg a : args) {
      if (a.value() instanceof DArray d) {
        if (b.length() > 0) {
          b.append("; ");
        }
        b.append('\'').append(a.index()).append("' shape ").append(Chunks.describeShape(d.shape())).append(" chunks ")
            .append(Chunks.describe(d.chunks()));
      }
    }
    return b.toString();
  }

  /** Joins nested lists of blocks along the given axes (outermost list = first axis). */
  static INDArray concat(Object nested, int[] axes, int level) {
    if (!(nested instanceof List<?> list)) {
      return (INDArray) nested;
    }
    INDArray[] parts = new INDArray[list.size()];
    for (int i = 0; i < parts.length; i++) {
      parts[i] = concat(list.get(i), axes, level + 1);
    }
    return parts.length == 1 ? parts[0] : Nd4j.concat(axes[level], parts);
  }

  /** The task function: optional concatenation, the user's function, a shape and dtype check. */
  record Call(TaskFn fn, long[] expected, DataType dtype, int[][] concat, String name) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      Object[] in = args;
      if (concat != null) {
        in = args.clone();
        for (int k = 0; k < in.length; k++) {
          if (concat[k] != null && concat[k].length > 0) {
            in[k] = Blockwise.concat(in[k], concat[k], 0);
          }
        }
      }
      Object r = fn.apply(in);
      if (!(r instanceof INDArray x)) {
        throw new IllegalStateException(name + ": the block function returned "
            + (r == null ? "null" : r.getClass().getName()) + ", not an INDArray");
      }
      if (!Arrays.equals(x.shape(), expected)) {
        throw new IllegalStateException(name + ": the block function returned shape " + Arrays.toString(x.shape())
            + ", expected " + Arrays.toString(expected));
      }
      return x.dataType() == dtype ? x : x.castTo(dtype);
    }
  }

  /** A user's function over the task arguments. */
  record User(Fn.FN<INDArray> f) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      return f.apply(args);
    }
  }
}
