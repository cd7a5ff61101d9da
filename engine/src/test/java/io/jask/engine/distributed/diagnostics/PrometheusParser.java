package io.jask.engine.distributed.diagnostics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format for tests: every sample must belong to a family
 * announced by {@code # HELP} and {@code # TYPE} before it, names and labels must be well formed,
 * values must parse, and no sample may appear twice.
 */
public final class PrometheusParser {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"(,|$)");

  /** One sample. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private PrometheusParser() {}

  /** Parses the whole text; throws {@link IllegalArgumentException} naming the line on any error. */
  public static List<Sample> parse(String text) {
    Map<String, String> types = new HashMap<>();
    Map<String, Boolean> seen = new HashMap<>();
    List<Sample> out = new ArrayList<>();
    int n = 0;
    for (String line : text.split("\n", -1)) {
      n++;
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
        String[] p = line.split(" ", 4);
        if (p.length < 4 || !NAME.matcher(p[2]).matches()) {
          throw new IllegalArgumentException("line " + n + ": bad comment: " + line);
        }
        if (line.startsWith("# TYPE ")) {
          if (!List.of("gauge", "counter", "histogram", "summary", "untyped").contains(p[3])) {
            throw new IllegalArgumentException("line " + n + ": bad type: " + line);
          }
          types.put(p[2], p[3]);
        }
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("line " + n + ": not a sample: " + line);
      }
      String name = m.group(1);
      String family = types.containsKey(name) ? name : name.replaceFirst("_(bucket|sum|count)$", "");
      if (!types.containsKey(family)) {
        throw new IllegalArgumentException("line " + n + ": sample of undeclared family: " + line);
      }
      Map<String, String> labels = new TreeMap<>();
      if (m.group(3) != null && !m.group(3).isEmpty()) {
        Matcher l = LABEL.matcher(m.group(3));
        int at = 0;
        while (at < m.group(3).length()) {
          if (!l.find(at) || l.start() != at) {
            throw new IllegalArgumentException("line " + n + ": bad labels: " + line);
          }
          labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
          at = l.end();
        }
      }
      String v = m.group(4);
      double value = switch (v) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        case "NaN" -> Double.NaN;
        default -> Double.parseDouble(v);
      };
      String id = name + labels;
      if (seen.put(id, true) != null) {
        throw new IllegalArgumentException("line " + n + ": duplicate sample " + id);
      }
      out.add(new Sample(name, labels, value));
    }
    return out;
  }

  /** The value of the one sample with this name and these labels (name, value pairs); NaN if none. */
  public static double value(List<Sample> samples, String name, String... labels) {
    Map<String, String> want = new LinkedHashMap<>();
    for (int i = 0; i + 1 < labels.length; i += 2) {
      want.put(labels[i], labels[i + 1]);
    }
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().equals(new TreeMap<>(want))) {
        return s.value();
      }
    }
    return Double.NaN;
  }
}
