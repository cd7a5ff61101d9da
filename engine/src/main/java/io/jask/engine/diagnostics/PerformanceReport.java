package io.jask.engine.diagnostics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A recording scope opened by {@link Diagnostics#performanceReport}; closing it writes the report.
 * The report is one HTML file with an inline SVG task stream (one row per worker thread, one bar
 * per task coloured by prefix, the key in each bar's tooltip) and summary tables.
 */
public final class PerformanceReport implements AutoCloseable {
  /** Tasks drawn at most; the summary counts every task. */
  static final int MAX_DRAWN = 20_000;

  private final Path path;
  private final long startEpochNanos = TaskEvent.nowEpochNanos();
  private final List<TaskEvent> events = new ArrayList<>();
  private final TaskEvents.Subscription subscription;
  private boolean closed;

  PerformanceReport(Path path) {
    this.path = path.toAbsolutePath();
    Path dir = this.path.getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("performance report " + path + ": directory " + dir + " does not exist");
    }
    this.subscription = TaskEvents.subscribe(this::record);
  }

  private synchronized void record(TaskEvent e) {
    if (!closed) {
      events.add(e);
    }
  }

  /** The tasks recorded so far. */
  public synchronized List<TaskEvent> events() {
    return List.copyOf(events);
  }

  /** Stops recording and writes the report. */
  @Override
  public void close() {
    List<TaskEvent> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = List.copyOf(events);
    }
    subscription.close();
    String html = render(all, startEpochNanos, TaskEvent.nowEpochNanos());
    try {
      Path tmp = Files.createTempFile(path.getParent() == null ? Path.of(".") : path.getParent(), ".report-", ".tmp");
      try {
        Files.writeString(tmp, html, StandardCharsets.UTF_8);
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write performance report " + path, e);
    }
  }

  /** Per-prefix totals of a list of events. */
  record PrefixSummary(String prefix, int count, int failed, long totalNanos, long maxNanos) {
    double meanMillis() {
      return count == 0 ? 0 : totalNanos / 1e6 / count;
    }
  }

  static Map<String, PrefixSummary> summarize(List<TaskEvent> events) {
    Map<String, PrefixSummary> m = new TreeMap<>();
    for (TaskEvent e : events) {
      PrefixSummary s = m.getOrDefault(e.prefix(), new PrefixSummary(e.prefix(), 0, 0, 0, 0));
      m.put(e.prefix(), new PrefixSummary(e.prefix(), s.count() + 1, s.failed() + (e.failed() ? 1 : 0),
          s.totalNanos() + e.durationNanos(), Math.max(s.maxNanos(), e.durationNanos())));
    }
    return m;
  }

  static String render(List<TaskEvent> all, long begin, long end) {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Jask performance report</title>\n")
        .append("<style>body{font-family:sans-serif;margin:20px;color:#222}table{border-collapse:collapse;margin:8px 0 20px}")
        .append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f0f0f0}td:first-child,th:first-child{text-align:left}")
        .append(".sw{display:inline-block;width:10px;height:10px;margin-right:4px}svg{border:1px solid #ddd;background:#fafafa}</style></head><body>\n")
        .append("<h1>Jask performance report</h1>\n");
    long first = all.stream().mapToLong(TaskEvent::startEpochNanos).min().orElse(begin);
    long t0 = Math.min(begin, first);
    long t1 = Math.max(end, all.stream().mapToLong(TaskEvent::stopEpochNanos).max().orElse(end));
    long busy = all.stream().mapToLong(TaskEvent::durationNanos).sum();
    long failed = all.stream().filter(TaskEvent::failed).count();
    h.append("<table id=\"totals\"><tr><th>measure</th><th>value</th></tr>")
        .append(row("started", java.time.Instant.ofEpochSecond(0, begin).toString()))
        .append(row("wall time", fmtMillis(end - begin)))
        .append(row("tasks", String.valueOf(all.size())))
        .append(row("failed tasks", String.valueOf(failed)))
        .append(row("task time (sum)", fmtMillis(busy)))
        .append("</table>\n");

    // task stream: rows = (worker, thread)
    List<String> rows = all.stream().map(e -> e.worker() + " #" + e.thread()).distinct().sorted().toList();
    Map<String, Integer> rowOf = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      rowOf.put(rows.get(i), i);
    }
    int width = 1000;
    int labelW = 220;
    int rowH = 18;
    int height = Math.max(1, rows.size()) * rowH + 24;
    double span = Math.max(1, t1 - t0);
    h.append("<h2>Task stream</h2>\n<svg id=\"task-stream\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width + labelW)
        .append("\" height=\"").append(height).append("\">\n");
    for (int i = 0; i < rows.size(); i++) {
      h.append("<text x=\"4\" y=\"").append(i * rowH + 13).append("\" font-size=\"11\">").append(esc(rows.get(i))).append("</text>\n");
    }
    List<TaskEvent> drawn = all.size() <= MAX_DRAWN ? all
        : all.stream().sorted(Comparator.comparingLong(TaskEvent::durationNanos).reversed()).limit(MAX_DRAWN).toList();
    for (TaskEvent e : drawn) {
      double x = labelW + (e.startEpochNanos() - t0) / span * width;
      double w = Math.max(1, e.durationNanos() / span * width);
      int y = rowOf.get(e.worker() + " #" + e.thread()) * rowH + 2;
      h.append("<rect class=\"task\" x=\"").append(fmt(x)).append("\" y=\"").append(y).append("\" width=\"").append(fmt(w))
          .append("\" height=\"").append(rowH - 4).append("\" fill=\"").append(e.failed() ? "#000" : Palette.color(e.prefix()))
          .append("\"><title>").append(esc(e.key())).append(" — ").append(fmtMillis(e.durationNanos())).append(" on ")
          .append(esc(e.worker())).append(e.failed() ? " (failed)" : "").append("</title></rect>\n");
    }
    h.append("<text x=\"").append(labelW).append("\" y=\"").append(height - 6).append("\" font-size=\"11\">0 s</text>")
        .append("<text x=\"").append(labelW + width - 60).append("\" y=\"").append(height - 6).append("\" font-size=\"11\">")
        .append(fmtMillis(t1 - t0)).append("</text>\n</svg>\n");

    h.append("<h2>Tasks by prefix</h2>\n<table id=\"prefixes\"><tr><th>prefix</th><th>tasks</th><th>failed</th><th>total</th><th>mean</th><th>max</th></tr>\n");
    for (PrefixSummary s : summarize(all).values()) {
      h.append("<tr><td><span class=\"sw\" style=\"background:").append(Palette.color(s.prefix())).append("\"></span>")
          .append(esc(s.prefix())).append("</td><td>").append(s.count()).append("</td><td>").append(s.failed()).append("</td><td>")
          .append(fmtMillis(s.totalNanos())).append("</td><td>").append(String.format(Locale.ROOT, "%.2f ms", s.meanMillis()))
          .append("</td><td>").append(fmtMillis(s.maxNanos())).append("</td></tr>\n");
    }
    h.append("</table>\n<h2>Workers</h2>\n<table id=\"workers\"><tr><th>worker</th><th>tasks</th><th>busy</th></tr>\n");
    Map<String, long[]> perWorker = new TreeMap<>();
    for (TaskEvent e : all) {
      long[] a = perWorker.computeIfAbsent(e.worker(), k -> new long[2]);
      a[0]++;
      a[1] += e.durationNanos();
    }
    perWorker.forEach((w, a) -> h.append("<tr><td>").append(esc(w)).append("</td><td>").append(a[0]).append("</td><td>")
        .append(fmtMillis(a[1])).append("</td></tr>\n"));
    h.append("</table>\n</body></html>\n");
    return h.toString();
  }

  private static String row(String k, String v) {
    return "<tr><td>" + esc(k) + "</td><td>" + esc(v) + "</td></tr>";
  }

  static String fmtMillis(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }

  private static String fmt(double d) {
    return String.format(Locale.ROOT, "%.2f", d);
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
