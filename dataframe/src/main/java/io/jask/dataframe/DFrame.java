package io.jask.dataframe;

import io.jask.dataframe.internal.Aggregation;
import io.jask.dataframe.internal.Join;
import io.jask.dataframe.internal.Lowering;
import io.jask.dataframe.internal.Optimizer;
import io.jask.dataframe.internal.Plan;
import io.jask.dataframe.internal.PartitionFns;
import io.jask.dataframe.internal.Tables;
import io.jask.engine.Fn;
import io.jask.engine.Graph;
import io.jask.engine.Jask;
import io.jask.engine.JaskCollection;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import io.jask.engine.scheduler.Scheduler;
import io.jask.engine.scheduler.Schedulers;
import io.jask.engine.scheduler.local.LocalScheduler;
import io.jask.io.Blocks;
import io.jask.io.ByteRange;
import io.jask.io.CsvOptions;
import io.jask.io.CsvReader;
import io.jask.io.DType;
import io.jask.io.FileGlob;
import io.jask.io.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tech.tablesaw.api.Table;

/**
 * A lazy dataframe split into partitions that are Tablesaw {@code Table}s, like {@code
 * dask.dataframe}. Its schema (column names and types) and number of partitions are known without
 * computing anything; operations build a task graph that runs on the configured scheduler when
 * {@link #compute()} is called.
 *
 * <pre>{@code
 * import static io.jask.dataframe.Expr.col;
 *
 * DFrame df = DFrame.readCsv("data/2015-*.csv");                 // one partition per 64 MiB block
 * Table means = df.filter(col("x").gt(0))
 *     .withColumn("z", col("x").mul(col("y")))
 *     .groupBy("id").mean("z")
 *     .compute();
 * double total = df.sum("x").compute();
 * Table first = df.head(5);                                       // reads only the first block
 * }</pre>
 *
 * <p>Row-wise operations ({@code select}, {@code filter}, {@code withColumn}, {@code
 * mapPartitions}) add one task per partition that reads only the same partition of the frame
 * before, so the engine fuses a chain of them into one task per partition. A {@code select}
 * directly on a {@code readCsv} frame is pushed into the read: only the selected columns are parsed.
 */
public final class DFrame implements JaskCollection<Table> {
  private final Plan plan;
  private final Schema schema;
  private final Divisions divisions; // null when unknown
  private Plan.Lowered lowered; // the optimized plan lowered to tasks, made on first use

  private DFrame(Plan plan, Divisions divisions) {
    this.plan = plan;
    this.schema = plan.schema();
    this.divisions = divisions;
  }

  private DFrame(Plan plan) {
    this(plan, null);
  }

  /** A frame over already built tasks; {@code inputs} only explain where it comes from. */
  private static DFrame lowered(String name, int npartitions, Schema schema, Graph graph, List<Plan> inputs) {
    String label = name.lastIndexOf('-') > 0 ? name.substring(0, name.lastIndexOf('-')) : name;
    return new DFrame(new Plan.Lowered(name, graph, npartitions, schema, label, inputs));
  }

  private static DFrame lowered(String name, int npartitions, Schema schema, Graph graph) {
    return lowered(name, npartitions, schema, graph, List.of());
  }

  // ---- sources -------------------------------------------------------------------------------

  /**
   * Reads CSV files matching a path or glob with the default options (header, comma, types inferred).
   *
   * <pre>{@code
   * DFrame df = DFrame.readCsv("data/2015-*.csv");
   * }</pre>
   */
  public static DFrame readCsv(String globOrPath) {
    return readCsv(globOrPath, CsvOptions.defaults());
  }

  /**
   * Reads CSV files matching a path or glob, sorted by path: one partition per block of {@link
   * CsvOptions#blocksize()} bytes of each file (one per gzip file). The schema comes from the
   * first file's header and a sample of its lines, unless names and types are given.
   *
   * <pre>{@code
   * DFrame df = DFrame.readCsv("logs/*.csv.gz", CsvOptions.defaults().withType("id", DType.LONG));
   * }</pre>
   */
  public static DFrame readCsv(String globOrPath, CsvOptions options) {
    return readCsvFiles(FileGlob.expand(globOrPath), options);
  }

  private static DFrame readCsvFiles(List<Path> files, CsvOptions options) {
    CsvOptions resolved = CsvReader.resolve(files.get(0), options);
    List<ByteRange> blocks = new ArrayList<>();
    List<Object> token = new ArrayList<>();
    for (Path f : files) {
      blocks.addAll(Blocks.split(f, resolved.blocksize()));
      token.add(fileToken(f));
    }
    return new DFrame(new Plan.CsvScan(blocks, resolved, token, files.size()));
  }

  /**
   * A frame of an in-memory table split into {@code npartitions} contiguous row ranges of nearly
   * equal size (some are empty when there are fewer rows than partitions).
   *
   * <pre>{@code
   * DFrame df = DFrame.fromTable(table, 4);
   * }</pre>
   */
  public static DFrame fromTable(Table table, int npartitions) {
    if (npartitions < 1) {
      throw new IllegalArgumentException("npartitions must be at least 1, got " + npartitions);
    }
    List<Table> parts = new ArrayList<>();
    int rows = table.rowCount();
    for (int i = 0; i < npartitions; i++) {
      parts.add(Tables.slice(table, (int) ((long) rows * i / npartitions), (int) ((long) rows * (i + 1) / npartitions)));
    }
    return fromPartitions(parts);
  }

