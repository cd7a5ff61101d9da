/**
 * Layered configuration of Jask, after {@code dask.config}.
 *
 * <p>{@link io.jask.engine.config.Config} is the only public type. It merges, lowest priority
 * first: the {@code META-INF/jask/defaults.yaml} resources of every module on the class path,
 * {@code ~/.config/jask/jask.yaml}, {@code jask.yaml} in the working directory, {@code JASK_…}
 * environment variables, {@code -Djask.…} system properties and {@link
 * io.jask.engine.config.Config#set(String, Object) Config.set} scopes opened in code. Keys are
 * dotted paths, case-insensitive, with {@code _} and {@code -} equivalent.
 *
 * <pre>{@code
 * int port = Config.getInt("distributed.scheduler.port", 8786);
 * try (Config.Scope s = Config.set("scheduler", "sync")) {
 *   // compute() here runs on the calling thread
 * }
 * }</pre>
 *
 * <p>Every key is documented in {@code docs/configuration.md}.
 */
package io.jask.engine.config;
