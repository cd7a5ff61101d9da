package io.jask.bag.io;

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
 * File name patterns ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}}, {@code **}), expanded to a
 * sorted list of regular files, like Dask's {@code fsspec} globbing.
 *
 * <pre>{@code
 * List<Path> parts = Glob.expand("/tmp/peerdata/bag/*.json");   // part-0.json … part-9.json
 * }</pre>
 */
public final class Glob {
  private Glob() {}

  /**
   * The regular files matching {@code pattern}, sorted by path; a pattern without wildcards names
   * one file.
   *
   * @throws IllegalArgumentException if nothing matches (the message names the pattern)
   */
  public static List<Path> expand(String pattern) {
    int firstWild = firstWildcard(pattern);
    if (firstWild < 0) {
      Path p = Path.of(pattern);
      if (!Files.isRegularFile(p)) {
        throw new IllegalArgumentException("no such file: " + pattern);
      }
      return List.of(p.toAbsolutePath());
    }
    int slash = pattern.lastIndexOf('/', firstWild);
    Path base = Path.of(slash < 0 ? "." : slash == 0 ? "/" : pattern.substring(0, slash));
    String rest = pattern.substring(slash + 1);
    boolean deep = rest.contains("/") || rest.contains("**");
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
    List<Path> out = new ArrayList<>();
    if (Files.isDirectory(base)) {
      try (Stream<Path> s = deep ? Files.walk(base) : Files.list(base)) {
        s.filter(Files::isRegularFile)
            .filter(p -> matcher.matches(base.relativize(p)))
            .forEach(p -> out.add(p.toAbsolutePath()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + base + " for pattern " + pattern, e);
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no files match " + pattern);
    }
    out.sort(null);
    return out;
  }

  private static int firstWildcard(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '*' || c == '?' || c == '[' || c == '{') {
        return i;
      }
    }
    return -1;
  }
}
