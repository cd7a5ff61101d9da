package io.jask.dataframe.internal;

import io.jask.engine.serialize.ValueCodec;
import io.jask.io.DType;
import io.jask.io.DateTimes;
import io.jask.io.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMilliVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Encodes Tablesaw tables as one Arrow IPC stream (schema, one dictionary batch per string column,
 * one record batch) in one frame, so partitions travel between processes and workers as Arrow;
 * registered with the engine's codec SPI as {@code "arrow-table"}. Columns: INT (Arrow int32), LONG
 * (int64), DOUBLE (float64), BOOLEAN (bit), DATETIME (timestamp, milliseconds), STRING as a dictionary-encoded column (int32 codes
 * plus one utf8 dictionary of the column's distinct values, taken from Tablesaw's own dictionary:
 * no string is hashed or copied per row, and decoding builds Tablesaw's dictionary from the codes).
 * Decoding also reads plain utf8 columns and dictionaries with other index widths, as written by
 * other Arrow libraries. A missing value is an Arrow null (a double's NaN is missing in Tablesaw,
 * so it travels as null and comes back as NaN). Fixed-width data moves with bulk copies between
 * the column's array and the Arrow buffer; the encoded stream is returned without a further copy
 * and decoding reads the frame in place. The table's name travels in the schema metadata. Every
 * call uses its own {@link RootAllocator}, closed before returning, so nothing leaks (closing fails
 * loudly if a buffer is still held).
 *
 * <pre>{@code
 * Encoded e = Serialization.get().encode(table);    // codec "arrow-table"
 * Table back = (Table) Serialization.get().decode(e);
 * }</pre>
 */
public final class ArrowTableCodec implements ValueCodec<Table> {

  private static final ArrowType.Int CODE_TYPE = new ArrowType.Int(32, true);

  /** Needed by {@link java.util.ServiceLoader}. */
  public ArrowTableCodec() {}

  @Override
  public String name() {
    return "arrow-table";
  }

  @Override
  public Class<Table> type() {
    return Table.class;
  }

  @Override
  public List<ByteBuffer> encode(Table table) {
    Schema s = Schema.of(table);
    Object[] cols = new Object[s.size()];
    for (int c = 0; c < cols.length; c++) {
      cols[c] = s.types().get(c) == DType.STRING ? StringDict.of((StringColumn) table.column(c)) : table.column(c);
    }
    return encode(table.name(), s, table.rowCount(), cols, sizeOf(table));
  }

  /**
   * Piece {@code j} of a shuffle split's cut, the same stream as {@code encode(cut.piece(j))}
   * without building the piece as a table: a string column goes from the input's dictionary keys
   * to the piece's codes, never through a Tablesaw string column.
   */
  List<ByteBuffer> encode(Take.Cut cut, int j) {
    return encode(cut.name(), cut.schema(), cut.rows(j), cut.pieceColumns(j), cut.sizeOf(j));
  }

  /**
   * The stream of {@code n} rows; {@code cols[c]} is a {@link StringDict} for a string column, else
   * the column or, for an int, long or double column, its first {@code n} values as an array.
   */
  private List<ByteBuffer> encode(String name, Schema s, int n, Object[] cols, long size) {
    List<Field> fields = new ArrayList<>();
    StringDict[] dicts = new StringDict[s.size()];
    for (int c = 0; c < s.size(); c++) {
      DType t = s.types().get(c);
      if (t == DType.STRING) {
        dicts[c] = (StringDict) cols[c];
        fields.add(new Field(s.names().get(c), new FieldType(true, CODE_TYPE, new DictionaryEncoding(c, false, CODE_TYPE)), null));
      } else {
        fields.add(Field.nullable(s.names().get(c), arrowType(t)));
      }
    }
    org.apache.arrow.vector.types.pojo.Schema schema =
        new org.apache.arrow.vector.types.pojo.Schema(fields, Map.of("tablesaw.name", name));
    Sink out = new Sink(256 + (int) Math.min(Integer.MAX_VALUE - 256, size));
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc)) {
      DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
      try {
        for (int c = 0; c < s.size(); c++) {
          if (dicts[c] != null) {
            provider.put(new Dictionary(values(s.names().get(c), dicts[c].dict(), alloc), fields.get(c).getDictionary()));
            fillCodes((IntVector) root.getVector(c), dicts[c], n);
          } else {
            fill(root.getVector(c), cols[c], s.types().get(c), n);
          }
        }
        root.setRowCount(n);
        try (ArrowStreamWriter w = new ArrowStreamWriter(root, provider, out)) {
          w.start();
          w.writeBatch();
          w.end();
        }
      } finally {
        for (long id : provider.getDictionaryIds()) {
          provider.lookup(id).getVector().close();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode table " + name + " as Arrow", e);
    }
    return List.of(out.buffer());
  }

  private static ArrowType arrowType(DType t) {
    return switch (t) {
      case INT -> new ArrowType.Int(32, true);
      case LONG -> new ArrowType.Int(64, true);
      case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case STRING -> ArrowType.Utf8.INSTANCE;
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case DATETIME -> new ArrowType.Timestamp(TimeUnit.MILLISECOND, null);
    };
  }

  /** A dictionary's values as a utf8 vector (the caller closes it). */
  private static VarCharVector values(String name, String[] dict, BufferAllocator alloc) {
    VarCharVector v = new VarCharVector(name, alloc);
    v.allocateNew(dict.length);
    for (int i = 0; i < dict.length; i++) {
      v.setSafe(i, dict[i].getBytes(StandardCharsets.UTF_8));
    }
    v.setValueCount(dict.length);
    return v;
  }

  /** A string column's codes; the code of the empty string (Tablesaw's missing) becomes null. */
  private static void fillCodes(IntVector v, StringDict d, int n) {
    v.allocateNew(n);
    int missing = Arrays.asList(d.dict()).indexOf("");
    bulk(v.getDataBuffer(), n, 4).asIntBuffer().put(d.codes(), 0, n);
    allValid(v.getValidityBuffer(), n);
    if (missing >= 0) {
      int[] codes = d.codes();
      for (int i = 0; i < n; i++) {
        if (codes[i] == missing) {
          BitVectorHelper.unsetBit(v.getValidityBuffer(), i);
        }
      }
    }
    v.setValueCount(n);
  }

  private static void fill(FieldVector v, Object c, DType t, int n) {
    switch (t) {
      case INT -> {
        IntVector iv = (IntVector) v;
        iv.allocateNew(n);
        int[] a = c instanceof int[] values ? values : Cols.ints((IntColumn) c); // no copy (asIntArray copies)
        bulk(iv.getDataBuffer(), n, 4).asIntBuffer().put(a, 0, n);
        allValid(iv.getValidityBuffer(), n);
        for (int i = 0; i < n; i++) {
          if (a[i] == Integer.MIN_VALUE) {
            BitVectorHelper.unsetBit(iv.getValidityBuffer(), i);
          }
        }
      }
      case LONG -> {
        BigIntVector lv = (BigIntVector) v;
        lv.allocateNew(n);
        long[] a = c instanceof long[] values ? values : Cols.longs((LongColumn) c);
        bulk(lv.getDataBuffer(), n, 8).asLongBuffer().put(a, 0, n);
        allValid(lv.getValidityBuffer(), n);
        for (int i = 0; i < n; i++) {
          if (a[i] == Long.MIN_VALUE) {
            BitVectorHelper.unsetBit(lv.getValidityBuffer(), i);
          }
        }
      }
      case DOUBLE -> {
        Float8Vector dv = (Float8Vector) v;
        dv.allocateNew(n);
        double[] a = c instanceof double[] values ? values : Cols.doubles((DoubleColumn) c);
        bulk(dv.getDataBuffer(), n, 8).asDoubleBuffer().put(a, 0, n);
        allValid(dv.getValidityBuffer(), n);
        for (int i = 0; i < n; i++) {
          if (Double.isNaN(a[i])) {
            BitVectorHelper.unsetBit(dv.getValidityBuffer(), i);
          }
        }
      }
      case BOOLEAN -> {
        BitVector bv = (BitVector) v;
        BooleanColumn col = (BooleanColumn) c;
        bv.allocateNew(n);
        for (int i = 0; i < n; i++) {
          if (col.isMissing(i)) {
            bv.setNull(i);
          } else {
            bv.set(i, col.get(i) ? 1 : 0);
          }
        }
      }
      case DATETIME -> {
        TimeStampMilliVector tv = (TimeStampMilliVector) v;
        tv.allocateNew(n);
        long[] a = DateTimes.millis((DateTimeColumn) c);
        bulk(tv.getDataBuffer(), n, 8).asLongBuffer().put(a, 0, n);
        allValid(tv.getValidityBuffer(), n);
        for (int i = 0; i < n; i++) {
          if (a[i] == DateTimes.MISSING) {
            BitVectorHelper.unsetBit(tv.getValidityBuffer(), i);
          }
        }
      }
      case STRING -> throw new IllegalStateException("string columns are dictionary-encoded");
    }
    v.setValueCount(n);
  }

  /** The first {@code n} values of {@code width} bytes of a data buffer, little-endian. */
  private static ByteBuffer bulk(ArrowBuf data, int n, int width) {
    return data.nioBuffer(0, n * width).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void allValid(ArrowBuf validity, int n) {
    validity.setOne(0, (n + 7) / 8);
  }

  @Override
  public Table decode(List<ByteBuffer> frames) {
    try (BufferAllocator alloc = new RootAllocator();
        ArrowStreamReader r = new ArrowStreamReader(new Source(frames.get(0)), alloc)) {
      VectorSchemaRoot root = r.getVectorSchemaRoot();
      List<Field> fields = root.getSchema().getFields();
      String name = tableName(root.getSchema());
      List<Table> batches = new ArrayList<>();
      Map<Long, String[]> dicts = new HashMap<>();
      while (r.loadNextBatch()) {
        Table t = Table.create(name);
        for (int c = 0; c < fields.size(); c++) {
          Field f = fields.get(c);
          FieldVector v = root.getVector(c);
          int n = root.getRowCount();
          if (f.getDictionary() != null) {
            String[] dict = dicts.computeIfAbsent(f.getDictionary().getId(), id -> strings(f.getName(), r.lookup(id).getVector()));
            t.addColumns(decoded(f.getName(), (BaseIntVector) v, dict, n));
          } else {
            t.addColumns(column(f.getName(), v, n));
          }
        }
        batches.add(t);
        dicts.clear(); // a delta or replacement dictionary may follow before the next batch
      }
      if (batches.isEmpty()) {
        throw new IllegalArgumentException("Arrow stream without a record batch");
      }
      return batches.size() == 1 ? batches.get(0) : Tables.concat(batches);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode an Arrow table", e);
    }
  }

  /**
   * The stream as a sort's received piece ({@link Take.Decoded}): the same rows and values as
   * {@link #decode}, but numeric columns stay arrays and a string column stays its codes over the
   * stream's dictionary (null codes as an empty string appended to it), with no Tablesaw string
   * column built. A stream of several batches is decoded as a table first.
   */
  Take.Decoded decodeColumns(List<ByteBuffer> frames) {
    try (BufferAllocator alloc = new RootAllocator();
        ArrowStreamReader r = new ArrowStreamReader(new Source(frames.get(0)), alloc)) {
      VectorSchemaRoot root = r.getVectorSchemaRoot();
      List<Field> fields = root.getSchema().getFields();
      String name = tableName(root.getSchema());
      if (!r.loadNextBatch()) {
        throw new IllegalArgumentException("Arrow stream without a record batch");
      }
      int n = root.getRowCount();
      List<String> names = new ArrayList<>(fields.size());
      List<Take.Source> sources = new ArrayList<>(fields.size());
      for (int c = 0; c < fields.size(); c++) {
        Field f = fields.get(c);
        FieldVector v = root.getVector(c);
        names.add(f.getName());
        if (f.getDictionary() != null) {
          String[] dict = strings(f.getName(), r.lookup(f.getDictionary().getId()).getVector());
          sources.add(new Take.Source(DType.STRING, codes(f.getName(), (BaseIntVector) v, dict, n), null, n));
        } else if (v instanceof VarCharVector) {
          sources.add(Take.Source.of(column(f.getName(), v, n)));
        } else {
          Column<?> col = column(f.getName(), v, n);
          sources.add(switch (DType.of(col)) {
            case INT -> new Take.Source(DType.INT, Cols.ints((IntColumn) col), null, n);
            case LONG -> new Take.Source(DType.LONG, Cols.longs((LongColumn) col), null, n);
            case DOUBLE -> new Take.Source(DType.DOUBLE, Cols.doubles((DoubleColumn) col), null, n);
            default -> Take.Source.of(col);
          });
        }
      }
      if (r.loadNextBatch()) { // more batches (another library's stream): as a table
        return null;
      }
      return new Take.Decoded(name, names, sources, n);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode an Arrow table", e);
    }
  }

  /** A dictionary-encoded column's codes into {@code dict} plus a last value "" for its null codes. */
  private static StringDict codes(String name, BaseIntVector v, String[] dict, int n) {
    String[] values = Arrays.copyOf(dict, dict.length + 1);
    values[dict.length] = "";
    int[] codes = new int[n];
    if (v instanceof IntVector iv) {
      bulk(iv.getDataBuffer(), n, 4).asIntBuffer().get(codes, 0, n);
    } else {
      for (int i = 0; i < n; i++) {
        codes[i] = v.isNull(i) ? -1 : (int) v.getValueAsLong(i);
      }
    }
    boolean nulls = ((FieldVector) v).getNullCount() > 0;
    for (int i = 0; i < n; i++) {
      if (nulls && v.isNull(i)) {
        codes[i] = dict.length;
      } else if (codes[i] < 0 || codes[i] >= dict.length) {
        throw new IllegalArgumentException("column '" + name + "' row " + i + ": dictionary code " + codes[i] + " outside a dictionary of " + dict.length);
      }
    }
    return new StringDict(values, codes);
  }

  /** The table name a stream's schema carries ({@code tablesaw.name}), or "". */
  private static String tableName(org.apache.arrow.vector.types.pojo.Schema schema) {
    Map<String, String> meta = schema.getCustomMetadata();
    return meta == null ? "" : meta.getOrDefault("tablesaw.name", "");
  }

  private static String[] strings(String column, FieldVector v) {
    if (!(v instanceof VarCharVector sv)) {
      throw new IllegalArgumentException("column '" + column + "' has a dictionary of Arrow type " + v.getField().getType() + ", which Jask does not read");
    }
    String[] out = new String[sv.getValueCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = sv.isNull(i) ? "" : new String(sv.get(i), StandardCharsets.UTF_8);
    }
    return out;
  }

  /** A dictionary-encoded column: codes into {@code dict}, null codes are missing (""). */
  private static Column<?> decoded(String name, BaseIntVector v, String[] dict, int n) {
    StringDict d = codes(name, v, dict, n);
    return canonical(d.dict(), d.codes()).column(name);
  }

  /** Codes over a dictionary whose values may repeat (the empty string twice): one code per value. */
  private static StringDict canonical(String[] values, int[] codes) {
    Map<String, Integer> first = new HashMap<>();
    int[] remap = new int[values.length];
    boolean same = true;
    for (int c = 0; c < values.length; c++) {
      remap[c] = first.computeIfAbsent(values[c], x -> first.size());
      same &= remap[c] == c;
    }
    if (same) {
      return new StringDict(values, codes);
    }
    String[] unique = new String[first.size()];
    first.forEach((value, c) -> unique[c] = value);
    for (int i = 0; i < codes.length; i++) {
      codes[i] = remap[codes[i]];
    }
    return new StringDict(unique, codes);
  }

  private static Column<?> column(String name, FieldVector v, int n) {
    boolean nulls = v.getNullCount() > 0;
    if (v instanceof IntVector iv) {
      int[] a = new int[n];
      bulk(iv.getDataBuffer(), n, 4).asIntBuffer().get(a, 0, n);
      for (int i = 0; nulls && i < n; i++) {
        if (iv.isNull(i)) {
          a[i] = Integer.MIN_VALUE;
        }
      }
      return Take.wrap(name, a); // keeps the fresh array (create copies it)
    }
    if (v instanceof BigIntVector lv) {
      long[] a = new long[n];
      bulk(lv.getDataBuffer(), n, 8).asLongBuffer().get(a, 0, n);
      for (int i = 0; nulls && i < n; i++) {
        if (lv.isNull(i)) {
          a[i] = Long.MIN_VALUE;
        }
      }
      return Take.wrap(name, a);
    }
    if (v instanceof Float8Vector dv) {
      double[] a = new double[n];
      bulk(dv.getDataBuffer(), n, 8).asDoubleBuffer().get(a, 0, n);
      for (int i = 0; nulls && i < n; i++) {
        if (dv.isNull(i)) {
          a[i] = Double.NaN;
        }
      }
      return Take.wrap(name, a);
    }
    if (v instanceof TimeStampMilliVector tv) {
      long[] a = new long[n];
      bulk(tv.getDataBuffer(), n, 8).asLongBuffer().get(a, 0, n);
      for (int i = 0; nulls && i < n; i++) {
        if (tv.isNull(i)) {
          a[i] = DateTimes.MISSING;
        }
      }
      return DateTimes.column(name, a);
    }
    if (v instanceof BitVector bv) {
      BooleanColumn c = BooleanColumn.create(name, n);
      for (int i = 0; i < n; i++) {
        if (bv.isNull(i)) {
          c.setMissing(i);
        } else {
          c.set(i, bv.get(i) == 1);
        }
      }
      return c;
    }
    if (v instanceof VarCharVector sv) {
      // a plain utf8 column (another library's stream): dictionary-encode it here
      return StringDict.encode(n, i -> sv.isNull(i) ? "" : new String(sv.get(i), StandardCharsets.UTF_8)).column(name);
    }
    throw new IllegalArgumentException("column '" + name + "' has Arrow type " + v.getField().getType() + ", which Jask does not read");
  }

  @Override
  public long sizeOf(Table table) {
    long bytes = 64;
    int n = table.rowCount();
    for (Column<?> c : table.columns()) {
      bytes += switch (DType.of(c)) {
        case INT -> 4L * n;
        case LONG, DOUBLE, DATETIME -> 8L * n;
        case BOOLEAN -> n;
        case STRING -> 4L * n + 48L * Math.min(n, ((StringColumn) c).countUnique());
      };
    }
    return bytes;
  }

  /** The encoded stream, in one growing array that becomes the frame without a copy. */
  private static final class Sink implements WritableByteChannel {
    private byte[] buf;
    private int size;

    Sink(int capacity) {
      buf = new byte[Math.max(256, capacity)];
    }

    @Override
    public int write(ByteBuffer src) {
      int k = src.remaining();
      if (size + k > buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 8, Math.max((long) buf.length * 2, (long) size + k)));
      }
      src.get(buf, size, k);
      size += k;
      return k;
    }

    ByteBuffer buffer() {
      return ByteBuffer.wrap(buf, 0, size).slice();
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  /** Reads a frame in place (its position is not moved). */
  private static final class Source implements ReadableByteChannel {
    private final ByteBuffer in;

    Source(ByteBuffer frame) {
      in = frame.duplicate();
    }

    @Override
    public int read(ByteBuffer dst) {
      if (!in.hasRemaining()) {
        return -1;
      }
      int k = Math.min(dst.remaining(), in.remaining());
      ByteBuffer part = in.slice();
      part.limit(k);
      dst.put(part);
      in.position(in.position() + k);
      return k;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
