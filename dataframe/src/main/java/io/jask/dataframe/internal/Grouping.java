package io.jask.dataframe.internal;

import io.jask.io.DType;
import java.util.HashMap;
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
 * Dense group ids for the rows of a table by one or more key columns. Each key column is first
 * coded densely (integers and doubles by value in a primitive hash map, strings through one
 * {@code HashMap} lookup per row), then the codes are combined column by column as pairs
 * {@code (group so far, code)} in another primitive map. Rows with a missing key get id -1 and
 * are dropped, like pandas' {@code groupby(dropna=True)}. With no key columns every row is group 0
 * and there is always one group.
 *
 * @param ids the group of each row, or -1
 * @param groups the number of groups
 * @param firstRow a row of each group (its first)
 */
public record Grouping(int[] ids, int groups, int[] firstRow) {

  /** The grouping of {@code t} by {@code keys}. */
  public static Grouping of(Table t, List<String> keys) {
    int n = t.rowCount();
    int[] ids = new int[n];
    if (keys.isEmpty()) {
      return new Grouping(ids, 1, new int[] {0});
    }
    int groups = 0;
    for (int k = 0; k < keys.size(); k++) {
      int[] codes = codes(t.column(keys.get(k)), n);
      if (k == 0) {
        System.arraycopy(codes, 0, ids, 0, n);
        groups = maxPlusOne(codes);
      } else {
        LongIntMap pairs = new LongIntMap(Math.max(groups, 16));
        for (int i = 0; i < n; i++) {
          ids[i] = ids[i] < 0 || codes[i] < 0 ? -1 : pairs.idOf(((long) ids[i] << 32) | codes[i]);
        }
        groups = pairs.size();
      }
    }
    int[] first = new int[groups];
    java.util.Arrays.fill(first, -1);
    for (int i = 0; i < n; i++) {
      if (ids[i] >= 0 && first[ids[i]] < 0) {
        first[ids[i]] = i;
      }
    }
    return new Grouping(ids, groups, first);
  }

  private static int maxPlusOne(int[] codes) {
    int m = -1;
    for (int c : codes) {
      m = Math.max(m, c);
    }
    return m + 1;
  }

  /** Dense codes of one column's values in order of first appearance; -1 for missing. */
  private static int[] codes(Column<?> c, int n) {
    int[] out = new int[n];
    DType type = DType.of(c);
    if (type == DType.STRING) {
      StringColumn s = (StringColumn) c;
      Map<String, Integer> m = new HashMap<>();
      for (int i = 0; i < n; i++) {
        String v = s.get(i);
        out[i] = v.isEmpty() ? -1 : m.computeIfAbsent(v, x -> m.size());
      }
      return out;
    }
    LongIntMap m = new LongIntMap(1024);
    switch (type) {
      case INT -> {
        IntColumn col = (IntColumn) c;
        for (int i = 0; i < n; i++) {
          int v = col.getInt(i);
          out[i] = v == Integer.MIN_VALUE ? -1 : m.idOf(v);
        }
      }
      case LONG -> {
        LongColumn col = (LongColumn) c;
        for (int i = 0; i < n; i++) {
          long v = col.getLong(i);
          out[i] = v == Long.MIN_VALUE ? -1 : m.idOf(v);
        }
      }
      case DOUBLE -> {
        DoubleColumn col = (DoubleColumn) c;
        for (int i = 0; i < n; i++) {
          double v = col.getDouble(i);
          out[i] = Double.isNaN(v) ? -1 : m.idOf(Double.doubleToLongBits(v == 0.0 ? 0.0 : v));
        }
      }
      case DATETIME -> {
        tech.tablesaw.api.DateTimeColumn col = (tech.tablesaw.api.DateTimeColumn) c;
        for (int i = 0; i < n; i++) {
          long v = col.getLongInternal(i); // packed: equal date-times, equal longs
          out[i] = v == Long.MIN_VALUE ? -1 : m.idOf(v);
        }
      }
      default -> {
        BooleanColumn col = (BooleanColumn) c;
        for (int i = 0; i < n; i++) {
          out[i] = col.isMissing(i) ? -1 : m.idOf(col.get(i) ? 1 : 0);
        }
      }
    }
    return out;
  }
}
