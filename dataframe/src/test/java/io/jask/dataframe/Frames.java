package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Seeded random tables and partitionings, and table comparison, for the oracle tests. */
final class Frames {
  private Frames() {}

  /** k STRING (k0..k5, missing), g LONG 0..4 (missing), i INT (missing), x DOUBLE (NaN), b BOOLEAN (missing). */
  static Table random(Random r, int rows) {
    StringColumn k = StringColumn.create("k");
    LongColumn g = LongColumn.create("g");
    IntColumn i = IntColumn.create("i");
    DoubleColumn x = DoubleColumn.create("x");
    BooleanColumn b = BooleanColumn.create("b");
    for (int n = 0; n < rows; n++) {
      k.append(r.nextInt(8) == 0 ? "" : "k" + r.nextInt(6));
      if (r.nextInt(8) == 0) g.appendMissing(); else g.append((long) r.nextInt(5));
      if (r.nextInt(6) == 0) i.appendMissing(); else i.append(r.nextInt(200) - 100);
      x.append(r.nextInt(7) == 0 ? Double.NaN : Math.round(r.nextGaussian() * 1000) / 100.0);
      if (r.nextInt(6) == 0) b.appendMissing(); else b.append(r.nextBoolean());
    }
    return Table.create("t", k, g, i, x, b);
  }

  /** Random contiguous partitions (some empty), or one. */
  static DFrame partitioned(Random r, Table t) {
    int parts = r.nextInt(4) == 0 ? 1 : 1 + r.nextInt(20);
    int[] cuts = new int[parts + 1];
    cuts[parts] = t.rowCount();
    for (int p = 1; p < parts; p++) {
      cuts[p] = r.nextInt(t.rowCount() + 1);
    }
    java.util.Arrays.sort(cuts, 1, parts);
    List<Table> tables = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      tables.add(t.inRange(cuts[p], cuts[p + 1]).copy());
    }
    return DFrame.fromPartitions(tables);
  }

  /** A cell as a comparable Java value, null when missing. */
  static Object cell(Column<?> c, int row) {
    return c.isMissing(row) ? null : c.get(row);
  }

  static List<List<Object>> rows(Table t) {
    List<List<Object>> out = new ArrayList<>();
    for (int r = 0; r < t.rowCount(); r++) {
      List<Object> row = new ArrayList<>();
      for (Column<?> c : t.columns()) {
        row.add(cell(c, r));
      }
      out.add(row);
    }
    return out;
  }

  /** Same column names and types, same rows; doubles equal within 1e-9 (relative). */
  static void assertTableEquals(Table expected, Table actual, String context) {
    assertEquals(expected.columnNames(), actual.columnNames(), context);
    for (int c = 0; c < expected.columnCount(); c++) {
      assertEquals(expected.column(c).type(), actual.column(c).type(), context + " column " + expected.column(c).name());
    }
    assertRowsEqual(rows(expected), rows(actual), context);
  }

  static void assertRowsEqual(List<List<Object>> expected, List<List<Object>> actual, String context) {
    assertEquals(expected.size(), actual.size(), context + ": row count");
    for (int r = 0; r < expected.size(); r++) {
      List<Object> e = expected.get(r);
      List<Object> a = actual.get(r);
      assertEquals(e.size(), a.size(), context);
      for (int c = 0; c < e.size(); c++) {
        if (!close(e.get(c), a.get(c))) {
          fail(context + ": row " + r + " column " + c + ": expected " + e + " but was " + a);
        }
      }
    }
  }

  static boolean close(Object e, Object a) {
    if (e instanceof Double x && a instanceof Double y) {
      return (x.isNaN() && y.isNaN()) || x.equals(y) || Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x));
    }
    return java.util.Objects.equals(e, a);
  }

  static void assertClose(double expected, double actual, String context) {
    assertTrue(close(expected, actual), context + ": expected " + expected + " but was " + actual);
  }
}
