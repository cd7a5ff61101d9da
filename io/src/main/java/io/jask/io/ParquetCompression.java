package io.jask.io;

/**
 * The compression codecs {@link ParquetFiles#write} offers.
 *
 * <pre>{@code
 * ParquetFiles.write(table, Path.of("out/a.parquet"), ParquetCompression.ZSTD);
 * }</pre>
 */
public enum ParquetCompression {
  /** No compression. */
  UNCOMPRESSED,
  /** Snappy: fast, moderate ratio (the usual default). */
  SNAPPY,
  /** Zstandard: slower to write, smaller files. */
  ZSTD
}
