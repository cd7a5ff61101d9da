package io.jask.array;

import io.jask.array.internal.Chunks;
import io.jask.array.internal.DTypes;
import io.jask.array.internal.MirrorPairs;
import io.jask.array.internal.Reduce;
import io.jask.array.internal.Reduce.ROp;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Builds tree reductions (see {@link Reduce} for the kernels): one partial task per input block
 * (fused with the input's element-wise expression when it has one), then levels of combine tasks
 * of at most {@code splitEvery} partials each per output block, then one final task per output
 * block. Output blocks are the input's blocks along the kept axes.
 */
final class Reductions {
  /** Partial results merged per combine task when the caller does not say ({@code splitEvery}). */
  static final int DEFAULT_SPLIT_EVERY = 8;

  private Reductions() {}

  static int[] normalizeAxes(DArray x, int[] axes, String what) {
    int r = x.ndim();
    if (axes == null) {
      int[] all = new int[r];
      for (int i = 0; i < r; i++) {
        all[i] = i;
      }
      return all;
    }
    Set<Integer> seen = new LinkedHashSet<>();
    for (int a : axes) {
      int n = a < 0 ? a + r : a;
      if (n < 0 || n >= r) {
        throw new IllegalArgumentException(what + ": axis " + a + " is out of bounds for an array of shape "
            + Chunks.describeShape(x.shape()));
      }
      if (!seen.add(n)) {
        throw new IllegalArgumentException(what + ": axis " + a + " given twice");
      }
    }
    return seen.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  static DataType outType(ROp op, DataType in) {
    return switch (op) {
      case SUM, PROD, NANSUM -> DTypes.sumType(in);
      case MEAN, VAR, STD, NANMEAN -> DTypes.floating(in);
      case MIN, MAX, NANMIN, NANMAX -> in;
      case ANY, ALL -> DataType.BOOL;
      case ARGMIN, ARGMAX -> DataType.LONG;
    };
  }

  /** {@link #mirrorBase(DArray)} when {@code op} reduces every axis with a kernel of {@link MirrorPairs}; else null. */
  static DArray mirrorBase(DArray x, ROp op, int[] axes) {
    return axes.length == 2 && MirrorPairs.supports(op) ? mirrorBase(x) : null;
  }

  /**
   * The array {@code m} when {@code x} is a 2-D element-wise expression over {@code m} and {@code m.T}
   * only (both present), {@code m} float64 with the same known chunks along both axes (so block (i, j)
   * of {@code m.T} is block (j, i) of {@code m}, transposed); else null.
   */
  static DArray mirrorBase(DArray x) {
    if (x.expr == null || x.ndim() != 2 || x.leaves.size() < 2 || !MirrorPairs.ENABLED) {
      return null;
    }
    for (DArray m : x.leaves) {
      if (m.ndim() != 2 || m.dtype != DataType.DOUBLE || !Chunks.allKnown(m.chunks) || !Arrays.equals(m.chunks[0], m.chunks[1])
          || !Arrays.equals(x.chunks[0], m.chunks[0]) || !Arrays.equals(x.chunks[1], m.chunks[1])) {
        continue;
      }
      boolean direct = false;
      boolean transposed = false;
      boolean others = false;
      for (DArray l : x.leaves) {
        if (l.name.equals(m.name)) {
          direct = true;
        } else if (ProductOps.isTransposeOf(l, m)) {
          transposed = true;
        } else {
          others = true;
        }
      }
      if (direct && transposed && !others) {
        return m;
      }
    }
    return null;
  }

  static DArray reduce(DArray x, ROp op, int[] axesIn, boolean keepdims, int splitEvery, int ddof) {
    String what = op.name().toLowerCase(Locale.ROOT);
    if (splitEvery < 2) {
      throw new IllegalArgumentException(what + ": splitEvery must be at least 2, got " + splitEvery);
    }
    int r = x.ndim();
    int[] axes = normalizeAxes(x, axesIn, what);
    boolean[] reduced = new boolean[r];
    for (int a : axes) {
      reduced[a] = true;
    }
    int argAxis = -1;
    if (op == ROp.ARGMIN || op == ROp.ARGMAX) {
      if (axesIn != null && axes.length != 1) {
        throw new IllegalArgumentException(what + " takes one axis or none, got " + Arrays.toString(axesIn));
      }
      argAxis = axesIn == null ? -1 : axes[0];
      if (argAxis < 0 && !Chunks.allKnown(x.chunks)) {
        throw new IllegalArgumentException(what + " over all axes needs known chunk sizes, got " + Chunks.describe(x.chunks));
      }
    }
    if (op == ROp.MIN || op == ROp.MAX || op == ROp.ARGMIN || op == ROp.ARGMAX) {
      long[] shape = x.shape();
      for (int a : axes) {
        if (shape[a] == 0) {
          throw new IllegalArgumentException("zero-size array to reduction operation " + what
              + " which has no identity (shape " + Chunks.describeShape(shape) + ", axis " + a + ")");
        }
      }
    }
    DataType dtype = outType(op, x.dtype);
    long[][] chunks = x.chunks;
    int[] nb = Chunks.numBlocks(chunks);
    long[][] offsets = new long[r][];
    for (int a = 0; a < r; a++) {
      offsets[a] = Chunks.known(chunks[a]) ? Chunks.offsets(chunks[a]) : new long[chunks[a].length + 1];
    }
    long[] fullShape = x.shape();
    String token = Tokenize.token(x.name, op.name(), axes, keepdims, splitEvery, ddof);
    String prefix = what;
    String partialName = prefix + "-partial-" + token;
    String outName = prefix + "-" + token;

    // output chunks and numbering
    List<long[]> outAxes = new ArrayList<>();
    for (int a = 0; a < r; a++) {
      if (!reduced[a]) {
        outAxes.add(chunks[a].clone());
      } else if (keepdims) {
        outAxes.add(new long[] {1});
      }
    }
    long[][] outChunks = outAxes.toArray(new long[0][]);

    // partial layer
    Map<Key, Task> partials = new LinkedHashMap<>();
    Map<List<Integer>, List<Key>> groups = new LinkedHashMap<>();
    Set<String> srcDeps = new LinkedHashSet<>();
    Graph base;
    if (x.expr != null) {
      for (DArray l : x.leaves) {
        srcDeps.add(l.name);
      }
      base = Graph.merge(x.leaves.stream().map(l -> l.graph).toArray(Graph[]::new));
    } else {
      srcDeps.add(x.name);
      base = x.graph;
    }
    DArray mirrored = mirrorBase(x, op, axes);
    if (mirrored != null) {
      // one task per mirrored pair of blocks (MirrorPairs): x[i, j] and x[j, i] read once for both outputs
      srcDeps.clear();
      srcDeps.add(mirrored.name);
      base = mirrored.graph;
      boolean[] transposed = new boolean[x.leaves.size()];
      for (int k = 0; k < transposed.length; k++) {
        transposed[k] = !x.leaves.get(k).name.equals(mirrored.name);
      }
      MirrorPairs.Pair fn = new MirrorPairs.Pair(op, x.expr, transposed, fullShape);
      List<Key> all = new ArrayList<>();
      int n = nb[0];
      for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
          Key k = Key.of(partialName, i, j);
          partials.put(k, i == j ? Task.of(fn, Key.of(mirrored.name, i, i))
              : Task.of(fn, Key.of(mirrored.name, i, j), Key.of(mirrored.name, j, i)));
          all.add(k);
        }
      }
      groups.put(keepdims ? List.of(0, 0) : List.of(), all);
    }
    for (int[] idx : mirrored != null ? List.<int[]>of() : Chunks.indices(nb)) {
      long[] off = new long[r];
      for (int a = 0; a < r; a++) {
        off[a] = offsets[a][idx[a]];
      }
      Reduce.Partial fn = new Reduce.Partial(op, reduced, x.expr, off, fullShape, argAxis);
      Key k = Key.of(partialName, idx);
      Object[] args = x.expr != null ? Elementwise.leafKeys(x.leaves, idx, r).toArray() : new Object[] {Key.of(x.name, idx)};
      partials.put(k, Task.of(fn, args));
      List<Integer> g = new ArrayList<>();
      for (int a = 0; a < r; a++) {
        if (!reduced[a]) {
          g.add(idx[a]);
        } else if (keepdims) {
          g.add(0);
        }
      }
      groups.computeIfAbsent(g, q -> new ArrayList<>()).add(k);
    }
    Graph g = base.with(Layer.of(partialName, srcDeps, partials));

    // combine levels
    String prev = partialName;
    int level = 0;
    boolean more = true;
    while (more) {
      more = false;
      for (List<Key> ks : groups.values()) {
        if (ks.size() > splitEvery) {
          more = true;
          break;
        }
      }
      if (!more) {
        break;
      }
      String aggName = prefix + "-agg" + level + "-" + token;
      Map<Key, Task> aggs = new LinkedHashMap<>();
      int gi = 0;
      for (Map.Entry<List<Integer>, List<Key>> e : groups.entrySet()) {
        List<Key> ks = e.getValue();
        if (ks.size() <= splitEvery) {
          // pass through unchanged (still a key of an earlier layer)
          gi++;
          continue;
        }
        List<Key> next = new ArrayList<>();
        for (int i = 0; i < ks.size(); i += splitEvery) {
          List<Key> batch = List.copyOf(ks.subList(i, Math.min(ks.size(), i + splitEvery)));
          Key k = Key.of(aggName, gi, i / splitEvery);
          aggs.put(k, Task.of(new Reduce.Combine(op), batch));
          next.add(k);
        }
        e.setValue(next);
        gi++;
      }
      Set<String> deps = new LinkedHashSet<>();
      deps.add(partialName);
      deps.add(prev);
      for (int l = 0; l < level; l++) {
        deps.add(prefix + "-agg" + l + "-" + token);
      }
      g = g.with(Layer.of(aggName, deps, aggs));
      prev = aggName;
      level++;
    }
    Map<Key, Task> finals = new LinkedHashMap<>();
    Reduce.Final fin = new Reduce.Final(op, ddof, reduced, keepdims, dtype);
    for (Map.Entry<List<Integer>, List<Key>> e : groups.entrySet()) {
      int[] oi = e.getKey().stream().mapToInt(Integer::intValue).toArray();
      finals.put(Key.of(outName, oi), Task.of(fin, List.copyOf(e.getValue())));
    }
    Set<String> deps = new LinkedHashSet<>();
    deps.add(partialName);
    for (int l = 0; l < level; l++) {
      deps.add(prefix + "-agg" + l + "-" + token);
    }
    g = g.with(Layer.of(outName, deps, finals));
    return new DArray(outName, g, outChunks, dtype);
  }
}
