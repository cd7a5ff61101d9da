package io.jask.dataframe;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The known sorted bounds of a frame's index column, as Dask's {@code divisions}: partition
 * {@code i} holds only rows whose {@code column} value {@code v} satisfies {@code bounds[i] <= v <
 * bounds[i + 1]}, except the last partition, which includes its upper bound ({@code v <=
 * bounds[n]}). So {@code bounds} has one more value than the frame has partitions, in
 * non-decreasing order, and the index column has no missing value.
 *
 * <pre>{@code
 * DFrame df = DFrame.fromTable(sortedByTime, 4, "time");
 * df.divisions().get().bounds();      // [t0, t1, t2, t3, tmax]
 * }</pre>
 *
 * @param column the index column
 * @param bounds {@code npartitions + 1} values (Integer, Long, Double or String), non-decreasing
 */
public record Divisions(String column, List<Object> bounds) implements Serializable {
  /** Checks the bounds are non-null, comparable and sorted. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Divisions {
    bounds = List.copyOf(new ArrayList<>(bounds));
    if (bounds.size() < 2) {
      throw new IllegalArgumentException("divisions of '" + column + "' need at least 2 bounds, got " + bounds);
    }
    for (int i = 1; i < bounds.size(); i++) {
      Object a = bounds.get(i - 1);
      Object b = bounds.get(i);
      if (!(a instanceof Comparable ca) || a.getClass() != b.getClass() || ca.compareTo(b) > 0) {
        throw new IllegalArgumentException("divisions of '" + column + "' must be non-decreasing values of one type, got "
            + bounds);
      }
    }
  }

  /** The number of partitions these bounds describe. */
  public int npartitions() {
    return bounds.size() - 1;
  }
}
