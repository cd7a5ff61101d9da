/**
 * Kryo configuration and the codec registry behind {@link io.jask.engine.serialize.Serialization}.
 * Internal: no compatibility promise.
 */
package io.jask.engine.serialize.internal;
