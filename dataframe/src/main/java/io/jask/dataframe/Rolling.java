package io.jask.dataframe;

import io.jask.dataframe.internal.RollingFns;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.Tokenize;
import io.jask.io.DType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Rolling windows of a fixed number of rows over a frame in its row order (pandas' {@code
 * df.rolling(window)}), across partition boundaries: every partition borrows the last {@code
 * window - 1} rows before it from a chain of small carry tasks (so a partition shorter than the
 * window borrows from several before it), then computes its rows. A row's value is missing
 * until the window is full and whenever the window holds a missing value ({@code min_periods =
 * window}). The result has the same partitions, with the column replaced by DOUBLE values.
 *
 * <pre>{@code
 * DFrame smooth = df.rolling(5).mean("price");
 * }</pre>
 */
public final class Rolling {
  private final DFrame frame;
  private final int window;

  Rolling(DFrame frame, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("a rolling window needs at least 1 row, got " + window);
    }
    this.frame = frame;
    this.window = window;
  }

  /** The sum of the window. */
  public DFrame sum(String column) {
    return apply(column, RollingFns.Op.SUM);
  }

  /** The mean of the window. */
  public DFrame mean(String column) {
    return apply(column, RollingFns.Op.MEAN);
  }

  /** The smallest value of the window. */
  public DFrame min(String column) {
    return apply(column, RollingFns.Op.MIN);
  }

  /** The largest value of the window. */
  public DFrame max(String column) {
    return apply(column, RollingFns.Op.MAX);
  }

  private DFrame apply(String column, RollingFns.Op op) {
    if (!frame.schema().type(column).isNumeric()) {
      throw new IllegalArgumentException("rolling " + op + " needs a numeric column; '" + column + "' is "
          + frame.schema().type(column));
    }
    String parent = frame.name();
    int n = frame.npartitions();
    String carry = Tokenize.name("rolling-carry", parent, window);
    String out = Tokenize.name("rolling-" + op.name().toLowerCase(java.util.Locale.ROOT), parent, window, column);
    Map<Key, Task> carries = new LinkedHashMap<>();
    Map<Key, Task> outs = new LinkedHashMap<>();
    RollingFns.Carry c = new RollingFns.Carry(window - 1);
    RollingFns.Apply a = new RollingFns.Apply(window, column, op);
    for (int i = 0; i < n; i++) {
      Key part = Key.of(parent, i);
      if (i < n - 1) {
        carries.put(Key.of(carry, i), i == 0 ? Task.of(c, part) : Task.of(c, Key.of(carry, i - 1), part));
      }
      outs.put(Key.of(out, i), i == 0 ? Task.of(a, part) : Task.of(a, Key.of(carry, i - 1), part));
    }
    var g = frame.graph().with(Layer.of(carry, Set.of(parent), carries)).with(Layer.of(out, Set.of(parent, carry), outs));
    return DFrame.fromGraph(g, out, n, frame.schema().with(column, DType.DOUBLE));
  }
}
