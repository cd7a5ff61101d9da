package io.jask.engine.config;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Jask's configuration: one layered, process-wide view of dotted keys, after {@code dask.config}.
 *
 * <p>Layers, lowest priority first:
 *
 * <ol>
 *   <li>built-in defaults: every {@code META-INF/jask/defaults.yaml} resource on the class path
 *       (each module ships its own; they are merged);
 *   <li>{@code ~/.config/jask/jask.yaml};
 *   <li>{@code jask.yaml} in the working directory (wins over the one in the home directory);
 *   <li>environment variables {@code JASK_…}: {@code __} separates levels, so {@code
 *       JASK_DISTRIBUTED__WORKER__MEMORY__TARGET=0.5} sets {@code distributed.worker.memory.target}
 *       and {@code JASK_NUM_WORKERS=4} sets {@code num-workers};
 *   <li>system properties {@code -Djask.…}, e.g. {@code -Djask.distributed.worker.memory.target=0.5};
 *   <li>scopes opened in code with {@link #set(String, Object)}, innermost (most recently opened)
 *       first.
 * </ol>
 *
 * <p>Nested YAML maps are flattened to dotted keys. Keys are case-insensitive and {@code _} and
 * {@code -} are equivalent ({@code Num_Workers} is {@code num-workers}). Values from the
 * environment and system properties are parsed as YAML scalars: {@code "0.5"} is a Double, {@code
 * "true"} a Boolean, {@code "null"} null, {@code "abc"} a String. A null value counts as absent for
 * the getters (they return the default) but is shown by {@link #snapshot()}.
 *
 * <p>Files, environment and system properties are read once, on first use, and again on {@link
 * #refresh()}. A value that cannot be converted to the requested type fails with an {@link
 * IllegalArgumentException} naming the key, the value and the layer it came from. All methods are
 * thread-safe.
 *
 * <pre>{@code
 * int port = Config.getInt("distributed.scheduler.port", 8786);
 * try (Config.Scope s = Config.set("scheduler", "sync")) {
 *   result = array.sum().compute(); // runs on the calling thread
 * }
 * }</pre>
 */
public final class Config {
  private static final ConfigStore GLOBAL = new ConfigStore(Sources::system);

  private Config() {}

  /**
   * An open {@link #set(String, Object) set} overlay; closing it removes exactly this overlay, even
   * when scopes opened later are still open. Closing twice does nothing.
   *
   * <pre>{@code
   * try (Config.Scope s = Config.set("num-workers", 2)) {
   *   // num-workers is 2 for every thread until the scope closes
   * }
   * }</pre>
   */
  public interface Scope extends AutoCloseable {
    /**
     * Removes this scope's overrides.
     *
     * <pre>{@code
     * Config.Scope s = Config.set("scheduler", "sync");
     * s.close(); // scheduler is back to what it was
     * }</pre>
     */
    @Override
    void close();
  }

  /**
   * The value of {@code key} as read, or empty if it is absent or null.
   *
   * <pre>{@code
   * Optional<Object> port = Config.get("distributed.scheduler.port"); // Optional[8786]
   * }</pre>
   *
   * @throws IllegalStateException if a configuration file is malformed
   */
  public static Optional<Object> get(String key) {
    return GLOBAL.get(key);
  }

  /**
   * The value of {@code key} as a string, or {@code def} if it is absent or null. Numbers and
   * booleans are given in their string form.
   *
   * <pre>{@code
   * String scheduler = Config.getString("scheduler", "threads");
   * }</pre>
   *
   * @throws IllegalArgumentException if the value is a list or another non-scalar
   */
  public static String getString(String key, String def) {
    return GLOBAL.getString(key, def);
  }

  /**
   * The value of {@code key} as a string, or empty if it is absent or null.
   *
   * <pre>{@code
   * Optional<String> dir = Config.getString("temporary-directory");
   * Path tmp = Path.of(dir.orElse(System.getProperty("java.io.tmpdir")));
   * }</pre>
   *
   * @throws IllegalArgumentException if the value is a list or another non-scalar
   */
  public static Optional<String> getString(String key) {
    return GLOBAL.getString(key);
  }

  /**
   * The value of {@code key} as an {@code int}, or {@code def} if it is absent or null. Accepts
   * whole numbers and their string form.
   *
   * <pre>{@code
   * int workers = Config.getInt("num-workers", Runtime.getRuntime().availableProcessors());
   * }</pre>
   *
   * @throws IllegalArgumentException if the value is not a whole number in the {@code int} range
   */
  public static int getInt(String key, int def) {
    return GLOBAL.getInt(key, def);
  }

  /**
   * The value of {@code key} as a {@code long}, or {@code def} if it is absent or null.
   *
   * <pre>{@code
   * long port = Config.getLong("distributed.scheduler.port", 8786L);
   * }</pre>
   *
   * @throws IllegalArgumentException if the value is not a whole number in the {@code long} range
   */
  public static long getLong(String key, long def) {
    return GLOBAL.getLong(key, def);
  }

  /**
   * The value of {@code key} as a {@code double}, or {@code def} if it is absent or null.
   *
   * <pre>{@code
   * double target = Config.getDouble("distributed.worker.memory.target", 0.6);
   * }</pre>
   *
   * @throws IllegalArgumentException if the value is not a number
   */
  public static double getDouble(String key, double def) {
    return GLOBAL.getDouble(key, def);
  }

  /**
   * The value of {@code key} as a {@code boolean}, or {@code def} if it is absent or null. Accepts
   * booleans and the strings true/false, yes/no, on/off in any case.
   *
   * <pre>{@code
   * boolean fuse = Config.getBoolean("optimization.fuse.active", true);
   * }</pre>
   *
   * @throws IllegalArgumentException if the value is not a boolean
   */
  public static boolean getBoolean(String key, boolean def) {
    return GLOBAL.getBoolean(key, def);
  }

  /**
   * The value of {@code key} as a number of bytes, or {@code def} if it is absent, null or {@code
   * "auto"}. Accepts plain numbers and sizes such as {@code "100kB"}, {@code "512MB"} (powers of
   * 1000) and {@code "4GiB"} (powers of 1024), units in any case, fractions allowed ({@code
   * "1.5GB"}).
   *
   * <pre>{@code
   * long limit = Config.getBytes("distributed.worker.memory.limit", 4L << 30);
   * }</pre>
   *
   * @throws IllegalArgumentException if the value is not a non-negative byte size
   */
  public static long getBytes(String key, long def) {
    return GLOBAL.getBytes(key, def);
  }

  /**
   * Parses a byte size the way {@link #getBytes} does ({@code "4GiB"}, {@code "512MB"}, a plain
   * number of bytes).
   *
   * <pre>{@code
   * long limit = Config.parseBytes("2GiB");   // 2147483648
   * }</pre>
   *
   * @throws IllegalArgumentException naming {@code text} if it is not a size
   */
  public static long parseBytes(String text) {
    return Conversions.toBytes("size", new Setting(text, "argument"), -1);
  }

  /**
   * The value of {@code key} as a duration, or {@code def} if it is absent or null. Accepts {@code
   * "100ms"}, {@code "30s"}, {@code "2m"} (minutes), {@code "1h"}, {@code "1d"}, also {@code ns},
   * {@code us}, {@code w}; a plain number is seconds ({@code 0.5} is 500 ms).
   *
   * <pre>{@code
   * Duration ttl = Config.getDuration("distributed.scheduler.worker-ttl", Duration.ofSeconds(30));
   * }</pre>
   *
   * @throws IllegalArgumentException if the value is not a non-negative duration
   */
  public static Duration getDuration(String key, Duration def) {
    return GLOBAL.getDuration(key, def);
  }

  /**
   * Overrides {@code key} for the whole process until the returned scope is closed. The override
   * wins over every other layer and over scopes opened before it. A map value is flattened under
   * {@code key}; a null value makes the key absent for the getters.
   *
   * <pre>{@code
   * try (Config.Scope s = Config.set("scheduler", "sync")) {
   *   Config.getString("scheduler", "threads"); // "sync", on every thread
   * }
   * }</pre>
   *
   * @throws IllegalArgumentException if {@code key} is null or has an empty segment
   */
  public static Scope set(String key, Object value) {
    Map<String, Object> one = new HashMap<>(1);
    one.put(key, value);
    return GLOBAL.set(Collections.unmodifiableMap(one));
  }

  /**
   * Overrides several keys at once, as one scope; see {@link #set(String, Object)}.
   *
   * <pre>{@code
   * try (Config.Scope s = Config.set(Map.of("scheduler", "threads", "num-workers", 2))) {
   *   // both overrides apply here
   * }
   * }</pre>
   *
   * @throws IllegalArgumentException if a key is null or has an empty segment
   */
  public static Scope set(Map<String, ?> values) {
    return GLOBAL.set(values);
  }

  /**
   * The merged view of every layer and open scope, flattened to dotted keys and sorted by key.
   * Null values are included. The map is an unmodifiable copy.
   *
   * <pre>{@code
   * Config.snapshot().forEach((k, v) -> System.out.println(k + " = " + v));
   * }</pre>
   */
  public static Map<String, Object> snapshot() {
    return GLOBAL.snapshot();
  }

  /**
   * Re-reads the defaults, the {@code jask.yaml} files, the environment and the system properties.
   * Open scopes stay in force. If reading fails, the previous view is kept.
   *
   * <pre>{@code
   * System.setProperty("jask.num-workers", "8");
   * Config.refresh();
   * Config.getInt("num-workers", 1); // 8
   * }</pre>
   *
   * @throws IllegalStateException if a configuration file is malformed
   */
  public static void refresh() {
    GLOBAL.refresh();
  }
}
