package io.jask.dataframe.shuffle;

import java.util.List;

/**
 * Known divisions of a frame sorted by a column: partition {@code i} holds the rows whose value
 * lies between {@code bounds[i]} and {@code bounds[i + 1]} in sort order (like Dask's
 * {@code divisions}, {@code npartitions + 1} values): at or after the first, and before the
 * second except for the last partition, which also holds its upper bound. Missing values are in
 * the last partition. A partition whose range is empty has two equal bounds.
 *
 * @param column the sort column
 * @param ascending whether values grow with the partition number
 * @param bounds the {@code npartitions + 1} bounds (Double, Long, Integer or String; null where
 *     the frame has no present value at all)
 */
public record Divisions(String column, boolean ascending, List<Object> bounds) {}
