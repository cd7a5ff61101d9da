package io.jask.bag;

import java.util.List;
import java.util.Set;

/**
 * How {@link Bag#readJson(String, JsonOptions)} reads JSON lines.
 *
 * <pre>{@code
 * Bag.readJson("logs/*.json", JsonOptions.defaults().fields("name", "active").blocksize(64 << 20));
 * Bag.readJson("logs/*.json", JsonOptions.skipMalformed());
 * }</pre>
 *
 * @param fields the top-level fields to build (empty: all); the others are skipped by the parser
 * @param skipMalformedLines leave malformed lines out (counted in a warning per partition) instead of failing
 * @param blocksize split files into blocks of about this many bytes (0: one partition per file)
 */
public record JsonOptions(Set<String> fields, boolean skipMalformedLines, long blocksize) {

  /** Validates and copies. */
  public JsonOptions {
    fields = Set.copyOf(fields);
    if (blocksize < 0) {
      throw new IllegalArgumentException("blocksize must be >= 0, got " + blocksize);
    }
  }

  /** All fields, fail on a malformed line, one partition per file. */
  public static JsonOptions defaults() {
    return new JsonOptions(Set.of(), false, 0);
  }

  /** The defaults, but malformed lines are skipped and counted. */
  public static JsonOptions skipMalformed() {
    return defaults().skippingMalformed(true);
  }

  /** These options, building only the given top-level fields (projection). */
  public JsonOptions fields(String... names) {
    return new JsonOptions(Set.copyOf(List.of(names)), skipMalformedLines, blocksize);
  }

  /** These options, skipping malformed lines or not. */
  public JsonOptions skippingMalformed(boolean skip) {
    return new JsonOptions(fields, skip, blocksize);
  }

  /** These options with a block size in bytes (0: one partition per file). */
  public JsonOptions blocksize(long bytes) {
    return new JsonOptions(fields, skipMalformedLines, bytes);
  }
}
