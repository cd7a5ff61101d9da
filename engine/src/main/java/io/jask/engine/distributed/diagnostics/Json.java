package io.jask.engine.distributed.diagnostics;

import java.util.Collection;
import java.util.Map;

/** A small JSON writer (no dependency): objects, arrays, strings, numbers, booleans, null. */
final class Json {
  private final StringBuilder b = new StringBuilder(1024);
  private boolean needComma;

  Json beginObject() {
    comma();
    b.append('{');
    needComma = false;
    return this;
  }

  Json endObject() {
    b.append('}');
    needComma = true;
    return this;
  }

  Json beginArray() {
    comma();
    b.append('[');
    needComma = false;
    return this;
  }

  Json endArray() {
    b.append(']');
    needComma = true;
    return this;
  }

  Json name(String name) {
    comma();
    string(name);
    b.append(':');
    needComma = false;
    return this;
  }

  Json value(String s) {
    comma();
    if (s == null) {
      b.append("null");
    } else {
      string(s);
    }
    needComma = true;
    return this;
  }

  Json value(long n) {
    comma();
    b.append(n);
    needComma = true;
    return this;
  }

  Json value(double d) {
    comma();
    b.append(Double.isFinite(d) ? Double.toString(d) : "null");
    needComma = true;
    return this;
  }

  Json value(boolean v) {
    comma();
    b.append(v);
    needComma = true;
    return this;
  }

  Json field(String name, String v) {
    return name(name).value(v);
  }

  Json field(String name, long v) {
    return name(name).value(v);
  }

  Json field(String name, double v) {
    return name(name).value(v);
  }

  Json field(String name, boolean v) {
    return name(name).value(v);
  }

  Json strings(String name, Collection<String> values) {
    name(name).beginArray();
    for (String v : values) {
      value(v);
    }
    return endArray();
  }

  Json counts(String name, Map<String, ? extends Number> m) {
    name(name).beginObject();
    m.forEach((k, v) -> field(k, v.longValue()));
    return endObject();
  }

  private void comma() {
    if (needComma) {
      b.append(',');
    }
  }

  private void string(String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c)); // also safe inside <script>
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  @Override
  public String toString() {
    return b.toString();
  }
}
