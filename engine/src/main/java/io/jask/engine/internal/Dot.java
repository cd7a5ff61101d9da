package io.jask.engine.internal;

import io.jask.engine.Key;
import io.jask.engine.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Writes a task graph as Graphviz DOT (tasks as circles, results as boxes, as {@code
 * dask.visualize} draws them), and renders SVG or PNG with the {@code dot} program when the
 * file name asks for it.
 */
public final class Dot {
  private Dot() {}

  /** The DOT text of {@code tasks}; output keys are drawn bold. */
  public static String toDot(Map<Key, Task> tasks, Collection<Key> outputs) {
    Set<Key> outs = new HashSet<>(outputs);
    StringBuilder b = new StringBuilder("digraph jask {\n  rankdir=BT;\n");
    for (Map.Entry<Key, Task> e : tasks.entrySet()) {
      String k = id(e.getKey());
      String fn = e.getValue().isLiteral() ? "value" : e.getKey().prefix();
      b.append("  \"f").append(k).append("\" [label=\"").append(esc(fn)).append("\", shape=circle];\n");
      b.append("  \"k").append(k).append("\" [label=\"").append(esc(e.getKey().toString())).append("\", shape=box")
          .append(outs.contains(e.getKey()) ? ", style=bold" : "").append("];\n");
      b.append("  \"f").append(k).append("\" -> \"k").append(k).append("\";\n");
      for (Key d : e.getValue().dependencies()) {
        b.append("  \"k").append(id(d)).append("\" -> \"f").append(k).append("\";\n");
      }
    }
    return b.append("}\n").toString();
  }

  /**
   * Writes {@code file}: DOT for {@code .dot}/{@code .gv} (or no known extension), SVG or PNG
   * through Graphviz for {@code .svg}/{@code .png}.
   *
   * @throws IllegalStateException if SVG/PNG is asked for and {@code dot} is not on the PATH
   */
  public static Path write(Map<Key, Task> tasks, Collection<Key> outputs, Path file) {
    String dot = toDot(tasks, outputs);
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    String format = name.endsWith(".svg") ? "svg" : name.endsWith(".png") ? "png" : null;
    try {
      if (format == null) {
        Files.writeString(file, dot, StandardCharsets.UTF_8);
        return file;
      }
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".jask-", "." + format);
      try {
        Process p = new ProcessBuilder("dot", "-T" + format, "-o", tmp.toString())
            .redirectErrorStream(true).start();
        p.getOutputStream().write(dot.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String err = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
          p.destroyForcibly();
          throw new IllegalStateException("Graphviz dot failed writing " + file + ": " + err);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot write " + file + " as " + format + ": Graphviz 'dot' is not on the PATH (write a .dot file instead, or install graphviz)", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while rendering " + file, e);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String id(Key k) {
    return esc(k.toString());
  }

  private static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
