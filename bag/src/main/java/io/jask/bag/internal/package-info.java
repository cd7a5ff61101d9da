/** The task functions behind {@code Bag}: fused element-wise pipelines, reductions, shuffles. Not public API. */
package io.jask.bag.internal;
