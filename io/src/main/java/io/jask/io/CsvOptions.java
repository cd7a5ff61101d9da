package io.jask.io;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How to read CSV files. Immutable; the {@code with…} methods return changed copies.
 *
 * <pre>{@code
 * CsvOptions o = CsvOptions.defaults()
 *     .withDelimiter(';')
 *     .withType("id", DType.LONG)          // other columns are inferred from a sample
 *     .withColumns("id", "x")              // only these are parsed
 *     .withBlocksize(16 << 20);
 * }</pre>
 *
 * @param header whether the first line of each file names the columns (default true)
 * @param delimiter the field separator (default {@code ','})
 * @param names column names to use instead of the header's (or, without a header, instead of
 *     {@code c0, c1, …}); empty for the default
 * @param types column types by name; columns not listed are inferred from a sample of the first
 *     file (LONG, DOUBLE, BOOLEAN or STRING)
 * @param nullValues field contents read as missing (default the empty field and {@code NA})
 * @param columns the columns to parse, in this order; empty for all
 * @param blocksize the size in bytes of the blocks a file is split into (default 64 MiB)
 * @param sampleBytes how many bytes of the first file type inference looks at (default 256 KiB)
 */
public record CsvOptions(
    boolean header,
    char delimiter,
    List<String> names,
    Map<String, DType> types,
    Set<String> nullValues,
    List<String> columns,
    long blocksize,
    int sampleBytes)
    implements Serializable {

  public CsvOptions {
    names = List.copyOf(names);
    types = Map.copyOf(types);
    nullValues = Set.copyOf(nullValues);
    columns = List.copyOf(columns);
    if (blocksize <= 0) {
      throw new IllegalArgumentException("blocksize must be positive, got " + blocksize);
    }
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || delimiter > 127) {
      throw new IllegalArgumentException("unsupported delimiter '" + delimiter + "' (an ASCII character other than a quote or a line break)");
    }
  }

  /** Header on, comma, types inferred, nulls {@code ""} and {@code "NA"}, all columns, 64 MiB blocks. */
  public static CsvOptions defaults() {
    return new CsvOptions(true, ',', List.of(), Map.of(), Set.of("", "NA"), List.of(), Blocks.DEFAULT_BLOCKSIZE, 256 << 10);
  }

  /** With or without a header line. */
  public CsvOptions withHeader(boolean header) {
    return new CsvOptions(header, delimiter, names, types, nullValues, columns, blocksize, sampleBytes);
  }

  /** With another field separator. */
  public CsvOptions withDelimiter(char delimiter) {
    return new CsvOptions(header, delimiter, names, types, nullValues, columns, blocksize, sampleBytes);
  }

  /** With these column names (replacing the header's). */
  public CsvOptions withNames(String... names) {
    return new CsvOptions(header, delimiter, List.of(names), types, nullValues, columns, blocksize, sampleBytes);
  }

  /** With these column types (added to those given before). */
  public CsvOptions withTypes(Map<String, DType> more) {
    Map<String, DType> t = new HashMap<>(types);
    t.putAll(more);
    return new CsvOptions(header, delimiter, names, t, nullValues, columns, blocksize, sampleBytes);
  }

  /** With the type of one column. */
  public CsvOptions withType(String column, DType type) {
    return withTypes(Map.of(column, type));
  }

  /** With these null values (replacing the defaults). */
  public CsvOptions withNullValues(String... values) {
    return new CsvOptions(header, delimiter, names, types, Set.of(values), columns, blocksize, sampleBytes);
  }

  /** Parsing only these columns, in this order. */
  public CsvOptions withColumns(String... columns) {
    return withColumns(List.of(columns));
  }

  /** Parsing only these columns, in this order. */
  public CsvOptions withColumns(List<String> columns) {
    return new CsvOptions(header, delimiter, names, types, nullValues, columns, blocksize, sampleBytes);
  }

  /** With another block size in bytes. */
  public CsvOptions withBlocksize(long blocksize) {
    return new CsvOptions(header, delimiter, names, types, nullValues, columns, blocksize, sampleBytes);
  }

  /** Inferring types from this many bytes of the first file. */
  public CsvOptions withSampleBytes(int sampleBytes) {
    return new CsvOptions(header, delimiter, names, types, nullValues, columns, blocksize, sampleBytes);
  }

  /** Whether names and the types of every named column are fixed, so no inference is needed. */
  public boolean isResolved() {
    return !names.isEmpty() && types.keySet().containsAll(names);
  }
}
