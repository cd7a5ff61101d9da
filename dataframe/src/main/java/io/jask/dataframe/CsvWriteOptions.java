package io.jask.dataframe;

import java.io.Serializable;

/**
 * How {@link DFrame#toCsv(String, CsvWriteOptions)} writes: field delimiter, header line or not,
 * the text of a missing value, and one file for the whole frame or one per partition. A target
 * name ending in {@code .gz} is gzip-compressed.
 *
 * <pre>{@code
 * df.toCsv("out/all.csv.gz", CsvWriteOptions.defaults().withDelimiter('|').withNa("NA").asSingleFile());
 * }</pre>
 *
 * @param delimiter the field separator
 * @param header whether each file starts with a header line
 * @param na the text written for a missing value
 * @param singleFile one file (partitions in order) instead of one per partition
 */
public record CsvWriteOptions(char delimiter, boolean header, String na, boolean singleFile) implements Serializable {
  /** Checks the delimiter. */
  public CsvWriteOptions {
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
      throw new IllegalArgumentException("unsupported delimiter '" + delimiter + "'");
    }
    if (na.indexOf(delimiter) >= 0 || na.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("the missing-value text '" + na + "' cannot hold the delimiter or a line break");
    }
  }

  /** Comma, header, missing values empty, one file per partition. */
  public static CsvWriteOptions defaults() {
    return new CsvWriteOptions(',', true, "", false);
  }

  /** With another delimiter. */
  public CsvWriteOptions withDelimiter(char d) {
    return new CsvWriteOptions(d, header, na, singleFile);
  }

  /** With or without the header line. */
  public CsvWriteOptions withHeader(boolean h) {
    return new CsvWriteOptions(delimiter, h, na, singleFile);
  }

  /** With another text for missing values. */
  public CsvWriteOptions withNa(String text) {
    return new CsvWriteOptions(delimiter, header, text, singleFile);
  }

  /** Writing the whole frame as one file. */
  public CsvWriteOptions asSingleFile() {
    return new CsvWriteOptions(delimiter, header, na, true);
  }
}
