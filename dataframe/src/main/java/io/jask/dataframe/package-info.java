/**
 * {@link io.jask.dataframe.DFrame}: a lazy dataframe split into partitions that are Tablesaw
 * {@code Table}s, like {@code dask.dataframe}; {@link io.jask.dataframe.Expr} column expressions;
 * {@link io.jask.dataframe.GroupBy} with {@link io.jask.dataframe.Agg} aggregations reduced in a
 * tree; lazy scalars ({@link io.jask.dataframe.DScalar}).
 */
package io.jask.dataframe;
