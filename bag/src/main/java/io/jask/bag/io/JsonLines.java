package io.jask.bag.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON lines with Jackson's streaming parser: one object per line, parsed straight from the
 * block's bytes into a {@code LinkedHashMap} (objects), {@code ArrayList} (arrays), {@code String},
 * {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double}, {@code Boolean}, or {@code null}
 * for JSON null. Given a set of field names, only those top-level fields are built; the others
 * are skipped without building anything (projection).
 *
 * <pre>{@code
 * Map<String, Object> r = JsonLines.parse("{\"a\": 1}");
 * List<Map<String, Object>> rows = JsonLines.read(block, Set.of("name", "active"), false);
 * }</pre>
 */
public final class JsonLines {
  private static final Logger LOG = LoggerFactory.getLogger(JsonLines.class);
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonLines() {}

  /** Parses one JSON object. */
  public static Map<String, Object> parse(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    try {
      return parse(b, 0, b.length, Set.of());
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON: " + message(e) + " in: " + abbreviate(text), e);
    }
  }

  /**
   * The objects of one block's lines; blank lines are skipped. A malformed line fails with an
   * {@link IllegalArgumentException} naming the file and line, or, with {@code skipMalformed}, is
   * left out and counted in a warning.
   */
  public static List<Map<String, Object>> read(Block block, Set<String> fields, boolean skipMalformed) {
    Lines.Raw raw = Lines.raw(block);
    List<Map<String, Object>> fast = readWhole(raw, fields);
    if (fast != null) {
      return fast;
    }
    List<Map<String, Object>> out = new ArrayList<>();
    int[] bad = {0, -1};
    raw.forEach((buf, off, len, n) -> {
      if (blank(buf, off, len)) {
        return;
      }
      try {
        out.add(parse(buf, off, len, fields));
      } catch (IOException e) {
        if (!skipMalformed) {
          throw new IllegalArgumentException("malformed JSON in " + block.file() + " line " + raw.lineNumber(n)
              + ": " + message(e) + " in: " + abbreviate(new String(buf, off, len, StandardCharsets.UTF_8)));
        }
        if (bad[0]++ == 0) {
          bad[1] = n;
        }
      }
    });
    if (bad[0] > 0) {
      LOG.warn("skipped {} malformed JSON line(s) in {} (first at line {})", bad[0], block.file(), raw.lineNumber(bad[1]));
    }
    return out;
  }

  /**
   * The fast path: one parser over the whole block, reading root-level objects one after the other
   * (no parser per line). Returns null at the first problem, and the caller reads line by line to
   * report or skip the malformed line exactly. (It accepts two objects on one line, which the line
   * path would reject.)
   */
  private static List<Map<String, Object>> readWhole(Lines.Raw raw, Set<String> fields) {
    List<Map<String, Object>> out = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(raw.buf(), raw.from(), raw.to() - raw.from())) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t != JsonToken.START_OBJECT) {
          return null;
        }
        out.add(object(p, fields));
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The malformed lines of one block, each with its file, line number and the parser's message. */
  public static List<MalformedLine> malformed(Block block) {
    Lines.Raw raw = Lines.raw(block);
    List<MalformedLine> out = new ArrayList<>();
    raw.forEach((buf, off, len, n) -> {
      if (blank(buf, off, len)) {
        return;
      }
      try {
        parse(buf, off, len, Set.of());
      } catch (IOException e) {
        out.add(new MalformedLine(block.file(), raw.lineNumber(n), new String(buf, off, len, StandardCharsets.UTF_8),
            String.valueOf(message(e))));
      }
    });
    return out;
  }

  private static Map<String, Object> parse(byte[] b, int off, int len, Set<String> fields) throws IOException {
    try (JsonParser p = FACTORY.createParser(b, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "a line must hold a JSON object");
      }
      Map<String, Object> m = object(p, fields);
      if (p.nextToken() != null) {
        throw new com.fasterxml.jackson.core.JsonParseException(p, "text after the end of the object");
      }
      return m;
    }
  }

  private static Map<String, Object> object(JsonParser p, Set<String> fields) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    String name;
    while ((name = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      if (!fields.isEmpty() && !fields.contains(name)) {
        p.skipChildren();
      } else {
        m.put(name, value(p, t));
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new com.fasterxml.jackson.core.JsonParseException(p, "expected a field name");
    }
    return m;
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected end of input");
    }
    switch (t) {
      case START_OBJECT:
        return object(p, Set.of());
      case START_ARRAY: {
        List<Object> l = new ArrayList<>();
        JsonToken x;
        while ((x = p.nextToken()) != JsonToken.END_ARRAY) {
          l.add(value(p, x));
        }
        return l;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + t);
    }
  }

  private static boolean blank(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
        return false;
      }
    }
    return true;
  }

  private static String message(IOException e) {
    return e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }

  private static String abbreviate(String s) {
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

}
