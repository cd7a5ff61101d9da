package io.jask.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands a path or a glob ({@code data/2015-*.csv}, {@code logs/**}{@code /*.csv.gz}) into the
 * regular files it matches, sorted by path, like Dask's {@code read_csv} does.
 *
 * <pre>{@code
 * List<Path> files = FileGlob.expand("data/2015-*-*.csv");
 * }</pre>
 */
public final class FileGlob {
  private FileGlob() {}

  /**
   * The files matching {@code pattern}, sorted. A pattern without glob characters ({@code *?[{})
   * names one file, which must exist.
   *
   * @throws IllegalArgumentException if nothing matches (the message names the pattern)
   */
  public static List<Path> expand(String pattern) {
    if (!isGlob(pattern)) {
      Path p = Path.of(pattern);
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("no such file: " + p.toAbsolutePath());
      }
      return List.of(p);
    }
    String norm = pattern.replace('\\', '/');
    int firstGlob = firstGlobChar(norm);
    int slash = norm.lastIndexOf('/', firstGlob);
    Path base = slash < 0 ? Path.of(".") : Path.of(slash == 0 ? "/" : norm.substring(0, slash));
    String rest = slash < 0 ? norm : norm.substring(slash + 1);
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + rest);
    List<Path> out = new ArrayList<>();
    if (Files.isDirectory(base)) {
      try (Stream<Path> walk = Files.walk(base)) {
        walk.filter(Files::isRegularFile)
            .filter(p -> m.matches(base.relativize(p)))
            .map(p -> slash < 0 ? base.relativize(p) : p)
            .forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + base + " for glob " + pattern, e);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no file matches " + pattern);
    }
    out.sort(null);
    return List.copyOf(out);
  }

  /** Whether the pattern has glob characters. */
  public static boolean isGlob(String pattern) {
    return firstGlobChar(pattern) < pattern.length();
  }

  private static int firstGlobChar(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == '{') {
        return i;
      }
    }
    return s.length();
  }
}
