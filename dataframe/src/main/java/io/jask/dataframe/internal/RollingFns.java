package io.jask.dataframe.internal;

import io.jask.engine.TaskFn;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/** The kernels of rolling windows across partition boundaries. */
public final class RollingFns {
  private RollingFns() {}

  /** The window operations. */
  public enum Op { SUM, MEAN, MIN, MAX }

  /**
   * The last {@code rows} rows of the rows so far (args: the previous carry or nothing, this
   * partition): what the next partition borrows, even when single partitions are shorter.
   */
  public record Carry(int rows) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table all = args.length == 1 ? (Table) args[0] : Take.concat(List.of((Table) args[0], (Table) args[1]), null);
      int n = all.rowCount();
      return n <= rows ? all : Tables.slice(all, n - rows, n);
    }
  }

  /**
   * The partition (last argument) with {@code column} replaced by the window {@code op} over the
   * {@code window} rows ending at each row, rows of the carry (first argument, if any) before it;
   * missing (NaN) while the window is not full or holds a missing value (pandas' {@code
   * min_periods = window}).
   */
  public record Apply(int window, String column, Op op) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      Table part = (Table) args[args.length - 1];
      Table carry = args.length == 2 ? (Table) args[0] : null;
      int before = carry == null ? 0 : carry.rowCount();
      List<Table> both = new ArrayList<>();
      if (carry != null) {
        both.add(carry.selectColumns(column));
      }
      both.add(part.selectColumns(column));
      double[] v = ExprEval.doubles(Vec.of(Take.concat(both, null).column(column)));
      double[] out = new double[part.rowCount()];
      int nan = 0;
      double sum = 0;
      java.util.ArrayDeque<Integer> mono = new java.util.ArrayDeque<>();
      for (int r = 0; r < v.length; r++) {
        if (Double.isNaN(v[r])) {
          nan++;
        } else {
          sum += v[r];
          while (!mono.isEmpty() && (op == Op.MIN ? v[mono.peekLast()] >= v[r] : v[mono.peekLast()] <= v[r])) {
            mono.pollLast();
          }
          mono.addLast(r);
        }
        int drop = r - window;
        if (drop >= 0) {
          if (Double.isNaN(v[drop])) {
            nan--;
          } else {
            sum -= v[drop];
          }
        }
        while (!mono.isEmpty() && mono.peekFirst() <= drop) {
          mono.pollFirst();
        }
        if (r < before) {
          continue;
        }
        double x;
        if (r < window - 1 || nan > 0) {
          x = Double.NaN;
        } else {
          x = switch (op) {
            case SUM -> exact(v, r - window + 1, r, sum);
            case MEAN -> exact(v, r - window + 1, r, sum) / window;
            case MIN, MAX -> v[mono.peekFirst()];
          };
        }
        out[r - before] = x;
      }
      Table t = part.copy();
      int at = t.columnIndex(column);
      t.removeColumns(column);
      t.insertColumn(at, DoubleColumn.create(column, out));
      return t;
    }

    /** The running sum, recomputed directly for small windows (no drift from long runs). */
    private static double exact(double[] v, int from, int to, double running) {
      if (to - from >= 64) {
        return running;
      }
      double s = 0;
      for (int i = from; i <= to; i++) {
        s += v[i];
      }
      return s;
    }
  }
}
