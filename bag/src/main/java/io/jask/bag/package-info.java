/**
 * {@link io.jask.bag.Bag}: a lazy, partitioned list of any Java objects (lines of text, JSON
 * records, ...), like {@code dask.bag}. Element-wise operations fuse into one task per partition;
 * reductions are trees; {@code groupBy} is a hash shuffle through tasks.
 *
 * <pre>{@code
 * List<Map.Entry<Object, Long>> top = Bag.readText("logs/*.json")
 *     .map(Json::parse)
 *     .filter(r -> (Boolean) r.get("active"))
 *     .pluck("name")
 *     .frequencies()
 *     .topk(10, Map.Entry::getValue)
 *     .compute();
 * }</pre>
 */
package io.jask.bag;
