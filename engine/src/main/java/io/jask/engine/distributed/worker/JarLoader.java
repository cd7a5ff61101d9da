package io.jask.engine.distributed.worker;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The worker's class loader for user code: the worker's own class path plus the jars clients send
 * with {@code Client.uploadJar}. Uploaded jars are written to a temporary directory that is deleted
 * when the worker's JVM exits.
 */
final class JarLoader extends URLClassLoader {
  static {
    registerAsParallelCapable();
  }

  private Path dir;

  JarLoader(ClassLoader parent) {
    super("jask-user-jars", new URL[0], parent);
  }

  /** Stores {@code bytes} as a jar named {@code name} and adds it to the class path. */
  synchronized void add(String name, byte[] bytes) throws IOException {
    if (name.contains("/") || name.contains("\\") || name.startsWith(".") || !name.endsWith(".jar")) {
      throw new IOException("refusing jar name '" + name + "': a plain file name ending in .jar is needed");
    }
    if (dir == null) {
      dir = Files.createTempDirectory("jask-jars-");
      dir.toFile().deleteOnExit();
    }
    Path tmp = Files.createTempFile(dir, ".upload-", ".part");
    Files.write(tmp, bytes);
    try (java.util.jar.JarFile check = new java.util.jar.JarFile(tmp.toFile())) {
      check.size(); // a readable zip, or an exception naming the problem
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw new IOException("'" + name + "' is not a readable jar: " + e.getMessage(), e);
    }
    Path jar = dir.resolve(System.nanoTime() + "-" + name);
    Files.move(tmp, jar);
    jar.toFile().deleteOnExit();
    addURL(jar.toUri().toURL());
  }
}
