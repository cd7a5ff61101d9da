package io.jask.engine.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The inputs the layered configuration is built from. {@link #system()} reads the real process;
 * tests pass their own so that no layer needs the real environment to be changed.
 *
 * @param classLoader where {@code META-INF/jask/defaults.yaml} resources are looked up
 * @param environment environment variables (only {@code JASK_…} ones are used)
 * @param systemProperties system properties (only {@code jask.…} ones are used)
 * @param workingDirectory directory searched for {@code jask.yaml}
 * @param homeDirectory home directory; {@code .config/jask/jask.yaml} under it is read
 */
record Sources(
    ClassLoader classLoader,
    Map<String, String> environment,
    Properties systemProperties,
    Path workingDirectory,
    Path homeDirectory) {

  static final String DEFAULTS_RESOURCE = "META-INF/jask/defaults.yaml";
  static final String FILE_NAME = "jask.yaml";

  Sources {
    Objects.requireNonNull(classLoader, "classLoader");
    environment = Map.copyOf(environment);
    Properties copy = new Properties();
    copy.putAll(systemProperties);
    systemProperties = copy;
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(homeDirectory, "homeDirectory");
  }

  /** The running process: its class path, environment, system properties and directories. */
  static Sources system() {
    ClassLoader loader = Sources.class.getClassLoader();
    if (loader == null) {
      loader = ClassLoader.getSystemClassLoader();
    }
    return new Sources(
        loader,
        System.getenv(),
        System.getProperties(),
        Path.of(System.getProperty("user.dir", "")).toAbsolutePath(),
        Path.of(System.getProperty("user.home", "")).toAbsolutePath());
  }

  /** {@code jask.yaml} in the working directory. */
  Path workingDirectoryFile() {
    return workingDirectory.resolve(FILE_NAME);
  }

  /** {@code ~/.config/jask/jask.yaml}. */
  Path homeFile() {
    return homeDirectory.resolve(".config").resolve("jask").resolve(FILE_NAME);
  }
}
