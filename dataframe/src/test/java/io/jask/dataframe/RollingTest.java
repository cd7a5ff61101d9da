package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tech.tablesaw.api.Table;

/** rolling(window) across partition boundaries against a loop over one table, on every scheduler. */
class RollingTest {
  static Double oracle(List<List<Object>> rows, int c, int r, int window, String op) {
    if (r < window - 1) {
      return Double.NaN;
    }
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = r - window + 1; i <= r; i++) {
      Object v = rows.get(i).get(c);
      if (v == null) {
        return Double.NaN;
      }
      double d = ((Number) v).doubleValue();
      sum += d;
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    return switch (op) {
      case "sum" -> sum;
      case "mean" -> sum / window;
      case "min" -> min;
      default -> max;
    };
  }

  @AllSchedulers
  void rolling_acrossPartitions_matchesALoop(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 6; seed++) {
        Random r = new Random(1300 + seed);
        Table t = Frames.random(r, seed == 0 ? 0 : r.nextInt(120));
        DFrame df = Frames.partitioned(r, t); // short and empty partitions: windows reach back several
        int window = 1 + r.nextInt(6);
        String col = r.nextBoolean() ? "x" : "i";
        String op = List.of("sum", "mean", "min", "max").get(r.nextInt(4));
        Rolling roll = df.rolling(window);
        DFrame got = switch (op) {
          case "sum" -> roll.sum(col);
          case "mean" -> roll.mean(col);
          case "min" -> roll.min(col);
          default -> roll.max(col);
        };
        List<List<Object>> rows = Frames.rows(t);
        int c = t.columnNames().indexOf(col);
        List<List<Object>> expected = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
          List<Object> row = new ArrayList<>(rows.get(i));
          Double v = oracle(rows, c, i, window, op);
          row.set(c, v.isNaN() ? null : v);
          expected.add(row);
        }
        String context = "seed " + seed + " rolling(" + window + ")." + op + "(" + col + ") over " + df.npartitions();
        assertEquals(df.npartitions(), got.npartitions(), context);
        Frames.assertRowsEqual(expected, Frames.rows(got.compute()), context);
      }
    }
  }
}
