package io.jask.bag;

import java.io.Serializable;

/**
 * Two values, as produced by {@link Bag#join} and {@link Bag#product}.
 *
 * <pre>{@code
 * Pair<Integer, String> p = new Pair<>(1, "one");
 * p.first();    // 1
 * }</pre>
 *
 * @param first the first value
 * @param second the second value
 * @param <A> the first value's type
 * @param <B> the second value's type
 */
public record Pair<A, B>(A first, B second) implements Serializable {}
