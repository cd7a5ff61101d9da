package io.jask.engine.scheduler;

import io.jask.engine.config.Config;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Finds scheduler backends by name. The {@code scheduler} configuration key picks one; without
 * it, the scheduler registered with {@link #setDefault} (an open distributed {@code Client}) is
 * used, and otherwise {@code threads}.
 *
 * <pre>{@code
 * try (Config.Scope s = Config.set("scheduler", "sync")) {
 *   Scheduler sync = Schedulers.current();
 * }
 * }</pre>
 */
public final class Schedulers {
  private static final AtomicReference<Scheduler> DEFAULT = new AtomicReference<>();
  private static volatile Map<String, SchedulerProvider> providers;

  private Schedulers() {}

  /** The backend called {@code name}. */
  public static Scheduler get(String name) {
    SchedulerProvider p = providers().get(name.toLowerCase(java.util.Locale.ROOT).trim());
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown scheduler '" + name + "'; known schedulers: " + String.join(", ", providers().keySet()));
    }
    return p.scheduler();
  }

  /** The names of all backends found on the class path. */
  public static java.util.Set<String> names() {
    return providers().keySet();
  }

  /** The backend the configuration picks now. */
  public static Scheduler current() {
    String name = Config.getString("scheduler", null);
    if (name != null && !name.isBlank()) {
      return get(name);
    }
    Scheduler d = DEFAULT.get();
    return d != null ? d : get("threads");
  }

  /**
   * Makes {@code scheduler} the default while no {@code scheduler} key is configured (a
   * distributed Client does this while it is open); returns the previous default.
   */
  public static Scheduler setDefault(Scheduler scheduler) {
    return DEFAULT.getAndSet(scheduler);
  }

  /** The scheduler registered with {@link #setDefault}, if any. */
  public static java.util.Optional<Scheduler> registeredDefault() {
    return java.util.Optional.ofNullable(DEFAULT.get());
  }

  /** Removes {@code scheduler} as the default if it is the default. */
  public static void clearDefault(Scheduler scheduler) {
    DEFAULT.compareAndSet(scheduler, null);
  }

  private static Map<String, SchedulerProvider> providers() {
    Map<String, SchedulerProvider> p = providers;
    if (p == null) {
      Map<String, SchedulerProvider> found = new TreeMap<>();
      for (SchedulerProvider sp : ServiceLoader.load(SchedulerProvider.class, Schedulers.class.getClassLoader())) {
        found.putIfAbsent(sp.name(), sp);
      }
      providers = p = found;
    }
    return p;
  }
}
