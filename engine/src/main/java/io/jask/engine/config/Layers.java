package io.jask.engine.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the layers below {@code Config.set} from {@link Sources} and merges them into one flat map
 * of {@link Setting}s, each remembering its origin.
 *
 * <p>Order, lowest priority first: every {@code META-INF/jask/defaults.yaml} on the class path (in
 * class-path order), {@code ~/.config/jask/jask.yaml}, {@code ./jask.yaml}, {@code JASK_…}
 * environment variables, {@code -Djask.…} system properties. A later layer replaces a key of an
 * earlier one; keys are never deleted, and an explicit null is kept (getters treat it as absent).
 */
final class Layers {
  private static final Logger LOG = LoggerFactory.getLogger(Layers.class);

  private Layers() {}

  /**
   * Reads and merges the layers.
   *
   * @throws IllegalStateException if a YAML file or resource is malformed; the message names it
   * @throws UncheckedIOException if a file exists but cannot be read
   */
  static Map<String, Setting> load(Sources sources) {
    Map<String, Setting> merged = new HashMap<>();
    for (URL url : defaultResources(sources.classLoader())) {
      String origin = "defaults " + url;
      try (InputStream in = url.openStream()) {
        mergeYaml(merged, new InputStreamReader(in, StandardCharsets.UTF_8), origin);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read configuration " + url, e);
      }
    }
    mergeFile(merged, sources.homeFile());
    mergeFile(merged, sources.workingDirectoryFile());
    new TreeMap<>(sources.environment())
        .forEach(
            (name, raw) -> {
              String key = Keys.fromEnvironment(name);
              if (key != null) {
                mergeScalar(merged, key, raw, "environment " + name);
              }
            });
    TreeMap<String, String> properties = new TreeMap<>();
    sources.systemProperties().forEach((k, v) -> properties.put(String.valueOf(k), String.valueOf(v)));
    properties.forEach(
        (name, raw) -> {
          String key = Keys.fromSystemProperty(name);
          if (key != null) {
            mergeScalar(merged, key, raw, "system property " + name);
          }
        });
    return merged;
  }

  /**
   * Parses a string from the environment or a system property as YAML, so {@code "0.5"} is a
   * Double, {@code "true"} a Boolean, {@code "null"} null and {@code "abc"} stays a String. A
   * mapping ({@code "{target: 0.5}"}) is flattened under the key; text that is not valid YAML is
   * kept as it is.
   */
  static Object parseScalar(String raw) {
    try {
      return yaml().load(raw);
    } catch (YAMLException e) {
      return raw;
    }
  }

  private static void mergeScalar(Map<String, Setting> into, String key, String raw, String origin) {
    Object value = parseScalar(raw);
    Keys.flatten(key, value, (k, v) -> into.put(k, new Setting(v, origin)));
  }

  private static List<URL> defaultResources(ClassLoader loader) {
    try {
      return Collections.list(loader.getResources(Sources.DEFAULTS_RESOURCE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + Sources.DEFAULTS_RESOURCE + " resources", e);
    }
  }

  private static void mergeFile(Map<String, Setting> into, Path file) {
    if (!Files.isRegularFile(file)) {
      return;
    }
    LOG.debug("reading configuration file {}", file);
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      mergeYaml(into, reader, "file " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read configuration file " + file, e);
    }
  }

  private static void mergeYaml(Map<String, Setting> into, Reader reader, String origin) {
    Object document;
    try {
      document = yaml().load(reader);
    } catch (YAMLException e) {
      throw new IllegalStateException("malformed configuration (" + origin + "): " + e.getMessage(), e);
    }
    if (document == null) {
      return; // empty file
    }
    List<Map.Entry<String, Object>> entries = new ArrayList<>();
    try {
      Keys.flatten("", document, (k, v) -> entries.add(new SimpleEntry<>(k, v)));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("malformed configuration (" + origin + "): " + e.getMessage(), e);
    }
    for (Map.Entry<String, Object> e : entries) {
      into.put(e.getKey(), new Setting(e.getValue(), origin));
    }
  }

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    return new Yaml(new SafeConstructor(options));
  }
}
