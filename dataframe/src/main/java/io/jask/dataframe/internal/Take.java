package io.jask.dataframe.internal;

import io.jask.io.DType;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Row gathers over primitive column storage: a table's rows in a given order, or cut into pieces. */
public final class Take {
  private Take() {}

  /** The rows {@code rows[from..to)} of {@code t}, in that order. */
  public static Table rows(Table t, int[] rows, int from, int to) {
    Table out = Table.create(t.name());
    for (Column<?> c : t.columns()) {
      out.addColumns(column(Source.of(c), c.name(), rows, from, to));
    }
    return out;
  }

  /**
   * The rows of several tables with the same columns, in order, then reordered by {@code order}
   * (row numbers into the concatenation; null keeps them in order). Strings move as dictionary
   * codes: the tables are never concatenated as Tablesaw columns first.
   */
  public static Table concat(List<Table> tables, int[] order) {
    Table first = tables.get(0);
    int n = 0;
    for (Table t : tables) {
      n += t.rowCount();
    }
    if (order == null) {
      order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
    }
    Table out = Table.create(first.name());
    for (int c = 0; c < first.columnCount(); c++) {
      List<Source> parts = new ArrayList<>(tables.size());
      for (Table t : tables) {
        if (t.columnCount() != first.columnCount() || DType.of(t.column(c)) != DType.of(first.column(c))) {
          throw new IllegalArgumentException("cannot concatenate tables with different columns: " + first.structure()
              + " and " + t.structure());
        }
        parts.add(Source.of(t.column(c)));
      }
      out.addColumns(column(Source.concat(parts, n), first.column(c).name(), order, 0, order.length));
    }
    return out;
  }

