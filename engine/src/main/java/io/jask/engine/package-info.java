/**
 * The Jask engine: task graphs ({@link io.jask.engine.Key}, {@link io.jask.engine.Task},
 * {@link io.jask.engine.Graph}), the collection protocol ({@link io.jask.engine.JaskCollection})
 * and {@link io.jask.engine.Jask#compute}.
 *
 * <p>A collection builds a {@link io.jask.engine.Graph} lazily, one {@link io.jask.engine.Layer}
 * per operation; {@code compute()} culls it to the requested keys, fuses linear chains, orders the
 * tasks like {@code dask.order} and hands them to the scheduler picked by the {@code scheduler}
 * configuration key.
 */
package io.jask.engine;