  /**
   * A frame whose partitions are the given tables, in order; they must all have the same columns
   * and types.
   *
   * <pre>{@code
   * DFrame df = DFrame.fromPartitions(List.of(january, february));
   * }</pre>
   */
  public static DFrame fromPartitions(List<Table> partitions) {
    if (partitions.isEmpty()) {
      throw new IllegalArgumentException("a frame needs at least one partition");
    }
    Schema s = Schema.of(partitions.get(0));
    String n = Tokenize.name("from-tables", UUID.randomUUID().toString());
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int i = 0; i < partitions.size(); i++) {
      s.check(partitions.get(i), "partition " + i);
      tasks.put(Key.of(n, i), Task.of(PartitionFns.ArrowLiteral.of(partitions.get(i))));
    }
    return lowered(n, partitions.size(), s, Graph.of(Layer.of(n, Set.of(), tasks)));
  }

  /**
   * A frame over an existing graph whose keys {@code (name, 0)} … {@code (name, npartitions - 1)}
   * produce Tables of {@code schema} (like dask's {@code new_dd_object}); how other collections
   * (for example {@code Bag.toDataFrame}) become frames.
   *
   * <pre>{@code
   * DFrame df = DFrame.fromGraph(graph, "rows-to-frame-1f2e", 4, schema);
   * }</pre>
   */
  public static DFrame fromGraph(Graph graph, String name, int npartitions, Schema schema) {
    if (npartitions < 1) {
      throw new IllegalArgumentException("npartitions must be at least 1, got " + npartitions);
    }
    return new DFrame(new Plan.Lowered(name, graph, npartitions, schema, "FromGraph " + name, List.of()));
  }

  /**
   * Like {@link #fromGraph(Graph, String, int, Schema)}, for a graph whose partitions are known to
   * be sorted by an index column with the given bounds (as a sort or {@code setIndex} makes them).
   *
   * <pre>{@code
   * DFrame sorted = DFrame.fromGraph(graph, "sort-values-9ab1", 4, schema,
   *     new Divisions("id", List.of(0L, 250L, 500L, 750L, 999L)));
   * }</pre>
   */
  public static DFrame fromGraph(Graph graph, String name, int npartitions, Schema schema, Divisions divisions) {
    DFrame d = fromGraph(graph, name, npartitions, schema);
    return d.withDivisions(divisions);
  }

  /**
   * {@link #fromTable(Table, int)} on a table sorted by {@code indexColumn} (non-decreasing, no
   * missing value; checked): the frame knows its {@link #divisions()} when no partition is empty.
   *
   * <pre>{@code
   * DFrame df = DFrame.fromTable(table.sortAscendingOn("id"), 4, "id");
   * }</pre>
   */
  public static DFrame fromTable(Table table, int npartitions, String indexColumn) {
    DFrame d = fromTable(table, npartitions);
    DType t = d.schema.type(indexColumn);
    if (t == DType.BOOLEAN) {
      throw new IllegalArgumentException("index column '" + indexColumn + "' must be numeric or STRING, not BOOLEAN");
    }
    tech.tablesaw.columns.Column<?> c = table.column(indexColumn);
    int rows = table.rowCount();
    for (int i = 0; i < rows; i++) {
      if (c.isMissing(i)) {
        throw new IllegalArgumentException("index column '" + indexColumn + "' has a missing value at row " + i);
      }
      if (i > 0 && compare(c.get(i - 1), c.get(i)) > 0) {
        throw new IllegalArgumentException("index column '" + indexColumn + "' is not sorted: row " + i + " (" + c.get(i)
            + ") is below row " + (i - 1) + " (" + c.get(i - 1) + ")");
      }
    }
    if (rows < npartitions) {
      return d; // some partition is empty: bounds unknown
    }
    List<Object> bounds = new ArrayList<>();
    for (int i = 0; i < npartitions; i++) {
      bounds.add(c.get((int) ((long) rows * i / npartitions)));
    }
    bounds.add(c.get(rows - 1));
    return d.withDivisions(new Divisions(indexColumn, bounds));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    return ((Comparable) a).compareTo(b);
  }

  /**
   * Reads CSV files given by a list of paths or globs, in this order (each glob's matches sorted),
   * as {@link #readCsv(String, CsvOptions)}; the schema comes from the first file.
   *
   * <pre>{@code
   * DFrame df = DFrame.readCsv(List.of("a.csv", "more/*.csv.gz"), CsvOptions.defaults());
   * }</pre>
   */
  public static DFrame readCsv(List<String> pathsOrGlobs, CsvOptions options) {
    if (pathsOrGlobs.isEmpty()) {
      throw new IllegalArgumentException("readCsv needs at least one path");
    }
    List<Path> files = new ArrayList<>();
    for (String p : pathsOrGlobs) {
      files.addAll(FileGlob.expand(p));
    }
    return readCsvFiles(files, options);
  }

  /**
   * Reads every column of the Parquet files matching a path or glob (or the {@code *.parquet}
   * files of a directory), one partition per file, in path order.
   *
   * <pre>{@code
   * DFrame df = DFrame.readParquet("out/");
   * }</pre>
   */
  public static DFrame readParquet(String globOrPath) {
    return readParquet(globOrPath, List.of(), null);
  }

  /**
   * Reads the Parquet files matching a path or glob (or the {@code *.parquet} files of a
   * directory), one partition per file, in path order: only {@code columns} (all when empty) are
   * read, and, when {@code filter} is not null, only rows where it is true are kept. The filter is
   * applied inside the read: its comparisons of a column with a literal ({@code col("x").gt(0)},
   * joined with {@code and}) skip every row group whose statistics show no row can match, and
   * the whole condition drops rows as they are read. The schema comes from the first file's
   * footer; a file whose columns differ fails naming the file.
   *
   * <pre>{@code
   * DFrame df = DFrame.readParquet("out/*.parquet", List.of("id", "x"), col("id").ge(5000).and(col("x").gt(0)));
   * }</pre>
   */
  public static DFrame readParquet(String globOrPath, List<String> columns, Expr filter) {
    Path asDir = Path.of(globOrPath);
    List<Path> files = !FileGlob.isGlob(globOrPath) && Files.isDirectory(asDir)
        ? FileGlob.expand(asDir.resolve("*.parquet").toString())
        : FileGlob.expand(globOrPath);
    Schema s = io.jask.io.ParquetFiles.schema(files.get(0));
    List<String> names = new ArrayList<>();
    List<Object> token = new ArrayList<>();
    for (Path f : files) {
      names.add(f.toAbsolutePath().toString());
      token.add(fileToken(f));
    }
    DFrame d = new DFrame(new Plan.ParquetScan(names, s, s.names(), List.of(), List.of(), token));
    if (filter != null) {
      d = d.filter(filter);
    }
    return columns.isEmpty() ? d : d.select(columns.toArray(new String[0]));
  }

  private static List<Object> fileToken(Path f) {
    try {
      return List.of(f.toAbsolutePath().toString(), Files.size(f), Files.getLastModifiedTime(f).toMillis());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }

  // ---- what it is ----------------------------------------------------------------------------

  /**
   * Column names and types, known without computing.
   *
   * <pre>{@code
   * df.schema();   // [k: STRING, x: DOUBLE]
   * }</pre>
   */
  public Schema schema() {
    return schema;
  }

  /**
   * The column names.
   *
   * <pre>{@code
   * List<String> names = df.columns();
   * }</pre>
   */
  public List<String> columns() {
    return schema.names();
  }

  /**
   * The number of partitions.
   *
   * <pre>{@code
   * int n = df.npartitions();
   * }</pre>
   */
  public int npartitions() {
    return plan.npartitions();
  }

  /**
   * The sorted bounds of the index column when they are known (a frame made by {@link
   * #fromTable(Table, int, String)}, declared with {@link #withDivisions}, or built from a sorted
   * graph); kept through {@code filter}, {@code withColumn} of another column, {@code select} and
   * {@code rename} that keep the index column.
   *
   * <pre>{@code
   * df.divisions().ifPresent(d -> System.out.println(d.column() + " " + d.bounds()));
   * }</pre>
   */
  public java.util.Optional<Divisions> divisions() {
    return java.util.Optional.ofNullable(divisions);
  }

  /**
   * This frame with declared divisions: the caller asserts that partition {@code i} holds only
   * index values in {@code [bounds[i], bounds[i+1])} (the last one closed); not checked against
   * the data, only that there are {@code npartitions + 1} sorted bounds of a known column.
   *
   * <pre>{@code
   * DFrame d = df.withDivisions(new Divisions("id", List.of(0L, 100L, 200L)));   // 2 partitions
   * }</pre>
   */
  public DFrame withDivisions(Divisions divisions) {
    DType t = schema.type(divisions.column());
    if (divisions.npartitions() != npartitions()) {
      throw new IllegalArgumentException("divisions " + divisions.bounds() + " describe " + divisions.npartitions()
          + " partitions but the frame has " + npartitions());
    }
    Object b = divisions.bounds().get(0);
    boolean ok = switch (t) {
      case INT -> b instanceof Integer;
      case LONG -> b instanceof Long;
      case DOUBLE -> b instanceof Double;
      case STRING -> b instanceof String;
      case BOOLEAN -> false;
      case DATETIME -> b instanceof java.time.LocalDateTime;
    };
    if (!ok) {
      throw new IllegalArgumentException("divisions of '" + divisions.column() + "' (" + t + ") cannot be "
          + b.getClass().getSimpleName() + " values");
    }
    return new DFrame(plan, divisions);
  }

  /** The name of the layer that produces the partitions (keys are {@code (name, i)}). */
  public String name() {
    return lowered().name();
  }

  @Override
  public Graph graph() {
    return lowered().graph();
  }

  private synchronized Plan.Lowered lowered() {
    if (lowered == null) {
      lowered = Lowering.lower(Optimizer.optimize(plan, schema.names()));
    }
    return lowered;
  }

  /**
   * The optimized logical plan as text, one node per line with its input indented below it:
   * the plan that {@link #graph()} lowers to tasks after projection and predicate pushdown
   * (chains of row-wise nodes over a source run as one task per partition).
   *
   * <pre>{@code
   * System.out.println(DFrame.readCsv("d/*.csv").filter(col("x").gt(0)).groupBy("id").sum("x").explain());
   * // groupby (npartitions=1)
   * //   Blockwise groupby-partial
   * //     Filter (col(x) > 0.0)
   * //       ReadCsv 20 file(s) in 20 block(s), columns=[id, x]
   * }</pre>
   */
  public String explain() {
    return Plan.explain(Optimizer.optimize(plan, schema.names()));
  }

  @Override
  public List<Key> keys() {
    int np = npartitions();
    String n = name();
    List<Key> keys = new ArrayList<>(np);
    for (int i = 0; i < np; i++) {
      keys.add(Key.of(n, i));
    }
    return keys;
  }

  /** Concatenates the partitions in order. */
  @Override
  public Table finalize(List<Object> results) {
    List<Table> tables = new ArrayList<>(results.size());
    for (Object o : results) {
      tables.add((Table) o);
    }
    return Tables.concat(tables);
  }

  @Override
  public DFrame rebuild(Graph graph) {
    return new DFrame(new Plan.Lowered(name(), graph, npartitions(), schema, "Graph", List.of()), divisions);
  }

  /** Computes the whole frame as one table, partitions concatenated in order. */
  @Override
  public Table compute() {
    return JaskCollection.super.compute();
  }

  /**
   * Computes the partitions and returns a frame that starts from them (kept in memory, or on the
   * workers with the distributed scheduler).
   *
   * <pre>{@code
   * DFrame kept = df.filter(col("x").gt(0)).persist();
   * }</pre>
   */
  public DFrame persist() {
    Scheduler scheduler = Schedulers.current();
    if (scheduler instanceof Jask.Persisting || scheduler instanceof LocalScheduler) {
      return (DFrame) Jask.persist(this).get(0); // kept on the workers, or in this JVM's memory
    }
    // a scheduler that ships tasks but keeps no results (processes): carry the computed
    // partitions inside their tasks as Arrow bytes, under the same keys
    @SuppressWarnings("unchecked")
    List<Object> parts = (List<Object>) Jask.compute(scheduler, partitions(0, npartitions())).get(0);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int i = 0; i < npartitions(); i++) {
      tasks.put(Key.of(name(), i), Task.of(PartitionFns.ArrowLiteral.of((Table) parts.get(i))));
    }
    return lowered(name(), npartitions(), schema, Graph.of(Layer.of(name(), Set.of(), tasks)));
  }

  /**
   * The first {@code n} rows, computing only the partitions needed: the first one, then twice as
   * many at each round while rows are missing.
   *
   * <pre>{@code
   * Table first = df.head(5);
   * }</pre>
   */
  public Table head(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("head needs n >= 0, got " + n);
    }
    DFrame heads = blockwise("head", new PartitionFns.Head(n), schema, n);
    List<Table> got = new ArrayList<>();
    int rows = 0;
    int next = 0;
    int batch = 1;
    while (rows < n && next < npartitions()) {
      int end = Math.min(npartitions(), next + batch);
      List<Object> parts = Jask.compute(heads.partitions(next, end)).get(0) instanceof List<?> l ? new ArrayList<>(l) : List.of();
      for (Object o : parts) {
        got.add((Table) o);
        rows += ((Table) o).rowCount();
      }
      next = end;
      batch *= 2;
    }
    if (got.isEmpty()) {
      return schema.emptyTable();
    }
    Table all = Tables.concat(got);
    return all.rowCount() <= n ? all : Tables.slice(all, 0, n);
  }

  private JaskCollection<List<Object>> partitions(int from, int to) {
    List<Key> keys = keys().subList(from, to);
    Graph g = graph();
    return new JaskCollection<>() {
      public Graph graph() {
        return g;
      }

      public List<Key> keys() {
        return keys;
      }

      public List<Object> finalize(List<Object> results) {
        return results;
      }

      public JaskCollection<List<Object>> rebuild(Graph graph) {
        throw new UnsupportedOperationException();
      }
    };
  }

  // ---- row-wise operations ---------------------------------------------------------------------

  /**
   * The given columns, in this order (pushed into the read when this frame is a CSV read).
   *
   * <pre>{@code
   * DFrame two = df.select("id", "x");
   * }</pre>
   */
  public DFrame select(String... columns) {
    schema.select(List.of(columns)); // fails naming the columns
    return new DFrame(new Plan.Select(plan, List.of(columns)), divisions != null && List.of(columns).contains(divisions.column()) ? divisions : null);
  }

  /**
   * The rows where {@code condition} (a BOOLEAN expression) is true.
   *
   * <pre>{@code
   * DFrame pos = df.filter(col("x").gt(0).and(col("k").ne("k7")));
   * }</pre>
   */
  public DFrame filter(Expr condition) {
    DType t = condition.type(schema);
    if (t != DType.BOOLEAN) {
      throw new IllegalArgumentException("filter needs a BOOLEAN expression; " + condition + " is " + t);
    }
    return new DFrame(new Plan.Filter(plan, condition), divisions);
  }

  /**
   * This frame with a column computed from {@code value} added at the end (or replaced in place).
   *
   * <pre>{@code
   * DFrame z = df.withColumn("z", col("x").mul(col("y")));
   * }</pre>
   */
  public DFrame withColumn(String column, Expr value) {
    value.type(schema); // fails naming the unknown column or the bad operand
    return new DFrame(new Plan.WithColumn(plan, column, value), divisions != null && !divisions.column().equals(column) ? divisions : null);
  }

  /**
   * Applies {@code fn} to every partition; each result must have the declared {@code schema}
   * (checked when it is computed).
   *
   * <pre>{@code
   * DFrame top = df.mapPartitions(t -> t.sortDescendingOn("x").first(3), df.schema());
   * }</pre>
   */
  public DFrame mapPartitions(Fn.F1<Table, Table> fn, Schema schema) {
    return blockwise("MapPartitions " + Tokenize.functionName(fn), new PartitionFns.MapPartitions(fn, schema), schema, fn);
  }

  private DFrame blockwise(String label, TaskFn fn, Schema out, Object token) {
    return new DFrame(new Plan.Blockwise(plan, label, fn, out));
  }

  // ---- reductions ------------------------------------------------------------------------------

  /**
   * Groups by one or more key columns.
   *
   * <pre>{@code
   * DFrame means = df.groupBy("k", "flag").mean("x");
   * }</pre>
   */
  public GroupBy groupBy(String... keys) {
    if (keys.length == 0) {
      throw new IllegalArgumentException("groupBy needs at least one key column; columns are " + schema.names());
    }
    return new GroupBy(this, List.of(keys));
  }

  /**
   * The sum of the non-missing values of a numeric column (0 when there are none).
   *
   * <pre>{@code
   * double total = df.sum("x").compute();
   * }</pre>
   */
  public DScalar<Double> sum(String column) {
    return scalar(Agg.sum(column), false);
  }

  /**
   * The mean of the non-missing values of a numeric column (NaN when there are none).
   *
   * <pre>{@code
   * double avg = df.mean("x").compute();
   * }</pre>
   */
  public DScalar<Double> mean(String column) {
    return scalar(Agg.mean(column), false);
  }

  /**
   * The smallest non-missing value of a numeric column (NaN when there are none).
   *
   * <pre>{@code
   * double lo = df.min("x").compute();
   * }</pre>
   */
  public DScalar<Double> min(String column) {
    return scalar(Agg.min(column), false);
  }

  /**
   * The largest non-missing value of a numeric column (NaN when there are none).
   *
   * <pre>{@code
   * double hi = df.max("x").compute();
   * }</pre>
   */
  public DScalar<Double> max(String column) {
    return scalar(Agg.max(column), false);
  }

  /**
   * The number of non-missing values of a column.
   *
   * <pre>{@code
   * long n = df.count("x").compute();
   * }</pre>
   */
  public DScalar<Long> count(String column) {
    return scalar(Agg.count(column), true);
  }

  private <T> DScalar<T> scalar(Agg agg, boolean asLong) {
    if (!asLong && schema.type(agg.column()) == DType.DATETIME) {
      throw new IllegalArgumentException(agg.kind().name().toLowerCase(java.util.Locale.ROOT) + " of a frame is a Double and "
          + "needs a numeric column; '" + agg.column() + "' is DATETIME (use groupBy(...).agg(Agg.min(...)) or resample)");
    }
    DFrame one = aggregate(List.of(), List.of(agg.as("value")));
    Key k = Key.of(Tokenize.name(agg.kind().name().toLowerCase(java.util.Locale.ROOT), one.name()));
    Layer layer = Layer.of(k.name(), Set.of(one.name()), Map.of(k, Task.of(new PartitionFns.Scalar("value", asLong), Key.of(one.name(), 0))));
    return new DScalar<>(k, one.graph().with(layer));
  }

  /** This frame's optimized plan. */
  private Plan optimized() {
    return Optimizer.optimize(plan, schema.names());
  }

  /** This frame restricted to the columns in {@code used}, in frame order (itself if all are used). */
  private DFrame project(java.util.Collection<String> used) {
    List<String> cols = new ArrayList<>();
    for (String c : schema.names()) {
      if (used.contains(c)) {
        cols.add(c);
      }
    }
    return cols.size() == schema.size() || cols.isEmpty() ? this : new DFrame(new Plan.Select(plan, cols));
  }

  /** The tree reduction behind groupBy and the scalar reductions (see {@link Aggregation}). */
  DFrame aggregate(List<String> keys, List<Agg> aggs) {
    Set<String> used = new java.util.HashSet<>(keys);
    for (Agg a : aggs) {
      if (!a.column().isEmpty()) {
        schema.indexOf(a.column()); // fails naming the columns
        used.add(a.column());
      }
    }
    for (String k : keys) {
      schema.indexOf(k);
    }
    DFrame in = project(used);
    return in == this ? aggregateAll(keys, aggs) : in.aggregateAll(keys, aggs);
  }

  private DFrame aggregateAll(List<String> keys, List<Agg> aggs) {
    List<Agg> main = new ArrayList<>();
    List<Agg> nunique = new ArrayList<>();
    for (Agg a : aggs) {
      (a.kind() == Agg.Kind.NUNIQUE ? nunique : main).add(a);
    }
    Schema out = new Aggregation(keys, aggs, schema).outputSchema(); // validates all of them
    if (nunique.isEmpty()) {
      Aggregation spec = new Aggregation(keys, aggs, schema);
      return treeReduce("groupby", new PartitionFns.Partial(spec), new PartitionFns.Combine(spec),
          new PartitionFns.Finish(spec), out, List.of(keys, aggs));
    }
    // nunique: distinct (keys, value) rows in their own trees, counted per key of the main result
    main.add(Agg.size().as("#groups"));
    Aggregation spec = new Aggregation(keys, main, schema);
    DFrame m = treeReduce("groupby", new PartitionFns.Partial(spec), new PartitionFns.Combine(spec),
        new PartitionFns.Finish(spec), spec.outputSchema(), List.of(keys, main));
    List<Graph> graphs = new ArrayList<>(List.of(m.graph()));
    List<Object> args = new ArrayList<>(List.of(Key.of(m.name(), 0)));
    Set<String> deps = new java.util.LinkedHashSet<>(List.of(m.name()));
    for (Agg a : nunique) {
      List<String> cols = new ArrayList<>(keys);
      if (!cols.contains(a.column())) {
        cols.add(a.column());
      }
      PartitionFns.Distinct fn = new PartitionFns.Distinct(cols);
      DFrame d = treeReduce("groupby-nunique", fn, fn, fn, schema.select(cols), cols);
      graphs.add(d.graph());
      args.add(Key.of(d.name(), 0));
      deps.add(d.name());
    }
    String f = Tokenize.name("groupby-nunique-final", name(), keys, aggs);
    Map<Key, Task> fin = Map.of(Key.of(f, 0), Task.of(new PartitionFns.AttachNunique(keys, aggs), args.toArray()));
    return lowered(f, 1, out, Graph.merge(graphs).with(Layer.of(f, deps, fin)));
  }

  /**
   * A one-partition frame: {@code partial} on every partition, {@code combine} (whose argument is a
   * list of tables) eight at a time in a tree, then {@code finish} on the last one.
   */
  private DFrame treeReduce(String prefix, TaskFn partialFn, TaskFn combine, TaskFn finish, Schema out, Object spec) {
    String token = Tokenize.token(name(), prefix, spec);
    DFrame partial = blockwise(prefix + "-partial", partialFn, out, List.of(prefix, spec));
    Graph g = partial.graph();
    String level = partial.name();
    int width = npartitions();
    for (int depth = 0; width > 1; depth++) {
      String n = prefix + "-combine" + depth + "-" + token;
      Map<Key, Task> tasks = new LinkedHashMap<>();
      int groups = (width + 7) / 8;
      for (int j = 0; j < groups; j++) {
        List<Key> inputs = new ArrayList<>();
        for (int i = j * 8; i < Math.min(width, j * 8 + 8); i++) {
          inputs.add(Key.of(level, i));
        }
        tasks.put(Key.of(n, j), Task.of(combine, inputs));
      }
      g = g.with(Layer.of(n, Set.of(level), tasks));
      level = n;
      width = groups;
    }
    String f = prefix + "-" + token;
    Map<Key, Task> fin = Map.of(Key.of(f, 0), Task.of(finish, Key.of(level, 0)));
    return lowered(f, 1, out, g.with(Layer.of(f, Set.of(level), fin)), List.of(partial.optimized()));
  }

  // ---- more operations -------------------------------------------------------------------------

  /**
   * This frame without the given columns (each must exist).
   *
   * <pre>{@code
   * DFrame slim = df.drop("comment", "raw");
   * }</pre>
   */
  public DFrame drop(String... columns) {
    Set<String> gone = new java.util.HashSet<>();
    for (String c : columns) {
      schema.indexOf(c); // fails naming the columns
      gone.add(c);
    }
    List<String> keep = new ArrayList<>();
    for (String c : schema.names()) {
      if (!gone.contains(c)) {
        keep.add(c);
      }
    }
    return select(keep.toArray(new String[0]));
  }

  /**
   * This frame with columns renamed ({@code old -> new}); the names must exist and the result
   * must not have duplicate names.
   *
   * <pre>{@code
   * DFrame r = df.rename(Map.of("x", "price", "k", "key"));
   * }</pre>
   */
  public DFrame rename(Map<String, String> mapping) {
    List<String> from = new ArrayList<>();
    List<String> to = new ArrayList<>();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(mapping).entrySet()) {
      schema.indexOf(e.getKey());
      from.add(e.getKey());
      to.add(e.getValue());
    }
    List<String> names = new ArrayList<>();
    for (String c : schema.names()) {
      int at = from.indexOf(c);
      names.add(at < 0 ? c : to.get(at));
    }
    if (new java.util.HashSet<>(names).size() != names.size()) {
      throw new IllegalArgumentException("rename " + mapping + " gives duplicate column names " + names);
    }
    Divisions d = divisions == null ? null : from.contains(divisions.column())
        ? new Divisions(to.get(from.indexOf(divisions.column())), divisions.bounds()) : divisions;
    return new DFrame(new Plan.Rename(plan, from, to), d);
  }

  /**
   * The last {@code n} rows, computing only the partitions needed: the last one, then twice as
   * many before it at each round while rows are missing.
   *
   * <pre>{@code
   * Table last = df.tail(5);
   * }</pre>
   */
  public Table tail(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("tail needs n >= 0, got " + n);
    }
    DFrame tails = blockwise("tail", new PartitionFns.Tail(n), schema, n);
    List<Table> got = new ArrayList<>(); // in reverse order of rounds
    int rows = 0;
    int end = npartitions();
    int batch = 1;
    while (rows < n && end > 0) {
      int from = Math.max(0, end - batch);
      List<Object> parts = Jask.compute(tails.partitions(from, end)).get(0) instanceof List<?> l ? new ArrayList<>(l) : List.of();
      for (int i = parts.size() - 1; i >= 0; i--) {
        got.add(0, (Table) parts.get(i));
        rows += ((Table) parts.get(i)).rowCount();
      }
      end = from;
      batch *= 2;
    }
    if (got.isEmpty()) {
      return schema.emptyTable();
    }
    Table all = Tables.concat(got);
    return all.rowCount() <= n ? all : Tables.slice(all, all.rowCount() - n, all.rowCount());
  }

  /**
   * The same rows in {@code n} partitions, without computing anything first: fewer partitions
   * concatenate neighbours, more split each partition into nearly equal row ranges (as Dask's
   * {@code repartition(npartitions=n)}). Row order is kept.
   *
   * <pre>{@code
   * DFrame four = df.repartition(4);
   * }</pre>
   */
  public DFrame repartition(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("repartition needs n >= 1, got " + n);
    }
    String out = Tokenize.name("repartition", name(), n);
    String parent = name();
    int np = npartitions();
    Schema s = schema;
    Graph g = graph();
    if (n <= np) {
      Map<Key, Task> tasks = new LinkedHashMap<>();
      for (int j = 0; j < n; j++) {
        List<Key> inputs = new ArrayList<>();
        for (int i = (int) ((long) np * j / n); i < (int) ((long) np * (j + 1) / n); i++) {
          inputs.add(Key.of(parent, i));
        }
        tasks.put(Key.of(out, j), Task.of(new PartitionFns.ConcatList(s), inputs));
      }
      return lowered(out, n, s, g.with(Layer.of(out, Set.of(parent), tasks)));
    }
    Map<Key, Task> tasks = new LinkedHashMap<>();
    int j = 0;
    for (int i = 0; i < np; i++) {
      int pieces = (int) ((long) n * (i + 1) / np) - (int) ((long) n * i / np);
      for (int k = 0; k < pieces; k++) {
        tasks.put(Key.of(out, j++), Task.of(new PartitionFns.Piece(k, pieces), Key.of(parent, i)));
      }
    }
    return lowered(out, n, s, g.with(Layer.of(out, Set.of(parent), tasks)));
  }

  /**
   * The rows of several frames, one after the other: the partitions of the first, then of the
   * second, and so on. All must have the same column names and types in the same order.
   *
   * <pre>{@code
   * DFrame all = DFrame.concat(january, february, march);
   * }</pre>
   */
  public static DFrame concat(DFrame... frames) {
    if (frames.length == 0) {
      throw new IllegalArgumentException("concat needs at least one frame");
    }
    Schema s = frames[0].schema;
    List<Graph> graphs = new ArrayList<>();
    List<Object> token = new ArrayList<>();
    Set<String> parents = new java.util.LinkedHashSet<>();
    for (int f = 0; f < frames.length; f++) {
      if (!frames[f].schema.equals(s)) {
        throw new IllegalArgumentException("concat needs frames with the same columns; frame 0 has " + s + " but frame " + f
            + " has " + frames[f].schema);
      }
      graphs.add(frames[f].graph());
      token.add(frames[f].name());
      parents.add(frames[f].name());
    }
    String n = Tokenize.name("concat", token);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    int j = 0;
    for (DFrame f : frames) {
      for (Key k : f.keys()) {
        tasks.put(Key.of(n, j++), Task.alias(k));
      }
    }
    return lowered(n, j, s, Graph.merge(graphs).with(Layer.of(n, parents, tasks)));
  }

  /**
   * The {@code n} rows with the largest values of a numeric column, largest first; missing values
   * are skipped and ties keep frame order (pandas' {@code nlargest(n, col)}). Top {@code n} per
   * partition, then combined in a tree; one partition.
   *
   * <pre>{@code
   * Table top = df.nlargest(10, "x").compute();
   * }</pre>
   */
  public DFrame nlargest(int n, String column) {
    return top(n, column, true);
  }

  /**
   * The {@code n} rows with the smallest values of a numeric column, smallest first (see {@link
   * #nlargest}).
   *
   * <pre>{@code
   * Table bottom = df.nsmallest(10, "x").compute();
   * }</pre>
   */
  public DFrame nsmallest(int n, String column) {
    return top(n, column, false);
  }

  private DFrame top(int n, String column, boolean largest) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    if (!schema.type(column).isNumeric()) {
      throw new IllegalArgumentException((largest ? "nlargest" : "nsmallest") + " needs a numeric column; '" + column
          + "' is " + schema.type(column));
    }
    PartitionFns.TopN fn = new PartitionFns.TopN(n, column, largest);
    return treeReduce(largest ? "nlargest" : "nsmallest", fn, fn, fn, schema, List.of(n, column));
  }

  /**
   * The number of distinct non-missing values of a column (pandas' {@code nunique()}): distinct
   * values per partition, merged in a tree, counted.
   *
   * <pre>{@code
   * long keys = df.nunique("k").compute();
   * }</pre>
   */
  public DScalar<Long> nunique(String column) {
    Schema s = schema.select(List.of(column));
    PartitionFns.Distinct fn = new PartitionFns.Distinct(List.of(column));
    DFrame d = treeReduce("nunique", fn, fn, fn, s, column);
    Key k = Key.of(Tokenize.name("nunique-count", d.name()));
    return new DScalar<>(k, d.graph().with(Layer.of(k.name(), Set.of(d.name()), Map.of(k, Task.of(new PartitionFns.RowCount(), Key.of(d.name(), 0))))));
  }

  /**
   * Summary statistics of the numeric columns, like pandas' {@code describe()} without the
   * percentiles: a column {@code stat} with rows count, mean, std (sample, ddof=1), min, max, and
   * one DOUBLE column per numeric column. One tree reduction over (count, sum, M2, min, max);
   * the standard deviation is combined exactly (Chan et al.), not from sums of squares.
   *
   * <pre>{@code
   * Table d = df.describe().compute();
   * }</pre>
   */
  public DFrame describe() {
    List<String> numeric = new ArrayList<>();
    List<Agg> aggs = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      if (schema.types().get(i).isNumeric()) {
        String c = schema.names().get(i);
        numeric.add(c);
        aggs.add(Agg.count(c).as(c + "#count"));
        aggs.add(Agg.mean(c).as(c + "#mean"));
        aggs.add(Agg.std(c).as(c + "#std"));
        aggs.add(Agg.min(c).as(c + "#min"));
        aggs.add(Agg.max(c).as(c + "#max"));
      }
    }
    if (numeric.isEmpty()) {
      throw new IllegalArgumentException("describe needs a numeric column; columns are " + schema);
    }
    List<DType> types = new ArrayList<>();
    types.add(DType.STRING);
    for (String c : numeric) {
      types.add(DType.DOUBLE);
    }
    List<String> names = new ArrayList<>();
    names.add("stat");
    names.addAll(numeric);
    return aggregate(List.of(), aggs).blockwise("describe", new PartitionFns.Describe(numeric), Schema.of(names, types), numeric);
  }

  /**
   * Writes every partition as a CSV file and returns their paths, in partition order: {@code *}
   * in {@code pathPattern} is replaced by the partition number (as Dask's {@code to_csv}).
   * Computes the frame now, on the configured scheduler. Each file is written under a
   * temporary name in the same directory and renamed when complete, so a task that fails leaves
   * no partial file behind (files of partitions that did finish stay). Header line, comma
   * separated, missing values empty, fields with a comma, quote or line break quoted; a frame
   * written this way reads back with {@link #readCsv(String, CsvOptions)} given the same types.
   *
   * <pre>{@code
   * List<Path> files = df.filter(col("x").gt(0)).toCsv("out/part-*.csv");   // out/part-0.csv, …
   * }</pre>
   */
  public List<Path> toCsv(String pathPattern) {
    if (!pathPattern.contains("*")) {
      throw new IllegalArgumentException("toCsv needs a '*' in the path pattern (replaced by the partition number), got "
          + pathPattern);
    }
    String n = Tokenize.name("to-csv", name(), pathPattern);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int i = 0; i < npartitions(); i++) {
      tasks.put(Key.of(n, i), Task.of(new io.jask.dataframe.internal.CsvWrite(pathPattern.replace("*", Integer.toString(i))),
          Key.of(name(), i)));
    }
    DFrame writes = lowered(n, npartitions(), schema, graph().with(Layer.of(n, Set.of(name()), tasks)));
    List<?> written = (List<?>) Jask.compute(writes.partitions(0, npartitions())).get(0);
    List<Path> out = new ArrayList<>();
    for (Object o : written) {
      out.add(Path.of((String) o));
    }
    return out;
  }

  /**
   * Writes the frame as CSV with the given options and returns the files written: with {@link
   * CsvWriteOptions#asSingleFile()} {@code path} is one file holding every partition in order
   * (one task that waits for all of them), otherwise {@code *} in {@code path} is replaced by the
   * partition number. Each file is written under a temporary name and renamed when complete; a
   * name ending in {@code .gz} is gzip-compressed.
   *
   * <pre>{@code
   * df.toCsv("out/all.tsv", CsvWriteOptions.defaults().withDelimiter('\t').withHeader(false).asSingleFile());
   * }</pre>
   */
  public List<Path> toCsv(String path, CsvWriteOptions options) {
    io.jask.dataframe.internal.CsvWrite fn;
    if (!options.singleFile()) {
      if (!path.contains("*")) {
        throw new IllegalArgumentException("toCsv needs a '*' in the path pattern (replaced by the partition number), got "
            + path);
      }
      return writeEach("to-csv", i -> new io.jask.dataframe.internal.CsvWrite(path.replace("*", Integer.toString(i)),
          options.delimiter(), options.header(), options.na()), List.of(path, options));
    }
    fn = new io.jask.dataframe.internal.CsvWrite(path, options.delimiter(), options.header(), options.na());
    String n = Tokenize.name("to-csv-single", name(), path, options);
    Map<Key, Task> tasks = Map.of(Key.of(n, 0), Task.of(fn, keys().toArray()));
    DFrame writes = lowered(n, 1, schema, graph().with(Layer.of(n, Set.of(name()), tasks)));
    List<?> written = (List<?>) Jask.compute(writes.partitions(0, 1)).get(0);
    return List.of(Path.of((String) written.get(0)));
  }

  /**
   * Writes every partition as a Parquet file {@code dir/part.NNNNN.parquet} (five digits, so
   * path order is partition order; an empty partition writes a file with no rows) and returns
   * the paths. Each file is written under a temporary name and renamed when complete, so a
   * failed task leaves no partial file. Row groups hold up to 1,000,000 rows; missing values
   * are Parquet nulls. Reads back with {@link #readParquet(String)} on {@code dir}.
   *
   * <pre>{@code
   * df.toParquet("out/", ParquetCompression.ZSTD);
   * DFrame again = DFrame.readParquet("out/");
   * }</pre>
   */
  public List<Path> toParquet(String dir, io.jask.io.ParquetCompression compression) {
    return toParquet(dir, compression, 1_000_000);
  }

  /**
   * {@link #toParquet(String, io.jask.io.ParquetCompression)} with row groups of at most {@code
   * rowGroupRows} rows (smaller groups let filters skip more).
   *
   * <pre>{@code
   * df.toParquet("out/", ParquetCompression.SNAPPY, 100_000);
   * }</pre>
   */
  public List<Path> toParquet(String dir, io.jask.io.ParquetCompression compression, int rowGroupRows) {
    if (rowGroupRows < 1) {
      throw new IllegalArgumentException("rowGroupRows must be positive, got " + rowGroupRows);
    }
    Path d = Path.of(dir).toAbsolutePath();
    return writeEach("to-parquet", i -> new io.jask.dataframe.internal.ParquetWrite(
        d.resolve(String.format("part.%05d.parquet", i)).toString(), compression, rowGroupRows), List.of(d.toString(), compression, rowGroupRows));
  }

  private List<Path> writeEach(String prefix, java.util.function.IntFunction<TaskFn> fn, Object token) {
    String n = Tokenize.name(prefix, name(), token);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int i = 0; i < npartitions(); i++) {
      tasks.put(Key.of(n, i), Task.of(fn.apply(i), Key.of(name(), i)));
    }
    DFrame writes = lowered(n, npartitions(), schema, graph().with(Layer.of(n, Set.of(name()), tasks)));
    List<?> written = (List<?>) Jask.compute(writes.partitions(0, npartitions())).get(0);
    List<Path> out = new ArrayList<>();
    for (Object o : written) {
      out.add(Path.of((String) o));
    }
    return out;
  }

  /**
   * How often each non-missing value of a column occurs, like pandas' {@code value_counts()}: a
   * one-partition frame with columns {@code column} and {@code count} (LONG), most frequent first,
   * ties in ascending value order. Counted per partition and combined in a tree (one partition
   * of distinct values at the end; a variant with several output partitions needs a shuffle).
   *
   * <pre>{@code
   * Table counts = df.valueCounts("k").compute();
   * }</pre>
   */
  public DFrame valueCounts(String column) {
    DFrame counts = aggregate(List.of(column), List.of(Agg.size().as("count")));
    Schema s = counts.schema;
    return counts.blockwise("value-counts", new PartitionFns.SortByCount(column, "count"), s, column);
  }

  /** The kinds of {@link #merge}. */
  public enum How {
    /** Rows whose keys match on both sides. */
    INNER,
    /** Every left row, with missing right columns where nothing matches. */
    LEFT,
    /** Every right row, with missing left columns where nothing matches. */
    RIGHT,
    /** Every row of both sides. */
    OUTER
  }

  /**
   * An inner join with {@code other} on the given key columns (see {@link #merge(DFrame, How, String...)}).
   *
   * <pre>{@code
   * DFrame named = orders.merge(customers, "customer_id");
   * }</pre>
   */
  public DFrame merge(DFrame other, String... on) {
    return merge(other, How.INNER, on);
  }

  /**
   * A broadcast join: {@code other}, which must fit in memory, becomes one partition (its
   * partitions are concatenated), is hashed by the key columns, and every partition of this frame
   * probes it, so this frame is never shuffled.
   *
   * <p>Keys must exist on both sides with the same type. Unlike pandas (where NaN keys match
   * each other), a row with a missing key never matches (SQL semantics); LEFT, RIGHT and OUTER
   * still keep such rows from their side. Columns: this frame's, in order (keys included), then
   * {@code other}'s non-key columns; a non-key name on both sides gets {@code _x} (left) and
   * {@code _y} (right), as in pandas. Rows: for each partition of this frame, its rows in order,
   * each followed by its matches in {@code other}'s order (one output partition per input
   * partition); for RIGHT and OUTER one more partition at the end holds {@code other}'s rows that
   * matched nothing, in order, with this frame's columns missing except the keys.
   *
   * <pre>{@code
   * DFrame all = events.merge(users, DFrame.How.LEFT, "user_id", "site");
   * }</pre>
   */
  public DFrame merge(DFrame other, How how, String... on) {
    if (on.length == 0) {
      throw new IllegalArgumentException("merge needs at least one key column");
    }
    List<String> keys = List.of(on);
    for (String k : keys) {
      DType l = schema.type(k);
      DType r = other.schema.type(k);
      if (l != r) {
        throw new IllegalArgumentException("merge key '" + k + "' is " + l + " on the left but " + r + " on the right");
      }
    }
    List<String> rightCols = new ArrayList<>();
    for (String c : other.schema.names()) {
      if (!keys.contains(c)) {
        rightCols.add(c);
      }
    }
    List<String> leftOut = new ArrayList<>();
    List<DType> types = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      String c = schema.names().get(i);
      leftOut.add(!keys.contains(c) && rightCols.contains(c) ? c + "_x" : c);
      types.add(schema.types().get(i));
    }
    List<String> rightOut = new ArrayList<>();
    for (String c : rightCols) {
      rightOut.add(schema.has(c) ? c + "_y" : c);
      types.add(other.schema.type(c));
    }
    List<String> names = new ArrayList<>(leftOut);
    names.addAll(rightOut);
    Schema out = Schema.of(names, types); // fails on duplicate names
    Join join = new Join(keys, leftOut, rightCols, rightOut);
    DFrame right = other.npartitions() == 1 ? other : other.repartition(1);
    if (how == How.INNER || how == How.LEFT) {
      // a row-wise node with the right table as side input: the optimizer narrows both sides to the
      // columns used later and the probe fuses with the operations after it
      Plan.Lowered r = new Plan.Lowered(right.name(), right.graph(), 1, right.schema, "BroadcastRight", List.of(right.plan));
      return new DFrame(new Plan.BroadcastJoin(plan, r, join, how == How.LEFT, out));
    }
    Key rk = Key.of(right.name(), 0);
    Graph g = Graph.merge(graph(), right.graph());
    String token = Tokenize.token(name(), right.name(), how, keys);
    String n = "merge-" + token;
    boolean keepLeft = how == How.LEFT || how == How.OUTER;
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int i = 0; i < npartitions(); i++) {
      tasks.put(Key.of(n, i), Task.of(new Join.Probe(join, keepLeft), Key.of(name(), i), rk));
    }
    DFrame joined = lowered(n, npartitions(), out, g.with(Layer.of(n, Set.of(name(), right.name()), tasks)));
    String mn = "merge-matched-" + token;
    Map<Key, Task> mt = new LinkedHashMap<>();
    for (int i = 0; i < npartitions(); i++) {
      mt.put(Key.of(mn, i), Task.of(new Join.Matched(join), Key.of(name(), i), rk));
    }
    Schema rows = Schema.of(List.of("row"), List.of(DType.INT));
    DFrame matched = lowered(mn, npartitions(), rows, g.with(Layer.of(mn, Set.of(name(), right.name()), mt)));
    PartitionFns.Distinct distinct = new PartitionFns.Distinct(List.of("row"));
    DFrame hits = matched.treeReduce("merge-hits", distinct, distinct, distinct, rows, token);
    String un = "merge-unmatched-" + token;
    Map<Key, Task> ut = Map.of(Key.of(un, 0), Task.of(new Join.Unmatched(join, schema), rk, Key.of(hits.name(), 0)));
    DFrame unmatched = lowered(un, 1, out, hits.graph().with(Layer.of(un, Set.of(right.name(), hits.name()), ut)));
    return concat(joined, unmatched);
  }

  // ---- shuffles (io.jask.dataframe.shuffle; see docs/dataframe.md, "Shuffles") -------------------

  /**
   * The rows sorted ascending by the given columns (first column first), stable, missing values
   * last, in as many partitions as this frame, with known divisions of the first column ({@link
   * io.jask.dataframe.shuffle.Shuffle#divisions}). A sample of every partition is computed now to
   * choose the ranges; then one shuffle (a split task per input partition, a sort task per output).
   *
   * <pre>{@code
   * Table sorted = df.sortValues("x").compute();
   * }</pre>
   */
  public DFrame sortValues(String... columns) {
    List<Boolean> asc = new ArrayList<>();
    for (String c : columns) {
      asc.add(true);
    }
    return sortValues(List.of(columns), asc);
  }

  /**
   * The rows sorted by the given columns, each ascending or descending (see {@link
   * #sortValues(String...)}).
   *
   * <pre>{@code
   * DFrame byKeyThenLargestX = df.sortValues(List.of("k", "x"), List.of(true, false));
   * }</pre>
   */
  public DFrame sortValues(List<String> columns, List<Boolean> ascending) {
    return io.jask.dataframe.shuffle.Shuffle.sortValues(this, columns, ascending);
  }

  /**
   * This frame sorted by {@code column}, which becomes the first column and has known divisions
   * (Dask's {@code set_index}: partition {@code i} holds the values between divisions {@code i}
   * and {@code i + 1}; Tablesaw tables have no index, so the column stays a column).
   *
   * <pre>{@code
   * DFrame byX = df.setIndex("x");
   * io.jask.dataframe.shuffle.Shuffle.divisions(byX).get().bounds();   // [min, ..., max]
   * }</pre>
   */
  public DFrame setIndex(String column) {
    List<String> order = new ArrayList<>();
    order.add(column);
    for (String c : schema.names()) {
      if (!c.equals(column)) {
        order.add(c);
      }
    }
    DFrame first = order.equals(schema.names()) ? this : select(order.toArray(new String[0]));
    return first.sortValues(column);
  }

  /**
   * The rows without repeats of the {@code subset} columns (all columns when none are given): the
   * first row of each combination is kept, missing values equal each other (pandas' {@code
   * drop_duplicates(subset, keep='first')}). Duplicates within a partition are dropped first,
   * then one hash shuffle by the subset; the result has as many partitions as this frame and
   * rows in a different order.
   *
   * <pre>{@code
   * DFrame firstPerKey = df.dropDuplicates("k", "g");
   * }</pre>
   */
  public DFrame dropDuplicates(String... subset) {
    return io.jask.dataframe.shuffle.ShuffleOps.dropDuplicates(this, List.of(subset));
  }

  /**
   * How many rows hold each distinct non-missing value of {@code column} (columns {@code column}
   * and {@code count}), for many distinct values: counts per partition, one hash shuffle by value
   * into {@code splitOut} partitions, each sorted by count, largest first.
   *
   * <pre>{@code
   * DFrame counts = df.valueCounts("user", 8);
   * }</pre>
   */
  public DFrame valueCounts(String column, int splitOut) {
    return io.jask.dataframe.shuffle.ShuffleOps.valueCounts(this, column, splitOut);
  }

  /**
   * A join of two large frames into {@code npartitions} partitions: both sides are hash-shuffled
   * by the keys, or, when this frame has known divisions on the (single) key column, only
   * {@code other} is cut by the same ranges (neither moves when both have the same divisions).
   * Columns and missing-key semantics as {@link #merge(DFrame, How, String...)}; the rows come in
   * a different order.
   *
   * <pre>{@code
   * DFrame joined = orders.merge(payments, DFrame.How.OUTER, 16, "order_id");
   * }</pre>
   */
  public DFrame merge(DFrame other, How how, int npartitions, String... on) {
    return io.jask.dataframe.shuffle.ShuffleOps.merge(this, other, how, npartitions, List.of(on));
  }

  /**
   * Rolling windows of {@code window} rows in frame order, across partition boundaries (rows are
   * borrowed from the partitions before): {@code sum}, {@code mean}, {@code min}, {@code max}.
   *
   * <pre>{@code
   * DFrame smooth = df.rolling(5).mean("x");
   * }</pre>
   */
  public Rolling rolling(int window) {
    return new Rolling(this, window);
  }

  /**
   * Fixed-frequency bins of the DATETIME index (pandas' {@code df.resample(rule)}): {@code rule}
   * is an integer multiple of {@code ms}, {@code s}, {@code min} ({@code T}), {@code h} ({@code
   * H}) or {@code D}. The frame needs known divisions on a DATETIME column (call {@link
   * #setIndex} first); no shuffle: bins that straddle partitions are combined from both sides.
   * See {@link Resampler}.
   *
   * <pre>{@code
   * DFrame perQuarterHour = df.setIndex("time").resample("15min").sum("amount");
   * }</pre>
   */
  public Resampler resample(String rule) {
    return new Resampler(this, rule);
  }

  @Override
  public String toString() {
    return "DFrame(npartitions=" + npartitions() + ", " + schema + ")";
  }
}
