package io.jask.array;

import io.jask.array.internal.Chunks;
import io.jask.array.internal.Dense;
import io.jask.array.internal.Tsqr;
import io.jask.engine.Graph;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Linear algebra on {@link DArray}s, like {@code dask.array.linalg}: {@link #qr} and {@link #svd}
 * of tall-and-skinny matrices by TSQR (one task per row block, one small factorization of the
 * stacked R factors, then one task per row block again: no block ever meets another), {@link
 * #lstsq} on top of the QR, and {@link #solve} and {@link #inv} for matrices that fit one chunk.
 *
 * <pre>{@code
 * DArray a = DArray.random(new long[] {100_000, 50}, new int[] {10_000, 50}, 1);
 * Linalg.QR qr = Linalg.qr(a);                   // q: 100000x50 in the same row chunks, r: 50x50
 * Linalg.SVD svd = Linalg.svd(a);                // u, s (50), vt (50x50)
 * INDArray s = svd.s().compute();
 * }</pre>
 *
 * <p>Tall and skinny: the array is 2-D with at least as many rows as columns. Its column chunks
 * are merged into one, and row chunks with fewer rows than the array has columns are merged with
 * their neighbours, so every row block is itself tall (the {@code Q}, {@code U} results have the
 * adjusted row chunks). Integer and boolean arrays are factored in float64. A NaN or infinity in
 * the input gives NaN factors (LAPACK is not called on it).
 */
public final class Linalg {
  private Linalg() {}

  /**
   * {@code A = Q R}: Q (m x n, orthonormal columns, A's row chunks) and R (n x n, upper triangular,
   * one chunk). Signs follow LAPACK's Householder convention (R's diagonal may be negative).
   *
   * @param q the orthonormal factor
   * @param r the upper triangular factor
   */
  public record QR(DArray q, DArray r) {}

  /**
   * {@code A = U diag(S) Vᵀ} (the thin SVD, like {@code np.linalg.svd(a, full_matrices=False)}).
   *
   * @param u m x k, orthonormal columns (k = min(m, n))
   * @param s the k singular values, largest first
   * @param vt k x n, orthonormal rows
   */
  public record SVD(DArray u, DArray s, DArray vt) {}

  /**
   * The QR factorization of a tall-and-skinny array by TSQR, like {@code da.linalg.qr}.
   *
   * <pre>{@code
   * Linalg.QR f = Linalg.qr(DArray.random(new long[] {1000, 5}, new int[] {100, 5}, 7));
   * INDArray r = f.r().compute();                                  // 5x5
   * }</pre>
   *
   * @throws IllegalArgumentException if the array is not 2-D or has more columns than rows (the
   *     message names its shape and chunks)
   */
  public static QR qr(DArray a) {
    return qr(a, DEFAULT_SPLIT_EVERY);
  }

  /**
   * {@link #qr(DArray)} with the stacked R factors combined in a tree of at most {@code splitEvery}
   * per task (see {@link #DEFAULT_SPLIT_EVERY}).
   *
   * <pre>{@code
   * Linalg.QR f = Linalg.qr(DArray.random(new long[] {100_000, 4}, new int[] {100, 4}, 7), 4);   // 1,000 blocks, 5 levels
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code splitEvery < 2}, or as {@link #qr(DArray)}
   */
  public static QR qr(DArray a, int splitEvery) {
    Steps s = tsqr("qr", a, splitEvery);
    String qName = Tokenize.name("qr-q", s.stacked);
    String rName = Tokenize.name("qr-r", s.stacked);
    Map<Key, Task> qTasks = new LinkedHashMap<>();
    for (int i = 0; i < s.rows.length; i++) {
      qTasks.put(Key.of(qName, i, 0), Task.of(new Tsqr.QBlock(s.pos[i], s.n), Key.of(s.local, i), s.factor[i]));
    }
    Graph qGraph = Graph.of(Layer.of(qName, s.factorLayers, qTasks), s.graph);
    Graph rGraph = Graph.of(Layer.of(rName, Set.of(s.stacked),
        Map.of(Key.of(rName, 0, 0), Task.of(new Tsqr.ROf(s.n), Key.of(s.stacked, 0)))), s.graph);
    return new QR(DArray.fromGraph(qName, qGraph, new long[][] {s.rows, {s.n}}, s.dtype),
        DArray.fromGraph(rName, rGraph, new long[][] {{s.n}, {s.n}}, s.dtype));
  }

  /**
   * The thin SVD: TSQR, then the SVD of the small R ({@code R = U_r S Vᵀ}, LAPACK {@code gesvd}),
   * then {@code U = Q U_r} block by block. A short-and-fat array (more columns than rows) is
   * factored through its transpose.
   *
   * <pre>{@code
   * Linalg.SVD f = Linalg.svd(DArray.random(new long[] {1000, 5}, new int[] {100, 5}, 7));
   * INDArray singularValues = f.s().compute();
   * }</pre>
   *
   * @throws IllegalArgumentException if the array is not 2-D
   */
  public static SVD svd(DArray a) {
    return svd(a, DEFAULT_SPLIT_EVERY);
  }

  /**
   * {@link #svd(DArray)} with TSQR's stacked R factors combined in a tree of at most {@code
   * splitEvery} per task.
   *
   * @throws IllegalArgumentException if {@code splitEvery < 2}, or as {@link #svd(DArray)}
   */
  public static SVD svd(DArray a, int splitEvery) {
    if (a.ndim() == 2 && a.shape()[1] > a.shape()[0]) {
      SVD t = svd(transpose(a), splitEvery);
      return new SVD(transpose(t.vt()), t.s(), transpose(t.u()));
    }
    Steps s = tsqr("svd", a, splitEvery);
    String svdName = Tokenize.name("svd-small", s.stacked);
    Graph svdGraph = Graph.of(Layer.of(svdName, Set.of(s.stacked),
        Map.of(Key.of(svdName, 0), Task.of(new Tsqr.SmallSvd(s.n), Key.of(s.stacked, 0)))), s.graph);
    String uName = Tokenize.name("svd-u", svdName);
    Map<Key, Task> uTasks = new LinkedHashMap<>();
    for (int i = 0; i < s.rows.length; i++) {
      uTasks.put(Key.of(uName, i, 0), Task.of(new Tsqr.UBlock(s.pos[i], s.n), Key.of(s.local, i), s.factor[i],
          Key.of(svdName, 0)));
    }
    String sName = Tokenize.name("svd-s", svdName);
    String vName = Tokenize.name("svd-vt", svdName);
    Set<String> uDeps = new java.util.HashSet<>(s.factorLayers);
    uDeps.add(svdName);
    Graph uGraph = Graph.of(Layer.of(uName, uDeps, uTasks), Graph.merge(svdGraph, s.graph));
    Graph sGraph = Graph.of(Layer.of(sName, Set.of(svdName),
        Map.of(Key.of(sName, 0), Task.of(new Tsqr.SOf(s.n), Key.of(svdName, 0)))), svdGraph);
    Graph vGraph = Graph.of(Layer.of(vName, Set.of(svdName),
        Map.of(Key.of(vName, 0, 0), Task.of(new Tsqr.VtOf(s.n), Key.of(svdName, 0)))), svdGraph);
    return new SVD(DArray.fromGraph(uName, uGraph, new long[][] {s.rows, {s.n}}, s.dtype),
        DArray.fromGraph(sName, sGraph, new long[][] {{s.n}}, s.dtype),
        DArray.fromGraph(vName, vGraph, new long[][] {{s.n}, {s.n}}, s.dtype));
  }

  /**
   * The least-squares solution x of {@code a x ≈ b} for a tall-and-skinny {@code a} of full column
   * rank, through its QR: {@code x = R⁻¹ (Qᵀ b)}; {@code b} is 1-D (m) or 2-D (m x k).
   *
   * <pre>{@code
   * DArray x = Linalg.lstsq(a, b);      // a: 10000x3, b: 10000 → x: 3
   * }</pre>
   */
  public static DArray lstsq(DArray a, DArray b) {
    if (b.ndim() < 1 || b.ndim() > 2 || a.ndim() != 2 || b.shape()[0] != a.shape()[0]) {
      throw new IllegalArgumentException("lstsq needs a 2-D a and a 1-D or 2-D b with as many rows, got shapes "
          + Chunks.describeShape(a.shape()) + " and " + Chunks.describeShape(b.shape()));
    }
    QR f = qr(a);
    DArray qtb = ProductOps.tensordot(f.q(), b, new int[] {0}, new int[] {0});
    return solve(f.r(), qtb);
  }

  /**
   * The x with {@code a x = b}, for a square {@code a} that fits one chunk and {@code b} of shape
   * (n) or (n, k) (any column chunks; each column chunk of b is solved by one task).
   *
   * <pre>{@code
   * DArray x = Linalg.solve(DArray.fromArray(a, 100), DArray.fromArray(b, 100));   // a: 100x100
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code a} is not square or has more than one chunk, or the
   *     shapes do not match (the message names the shapes and chunks); a singular matrix fails the
   *     computation with an {@link ArithmeticException}
   */
  public static DArray solve(DArray a, DArray b) {
    oneSquareChunk("solve", a);
    long n = a.shape()[0];
    if (b.ndim() < 1 || b.ndim() > 2 || b.shape()[0] != n) {
      throw new IllegalArgumentException("solve: b of shape " + Chunks.describeShape(b.shape()) + " (chunks "
          + Chunks.describe(b.chunks()) + ") does not match a of shape " + Chunks.describeShape(a.shape()));
    }
    DataType t = floating(io.jask.array.internal.DTypes.promote(a.dtype(), b.dtype()));
    DArray bb = b.chunks()[0].length == 1 ? b : b.rechunk(b.ndim() == 1
        ? new long[][] {{n}} : new long[][] {{n}, b.chunks()[1]});
    String name = Tokenize.name("solve", a.name(), bb.name(), t.name());
    Map<Key, Task> tasks = new LinkedHashMap<>();
    if (bb.ndim() == 1) {
      tasks.put(Key.of(name, 0), Task.of(new Dense.Solve(t), a.blockKey(0, 0), bb.blockKey(0)));
    } else {
      for (int j = 0; j < bb.chunks()[1].length; j++) {
        tasks.put(Key.of(name, 0, j), Task.of(new Dense.Solve(t), a.blockKey(0, 0), bb.blockKey(0, j)));
      }
    }
    Graph g = Graph.of(Layer.of(name, Set.of(a.name(), bb.name()), tasks), a.graph(), bb.graph());
    return DArray.fromGraph(name, g, Chunks.copy(bb.chunks()), t);
  }

  /**
   * The inverse of a square matrix that fits one chunk.
   *
   * <pre>{@code
   * INDArray ai = Linalg.inv(DArray.fromArray(a, 100)).compute();   // a: 100x100
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code a} is not square or has more than one chunk (the
   *     message names its shape and chunks); a singular matrix fails the computation with an {@link
   *     ArithmeticException}
   */
  public static DArray inv(DArray a) {
    oneSquareChunk("inv", a);
    DataType t = floating(a.dtype());
    String name = Tokenize.name("inv", a.name(), t.name());
    Graph g = Graph.of(Layer.of(name, Set.of(a.name()),
        Map.of(Key.of(name, 0, 0), Task.of(new Dense.Inv(t), a.blockKey(0, 0)))), a.graph());
    return DArray.fromGraph(name, g, Chunks.copy(a.chunks()), t);
  }

  // ------------------------------------------------------------------ internals

  /** The transpose of a 2-D array, block by block. */
  private static DArray transpose(DArray a) {
    return Blockwise.blockwise("transpose", Transpose.INSTANCE, "transpose", "ji", a.dtype(), false,
        List.of(new Blockwise.Arg(a, "ij")));
  }

  private enum Transpose implements TaskFn {
    INSTANCE;

    @Override
    public Object apply(Object[] args) {
      return ((org.nd4j.linalg.api.ndarray.INDArray) args[0]).transpose().dup('c');
    }
  }

  private static DataType floating(DataType t) {
    return t == DataType.FLOAT || t == DataType.DOUBLE ? t : DataType.DOUBLE;
  }

  private static void oneSquareChunk(String op, DArray a) {
    if (a.ndim() != 2 || a.shape()[0] != a.shape()[1]) {
      throw new IllegalArgumentException(op + " needs a square matrix, got shape " + Chunks.describeShape(a.shape())
          + " (chunks " + Chunks.describe(a.chunks()) + ")");
    }
    if (a.chunks()[0].length != 1 || a.chunks()[1].length != 1) {
      throw new IllegalArgumentException(op + " needs a matrix that fits one chunk, got shape "
          + Chunks.describeShape(a.shape()) + " in chunks " + Chunks.describe(a.chunks()) + "; rechunk it first, e.g. "
          + "a.rechunk(" + a.shape()[0] + ", " + a.shape()[1] + ")");
    }
  }

  /**
   * The layers TSQR's results share: local QRs (one per row block), the root of the tree of stacked
   * QRs ({@code stacked}, key {@code (stacked, 0)}, whose last n rows are R), and per row block
   * {@code i} the key of the factor its Q block is multiplied by ({@code factor[i]}) and its
   * position in it ({@code pos[i]}: rows {@code [pos·n, (pos+1)·n)}).
   */
  private record Steps(String local, String stacked, Graph graph, long[] rows, long n, DataType dtype, Key[] factor,
      int[] pos, Set<String> factorLayers) {}

  /** How many R factors one task of TSQR's tree stacks at most, unless given ({@code qr(a, splitEvery)}). */
  public static final int DEFAULT_SPLIT_EVERY = 8;

  /**
   * TSQR as a tree (Demmel et al.'s communication-avoiding QR; a flat stack when there are at most
   * {@code splitEvery} row blocks). Up: the local {@code [Q_i; R_i]}, then levels of tasks that
   * each stack at most {@code splitEvery} R factors of the level below and factor them ({@link
   * Tsqr#stacked}), up to one root whose R is A's. Down: the root's Q part is the factor of its
   * children; a node below gets {@code Q2_node · F_parent[pos·n, (pos+1)·n)} ({@link Tsqr.Down}), so
   * that the blocks of the level above the local QRs hold, for each row block, the n x n matrix
   * its {@code Q_i} is multiplied by. No task sees more than {@code splitEvery · n} rows of R.
   */
  private static Steps tsqr(String op, DArray a, int splitEvery) {
    if (splitEvery < 2) {
      throw new IllegalArgumentException(op + ": splitEvery must be at least 2, got " + splitEvery);
    }
    if (a.ndim() != 2) {
      throw new IllegalArgumentException(op + " needs a 2-D array, got shape " + Chunks.describeShape(a.shape())
          + " (chunks " + Chunks.describe(a.chunks()) + ")");
    }
    if (!Chunks.allKnown(a.chunks())) {
      throw new IllegalArgumentException(op + ": unknown chunk sizes " + Chunks.describe(a.chunks()));
    }
    long m = a.shape()[0];
    long n = a.shape()[1];
    if (m < n) {
      throw new IllegalArgumentException(op + " by TSQR needs a tall-and-skinny array (at least as many rows as columns), "
          + "got shape " + Chunks.describeShape(a.shape()) + " (chunks " + Chunks.describe(a.chunks()) + ")");
    }
    long[] rows = tallRows(a.chunks()[0], n);
    DArray x = a;
    if (!java.util.Arrays.equals(rows, a.chunks()[0]) || a.chunks()[1].length != 1) {
      x = x.rechunk(new long[][] {rows, {n}});
    }
    DataType t = floating(x.dtype());
    if (t != x.dtype()) {
      x = x.astype(t);
    }
    String local = Tokenize.name(op + "-local", x.name());
    Map<Key, Task> localTasks = new LinkedHashMap<>();
    List<Key> locals = new ArrayList<>();
    for (int i = 0; i < rows.length; i++) {
      localTasks.put(Key.of(local, i), Task.of(Tsqr.Local.INSTANCE, x.blockKey(i, 0)));
      locals.add(Key.of(local, i));
    }
    Graph g = Graph.of(Layer.of(local, Set.of(x.name()), localTasks), x.graph());
    // up: levels of stacked QRs, each node stacking at most splitEvery of the level below
    List<List<Key>> levels = new ArrayList<>();
    List<int[]> parentOf = new ArrayList<>(); // per level below: the parent's index in the next level
    List<Key> below = locals;
    String prev = local;
    int level = 0;
    do {
      String name = Tokenize.name(op + "-stacked", prev, level, splitEvery);
      Map<Key, Task> tasks = new LinkedHashMap<>();
      List<Key> here = new ArrayList<>();
      int[] parents = new int[below.size()];
      for (int from = 0, j = 0; from < below.size(); from += splitEvery, j++) {
        List<Key> group = below.subList(from, Math.min(below.size(), from + splitEvery));
        java.util.Arrays.fill(parents, from, from + group.size(), j);
        Key k = Key.of(name, j);
        tasks.put(k, Task.of(new Tsqr.Stacked(n), new ArrayList<>(group)));
        here.add(k);
      }
      g = Graph.of(Layer.of(name, Set.of(prev), tasks), g);
      parentOf.add(parents);
      levels.add(here);
      below = here;
      prev = name;
      level++;
    } while (below.size() > 1);
    String root = prev;
    // down: the factor of every node of the levels above the locals (the root's is its own Q part)
    Set<String> factorLayers = new java.util.HashSet<>(Set.of(local, root));
    Key[] factorOfLevel = {Key.of(root, 0)};
    for (int lv = levels.size() - 2; lv >= 0; lv--) {
      List<Key> nodes = levels.get(lv);
      int[] parents = parentOf.get(lv + 1);
      String name = Tokenize.name(op + "-factor", root, lv);
      Map<Key, Task> tasks = new LinkedHashMap<>();
      Key[] factors = new Key[nodes.size()];
      for (int j = 0; j < nodes.size(); j++) {
        int p = parents[j];
        int pos = j - firstChild(parents, p);
        factors[j] = Key.of(name, j);
        tasks.put(factors[j], Task.of(new Tsqr.Down(pos, n), nodes.get(j), factorOfLevel[p]));
      }
      Set<String> deps = new java.util.HashSet<>(Set.of(levels.get(lv).get(0).name()));
      deps.add(factorOfLevel[0].name());
      g = Graph.of(Layer.of(name, deps, tasks), g);
      factorLayers.add(name);
      factorOfLevel = factors;
    }
    int[] leafParents = parentOf.get(0);
    Key[] factor = new Key[rows.length];
    int[] pos = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      factor[i] = factorOfLevel[leafParents[i]];
      pos[i] = i - firstChild(leafParents, leafParents[i]);
    }
    return new Steps(local, root, g, rows, n, t, factor, pos, factorLayers);
  }

  /** The first index whose parent is {@code p} (parents are non-decreasing). */
  private static int firstChild(int[] parents, int p) {
    int i = 0;
    while (parents[i] != p) {
      i++;
    }
    return i;
  }

  /** Row chunks with at least {@code n} rows each: short chunks merged into the next (the last into the previous). */
  static long[] tallRows(long[] rows, long n) {
    List<Long> out = new ArrayList<>();
    long acc = 0;
    for (long r : rows) {
      acc += r;
      if (acc >= Math.max(n, 1)) {
        out.add(acc);
        acc = 0;
      }
    }
    if (acc > 0 || out.isEmpty()) {
      if (out.isEmpty()) {
        out.add(acc);
      } else {
        out.set(out.size() - 1, out.get(out.size() - 1) + acc);
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }
}
