/**
 * {@link io.jask.delayed.Delayed}: lazy calls of any serializable function, like {@code
 * dask.delayed}, run by any Jask scheduler.
 */
package io.jask.delayed;
