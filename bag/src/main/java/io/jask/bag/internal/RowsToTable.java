package io.jask.bag.internal;

import io.jask.engine.TaskFn;
import io.jask.io.DType;
import io.jask.io.Schema;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Turns one bag partition into a Tablesaw table of a given schema: an element is a {@code Map}
 * (columns by key), a record (columns by component name), or a {@code List} / array (columns by
 * position). A missing key or a null is a missing value; a value of the wrong type fails naming
 * the partition's row and the column.
 */
public record RowsToTable(Schema schema) implements TaskFn {

  @Override
  public Object apply(Object[] args) {
    List<?> rows = (List<?>) args[0];
    Table t = schema.emptyTable();
    for (int r = 0; r < rows.size(); r++) {
      Object row = rows.get(r);
      for (int c = 0; c < schema.size(); c++) {
        String name = schema.names().get(c);
        Object v = field(row, name, c, r);
        append(t.column(c), schema.types().get(c), v, r, name);
      }
    }
    return t;
  }

  private static Object field(Object row, String name, int position, int r) {
    if (row instanceof Map<?, ?> m) {
      return m.get(name);
    }
    if (row instanceof Record rec) {
      for (RecordComponent rc : rec.getClass().getRecordComponents()) {
        if (rc.getName().equals(name)) {
          try {
            java.lang.reflect.Method accessor = rc.getAccessor();
            accessor.setAccessible(true); // records declared in non-public classes
            return accessor.invoke(rec);
          } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("row " + r + ": cannot read component '" + name + "'", e);
          }
        }
      }
      return null;
    }
    if (row instanceof List<?> l) {
      return position < l.size() ? l.get(position) : null;
    }
    if (row instanceof Object[] a) {
      return position < a.length ? a[position] : null;
    }
    throw new IllegalArgumentException("row " + r + " is a " + (row == null ? "null" : row.getClass().getName())
        + ": toDataFrame takes maps, records, lists or arrays");
  }

  private static void append(Column<?> col, DType type, Object v, int r, String name) {
    if (v == null) {
      col.appendMissing();
      return;
    }
    try {
      switch (type) {
        case INT -> ((IntColumn) col).append(((Number) v).intValue());
        case LONG -> ((LongColumn) col).append(((Number) v).longValue());
        case DOUBLE -> ((DoubleColumn) col).append(((Number) v).doubleValue());
        case STRING -> ((StringColumn) col).append(v.toString());
        case BOOLEAN -> ((BooleanColumn) col).append((Boolean) v);
        default -> throw new IllegalStateException("unsupported type " + type);
      }
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("row " + r + ", column '" + name + "': " + v.getClass().getSimpleName()
          + " value '" + v + "' is not a " + type, e);
    }
  }
}
