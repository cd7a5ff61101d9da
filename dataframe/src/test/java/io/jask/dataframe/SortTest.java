package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.dataframe.shuffle.Divisions;
import io.jask.dataframe.shuffle.Shuffle;
import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * sortValues and setIndex against a stable sort of one table (missing last), on every scheduler,
 * over seeded random partitionings (empty partitions, one partition), nulls and skewed keys; the
 * divisions are checked against the partitions' contents.
 */
class SortTest {
  /** A stable sort of the rows of {@code t} by the columns, missing last in either direction. */
  static List<List<Object>> oracle(Table t, List<String> cols, List<Boolean> asc) {
    List<List<Object>> rows = Frames.rows(t);
    List<Integer> idx = new ArrayList<>();
    for (String c : cols) {
      idx.add(t.columnNames().indexOf(c));
    }
    Comparator<List<Object>> cmp = (a, b) -> 0;
    for (int i = 0; i < cols.size(); i++) {
      int at = idx.get(i);
      boolean up = asc.get(i);
      cmp = cmp.thenComparing((a, b) -> {
        Object x = a.get(at);
        Object y = b.get(at);
        if (x == null || y == null) {
          return x == null ? (y == null ? 0 : 1) : -1;
        }
        @SuppressWarnings("unchecked")
        int c = ((Comparable<Object>) x).compareTo(y);
        if (x instanceof Double dx && y instanceof Double dy && dx == 0.0 && dy == 0.0) {
          c = 0; // -0.0 == 0.0
        }
        return up ? c : -c;
      });
    }
    rows.sort(cmp);
    return rows;
  }

  /** Frames.random plus a skewed column s: half the rows hold the same value. */
  static Table table(Random r, int rows) {
    Table t = Frames.random(r, rows);
    DoubleColumn s = DoubleColumn.create("s");
    for (int i = 0; i < rows; i++) {
      s.append(r.nextBoolean() ? 5.0 : r.nextInt(9) == 0 ? Double.NaN : r.nextInt(50));
    }
    return t.addColumns(s);
  }

  static void checkDivisions(DFrame sorted, String column, String context) {
    Divisions d = Shuffle.divisions(sorted).orElseThrow();
    assertEquals(sorted.npartitions() + 1, d.bounds().size(), context);
    Comparator<Object> cmp = (a, b) -> {
      @SuppressWarnings("unchecked")
      int c = ((Comparable<Object>) a).compareTo(b);
      return d.ascending() ? c : -c;
    };
    List<Object> parts = Frames_parts(sorted);
    for (int p = 0; p < parts.size(); p++) {
      Table t = (Table) parts.get(p);
      Column<?> c = t.column(column);
      for (int i = 0; i < t.rowCount(); i++) {
        Object v = Frames.cell(c, i);
        if (v == null) {
          continue;
        }
        Object lo = d.bounds().get(p);
        Object hi = d.bounds().get(p + 1);
        assertTrue(lo != null && cmp.compare(lo, v) <= 0, context + ": partition " + p + " value " + v + " below " + lo);
        boolean last = p == parts.size() - 1;
        assertTrue(hi != null && (last ? cmp.compare(v, hi) <= 0 : cmp.compare(v, hi) < 0),
            context + ": partition " + p + " value " + v + " not before " + hi);
      }
    }
  }

  @SuppressWarnings("unchecked")
  static List<Object> Frames_parts(DFrame f) {
    return (List<Object>) io.jask.engine.Jask.compute(io.jask.dataframe.shuffle.ShuffleTesting.partitions(f)).get(0);
  }

  @AllSchedulers
  void sortValues_randomColumnsAndDirections_matchesAStableSort(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      List<String> candidates = List.of("x", "s", "k", "g", "i", "b");
      for (int seed = 0; seed < 6; seed++) {
        Random r = new Random(600 + seed);
        Table t = table(r, seed == 0 ? 0 : r.nextInt(300));
        DFrame df = Frames.partitioned(r, t);
        int ncols = 1 + r.nextInt(2);
        List<String> cols = new ArrayList<>();
        List<Boolean> asc = new ArrayList<>();
        while (cols.size() < ncols) {
          String c = candidates.get(r.nextInt(candidates.size()));
          if (!cols.contains(c) && !(cols.isEmpty() && c.equals("b"))) {
            cols.add(c);
            asc.add(r.nextInt(3) != 0);
          }
        }
        String context = "seed " + seed + " sort " + cols + " " + asc + " over " + df.npartitions() + " partitions";
        DFrame sorted = df.sortValues(cols, asc);
        assertEquals(df.npartitions(), sorted.npartitions(), context);
        Frames.assertRowsEqual(oracle(t, cols, asc), Frames.rows(sorted.compute()), context);
        checkDivisions(sorted, cols.get(0), context);
      }
    }
  }

  @AllSchedulers
  void setIndex_putsTheColumnFirst_sortedWithDivisions(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 3; seed++) {
        Random r = new Random(700 + seed);
        Table t = table(r, 1 + r.nextInt(400));
        DFrame df = Frames.partitioned(r, t);
        String col = List.of("s", "x", "k").get(seed);
        DFrame byCol = df.setIndex(col);
        assertEquals(col, byCol.columns().get(0));
        List<String> order = new ArrayList<>(byCol.columns());
        Table expected = t.selectColumns(order.toArray(new String[0]));
        Frames.assertRowsEqual(oracle(expected, List.of(col), List.of(true)), Frames.rows(byCol.compute()), "seed " + seed);
        checkDivisions(byCol, col, "seed " + seed);
      }
    }
  }

  @Test
  void sortValues_largeLongColumn_radixMatchesArraysSort() {
    Random r = new Random(5);
    long[] v = new long[50_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextInt(5) == 0 ? r.nextLong() : r.nextInt(1000) - 500;
    }
    Table t = Table.create("t", LongColumn.create("v", v));
    long[] expected = v.clone();
    java.util.Arrays.sort(expected);
    DFrame sorted = DFrame.fromTable(t, 7).sortValues("v");
    try (Config.Scope s = Config.set("scheduler", "threads")) {
      assertEquals(java.util.Arrays.toString(expected),
          java.util.Arrays.toString(((LongColumn) sorted.compute().column("v")).asLongArray()));
    }
  }
}
