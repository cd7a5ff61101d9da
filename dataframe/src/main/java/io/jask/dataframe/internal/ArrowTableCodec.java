package io.jask.dataframe.internal;

import io.jask.engine.serialize.ValueCodec;
import io.jask.io.DType;
import io.jask.io.Schema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Encodes Tablesaw tables as one Arrow IPC stream (schema + one record batch) in one frame, so
 * partitions travel between processes and workers as Arrow; registered with the engine's codec
 * SPI as {@code "arrow-table"}. Supported columns: INT (Arrow int32), LONG (int64), DOUBLE
 * (float64), STRING (utf8), BOOLEAN (bit); a missing value is an Arrow null (a double's NaN is
 * missing in Tablesaw, so it travels as null and comes back as NaN). The table's name travels in
 * the schema metadata. Every call uses its own {@link RootAllocator}, closed before returning, so
 * nothing leaks (closing fails loudly if a buffer is still held).
 *
 * <pre>{@code
 * Encoded e = Serialization.get().encode(table);    // codec "arrow-table"
 * Table back = (Table) Serialization.get().decode(e);
 * }</pre>
 */
public final class ArrowTableCodec implements ValueCodec<Table> {

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
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      fields.add(Field.nullable(s.names().get(i), arrowType(s.types().get(i))));
    }
    org.apache.arrow.vector.types.pojo.Schema schema =
        new org.apache.arrow.vector.types.pojo.Schema(fields, Map.of("tablesaw.name", table.name()));
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + table.rowCount() * 8 * Math.max(1, s.size()));
    try (BufferAllocator alloc = new RootAllocator();
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc)) {
      int n = table.rowCount();
      for (int c = 0; c < s.size(); c++) {
        fill(root.getVector(c), table.column(c), s.types().get(c), n);
      }
      root.setRowCount(n);
      try (ArrowStreamWriter w = new ArrowStreamWriter(root, null, Channels.newChannel(out))) {
        w.start();
        w.writeBatch();
        w.end();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode table " + table.name() + " as Arrow", e);
    }
    return List.of(ByteBuffer.wrap(out.toByteArray()));
  }

  private static ArrowType arrowType(DType t) {
    return switch (t) {
      case INT -> new ArrowType.Int(32, true);
      case LONG -> new ArrowType.Int(64, true);
      case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case STRING -> ArrowType.Utf8.INSTANCE;
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case DATETIME -> new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.MILLISECOND, null);
    };
  }

  private static void fill(FieldVector v, Column<?> c, DType t, int n) {
    switch (t) {
      case INT -> {
        IntVector iv = (IntVector) v;
        IntColumn col = (IntColumn) c;
        iv.allocateNew(n);
        for (int i = 0; i < n; i++) {
          if (col.isMissing(i)) {
            iv.setNull(i);
          } else {
            iv.set(i, col.getInt(i));
          }
        }
      }
      case LONG -> {
        BigIntVector lv = (BigIntVector) v;
        LongColumn col = (LongColumn) c;
        lv.allocateNew(n);
        for (int i = 0; i < n; i++) {
          if (col.isMissing(i)) {
            lv.setNull(i);
          } else {
            lv.set(i, col.getLong(i));
          }
        }
      }
      case DOUBLE -> {
        Float8Vector dv = (Float8Vector) v;
        DoubleColumn col = (DoubleColumn) c;
        dv.allocateNew(n);
        for (int i = 0; i < n; i++) {
          double x = col.getDouble(i);
          if (Double.isNaN(x)) {
            dv.setNull(i);
          } else {
            dv.set(i, x);
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
        org.apache.arrow.vector.TimeStampMilliVector tv = (org.apache.arrow.vector.TimeStampMilliVector) v;
        long[] ms = io.jask.io.DateTimes.millis((tech.tablesaw.api.DateTimeColumn) c);
        tv.allocateNew(n);
        for (int i = 0; i < n; i++) {
          if (ms[i] == io.jask.io.DateTimes.MISSING) {
            tv.setNull(i);
          } else {
            tv.set(i, ms[i]);
          }
        }
      }
      case STRING -> {
        VarCharVector sv = (VarCharVector) v;
        StringColumn col = (StringColumn) c;
        sv.allocateNew(n);
        for (int i = 0; i < n; i++) {
          String x = col.get(i);
          if (x.isEmpty()) {
            sv.setNull(i);
          } else {
            sv.setSafe(i, x.getBytes(StandardCharsets.UTF_8));
          }
        }
      }
    }
    v.setValueCount(n);
  }

  @Override
  public Table decode(List<ByteBuffer> frames) {
    ByteBuffer f = frames.get(0).duplicate();
    byte[] bytes = new byte[f.remaining()];
    f.get(bytes);
    try (BufferAllocator alloc = new RootAllocator();
        ArrowStreamReader r = new ArrowStreamReader(new ByteArrayInputStream(bytes), alloc)) {
      VectorSchemaRoot root = r.getVectorSchemaRoot();
      List<Field> fields = root.getSchema().getFields();
      String name = root.getSchema().getCustomMetadata() == null ? "" : root.getSchema().getCustomMetadata().getOrDefault("tablesaw.name", "");
      List<Table> batches = new ArrayList<>();
      while (r.loadNextBatch()) {
        Table t = Table.create(name);
        for (int c = 0; c < fields.size(); c++) {
          t.addColumns(column(fields.get(c).getName(), root.getVector(c), root.getRowCount()));
        }
        batches.add(t);
      }
      if (batches.isEmpty()) {
        throw new IllegalArgumentException("Arrow stream without a record batch");
      }
      return Tables.concat(batches);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode an Arrow table", e);
    }
  }

  private static Column<?> column(String name, FieldVector v, int n) {
    if (v instanceof IntVector iv) {
      int[] a = new int[n];
      for (int i = 0; i < n; i++) {
        a[i] = iv.isNull(i) ? Integer.MIN_VALUE : iv.get(i);
      }
      return IntColumn.create(name, a);
    }
    if (v instanceof BigIntVector lv) {
      long[] a = new long[n];
      for (int i = 0; i < n; i++) {
        a[i] = lv.isNull(i) ? Long.MIN_VALUE : lv.get(i);
      }
      return LongColumn.create(name, a);
    }
    if (v instanceof Float8Vector dv) {
      double[] a = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = dv.isNull(i) ? Double.NaN : dv.get(i);
      }
      return DoubleColumn.create(name, a);
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
    if (v instanceof org.apache.arrow.vector.TimeStampMilliVector tv) {
      long[] a = new long[n];
      for (int i = 0; i < n; i++) {
        a[i] = tv.isNull(i) ? io.jask.io.DateTimes.MISSING : tv.get(i);
      }
      return io.jask.io.DateTimes.column(name, a);
    }
    if (v instanceof VarCharVector sv) {
      String[] a = new String[n];
      java.util.HashMap<String, String> dict = new java.util.HashMap<>();
      for (int i = 0; i < n; i++) {
        a[i] = sv.isNull(i) ? "" : dict.computeIfAbsent(new String(sv.get(i), StandardCharsets.UTF_8), x -> x);
      }
      return StringColumn.create(name, a);
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
}
