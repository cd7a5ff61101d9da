package io.jask.engine.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Normalization of configuration keys and flattening of nested maps into dotted keys. */
final class Keys {
  static final String ENV_PREFIX = "JASK_";
  static final String PROPERTY_PREFIX = "jask.";

  private Keys() {}

  /**
   * Canonical form of a dotted key: trimmed, lowercase, {@code _} replaced by {@code -}, and
   * whitespace around each dot removed. {@code "Distributed.Worker.Memory_Target"} becomes {@code
   * "distributed.worker.memory-target"}.
   *
   * @throws IllegalArgumentException if the key or one of its segments is blank
   */
  static String normalize(String key) {
    if (key == null) {
      throw new IllegalArgumentException("config key must not be null");
    }
    String[] segments = key.split("\\.", -1);
    StringBuilder out = new StringBuilder(key.length());
    for (String segment : segments) {
      String s = segment.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      if (s.isEmpty()) {
        throw new IllegalArgumentException("config key '" + key + "' has an empty segment");
      }
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(s);
    }
    return out.toString();
  }

  /**
   * Key of an environment variable, or {@code null} if it is not a Jask variable: the {@code
   * JASK_} prefix is stripped, {@code __} separates levels and a single {@code _} stays a word
   * separator. {@code JASK_DISTRIBUTED__WORKER__MEMORY__TARGET} becomes {@code
   * distributed.worker.memory.target}, {@code JASK_NUM_WORKERS} becomes {@code num-workers}.
   */
  static String fromEnvironment(String name) {
    if (!name.startsWith(ENV_PREFIX) || name.length() == ENV_PREFIX.length()) {
      return null;
    }
    String rest = name.substring(ENV_PREFIX.length());
    try {
      return normalize(rest.replace("__", "."));
    } catch (IllegalArgumentException e) {
      return null; // e.g. JASK___X: not a key we can name, so not ours
    }
  }

  /**
   * Key of a system property, or {@code null} if it is not a Jask property: {@code
   * jask.distributed.worker.memory.target} becomes {@code distributed.worker.memory.target}.
   */
  static String fromSystemProperty(String name) {
    if (!name.regionMatches(true, 0, PROPERTY_PREFIX, 0, PROPERTY_PREFIX.length())
        || name.length() == PROPERTY_PREFIX.length()) {
      return null;
    }
    try {
      return normalize(name.substring(PROPERTY_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Flattens {@code value} under {@code prefix} into {@code out}: a map contributes one entry per
   * leaf with its keys joined by dots; anything else (scalars, lists, null) is a leaf. An empty
   * map contributes nothing.
   */
  static void flatten(String prefix, Object value, FlatSink out) {
    if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String segment = normalize(String.valueOf(e.getKey()));
        flatten(prefix.isEmpty() ? segment : prefix + "." + segment, e.getValue(), out);
      }
    } else if (prefix.isEmpty()) {
      throw new IllegalArgumentException("expected a mapping of keys to values, got " + describe(value));
    } else {
      out.put(
          prefix,
          value instanceof List<?> list
              ? Collections.unmodifiableList(new ArrayList<>(list))
              : value);
    }
  }

  private static String describe(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName() + " '" + value + "'";
  }

  /** Receiver of flattened (key, value) pairs; values may be null. */
  @FunctionalInterface
  interface FlatSink {
    void put(String key, Object value);
  }
}
