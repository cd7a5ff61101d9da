package io.jask.array;

import io.jask.array.internal.ArrayFns;
import io.jask.array.internal.Blocks;
import io.jask.array.internal.Chunks;
import io.jask.array.internal.DTypes;
import io.jask.array.internal.Elem;
import io.jask.array.internal.Elem.BOp;
import io.jask.array.internal.Elem.UOp;
import io.jask.array.internal.Gram;
import io.jask.array.internal.Products;
import io.jask.array.internal.Reduce.ROp;
import io.jask.engine.Fn;
import io.jask.engine.Graph;
import io.jask.engine.Jask;
import io.jask.engine.JaskCollection;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.SingleValue;
import io.jask.engine.Task;
import io.jask.engine.Tokenize;
import io.jask.engine.scheduler.Scheduler;
import io.jask.engine.scheduler.Schedulers;
import io.jask.engine.scheduler.local.LocalScheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A lazy, chunked n-dimensional array whose chunks are ND4J {@link INDArray}s, like
 * {@code dask.array.Array}: a shape, per-axis chunk sizes, a dtype, and a task graph with one key
 * {@code (name, i, j, …)} per block. Operations build new graphs; {@link #compute()} runs one and
 * returns the whole array as an {@code INDArray}.
 *
 * <pre>{@code
 * DArray x = DArray.random(new long[] {20_000, 20_000}, new int[] {2_000, 2_000}, 42);
 * INDArray colMeans = x.add(x.transpose()).mean(0).compute();
 * }</pre>
 *
 * <p>Chunks may be uneven; a chunk size is {@link #UNKNOWN} ({@code -1}, Dask's NaN) after a
 * boolean mask. Dtypes: {@code DOUBLE} (float64), {@code FLOAT} (float32), {@code LONG} (int64),
 * {@code INT} (int32), {@code BOOL}. Element-wise work and reductions run as plain loops over the
 * chunks' values in {@code double} (integers are exact up to 2^53) and chains of element-wise
 * operations fuse into one task per output chunk; see docs/array.md for the semantics chosen where
 * ND4J and NumPy differ.
 */
public final class DArray implements JaskCollection<INDArray> {
  /** A chunk size that is not known until computed (after a boolean mask), Dask's NaN. */
  public static final long UNKNOWN = Chunks.UNKNOWN;

  final String name;
  final Graph graph;
  final long[][] chunks;
  final DataType dtype;
  /** When not null, this array is an element-wise expression over {@link #leaves} (for fusion). */
  final Elem expr;
  final List<DArray> leaves;
  /** When not null, this array is {@code gramOf @ gramOf.T} made by the Gram kernels (for the whole-array direct compute). */
  final DArray gramOf;

  DArray(String name, Graph graph, long[][] chunks, DataType dtype) {
    this(name, graph, chunks, dtype, null, List.of());
  }

  DArray(String name, Graph graph, long[][] chunks, DataType dtype, Elem expr, List<DArray> leaves) {
    this(name, graph, chunks, dtype, expr, leaves, null);
  }

  DArray(String name, Graph graph, long[][] chunks, DataType dtype, Elem expr, List<DArray> leaves, DArray gramOf) {
    this.name = name;
    this.graph = graph;
    this.chunks = chunks;
    this.dtype = dtype;
    this.expr = expr;
    this.leaves = leaves;
    this.gramOf = gramOf;
  }

  // ---- wrapping graphs and creation ------------------------------------------------------------

  /**
   * An array over an existing graph whose layer {@code name} produces one block per key
   * {@code Key.of(name, i, j, …)} (row-major block indices), for operations built outside this class.
   *
   * <pre>{@code
   * DArray y = DArray.fromGraph(name, x.graph().with(layer), x.chunks(), DataType.DOUBLE);
   * }</pre>
   *
   * @param chunks per-axis chunk sizes ({@link #UNKNOWN} allowed)
   */
  public static DArray fromGraph(String name, Graph graph, long[][] chunks, DataType dtype) {
    Blocks.checkDtype(dtype);
    for (long[] axis : chunks) {
      if (axis.length == 0) {
        throw new IllegalArgumentException("every axis needs at least one chunk: " + Chunks.describe(chunks));
      }
      for (long c : axis) {
        if (c < 0 && c != UNKNOWN) {
          throw new IllegalArgumentException("negative chunk size in " + Chunks.describe(chunks));
        }
      }
    }
    return new DArray(name, graph, Chunks.copy(chunks), dtype);
  }

  /**
   * Splits an in-memory array into chunks of the given size per axis (one size for all axes, or
   * one per axis; 0 or less: the whole axis), like {@code da.from_array(x, chunks=…)}.
   *
   * <pre>{@code
   * DArray x = DArray.fromArray(Nd4j.rand(DataType.DOUBLE, 100, 80), 30, 40);   // chunks ((30, 30, 30, 10), (40, 40))
   * }</pre>
   */
  public static DArray fromArray(INDArray x, int... chunks) {
    return Creation.fromArray(x, Chunks.regular(x.shape(), chunks));
  }

  /** Splits an in-memory array into explicit (possibly uneven) chunks, e.g. {@code {{2, 3}, {4}}}. */
  public static DArray fromArray(INDArray x, long[][] chunks) {
    return Creation.fromArray(x, chunks);
  }

  /**
   * An array from a row-major grid of lazy blocks (for example {@code Delayed<INDArray>}s), like
   * {@code da.block([[da.from_delayed(…)]])}; each block is checked against its declared shape
   * when computed.
   *
   * <pre>{@code
   * DArray x = DArray.fromDelayed(List.of(Delayed.call(() -> Nd4j.ones(2, 3))), new long[][] {{2}, {3}}, DataType.FLOAT);
   * }</pre>
   */
  public static DArray fromDelayed(List<? extends SingleValue<? extends INDArray>> blocks, long[][] chunks, DataType dtype) {
    return Creation.fromDelayed(blocks, chunks, dtype);
  }

  /** float64 zeros. <pre>{@code DArray z = DArray.zeros(new long[] {4, 6}, new int[] {2, 3});}</pre> */
  public static DArray zeros(long[] shape, int[] chunks) {
    return full(shape, chunks, 0, DataType.DOUBLE);
  }

  /** Zeros of a dtype. */
  public static DArray zeros(long[] shape, int[] chunks, DataType dtype) {
    return full(shape, chunks, 0, dtype);
  }

  /** float64 ones. <pre>{@code DArray o = DArray.ones(new long[] {4}, new int[] {3});}</pre> */
  public static DArray ones(long[] shape, int[] chunks) {
    return full(shape, chunks, 1, DataType.DOUBLE);
  }

  /** Ones of a dtype. */
  public static DArray ones(long[] shape, int[] chunks, DataType dtype) {
    return full(shape, chunks, 1, dtype);
  }

  /** An array filled with {@code value}. <pre>{@code DArray f = DArray.full(new long[] {3, 3}, new int[] {2}, 7.5, DataType.DOUBLE);}</pre> */
  public static DArray full(long[] shape, int[] chunks, double value, DataType dtype) {
    return Creation.full(shape, chunks, value, dtype);
  }

  /**
   * {@code start, start + step, …} below {@code stop} (float64), like {@code da.arange}.
   *
   * <pre>{@code
   * DArray r = DArray.arange(0, 10, 0.5, 7);   // 20 values in chunks (7, 7, 6)
   * }</pre>
   */
  public static DArray arange(double start, double stop, double step, int chunk) {
    return arange(start, stop, step, chunk, DataType.DOUBLE);
  }

  /** {@code 0, 1, …, stop - 1} as int64. <pre>{@code DArray r = DArray.arange(10, 4);}</pre> */
  public static DArray arange(long stop, int chunk) {
    return arange(0, stop, 1, chunk, DataType.LONG);
  }

  /** {@code arange} with a dtype. */
  public static DArray arange(double start, double stop, double step, int chunk, DataType dtype) {
    if (step == 0 || Double.isNaN(step)) {
      throw new IllegalArgumentException("arange needs a nonzero step, got " + step);
    }
    long n = Math.max(0, (long) Math.ceil((stop - start) / step));
    return Creation.ramp("arange", start, step, n, chunk, dtype, Double.NaN);
  }

  /**
   * {@code num} evenly spaced float64 values from {@code start} to {@code stop} inclusive, like
   * {@code da.linspace}. <pre>{@code DArray l = DArray.linspace(0, 1, 11, 4);}</pre>
   */
  public static DArray linspace(double start, double stop, long num, int chunk) {
    if (num < 0) {
      throw new IllegalArgumentException("linspace needs num >= 0, got " + num);
    }
    double step = num > 1 ? (stop - start) / (num - 1) : 0;
    return Creation.ramp("linspace", start, step, num, chunk, DataType.DOUBLE, num > 1 ? stop : Double.NaN);
  }

  /** The n x n float64 identity. <pre>{@code DArray i = DArray.eye(5, 2);}</pre> */
  public static DArray eye(long n, int chunk) {
    return Creation.eye(n, n, 0, chunk, DataType.DOUBLE);
  }

  /** An n x m array with ones on diagonal {@code k} (0 the main one, positive above). */
  public static DArray eye(long n, long m, long k, int chunk, DataType dtype) {
    return Creation.eye(n, m, k, chunk, dtype);
  }

  /** Uniform [0, 1) float64 values with a random seed. <pre>{@code DArray x = DArray.random(new long[] {1000, 1000}, new int[] {250});}</pre> */
  public static DArray random(long[] shape, int[] chunks) {
    return random(shape, chunks, new java.util.Random().nextLong());
  }

  /**
   * Uniform [0, 1) float64 values; block {@code b} comes from a generator seeded by {@code seed}
   * and {@code b} alone, so any block can be recomputed by itself (values depend on the chunking).
   */
  public static DArray random(long[] shape, int[] chunks, long seed) {
    return uniform(shape, chunks, seed, 0, 1);
  }

  /** Uniform values in [low, high). <pre>{@code DArray u = DArray.uniform(new long[] {10}, new int[] {4}, 7, -1, 1);}</pre> */
  public static DArray uniform(long[] shape, int[] chunks, long seed, double low, double high) {
    return Creation.random(shape, chunks, seed, false, low, high, DataType.DOUBLE);
  }

  /** Normal values with a mean and a standard deviation. <pre>{@code DArray g = DArray.normal(new long[] {10}, new int[] {4}, 7, 0, 1);}</pre> */
  public static DArray normal(long[] shape, int[] chunks, long seed, double mean, double std) {
    return Creation.random(shape, chunks, seed, true, mean, std, DataType.DOUBLE);
  }

  // ---- what the array is --------------------------------------------------------------------------

  /** The name of the layer that produces the blocks (keys are {@code (name, i, j, …)}). */
  public String name() {
    return name;
  }

  /** The shape ({@link #UNKNOWN} along an axis whose chunk sizes are not known). */
  public long[] shape() {
    return Chunks.shape(chunks);
  }

  /** The number of axes. */
  public int ndim() {
    return chunks.length;
  }

  /** The number of elements, or {@link #UNKNOWN}. */
  public long size() {
    long[] s = shape();
    for (long v : s) {
      if (v == UNKNOWN) {
        return UNKNOWN;
      }
    }
    return Chunks.product(s);
  }

  /** Per-axis chunk sizes, a copy: {@code chunks()[axis][block]}. */
  public long[][] chunks() {
    return Chunks.copy(chunks);
  }

  /** The element type. */
  public DataType dtype() {
    return dtype;
  }

  /** The number of blocks along each axis. */
  public int[] numBlocks() {
    return Chunks.numBlocks(chunks);
  }

  /** The key of the block at the given block index. */
  public Key blockKey(int... index) {
    if (index.length != chunks.length) {
      throw new IllegalArgumentException("block index " + Arrays.toString(index) + " needs " + chunks.length + " numbers");
    }
    for (int a = 0; a < index.length; a++) {
      if (index[a] < 0 || index[a] >= chunks[a].length) {
        throw new IllegalArgumentException("block index " + Arrays.toString(index) + " is outside the block grid "
            + Arrays.toString(numBlocks()));
      }
    }
    return Key.of(name, index);
  }

  @Override
  public Graph graph() {
    return graph;
  }

  /** The block keys in row-major order. */
  @Override
  public List<Key> keys() {
    List<Key> keys = new ArrayList<>();
    for (int[] idx : Chunks.indices(numBlocks())) {
      keys.add(Key.of(name, idx));
    }
    return keys;
  }

  /** Assembles the blocks (in {@link #keys()} order) into one array. */
  @Override
  public INDArray finalize(List<Object> results) {
    INDArray out = Assembly.assemble(results, chunks, dtype);
    if (results.size() > 1 && producesFreshBlocks()) {
      // the blocks were made for this compute alone and are copied into out: free their off-heap memory now
      for (Object b : results) {
        if (b != out) {
          ((INDArray) b).close();
        }
      }
    }
    return out;
  }

  /** Whether every block of this array is made by a task of its own that returns a new array (fused element-wise chains, products). */
  private boolean producesFreshBlocks() {
    Layer layer = graph.layers().get(name);
    if (layer == null) {
      return false;
    }
    Map<Key, Task> tasks = layer.materialize();
    for (Key k : keys()) {
      Task t = tasks.get(k);
      if (t == null || t.isLiteral() || !(t.fn() instanceof ArrayFns.ElemFn || t.fn() instanceof Products.MatmulSum
          || t.fn() instanceof Gram.Diag || t.fn() instanceof Gram.Off || t.fn() instanceof Gram.Mirror)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public DArray rebuild(Graph graph) {
    return new DArray(name, graph, chunks, dtype);
  }

  /** Computes the whole array with the scheduler the configuration picks. <pre>{@code INDArray a = x.compute();}</pre> */
  @Override
  public INDArray compute() {
    Scheduler scheduler = Schedulers.current();
    Optional<INDArray> direct = Assembly.computeGramInto(scheduler, this);
    if (direct.isEmpty()) {
      direct = Assembly.computePairsInto(scheduler, this);
    }
    if (direct.isEmpty()) {
      direct = Assembly.computeInto(scheduler, graph, name, chunks, dtype);
    }
    return direct.isPresent() ? direct.get() : JaskCollection.super.compute();
  }

  /**
   * Computes the blocks and returns an array that starts from them (kept in memory, or on the
   * workers with the distributed scheduler). <pre>{@code DArray kept = x.add(1.0).persist();}</pre>
   */
  public DArray persist() {
    Scheduler scheduler = Schedulers.current();
    if (scheduler instanceof Jask.Persisting || scheduler instanceof LocalScheduler) {
      return (DArray) Jask.persist(this).get(0);
    }
    // a scheduler that keeps no results (processes): carry the blocks inside their tasks
    List<?> parts = (List<?>) Jask.compute(scheduler, new BlockList(this)).get(0);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = keys();
    for (int i = 0; i < keys.size(); i++) {
      tasks.put(keys.get(i), Task.of(ArrayFns.Literal.of((INDArray) parts.get(i))));
    }
    return new DArray(name, Graph.of(Layer.of(name, Set.of(), tasks)), chunks, dtype);
  }

  /** The blocks as a list, for persist on schedulers that keep nothing. */
  private record BlockList(DArray a) implements JaskCollection<List<Object>> {
    @Override
    public Graph graph() {
      return a.graph;
    }

    @Override
    public List<Key> keys() {
      return a.keys();
    }

    @Override
    public List<Object> finalize(List<Object> results) {
      return results;
    }

    @Override
    public JaskCollection<List<Object>> rebuild(Graph graph) {
      return new BlockList(a.rebuild(graph));
    }
  }

  /**
   * The same array with its unknown chunk sizes (after a boolean mask) computed, like Dask's
   * {@code compute_chunk_sizes()}: runs the graph once for the blocks' shapes.
   *
   * <pre>{@code
   * DArray pos = x.get(x.gt(0)).computeChunkSizes();   // pos.shape()[0] is now known
   * }</pre>
   */
  public DArray computeChunkSizes() {
    if (Chunks.allKnown(chunks)) {
      return this;
    }
    String shapes = Tokenize.name("chunk-shapes", name);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    List<Key> keys = keys();
    for (Key k : keys) {
      tasks.put(Key.of(shapes, k.indices()), Task.of(new ShapeOf(), k));
    }
    DArray probe = new DArray(shapes, graph.with(Layer.of(shapes, Set.of(name), tasks)), chunks, dtype);
    List<?> found = (List<?>) Jask.compute(new BlockList(probe)).get(0);
    long[][] known = Chunks.copy(chunks);
    int[] nb = numBlocks();
    for (int f = 0; f < found.size(); f++) {
      int[] idx = Chunks.unravel(f, nb);
      long[] bs = (long[]) found.get(f);
      for (int a = 0; a < bs.length; a++) {
        known[a][idx[a]] = bs[a];
      }
    }
    return new DArray(name, graph, known, dtype);
  }

  /** The shape of a block. */
  private record ShapeOf() implements io.jask.engine.TaskFn {
    @Override
    public Object apply(Object[] args) {
      return ((INDArray) args[0]).shape();
    }
  }

  // ---- element-wise --------------------------------------------------------------------------------

  private DArray binary(String prefix, BOp op, DataType out, Object other) {
    return Elementwise.map(prefix, out, e -> new Elem.Binary(op, e.get(0), e.get(1)), this, other);
  }

  private DArray unary(String prefix, UOp op, DataType out) {
    return Elementwise.map(prefix, out, e -> new Elem.Unary(op, e.get(0)), this);
  }

  /** {@code this + other} with broadcasting. <pre>{@code DArray s = x.add(y);}</pre> */
  public DArray add(DArray other) {
    return binary("add", BOp.ADD, DTypes.promote(dtype, other.dtype), other);
  }

  /** {@code this + v}. <pre>{@code DArray s = x.add(1.5);}</pre> */
  public DArray add(double v) {
    return binary("add", BOp.ADD, DTypes.withDouble(dtype), v);
  }

  /** {@code this + v}, keeping an integer dtype. */
  public DArray add(long v) {
    return binary("add", BOp.ADD, DTypes.withLong(dtype), (double) v);
  }

  /** {@code this - other}. <pre>{@code DArray d = x.sub(y);}</pre> */
  public DArray sub(DArray other) {
    return binary("sub", BOp.SUB, DTypes.promote(dtype, other.dtype), other);
  }

  /** {@code this - v}. */
  public DArray sub(double v) {
    return binary("sub", BOp.SUB, DTypes.withDouble(dtype), v);
  }

  /** {@code v - this}. <pre>{@code DArray d = x.rsub(1.0);}</pre> */
  public DArray rsub(double v) {
    return Elementwise.map("rsub", DTypes.withDouble(dtype), e -> new Elem.Binary(BOp.SUB, e.get(1), e.get(0)), this, v);
  }

  /** {@code this * other}. <pre>{@code DArray p = x.mul(y);}</pre> */
  public DArray mul(DArray other) {
    return binary("mul", BOp.MUL, DTypes.promote(dtype, other.dtype), other);
  }

  /** {@code this * v}. */
  public DArray mul(double v) {
    return binary("mul", BOp.MUL, DTypes.withDouble(dtype), v);
  }

  /** {@code this * v}, keeping an integer dtype. */
  public DArray mul(long v) {
    return binary("mul", BOp.MUL, DTypes.withLong(dtype), (double) v);
  }

  /** True division (integers give float64). <pre>{@code DArray q = x.div(y);}</pre> */
  public DArray div(DArray other) {
    return binary("div", BOp.DIV, DTypes.floating(DTypes.promote(dtype, other.dtype)), other);
  }

  /** {@code this / v}. */
  public DArray div(double v) {
    return binary("div", BOp.DIV, DTypes.floating(dtype), v);
  }

  /** {@code v / this}. */
  public DArray rdiv(double v) {
    return Elementwise.map("rdiv", DTypes.floating(dtype), e -> new Elem.Binary(BOp.DIV, e.get(1), e.get(0)), this, v);
  }

  /** Floor division ({@code //}); integer division by zero gives 0 like NumPy. */
  public DArray floorDiv(DArray other) {
    DataType t = DTypes.promote(dtype, other.dtype);
    return binary("floordiv", DTypes.isFloat(t) ? BOp.FLOORDIV : BOp.INT_FLOORDIV, t, other);
  }

  /** Remainder with the divisor's sign ({@code %}, NumPy's {@code mod}). */
  public DArray mod(DArray other) {
    DataType t = DTypes.promote(dtype, other.dtype);
    return binary("mod", DTypes.isFloat(t) ? BOp.MOD : BOp.INT_MOD, t, other);
  }

  /** {@code this % v}. */
  public DArray mod(double v) {
    return binary("mod", BOp.MOD, DTypes.withDouble(dtype), v);
  }

  /** {@code this ** other}. <pre>{@code DArray p = x.pow(2.0);}</pre> */
  public DArray pow(DArray other) {
    return binary("pow", BOp.POW, DTypes.promote(dtype, other.dtype), other);
  }

  /** {@code this ** v}. */
  public DArray pow(double v) {
    return binary("pow", BOp.POW, DTypes.withDouble(dtype), v);
  }

  /** Element-wise minimum (NaN wins, like {@code np.minimum}). */
  public DArray minimum(DArray other) {
    return binary("minimum", BOp.MINIMUM, DTypes.promote(dtype, other.dtype), other);
  }

  /** Element-wise maximum (NaN wins, like {@code np.maximum}). */
  public DArray maximum(DArray other) {
    return binary("maximum", BOp.MAXIMUM, DTypes.promote(dtype, other.dtype), other);
  }

  /** {@code -this}. */
  public DArray neg() {
    return unary("neg", UOp.NEG, dtype == DataType.BOOL ? DataType.LONG : dtype);
  }

  /** {@code |this|}. */
  public DArray abs() {
    return unary("abs", UOp.ABS, dtype);
  }

  /** e to the power of each element. */
  public DArray exp() {
    return unary("exp", UOp.EXP, DTypes.floating(dtype));
  }

  /** Natural logarithm. */
  public DArray log() {
    return unary("log", UOp.LOG, DTypes.floating(dtype));
  }

  /** Base-10 logarithm. */
  public DArray log10() {
    return unary("log10", UOp.LOG10, DTypes.floating(dtype));
  }

  /** Square root. */
  public DArray sqrt() {
    return unary("sqrt", UOp.SQRT, DTypes.floating(dtype));
  }

  /** Each element squared. */
  public DArray square() {
    return unary("square", UOp.SQUARE, dtype == DataType.BOOL ? DataType.LONG : dtype);
  }

  /** Sine. */
  public DArray sin() {
    return unary("sin", UOp.SIN, DTypes.floating(dtype));
  }

  /** Cosine. */
  public DArray cos() {
    return unary("cos", UOp.COS, DTypes.floating(dtype));
  }

  /** Tangent. */
  public DArray tan() {
    return unary("tan", UOp.TAN, DTypes.floating(dtype));
  }

  /** Inverse sine. */
  public DArray arcsin() {
    return unary("arcsin", UOp.ARCSIN, DTypes.floating(dtype));
  }

  /** Inverse cosine. */
  public DArray arccos() {
    return unary("arccos", UOp.ARCCOS, DTypes.floating(dtype));
  }

  /** Inverse tangent. */
  public DArray arctan() {
    return unary("arctan", UOp.ARCTAN, DTypes.floating(dtype));
  }

  /** Hyperbolic sine. */
  public DArray sinh() {
    return unary("sinh", UOp.SINH, DTypes.floating(dtype));
  }

  /** Hyperbolic cosine. */
  public DArray cosh() {
    return unary("cosh", UOp.COSH, DTypes.floating(dtype));
  }

  /** Hyperbolic tangent. */
  public DArray tanh() {
    return unary("tanh", UOp.TANH, DTypes.floating(dtype));
  }

  /** Largest integer not above each element. */
  public DArray floor() {
    return unary("floor", UOp.FLOOR, dtype);
  }

  /** Smallest integer not below each element. */
  public DArray ceil() {
    return unary("ceil", UOp.CEIL, dtype);
  }

  /** -1, 0 or 1 (NaN stays NaN). */
  public DArray sign() {
    return unary("sign", UOp.SIGN, dtype);
  }

  /** Whether each element is NaN (bool). <pre>{@code DArray m = x.isnan();}</pre> */
  public DArray isnan() {
    return unary("isnan", UOp.ISNAN, DataType.BOOL);
  }

  /** Whether each element is infinite (bool). */
  public DArray isinf() {
    return unary("isinf", UOp.ISINF, DataType.BOOL);
  }

  /** Whether each element is finite (bool). */
  public DArray isfinite() {
    return unary("isfinite", UOp.ISFINITE, DataType.BOOL);
  }

  private DArray compare(String prefix, BOp op, Object other) {
    return binary(prefix, op, DataType.BOOL, other);
  }

  /** {@code this == other} (bool). */
  public DArray eq(DArray other) {
    return compare("eq", BOp.EQ, other);
  }

  /** {@code this == v} (bool). */
  public DArray eq(double v) {
    return compare("eq", BOp.EQ, v);
  }

  /** {@code this != other} (bool; NaN != NaN). */
  public DArray ne(DArray other) {
    return compare("ne", BOp.NE, other);
  }

  /** {@code this != v} (bool). */
  public DArray ne(double v) {
    return compare("ne", BOp.NE, v);
  }

  /** {@code this < other} (bool). */
  public DArray lt(DArray other) {
    return compare("lt", BOp.LT, other);
  }

  /** {@code this < v} (bool). */
  public DArray lt(double v) {
    return compare("lt", BOp.LT, v);
  }

  /** {@code this <= other} (bool). */
  public DArray le(DArray other) {
    return compare("le", BOp.LE, other);
  }

  /** {@code this <= v} (bool). */
  public DArray le(double v) {
    return compare("le", BOp.LE, v);
  }

  /** {@code this > other} (bool). */
  public DArray gt(DArray other) {
    return compare("gt", BOp.GT, other);
  }

  /** {@code this > v} (bool). <pre>{@code DArray big = x.gt(0.5);}</pre> */
  public DArray gt(double v) {
    return compare("gt", BOp.GT, v);
  }

  /** {@code this >= other} (bool). */
  public DArray ge(DArray other) {
    return compare("ge", BOp.GE, other);
  }

  /** {@code this >= v} (bool). */
  public DArray ge(double v) {
    return compare("ge", BOp.GE, v);
  }

  /** Logical and (nonzero is true). */
  public DArray and(DArray other) {
    return compare("and", BOp.AND, other);
  }

  /** Logical or (nonzero is true). */
  public DArray or(DArray other) {
    return compare("or", BOp.OR, other);
  }

  /** Logical exclusive or. */
  public DArray xor(DArray other) {
    return compare("xor", BOp.XOR, other);
  }

  /** Logical not. */
  public DArray not() {
    return unary("not", UOp.NOT, DataType.BOOL);
  }

  /**
   * {@code cond ? a : b} element by element, all three broadcast together, like {@code np.where}.
   *
   * <pre>{@code
   * DArray y = DArray.where(x.gt(0), x, x.neg());
   * }</pre>
   */
  public static DArray where(DArray cond, DArray a, DArray b) {
    return Elementwise.map("where", DTypes.promote(a.dtype, b.dtype), e -> new Elem.Where(e.get(0), e.get(1), e.get(2)), cond, a, b);
  }

  /** {@code cond ? a : b} with scalar branches. */
  public static DArray where(DArray cond, double a, double b) {
    return Elementwise.map("where", DataType.DOUBLE, e -> new Elem.Where(e.get(0), e.get(1), e.get(2)), cond, a, b);
  }

  /** {@code cond ? a : b} with a scalar else-branch. */
  public static DArray where(DArray cond, DArray a, double b) {
    return Elementwise.map("where", DTypes.withDouble(a.dtype), e -> new Elem.Where(e.get(0), e.get(1), e.get(2)), cond, a, b);
  }

  /** Limits the values to [lo, hi] (NaN stays NaN). <pre>{@code DArray c = x.clip(0, 1);}</pre> */
  public DArray clip(double lo, double hi) {
    if (lo > hi) {
      throw new IllegalArgumentException("clip needs lo <= hi, got " + lo + " > " + hi);
    }
    DataType t = DTypes.isFloat(dtype) ? dtype : DataType.DOUBLE;
    if (!DTypes.isFloat(dtype) && lo == Math.rint(lo) && hi == Math.rint(hi)) {
      t = dtype == DataType.BOOL ? DataType.LONG : dtype;
    }
    return Elementwise.map("clip", t, e -> new Elem.Binary(BOp.MINIMUM, new Elem.Binary(BOp.MAXIMUM, e.get(0), e.get(1)), e.get(2)),
        this, lo, hi);
  }

  /**
   * The same values as another dtype, like {@code astype}: float to integer truncates toward zero,
   * anything to bool is "nonzero" (NaN is true).
   *
   * <pre>{@code
   * DArray i = x.astype(DataType.INT);
   * }</pre>
   */
  public DArray astype(DataType to) {
    Blocks.checkDtype(to);
    if (to == dtype) {
      return this;
    }
    UOp op = switch (to) {
      case LONG, INT -> DTypes.isFloat(dtype) ? UOp.TRUNC : null;
      case BOOL -> UOp.TO_BOOL;
      case FLOAT -> UOp.TO_FLOAT;
      default -> null;
    };
    if (op == null) {
      return Elementwise.map("astype", to, e -> e.get(0), this);
    }
    return unary("astype", op, to);
  }

  /**
   * Applies {@code fn} to every block; each result keeps the block's shape and is cast to this
   * dtype. <pre>{@code DArray y = x.mapBlocks(b -> b.mul(2));}</pre>
   */
  public DArray mapBlocks(Fn.F1<INDArray, INDArray> fn) {
    return mapBlocks(fn, chunks, dtype);
  }

  /**
   * Applies {@code fn} to every block, declaring the result's chunks (same block grid) and dtype;
   * a block of another shape fails naming both shapes.
   *
   * <pre>{@code
   * DArray rowSums = x.mapBlocks(b -> b.sum(true, 1), new long[][] {x.chunks()[0], {1}}, DataType.DOUBLE);
   * }</pre>
   */
  public DArray mapBlocks(Fn.F1<INDArray, INDArray> fn, long[][] outChunks, DataType outDtype) {
    return Mapping.mapBlocks(this, fn, outChunks, outDtype);
  }

  /**
   * The same values in other chunks of the given size per axis (0 or less: the whole axis). Only
   * the overlapping pieces of old blocks move. <pre>{@code DArray y = x.rechunk(500, 500);}</pre>
   */
  public DArray rechunk(int... sizes) {
    if (!Chunks.allKnown(chunks)) {
      throw new IllegalArgumentException("cannot rechunk an array with unknown chunk sizes " + Chunks.describe(chunks));
    }
    return Rechunker.rechunk(this, Chunks.regular(shape(), sizes));
  }

  /** The same values in explicit chunks. */
  public DArray rechunk(long[][] newChunks) {
    if (!Chunks.allKnown(chunks)) {
      throw new IllegalArgumentException("cannot rechunk an array with unknown chunk sizes " + Chunks.describe(chunks));
    }
    return Rechunker.rechunk(this, Chunks.explicit(shape(), newChunks));
  }

  // ---- reductions ------------------------------------------------------------------------------------

  private DArray reduce(ROp op, int[] axes, boolean keepdims) {
    return Reductions.reduce(this, op, axes, keepdims, Reductions.DEFAULT_SPLIT_EVERY, 0);
  }

  /**
   * A reduction with every option: axes ({@code null} = all), keepdims, the number of partial
   * results merged per task of the reduction tree, and {@code ddof} for var/std.
   *
   * <pre>{@code
   * DArray s = x.reduce(Reduction.SUM, new int[] {0}, true, 4, 0);
   * }</pre>
   */
  public DArray reduce(Reduction op, int[] axes, boolean keepdims, int splitEvery, int ddof) {
    return Reductions.reduce(this, ROp.valueOf(op.name()), axes, keepdims, splitEvery, ddof);
  }

  /** Sum of all elements (a 0-d array). <pre>{@code double s = x.sum().compute().getDouble(0);}</pre> */
  public DArray sum() {
    return reduce(ROp.SUM, null, false);
  }

  /** Sum over the given axes. <pre>{@code DArray colSums = x.sum(0);}</pre> */
  public DArray sum(int... axes) {
    return reduce(ROp.SUM, axes, false);
  }

  /** Sum over the given axes, keeping them as size 1. */
  public DArray sum(boolean keepdims, int... axes) {
    return reduce(ROp.SUM, axes.length == 0 ? null : axes, keepdims);
  }

  /** Product of all elements. */
  public DArray prod() {
    return reduce(ROp.PROD, null, false);
  }

  /** Product over axes. */
  public DArray prod(int... axes) {
    return reduce(ROp.PROD, axes, false);
  }

  /** Mean of all elements. */
  public DArray mean() {
    return reduce(ROp.MEAN, null, false);
  }

  /** Mean over axes. <pre>{@code DArray colMeans = x.mean(0);}</pre> */
  public DArray mean(int... axes) {
    return reduce(ROp.MEAN, axes, false);
  }

  /** Variance of all elements (ddof 0, like NumPy). */
  public DArray var() {
    return reduce(ROp.VAR, null, false);
  }

  /** Variance over axes (ddof 0). */
  public DArray var(int... axes) {
    return reduce(ROp.VAR, axes, false);
  }

  /** Standard deviation of all elements (ddof 0). */
  public DArray std() {
    return reduce(ROp.STD, null, false);
  }

  /** Standard deviation over axes (ddof 0). */
  public DArray std(int... axes) {
    return reduce(ROp.STD, axes, false);
  }

  /** Minimum of all elements (NaN if any is NaN). */
  public DArray min() {
    return reduce(ROp.MIN, null, false);
  }

  /** Minimum over axes. */
  public DArray min(int... axes) {
    return reduce(ROp.MIN, axes, false);
  }

  /** Maximum of all elements (NaN if any is NaN). */
  public DArray max() {
    return reduce(ROp.MAX, null, false);
  }

  /** Maximum over axes. */
  public DArray max(int... axes) {
    return reduce(ROp.MAX, axes, false);
  }

  /** Whether any element is nonzero. */
  public DArray any() {
    return reduce(ROp.ANY, null, false);
  }

  /** Whether any element is nonzero, over axes. */
  public DArray any(int... axes) {
    return reduce(ROp.ANY, axes, false);
  }

  /** Whether all elements are nonzero. */
  public DArray all() {
    return reduce(ROp.ALL, null, false);
  }

  /** Whether all elements are nonzero, over axes. */
  public DArray all(int... axes) {
    return reduce(ROp.ALL, axes, false);
  }

  /** Sum ignoring NaN. */
  public DArray nansum() {
    return reduce(ROp.NANSUM, null, false);
  }

  /** Sum ignoring NaN, over axes. */
  public DArray nansum(int... axes) {
    return reduce(ROp.NANSUM, axes, false);
  }

  /** Mean ignoring NaN (NaN where every value is NaN). */
  public DArray nanmean() {
    return reduce(ROp.NANMEAN, null, false);
  }

  /** Mean ignoring NaN, over axes. */
  public DArray nanmean(int... axes) {
    return reduce(ROp.NANMEAN, axes, false);
  }

  /** Minimum ignoring NaN. */
  public DArray nanmin(int... axes) {
    return reduce(ROp.NANMIN, axes.length == 0 ? null : axes, false);
  }

  /** Maximum ignoring NaN. */
  public DArray nanmax(int... axes) {
    return reduce(ROp.NANMAX, axes.length == 0 ? null : axes, false);
  }

  /** Flat index of the minimum (the first NaN if any; int64 0-d). */
  public DArray argmin() {
    return reduce(ROp.ARGMIN, null, false);
  }

  /** Index of the minimum along an axis. */
  public DArray argmin(int axis) {
    return reduce(ROp.ARGMIN, new int[] {axis}, false);
  }

  /** Flat index of the maximum (the first NaN if any). <pre>{@code long i = x.argmax().compute().getLong(0);}</pre> */
  public DArray argmax() {
    return reduce(ROp.ARGMAX, null, false);
  }

  /** Index of the maximum along an axis. */
  public DArray argmax(int axis) {
    return reduce(ROp.ARGMAX, new int[] {axis}, false);
  }

  /** Cumulative sum along an axis (NaN propagates). <pre>{@code DArray c = x.cumsum(0);}</pre> */
  public DArray cumsum(int axis) {
    return Scans.scan(this, false, axis);
  }

  /** Cumulative product along an axis. <pre>{@code DArray c = x.cumprod(1);}</pre> */
  public DArray cumprod(int axis) {
    return Scans.scan(this, true, axis);
  }

  // ---- shape and selection ----------------------------------------------------------------------------

  /** The axes reversed, like {@code x.T}; blocks become strided views, no copy. <pre>{@code DArray t = x.transpose();}</pre> */
  public DArray transpose() {
    return Shapes.transpose(this, new int[0]);
  }

  /** The axes permuted: result axis i is this array's axis {@code axes[i]}. */
  public DArray transpose(int... axes) {
    return Shapes.transpose(this, axes);
  }

  /**
   * The same elements in row-major order with another shape (one dimension may be -1). Blocks
   * are first rechunked into runs of whole rows, as Dask does. <pre>{@code DArray v = x.reshape(-1);}</pre>
   */
  public DArray reshape(long... shape) {
    return Shapes.reshape(this, shape);
  }

  /** Removes axes of size 1 (all of them when none are given). */
  public DArray squeeze(int... axes) {
    return Shapes.squeeze(this, axes);
  }

  /** Inserts an axis of size 1 at {@code axis}. <pre>{@code DArray row = v.expandDims(0);}</pre> */
  public DArray expandDims(int axis) {
    return Shapes.expandDims(this, axis);
  }

  /**
   * Joins arrays along an existing axis (the other axes must match; their chunks are aligned).
   * <pre>{@code DArray z = DArray.concatenate(List.of(x, y), 0);}</pre>
   */
  public static DArray concatenate(List<DArray> arrays, int axis) {
    return Shapes.concatenate(arrays, axis);
  }

  /** Joins arrays of one shape along a new axis. <pre>{@code DArray z = DArray.stack(List.of(x, y), 0);}</pre> */
  public static DArray stack(List<DArray> arrays, int axis) {
    return Shapes.stack(arrays, axis);
  }

  /**
   * Basic indexing, one {@link Slice} per leading axis (the rest are taken whole): slices keep
   * the axis, integer indices drop it. <pre>{@code DArray y = x.get(Slice.step(2), Slice.of(10, 20));}</pre>
   */
  public DArray get(Slice... slices) {
    return Selection.get(this, slices);
  }

  /**
   * The elements where a BOOL mask of the same shape is true, as a 1-d array in row-major order
   * (chunk sizes unknown until computed); a 1-d mask selects rows along axis 0.
   * <pre>{@code DArray positive = x.get(x.gt(0));}</pre>
   */
  public DArray get(DArray mask) {
    return Selection.mask(this, mask);
  }

  /** The positions {@code indices} (negative from the end) along {@code axis}. <pre>{@code DArray y = x.take(new long[] {3, 0, -1}, 1);}</pre> */
  public DArray take(long[] indices, int axis) {
    return Selection.take(this, indices, axis);
  }

  // ---- products, blockwise, overlap, HDF5: thin entry points (ProductOps, Blockwise, Overlap, Hdf5Arrays; see
  // also Linalg for qr, svd, lstsq, solve, inv) ------------------------------------------------------------

  /**
   * The matrix product, like {@code x @ y}: 2-D by 2-D, or with a 1-D operand (a vector, whose axis
   * is contracted). One task per output block sums the products of the blocks along the contracted
   * axis (BLAS {@code gemm}, accumulated in place); that axis's chunks are aligned first.
   *
   * <pre>{@code
   * DArray x = DArray.random(new long[] {4000, 4000}, new int[] {1000, 1000}, 7);
   * INDArray g = x.matmul(x.transpose()).compute();
   * }</pre>
   *
   * @throws IllegalArgumentException if the contracted axes differ in length (names the shapes and chunks)
   */
  public DArray matmul(DArray other) {
    return ProductOps.matmul(this, other);
  }

  /**
   * NumPy's {@code dot}: {@link #matmul} for 1-D and 2-D arrays; for N-D arrays the sum over the
   * last axis of this array and the second-to-last of {@code other} (its only axis when 1-D).
   *
   * <pre>{@code
   * DArray v = DArray.ones(new long[] {100}, new int[] {30});
   * double n = v.dot(v).compute().getDouble();   // 100.0
   * }</pre>
   */
  public DArray dot(DArray other) {
    return ProductOps.dot(this, other);
  }

  /**
   * The sum of products over the given axes (negative counts from the end), like {@code
   * da.tensordot(x, y, axes=(axes, otherAxes))}: the result has this array's remaining axes, then
   * {@code other}'s.
   *
   * <pre>{@code
   * DArray t = x.tensordot(y, new int[] {1, 2}, new int[] {0, 1});   // x: (a, b, c), y: (b, c, d) → (a, d)
   * }</pre>
   */
  public DArray tensordot(DArray other, int[] axes, int[] otherAxes) {
    return ProductOps.tensordot(this, other, axes, otherAxes);
  }

  /**
   * Dask's {@code blockwise} in index notation: arguments and index strings alternate ({@code null}
   * for a literal argument); the function receives one block per array argument, or for a letter
   * that is not in {@code out} the list of that argument's blocks along it. The result has this
   * call's first array argument's dtype; each block's shape is checked.
   *
   * <pre>{@code
   * DArray z = DArray.blockwise(a -> ((INDArray) a[0]).addRowVector((INDArray) a[1]), "ij", x, "ij", v, "j");
   * }</pre>
   *
   * @throws IllegalArgumentException if the indices do not fit the arguments (names shapes and chunks)
   */
  public static DArray blockwise(Fn.FN<INDArray> fn, String out, Object... argsAndIndices) {
    List<Blockwise.Arg> args = Blockwise.parse(argsAndIndices);
    DataType t = args.stream().filter(a -> a.value() instanceof DArray).map(a -> ((DArray) a.value()).dtype)
        .findFirst().orElseThrow(() -> new IllegalArgumentException("blockwise needs at least one DArray argument"));
    return Blockwise.blockwise("blockwise", new Blockwise.User(fn), fn, out, t, false, args);
  }

  /**
   * {@link #blockwise(Fn.FN, String, Object...)} with the output dtype given.
   *
   * <pre>{@code
   * DArray masks = DArray.blockwise(a -> ((INDArray) a[0]).gt(0), "ij", DataType.BOOL, x, "ij");
   * }</pre>
   */
  public static DArray blockwise(Fn.FN<INDArray> fn, String out, DataType dtype, Object... argsAndIndices) {
    return Blockwise.blockwise("blockwise", new Blockwise.User(fn), fn, out, dtype, false,
        Blockwise.parse(argsAndIndices));
  }

  /**
   * {@link #blockwise(Fn.FN, String, DataType, Object...)} with {@code concatenate=True}: the
   * blocks along a contracted letter arrive joined into one array.
   *
   * <pre>{@code
   * DArray rowMax = DArray.blockwiseConcatenated(a -> ((INDArray) a[0]).max(1), "i", DataType.DOUBLE, x, "ij");
   * }</pre>
   */
  public static DArray blockwiseConcatenated(Fn.FN<INDArray> fn, String out, DataType dtype, Object... argsAndIndices) {
    return Blockwise.blockwise("blockwise", new Blockwise.User(fn), fn, out, dtype, true,
        Blockwise.parse(argsAndIndices));
  }

  /**
   * Applies {@code fn} to every block extended by {@code depth[a]} elements of its neighbours on each
   * side of axis a, then trims the result back, like {@code da.map_overlap} ({@code trim=True}). The
   * function must return a block of the extended block's shape.
   *
   * <pre>{@code
   * DArray smooth = x.mapOverlap(b -> gaussian(b), new int[] {2, 2}, Boundary.reflect());
   * }</pre>
   *
   * @throws IllegalArgumentException if a depth exceeds the smallest chunk of its axis (names the chunks)
   */
  public DArray mapOverlap(Fn.F1<INDArray, INDArray> fn, int[] depth, Boundary boundary) {
    return Overlap.mapOverlap(this, fn, depth, boundary, true);
  }

  /**
   * {@link #mapOverlap(Fn.F1, int[], Boundary)}; without {@code trim} the function's results are
   * kept whole and the chunks grow by the overlap.
   *
   * <pre>{@code
   * DArray extended = x.mapOverlap(b -> b, new int[] {1}, Boundary.periodic(), false);
   * }</pre>
   */
  public DArray mapOverlap(Fn.F1<INDArray, INDArray> fn, int[] depth, Boundary boundary, boolean trim) {
    return Overlap.mapOverlap(this, fn, depth, boundary, trim);
  }

  /**
   * An array over an HDF5 dataset, one task per chunk reading its own hyperslab (chunks: one size
   * for all axes or one per axis; none: the dataset's storage chunks, or one chunk). The dataset's
   * shape and type are read now; its values when computed.
   *
   * <pre>{@code
   * DArray x = DArray.fromHdf5("data.h5", "/group/x", 1000, 1000);
   * }</pre>
   *
   * @throws IllegalArgumentException if the file or dataset cannot be read (names both)
   */
  public static DArray fromHdf5(String path, String dataset, int... chunks) {
    return Hdf5Arrays.fromHdf5(java.nio.file.Path.of(path), dataset, chunks);
  }

  /**
   * Computes the array and writes it as a chunked dataset (storage chunks: the largest chunk per
   * axis) to a file that holds only that dataset, through a temporary file renamed at the end, so a
   * failure leaves no partial file. Eager, like {@code da.to_hdf5}.
   *
   * <pre>{@code
   * x.toHdf5("out.h5", "/x");
   * }</pre>
   */
  public void toHdf5(String path, String dataset) {
    Hdf5Arrays.toHdf5(this, java.nio.file.Path.of(path), dataset);
  }

  @Override
  public String toString() {
    return "DArray<" + name + ", shape=" + Chunks.describeShape(shape()) + ", dtype=" + DTypes.name(dtype)
        + ", chunksize=" + Chunks.describe(chunks) + ">";
  }
}
