package io.jask.bag;

import io.jask.bag.io.JsonLines;
import java.util.Map;

/**
 * JSON for bags of text: {@code Bag.readText("*.json").map(Json::parse)}, like {@code
 * db.read_text(...).map(json.loads)}.
 *
 * <pre>{@code
 * Map<String, Object> r = Json.parse("{\"name\": \"Alice\", \"tags\": [\"a\"]}");
 * r.get("name");   // "Alice"
 * }</pre>
 */
public final class Json {
  private Json() {}

  /**
   * Parses one JSON object with Jackson's streaming parser into a {@code LinkedHashMap}: nested
   * objects become maps, arrays {@code ArrayList}s, numbers {@code Integer}/{@code Long}/{@code
   * BigInteger} or {@code Double}, JSON null a null value.
   *
   * @throws IllegalArgumentException if the text is not one JSON object
   */
  public static Map<String, Object> parse(String text) {
    return JsonLines.parse(text);
  }
}
