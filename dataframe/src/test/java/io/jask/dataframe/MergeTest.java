package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Broadcast merge against a nested-loop join oracle. */
class MergeTest {
  /** k STRING (k0..k6, missing), g LONG 0..4 (missing), x DOUBLE, y DOUBLE; keys repeat. */
  static Table right(Random r, int rows) {
    StringColumn k = StringColumn.create("k");
    LongColumn g = LongColumn.create("g");
    DoubleColumn x = DoubleColumn.create("x");
    DoubleColumn y = DoubleColumn.create("y");
    for (int i = 0; i < rows; i++) {
      k.append(r.nextInt(8) == 0 ? "" : "k" + r.nextInt(7));
      if (r.nextInt(8) == 0) g.appendMissing(); else g.append((long) r.nextInt(5));
      x.append(r.nextInt(5) == 0 ? Double.NaN : r.nextInt(100));
      y.append(i);
    }
    return Table.create("r", k, g, x, y);
  }

  @AllSchedulers
  void merge_everyHow_oneAndTwoKeys_matchesANestedLoopJoin(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 2; seed++) {
        Random r = new Random(800 + seed);
        Table lt = Frames.random(r, r.nextInt(120));
        Table rt = right(r, seed == 0 ? 0 : 1 + r.nextInt(20));
        DFrame left = Frames.partitioned(r, lt);
        DFrame rightFrame = Frames.partitioned(r, rt);
        for (List<String> on : List.of(List.of("k"), List.of("k", "g"))) {
          for (DFrame.How how : DFrame.How.values()) {
            DFrame m = left.merge(rightFrame, how, on.toArray(new String[0]));
            List<String> names = new ArrayList<>(List.of("k", on.contains("g") ? "g" : "g_x", "i", "x_x", "b"));
            if (!on.contains("g")) {
              names.add("g_y");
            }
            names.addAll(List.of("x_y", "y"));
            assertEquals(names, m.columns(), how + " " + on);
            Frames.assertRowsEqual(oracle(lt, rt, on, how), Frames.rows(m.compute()), "seed " + seed + " " + how + " on " + on);
          }
        }
      }
    }
  }

  /** Left rows in order, each with its matches in right order; then unmatched right rows (RIGHT, OUTER). */
  static List<List<Object>> oracle(Table lt, Table rt, List<String> on, DFrame.How how) {
    List<Integer> lk = new ArrayList<>();
    List<Integer> rk = new ArrayList<>();
    List<Integer> rNonKey = new ArrayList<>();
    for (String k : on) {
      lk.add(lt.columnIndex(k));
      rk.add(rt.columnIndex(k));
    }
    for (int c = 0; c < rt.columnCount(); c++) {
      if (!on.contains(rt.column(c).name())) {
        rNonKey.add(c);
      }
    }
    List<List<Object>> lrows = Frames.rows(lt);
    List<List<Object>> rrows = Frames.rows(rt);
    boolean[] used = new boolean[rrows.size()];
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> l : lrows) {
      boolean any = false;
      for (int j = 0; j < rrows.size(); j++) {
        List<Object> rr = rrows.get(j);
        boolean match = true;
        for (int q = 0; q < on.size(); q++) {
          Object a = l.get(lk.get(q));
          Object b = rr.get(rk.get(q));
          match &= a != null && a.equals(b);
        }
        if (match) {
          any = true;
          used[j] = true;
          List<Object> row = new ArrayList<>(l);
          for (int c : rNonKey) {
            row.add(rr.get(c));
          }
          out.add(row);
        }
      }
      if (!any && (how == DFrame.How.LEFT || how == DFrame.How.OUTER)) {
        List<Object> row = new ArrayList<>(l);
        for (int c : rNonKey) {
          row.add(null);
        }
        out.add(row);
      }
    }
    if (how == DFrame.How.RIGHT || how == DFrame.How.OUTER) {
      for (int j = 0; j < rrows.size(); j++) {
        if (!used[j]) {
          List<Object> row = new ArrayList<>(Arrays.asList(new Object[lt.columnCount()]));
          for (int q = 0; q < on.size(); q++) {
            row.set(lk.get(q), rrows.get(j).get(rk.get(q)));
          }
          for (int c : rNonKey) {
            row.add(rrows.get(j).get(c));
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  @Test
  void selfMerge_onAFrameSharingTheSameGraph_matchesTheOracle() {
    try (Config.Scope s = Config.set("scheduler", "threads")) {
      Table t = Frames.random(new Random(3), 60);
      DFrame df = DFrame.fromTable(t, 3);
      DFrame small = df.select("k", "g").withColumn("y", Expr.col("g").mul(10)).drop("g");
      Table st = small.compute();
      for (DFrame.How how : DFrame.How.values()) {
        Frames.assertRowsEqual(oracle(t, st, List.of("k"), how), Frames.rows(df.merge(small, how, "k").compute()), how.toString());
      }
    }
  }

  @Test
  void badKeys_failNamingThem() {
    DFrame df = DFrame.fromTable(Frames.random(new Random(1), 10), 2);
    DFrame other = DFrame.fromTable(right(new Random(2), 5), 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> df.merge(other, "i"));
    assertTrue(e.getMessage().contains("'i'"), e.getMessage());
    DFrame badType = other.withColumn("g", Expr.col("g").cast(io.jask.io.DType.STRING));
    e = assertThrows(IllegalArgumentException.class, () -> df.merge(badType, "g"));
    assertTrue(e.getMessage().contains("'g' is LONG on the left but STRING on the right"), e.getMessage());
    assertEquals(df.npartitions(), df.merge(other, "k").npartitions());
    assertEquals(df.npartitions() + 1, df.merge(other, DFrame.How.OUTER, "k").npartitions());
  }
}