  /**
   * Cuts {@code t} into {@code m} tables: row {@code i} goes to table {@code part[i]}; rows keep
   * their order within a table. The pieces are a {@link Cut}: each is gathered from {@code t} only
   * when asked for ({@link Pieces#part}), so the split itself copies no column.
   */
  public static Pieces split(Table t, int[] part, int m) {
    int n = t.rowCount();
    int[] start = new int[m + 1];
    for (int i = 0; i < n; i++) {
      start[part[i] + 1]++;
    }
    for (int j = 0; j < m; j++) {
      start[j + 1] += start[j];
    }
    int[] at = start.clone();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[at[part[i]]++] = i;
    }
    List<Source> sources = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Column<?> c : t.columns()) {
      KeyedStrings k = c instanceof StringColumn s ? KeyedStrings.of(s) : null;
      sources.add(k != null ? new Source(DType.STRING, k, c, c.size()) : Source.of(c));
      names.add(c.name());
    }
    return Pieces.cut(new Cut(t.name(), names, sources, order, start));
  }

  /** {@link Cut#pieceColumns}' work arrays: slot {@code c} for column {@code c} (more columns than slots: fresh arrays). */
  private static final Scratch PIECE_SCRATCH = new Scratch(16);

  /**
   * A shuffle piece received from a peer for a sort's output task, decoded into arrays rather than
   * a table ({@link ArrowPieceCodec}): numeric columns as arrays, strings as codes over the piece's
   * dictionary ({@link StringDict}, missing the empty string; a value may appear twice there),
   * booleans and date-times as columns. {@link #sortedConcat} reads it like a table's columns
   * without a Tablesaw string column being built and read back; {@link #table} builds one.
   */
  record Decoded(String name, List<String> names, List<Source> sources, int rows) {
    /** The piece as a table. */
    Table table() {
      Table t = Table.create(name);
      for (int c = 0; c < sources.size(); c++) {
        Source s = sources.get(c);
        String n = names.get(c);
        t.addColumns(switch (s.type()) {
          case INT -> wrap(n, (int[]) s.values());
          case LONG -> wrap(n, (long[]) s.values());
          case DOUBLE -> wrap(n, (double[]) s.values());
          case STRING -> ((StringDict) s.values()).column(n);
          case BOOLEAN, DATETIME -> s.column();
        });
      }
      return t;
    }

    /** The columns' names and types. */
    io.jask.io.Schema schema() {
      List<DType> types = new ArrayList<>(sources.size());
      for (Source s : sources) {
        types.add(s.type());
      }
      return io.jask.io.Schema.of(names, types);
    }
  }

  /** Piece {@code j} of a cut, not gathered yet: what a local sort's output task receives ({@link ShuffleBuffer}). */
  record Slice(Cut cut, int j) {}

  /**
   * The rows of several parts with the same columns, one after the other, sorted (stable) by
   * {@code columns}: each part a table or a {@link Slice} of a cut (a worker's own pieces or a local
   * scheduler's). The argsort's keys are made straight from the parts' arrays (one numeric column;
   * other sorts gather their sort columns in input order first); then each column is gathered
   * from the parts' arrays in input order (a slice's rows from its cut's input, front to back) and
   * permuted by the order. The parts are never built as tables, and one column at a time is held
   * in input order.
   */
  static Table sortedConcat(List<?> parts, List<String> columns, List<Boolean> ascending) {
    int np = parts.size();
    if (np == 0) {
      throw new IllegalArgumentException("a sort's output task received no pieces");
    }
    List<List<Source>> sources = new ArrayList<>(np); // [part][column]
    List<String> names = null;
    String name = null;
    int n = 0;
    for (Object o : parts) {
      List<Source> cols = new ArrayList<>();
      List<String> these = new ArrayList<>();
      if (o instanceof Slice sl) {
        cols.addAll(sl.cut().sources);
        these.addAll(sl.cut().names);
        n += sl.cut().rows(sl.j());
        name = name == null ? sl.cut().name : name;
      } else if (o instanceof Decoded d) {
        cols.addAll(d.sources());
        these.addAll(d.names());
        n += d.rows();
        name = name == null ? d.name() : name;
      } else {
        Table t = (Table) o;
        for (Column<?> c : t.columns()) {
          cols.add(Source.of(c));
          these.add(c.name());
        }
        n += t.rowCount();
        name = name == null ? t.name() : name;
      }
      if (names == null) {
        names = these;
      } else if (!names.equals(these) || !types(sources.get(0)).equals(types(cols))) {
        throw new IllegalArgumentException("cannot concatenate shuffle pieces with different columns: " + names + " "
            + types(sources.get(0)) + " and " + these + " " + types(cols));
      }
      sources.add(cols);
    }
    // rows offsets[p]..offsets[p+1] of the concatenation are part p's; row g is row row[g] of its part
    // (this thread's work arrays: row, the keys, the argsort's and each column in input order)
    int[] offsets = new int[np + 1];
    int[] row = SORT_SCRATCH.ints(ROW, n);
    for (int p = 0; p < np; p++) {
      Object o = parts.get(p);
      int at = offsets[p];
      if (o instanceof Slice sl) {
        int from = sl.cut().start[sl.j()];
        int to = sl.cut().start[sl.j() + 1];
        System.arraycopy(sl.cut().order, from, row, at, to - from);
        at += to - from;
      } else {
        for (int k = 0, m = o instanceof Decoded d ? d.rows() : ((Table) o).rowCount(); k < m; k++) {
          row[at++] = k;
        }
      }
      offsets[p + 1] = at;
    }
    // the order: on one numeric column its keys straight from the parts; else the sort columns gathered
    int[] order = directKeys(sources, names, columns, ascending, offsets, row, n);
    if (order == null) {
      Table keys = Table.create(name);
      for (String c : columns) {
        Source g = gather(sources, names.indexOf(c), offsets, row, n, false);
        keys.addColumns(switch (g.type()) {
          case INT -> wrap(c, (int[]) g.values());
          case LONG -> wrap(c, (long[]) g.values());
          case DOUBLE -> wrap(c, (double[]) g.values());
          case DATETIME -> tech.tablesaw.api.DateTimeColumn.createInternal(c, (long[]) g.values());
          case BOOLEAN -> g.column();
          case STRING -> ((StringDict) g.values()).column(c);
        });
      }
      order = RadixSort.argsort(keys, columns, ascending);
    }
    // every column gathered in input order (each part's rows front to back, into one compact array),
    // then permuted by the order: two cache-friendly passes; one random gather straight from the parts
    // reads a few values of every cache line of every input partition: 1.3-1.8 s of CPU against 0.7-0.8
    // for 10 outputs of 500k rows of D4's shape (id, key, x, y), half of them slices of local cuts
    Table out = Table.create(name);
    for (int c = 0; c < names.size(); c++) {
      Source g = gather(sources, c, offsets, row, n, true);
      out.addColumns(column(g, names.get(c), order, 0, n));
    }
    return out;
  }

  /** {@link #sortedConcat}'s work arrays, by slot. */
  private static final Scratch SORT_SCRATCH = new Scratch(8);
  private static final int ROW = 0;
  private static final int KEYS = 1;
  private static final int ORDER = 2;
  private static final int RADIX_A = 3;
  private static final int RADIX_B = 4;
  private static final int GATHER_INTS = 5;
  private static final int GATHER_LONGS = 6;
  private static final int GATHER_DOUBLES = 7;

  /**
   * The stable ascending order of the concatenated parts by one numeric column ({@link
   * RadixSort#keys} made from the parts' arrays through {@code row}, no column in input order), or
   * null for other sorts (several columns, strings, booleans, date-times).
   */
  private static int[] directKeys(List<List<Source>> sources, List<String> names, List<String> columns,
      List<Boolean> ascending, int[] offsets, int[] row, int n) {
    if (columns.size() != 1 || sources.isEmpty()) {
      return null;
    }
    int c = names.indexOf(columns.get(0));
    DType type = sources.get(0).get(c).type();
    if (type != DType.DOUBLE && type != DType.INT && type != DType.LONG) {
      return null;
    }
    boolean asc = ascending.get(0);
    long[] k = SORT_SCRATCH.longs(KEYS, n);
    for (int p = 0; p < sources.size(); p++) {
      Object a = sources.get(p).get(c).values();
      int from = offsets[p];
      int to = offsets[p + 1];
      switch (type) {
        case DOUBLE -> {
          double[] v = (double[]) a;
          for (int g = from; g < to; g++) {
            k[g] = RadixSort.doubleKey(v[row[g]]);
          }
        }
        case INT -> {
          int[] v = (int[]) a;
          for (int g = from; g < to; g++) {
            int x = v[row[g]];
            k[g] = x == Integer.MIN_VALUE ? RadixSort.MISSING : ((long) x) ^ Long.MIN_VALUE;
          }
        }
        default -> {
          long[] v = (long[]) a;
          for (int g = from; g < to; g++) {
            long x = v[row[g]];
            k[g] = x == Long.MIN_VALUE ? RadixSort.MISSING : x ^ Long.MIN_VALUE;
          }
        }
      }
    }
    if (!asc) {
      for (int g = 0; g < n; g++) {
        if (k[g] != RadixSort.MISSING) {
          k[g] = ~k[g] - 1; // reversed, still below MISSING
        }
      }
    }
    // an output partition's keys lie in one range: few significant bits
    return RadixSort.argsortByPrefix(k, n, SORT_SCRATCH.ints(ORDER, n), SORT_SCRATCH.longs(RADIX_A, n),
        SORT_SCRATCH.longs(RADIX_B, n));
  }

  private static int code(java.util.Map<String, Integer> global, List<String> used, String v) {
    return global.computeIfAbsent(v, x -> {
      used.add(x);
      return used.size() - 1;
    });
  }

  private static List<DType> types(List<Source> cols) {
    List<DType> t = new ArrayList<>(cols.size());
    for (Source s : cols) {
      t.add(s.type());
    }
    return t;
  }

  /**
   * Column {@code c} of the parts one after the other: row {@code g} of part {@code p}
   * ({@code offsets[p] <= g < offsets[p + 1]}) is that part's row {@code row[g]}. A slice's rows
   * are ascending in its input, so each part is read front to back. With {@code scratch} the values
   * are in this thread's work array (longer than {@code n} maybe; only for reading before the
   * next gather), else in a new array of {@code n}.
   */
  private static Source gather(List<List<Source>> sources, int c, int[] offsets, int[] row, int n, boolean scratch) {
    int np = sources.size();
    DType type = np == 0 ? DType.DOUBLE : sources.get(0).get(c).type();
    switch (type) {
      case INT: {
        int[] v = scratch ? SORT_SCRATCH.ints(GATHER_INTS, n) : new int[n];
        for (int p = 0; p < np; p++) {
          int[] a = (int[]) sources.get(p).get(c).values();
          for (int g = offsets[p]; g < offsets[p + 1]; g++) {
            v[g] = a[row[g]];
          }
        }
        return new Source(type, v, null, n);
      }
      case LONG:
      case DATETIME: {
        long[] v = scratch ? SORT_SCRATCH.longs(GATHER_LONGS, n) : new long[n];
        for (int p = 0; p < np; p++) {
          long[] a = (long[]) sources.get(p).get(c).values();
          for (int g = offsets[p]; g < offsets[p + 1]; g++) {
            v[g] = a[row[g]];
          }
        }
        return new Source(type, v, null, n);
      }
      case DOUBLE: {
        double[] v = scratch ? SORT_SCRATCH.doubles(GATHER_DOUBLES, n) : new double[n];
        for (int p = 0; p < np; p++) {
          double[] a = (double[]) sources.get(p).get(c).values();
          for (int g = offsets[p]; g < offsets[p + 1]; g++) {
            v[g] = a[row[g]];
          }
        }
        return new Source(type, v, null, n);
      }
      case BOOLEAN: {
        BooleanColumn out = BooleanColumn.create("b", n);
        for (int p = 0; p < np; p++) {
          BooleanColumn b = (BooleanColumn) sources.get(p).get(c).column();
          for (int g = offsets[p]; g < offsets[p + 1]; g++) {
            if (b.isMissing(row[g])) {
              out.setMissing(g);
            } else {
              out.set(g, b.get(row[g]));
            }
          }
        }
        return new Source(type, null, out, n);
      }
      default: {
        // every part's strings by its own codes, mapped to one dictionary of the values the rows use
        // (missing is the empty string, an ordinary value here as in StringDict)
        java.util.Map<String, Integer> global = new java.util.HashMap<>();
        List<String> used = new ArrayList<>();
        int[] out = scratch ? SORT_SCRATCH.ints(GATHER_INTS, n) : new int[n];
        for (int p = 0; p < np; p++) {
          Object s = sources.get(p).get(c).values();
          if (offsets[p] == offsets[p + 1]) {
            continue;
          }
          String[] dict = s instanceof KeyedStrings k ? k.dict : ((StringDict) s).dict();
          int[] remap = new int[dict.length + 1]; // a keyed part's missing (-1) at the end
          java.util.Arrays.fill(remap, -1);
          if (s instanceof KeyedStrings k) {
            int[] code = k.code;
            Cols.Keys keys = k.keys;
            for (int g = offsets[p]; g < offsets[p + 1]; g++) {
              int local = code[keys.key(row[g]) - Short.MIN_VALUE];
              local = local < 0 ? dict.length : local;
              int r = remap[local];
              out[g] = r >= 0 ? r : (remap[local] = code(global, used, local == dict.length ? "" : dict[local]));
            }
          } else {
            int[] codes = ((StringDict) s).codes();
            for (int g = offsets[p]; g < offsets[p + 1]; g++) {
              int local = codes[row[g]];
              int r = remap[local];
              out[g] = r >= 0 ? r : (remap[local] = code(global, used, dict[local]));
            }
          }
        }
        return new Source(type, new StringDict(used.toArray(new String[0]), out), null, n);
      }
    }
  }

  /**
   * A table cut into pieces without copying it: its columns as arrays ({@link Source}), the row
   * numbers grouped by piece ({@code order}) and where piece {@code j} starts in them ({@code
   * start[j]}, {@code start[m]} is the row count).
   */
  static final class Cut {
    private final String name;
    private final List<String> names;
    private final List<Source> sources;
    private final int[] order;
    private final int[] start;

    Cut(String name, List<String> names, List<Source> sources, int[] order, int[] start) {
      this.name = name;
      this.names = names;
      this.sources = sources;
      this.order = order;
      this.start = start;
    }

    int parts() {
      return start.length - 1;
    }

    int rows() {
      return start[start.length - 1];
    }

    int rows(int j) {
      return start[j + 1] - start[j];
    }

    /** Piece {@code j} as a new table. */
    Table piece(int j) {
      if (j < 0 || j >= parts()) {
        throw new IndexOutOfBoundsException("piece " + j + " of " + parts());
      }
      Table out = Table.create(name);
      for (int c = 0; c < sources.size(); c++) {
        out.addColumns(column(sources.get(c), names.get(c), order, start[j], start[j + 1]));
      }
      return out;
    }

    String name() {
      return name;
    }

    /** The columns' names and types. */
    io.jask.io.Schema schema() {
      List<DType> types = new ArrayList<>(sources.size());
      for (Source s : sources) {
        types.add(s.type());
      }
      return io.jask.io.Schema.of(names, types);
    }

    /**
     * Piece {@code j}'s columns for {@link ArrowTableCodec}, to be copied into Arrow buffers before
     * the next call on this thread: an int, long or double column as its values gathered into this
     * thread's work array ({@link Scratch}: longer than the piece maybe, no array per piece and
     * column), a string column as the codes of its rows over the values they use ({@link
     * StringDict}, missing the empty string; its codes a work array too), never a Tablesaw string
     * column; boolean and date-time columns as columns.
     */
    Object[] pieceColumns(int j) {
      if (j < 0 || j >= parts()) {
        throw new IndexOutOfBoundsException("piece " + j + " of " + parts());
      }
      Object[] out = new Object[sources.size()];
      int from = start[j];
      int n = start[j + 1] - from;
      for (int c = 0; c < out.length; c++) {
        Source s = sources.get(c);
        switch (s.type()) {
          case INT -> {
            int[] a = (int[]) s.values();
            int[] v = PIECE_SCRATCH.ints(c, n);
            for (int i = 0; i < n; i++) {
              v[i] = a[order[from + i]];
            }
            out[c] = v;
          }
          case LONG -> {
            long[] a = (long[]) s.values();
            long[] v = PIECE_SCRATCH.longs(c, n);
            for (int i = 0; i < n; i++) {
              v[i] = a[order[from + i]];
            }
            out[c] = v;
          }
          case DOUBLE -> {
            double[] a = (double[]) s.values();
            double[] v = PIECE_SCRATCH.doubles(c, n);
            for (int i = 0; i < n; i++) {
              v[i] = a[order[from + i]];
            }
            out[c] = v;
          }
          case STRING -> out[c] = s.values() instanceof KeyedStrings k
              ? k.codes(order, from, from + n, PIECE_SCRATCH.ints(c, n))
              : ((StringDict) s.values()).rows(order, from, from + n);
          default -> out[c] = column(s, names.get(c), order, from, from + n);
        }
      }
      return out;
    }

    /** {@link ArrowTableCodec#sizeOf} of piece {@code j}, without building it. */
    long sizeOf(int j) {
      long n = rows(j);
      long bytes = 64;
      for (Source s : sources) {
        bytes += switch (s.type()) {
          case INT -> 4L * n;
          case LONG, DOUBLE, DATETIME -> 8L * n;
          case BOOLEAN -> n;
          case STRING -> 4L * n + 48L * Math.min(n, s.values() instanceof KeyedStrings k ? k.distinct()
              : ((StringDict) s.values()).dict().length);
        };
      }
      return bytes;
    }
  }

  /**
   * A string column read through Tablesaw's own per-row dictionary keys (bytes or shorts, no copy:
   * {@link Cols#keys}) for a cut, which holds its input for a while: unlike {@link StringDict#of}
   * no array of codes per row is made. {@code code[key - Short.MIN_VALUE]} is the key's value's
   * index in {@code dict}, -1 for a missing value (the empty string), -2 for a key no row uses.
   */
  static final class KeyedStrings {
    private final Cols.Keys keys;
    private final int[] code;
    private final String[] dict;
    private final boolean missing;

    private KeyedStrings(Cols.Keys keys, int[] code, String[] dict, boolean missing) {
      this.keys = keys;
      this.code = code;
      this.dict = dict;
      this.missing = missing;
    }

    /** The column's keys, or null if they are ints (a large dictionary: {@link StringDict#of} then). */
    static KeyedStrings of(StringColumn c) {
      Cols.Keys k = Cols.keys(c);
      if (k.ints() != null) {
        return null;
      }
      int[] code = new int[1 << 16];
      java.util.Arrays.fill(code, -2);
      List<String> dict = new ArrayList<>();
      boolean missing = false;
      for (int i = 0; i < k.size(); i++) {
        int at = k.key(i) - Short.MIN_VALUE;
        if (code[at] == -2) {
          String v = k.value(k.key(i));
          code[at] = v.isEmpty() ? -1 : dict.size();
          if (v.isEmpty()) {
            missing = true;
          } else {
            dict.add(v);
          }
        }
      }
      return new KeyedStrings(k, code, dict.toArray(new String[0]), missing);
    }

    /** The distinct values, missing (the empty string) one of them as in Tablesaw's {@code countUnique}. */
    int distinct() {
      return dict.length + (missing ? 1 : 0);
    }

    /**
     * The codes of the rows {@code rows[from..to)} over the values they use, missing as the empty
     * string; the codes in {@code out} (at least {@code to - from} long).
     */
    StringDict codes(int[] rows, int from, int to, int[] out) {
      int n = to - from;
      int[] compact = new int[dict.length + 1]; // missing at the end
      java.util.Arrays.fill(compact, -1);
      String[] used = new String[Math.min(dict.length + 1, n)];
      int nused = 0;
      for (int i = 0; i < n; i++) {
        int c = code[keys.key(rows[from + i]) - Short.MIN_VALUE];
        c = c < 0 ? dict.length : c;
        int k = compact[c];
        if (k < 0) {
          k = compact[c] = nused;
          used[nused++] = c == dict.length ? "" : dict[c];
        }
        out[i] = k;
      }
      return new StringDict(java.util.Arrays.copyOf(used, nused), out);
    }

    /** A column of the rows {@code rows[from..to)}, its dictionary only the values they use. */
    StringColumn column(String name, int[] rows, int from, int to) {
      int n = to - from;
      int[] compact = new int[dict.length];
      java.util.Arrays.fill(compact, -1);
      String[] used = new String[Math.min(dict.length, n)];
      int nused = 0;
      int[] out = new int[n];
      for (int i = 0; i < n; i++) {
        int c = code[keys.key(rows[from + i]) - Short.MIN_VALUE];
        if (c >= 0) {
          int k = compact[c];
          if (k < 0) {
            k = compact[c] = nused;
            used[nused++] = dict[c];
          }
          c = k;
        }
        out[i] = c;
      }
      return io.jask.io.internal.TablesawColumns.strings(name, out, n, used, nused);
    }
  }

  /**
   * A column's values as an array, read without a copy where Tablesaw's storage allows ({@link
   * Cols}; the array may be longer than the column: {@code size} values count). Read only.
   */
  record Source(DType type, Object values, Column<?> column, int size) {
    static Source of(Column<?> c) {
      int n = c.size();
      return switch (DType.of(c)) {
        case INT -> new Source(DType.INT, Cols.ints((IntColumn) c), c, n);
        case LONG -> new Source(DType.LONG, Cols.longs((LongColumn) c), c, n);
        case DOUBLE -> new Source(DType.DOUBLE, Cols.doubles((DoubleColumn) c), c, n);
        case BOOLEAN -> new Source(DType.BOOLEAN, null, c, n);
        case STRING -> new Source(DType.STRING, StringDict.of((StringColumn) c), c, n);
        case DATETIME -> new Source(DType.DATETIME, packed((tech.tablesaw.api.DateTimeColumn) c), c, n);
      };
    }

    private static long[] packed(tech.tablesaw.api.DateTimeColumn c) {
      long[] v = new long[c.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = c.getLongInternal(i);
      }
      return v;
    }

    /** The values of several sources of one type, one after the other ({@code n} in all). */
    static Source concat(List<Source> parts, int n) {
      DType type = parts.get(0).type();
      if (parts.size() == 1 && type != DType.BOOLEAN) {
        return parts.get(0);
      }
      switch (type) {
        case INT: {
          int[] v = new int[n];
          int at = 0;
          for (Source s : parts) {
            System.arraycopy(s.values(), 0, v, at, s.size());
            at += s.size();
          }
          return new Source(type, v, null, n);
        }
        case LONG:
        case DATETIME: {
          long[] v = new long[n];
          int at = 0;
          for (Source s : parts) {
            System.arraycopy(s.values(), 0, v, at, s.size());
            at += s.size();
          }
          return new Source(type, v, null, n);
        }
        case DOUBLE: {
          double[] v = new double[n];
          int at = 0;
          for (Source s : parts) {
            System.arraycopy(s.values(), 0, v, at, s.size());
            at += s.size();
          }
          return new Source(type, v, null, n);
        }
        case BOOLEAN: {
          byte[] v = new byte[n];
          int at = 0;
          for (Source s : parts) {
            BooleanColumn b = (BooleanColumn) s.column();
            for (int i = 0; i < b.size(); i++) {
              v[at++] = b.isMissing(i) ? (byte) -1 : b.get(i) ? (byte) 1 : 0;
            }
          }
          return new Source(type, v, null, n);
        }
        default: {
          List<StringDict> dicts = new ArrayList<>();
          for (Source s : parts) {
            dicts.add((StringDict) s.values());
          }
          return new Source(type, StringDict.concat(dicts), null, n);
        }
      }
    }
  }

  private static final java.lang.invoke.MethodHandle INT_COLUMN =
      constructor(IntColumn.class, it.unimi.dsi.fastutil.ints.IntArrayList.class);
  private static final java.lang.invoke.MethodHandle LONG_COLUMN =
      constructor(LongColumn.class, it.unimi.dsi.fastutil.longs.LongArrayList.class);
  private static final java.lang.invoke.MethodHandle DOUBLE_COLUMN =
      constructor(DoubleColumn.class, it.unimi.dsi.fastutil.doubles.DoubleArrayList.class);

  /** Tablesaw's {@code (String, XArrayList)} constructor, which keeps the list (its {@code create(name, array)} copies). */
  private static java.lang.invoke.MethodHandle constructor(Class<?> column, Class<?> list) {
    try {
      return java.lang.invoke.MethodHandles.privateLookupIn(column, java.lang.invoke.MethodHandles.lookup())
          .findConstructor(column, java.lang.invoke.MethodType.methodType(void.class, String.class, list));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // copies instead
    }
  }

  /** A column over {@code v} itself (a fresh array nobody else holds), without Tablesaw's copy. */
  static IntColumn wrap(String name, int[] v) {
    try {
      return INT_COLUMN == null ? IntColumn.create(name, v)
          : (IntColumn) INT_COLUMN.invoke(name, it.unimi.dsi.fastutil.ints.IntArrayList.wrap(v));
    } catch (Throwable e) {
      throw new IllegalStateException("cannot make an IntColumn", e);
    }
  }

  static LongColumn wrap(String name, long[] v) {
    try {
      return LONG_COLUMN == null ? LongColumn.create(name, v)
          : (LongColumn) LONG_COLUMN.invoke(name, it.unimi.dsi.fastutil.longs.LongArrayList.wrap(v));
    } catch (Throwable e) {
      throw new IllegalStateException("cannot make a LongColumn", e);
    }
  }

  static DoubleColumn wrap(String name, double[] v) {
    try {
      return DOUBLE_COLUMN == null ? DoubleColumn.create(name, v)
          : (DoubleColumn) DOUBLE_COLUMN.invoke(name, it.unimi.dsi.fastutil.doubles.DoubleArrayList.wrap(v));
    } catch (Throwable e) {
      throw new IllegalStateException("cannot make a DoubleColumn", e);
    }
  }

  private static Column<?> column(Source s, String name, int[] rows, int from, int to) {
    int n = to - from;
    switch (s.type()) {
      case INT: {
        int[] a = (int[]) s.values();
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = a[rows[from + i]];
        }
        return wrap(name, v);
      }
      case LONG: {
        long[] a = (long[]) s.values();
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = a[rows[from + i]];
        }
        return wrap(name, v);
      }
      case DOUBLE: {
        double[] a = (double[]) s.values();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = a[rows[from + i]];
        }
        return wrap(name, v);
      }
      case DATETIME: {
        long[] a = (long[]) s.values();
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = a[rows[from + i]];
        }
        return tech.tablesaw.api.DateTimeColumn.createInternal(name, v);
      }
      case BOOLEAN: {
        BooleanColumn out = BooleanColumn.create(name, n);
        if (s.values() instanceof byte[] a) { // concatenated: 0, 1, -1 missing
          for (int i = 0; i < n; i++) {
            byte b = a[rows[from + i]];
            if (b < 0) {
              out.setMissing(i);
            } else {
              out.set(i, b == 1);
            }
          }
          return out;
        }
        BooleanColumn b = (BooleanColumn) s.column();
        for (int i = 0; i < n; i++) {
          int r = rows[from + i];
          if (b.isMissing(r)) {
            out.setMissing(i);
          } else {
            out.set(i, b.get(r));
          }
        }
        return out;
      }
      default:
        return s.values() instanceof KeyedStrings k ? k.column(name, rows, from, to)
            : ((StringDict) s.values()).column(name, rows, from, to);
    }
  }
}
