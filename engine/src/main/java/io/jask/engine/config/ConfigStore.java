package io.jask.engine.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The layered configuration behind {@link Config}: the file/environment/property layers read from
 * {@link Sources}, plus a stack of overlays opened by {@code set}.
 *
 * <p>Readers never lock: every change (a {@code set}, a {@code close}, a {@code refresh}) builds a
 * new merged, immutable map under a lock and publishes it through a volatile field. Overlays are
 * kept in the order they were opened and applied in that order, so the most recently opened one
 * that is still open wins; closing one removes exactly that overlay wherever it sits in the stack.
 * The layers are read lazily on first use, and a failed read (a malformed {@code jask.yaml}) is
 * retried on the next use, so the error is reported each time rather than once as an {@code
 * ExceptionInInitializerError}.
 *
 * <p>Tests build their own store from explicit {@link Sources} with {@link #of(Sources)}.
 */
final class ConfigStore {
  static final String SET_ORIGIN = "Config.set";

  private final Supplier<Sources> sources;
  private final Object lock = new Object();
  private final List<Overlay> overlays = new ArrayList<>(); // guarded by lock
  private Map<String, Setting> base; // guarded by lock; null until loaded
  private volatile Map<String, Setting> merged; // null until loaded

  ConfigStore(Supplier<Sources> sources) {
    this.sources = sources;
  }

  /** A store over fixed inputs, for tests. */
  static ConfigStore of(Sources sources) {
    return new ConfigStore(() -> sources);
  }

  Optional<Setting> setting(String key) {
    return Optional.ofNullable(view().get(Keys.normalize(key)));
  }

  Optional<Object> get(String key) {
    return setting(key).map(Setting::value);
  }

  Optional<String> getString(String key) {
    String k = Keys.normalize(key);
    Setting s = view().get(k);
    return s == null || s.value() == null ? Optional.empty() : Optional.of(Conversions.toString(k, s));
  }

  String getString(String key, String def) {
    return getString(key).orElse(def);
  }

  int getInt(String key, int def) {
    String k = Keys.normalize(key);
    Setting s = view().get(k);
    return s == null || s.value() == null ? def : Conversions.toInt(k, s);
  }

  long getLong(String key, long def) {
    String k = Keys.normalize(key);
    Setting s = view().get(k);
    return s == null || s.value() == null ? def : Conversions.toLong(k, s);
  }

  double getDouble(String key, double def) {
    String k = Keys.normalize(key);
    Setting s = view().get(k);
    return s == null || s.value() == null ? def : Conversions.toDouble(k, s);
  }

  boolean getBoolean(String key, boolean def) {
    String k = Keys.normalize(key);
    Setting s = view().get(k);
    return s == null || s.value() == null ? def : Conversions.toBoolean(k, s);
  }

  long getBytes(String key, long def) {
    String k = Keys.normalize(key);
    Setting s = view().get(k);
    return s == null || s.value() == null ? def : Conversions.toBytes(k, s, def);
  }

  Duration getDuration(String key, Duration def) {
    String k = Keys.normalize(key);
    Setting s = view().get(k);
    return s == null || s.value() == null ? def : Conversions.toDuration(k, s);
  }

  Config.Scope set(Map<String, ?> values) {
    Map<String, Setting> flat = new LinkedHashMap<>();
    values.forEach(
        (key, value) ->
            Keys.flatten(
                Keys.normalize(key), value, (k, v) -> flat.put(k, new Setting(v, SET_ORIGIN))));
    Overlay overlay = new Overlay(Collections.unmodifiableMap(flat));
    synchronized (lock) {
      overlays.add(overlay);
      publishIfLoaded();
    }
    return overlay;
  }

  Map<String, Object> snapshot() {
    Map<String, Object> sorted = new TreeMap<>();
    view().forEach((k, s) -> sorted.put(k, s.value()));
    return Collections.unmodifiableMap(sorted);
  }

  void refresh() {
    Map<String, Setting> loaded = Layers.load(sources.get());
    synchronized (lock) {
      base = loaded;
      publishIfLoaded();
    }
  }

  private Map<String, Setting> view() {
    Map<String, Setting> m = merged;
    if (m != null) {
      return m;
    }
    synchronized (lock) {
      if (merged == null) {
        base = Layers.load(sources.get());
        publishIfLoaded();
      }
      return merged;
    }
  }

  /** Rebuilds the merged view from the base layers and the open overlays; holds {@code lock}. */
  private void publishIfLoaded() {
    if (base == null) {
      return;
    }
    Map<String, Setting> m = new HashMap<>(base);
    for (Overlay o : overlays) {
      m.putAll(o.values);
    }
    merged = Collections.unmodifiableMap(m);
  }

  private final class Overlay implements Config.Scope {
    private final Map<String, Setting> values;

    Overlay(Map<String, Setting> values) {
      this.values = values;
    }

    @Override
    public void close() {
      synchronized (lock) {
        // identity, not equals: two scopes with equal values are still two scopes
        for (int i = overlays.size() - 1; i >= 0; i--) {
          if (overlays.get(i) == this) {
            overlays.remove(i);
            publishIfLoaded();
            return;
          }
        }
      }
    }

    @Override
    public String toString() {
      return "Config.Scope" + values.keySet();
    }
  }
}
