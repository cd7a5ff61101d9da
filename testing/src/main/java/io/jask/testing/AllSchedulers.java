package io.jask.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs a test once per scheduler backend on the class path (Netty's testsuite, Caffeine's
 * {@code @CacheSpec}): {@code sync}, {@code threads}, and {@code processes} and
 * {@code distributed} once their modules are present. The test method takes the backend's name.
 *
 * <pre>{@code
 * @AllSchedulers
 * void sum_isTheSameEverywhere(String scheduler) {
 *   try (Config.Scope s = Config.set("scheduler", scheduler)) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "[{index}] scheduler={0}")
@MethodSource("io.jask.testing.Backends#names")
public @interface AllSchedulers {}
