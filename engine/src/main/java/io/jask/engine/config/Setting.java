package io.jask.engine.config;

/**
 * One configuration value and the layer it came from, for error messages.
 *
 * @param value the value as read (a YAML scalar, a list, or whatever {@code Config.set} was given);
 *     may be null, which getters treat as absent
 * @param origin where it came from, e.g. {@code "environment JASK_NUM_WORKERS"}
 */
record Setting(Object value, String origin) {}
