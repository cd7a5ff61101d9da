package io.jask.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits files into byte ranges of about {@code blocksize} bytes (see {@link ByteRange} for how a
 * range is read at line boundaries). Only the file size is looked at: no data is read.
 *
 * <pre>{@code
 * List<ByteRange> blocks = Blocks.split(Path.of("big.csv"), 64L << 20);
 * }</pre>
 */
public final class Blocks {
  /** The default block size, 64 MiB, as in Dask's {@code read_csv}. */
  public static final long DEFAULT_BLOCKSIZE = 64L << 20;

  private Blocks() {}

  /**
   * The blocks of one file: one block for an empty or gzip-compressed ({@code .gz}) file, else
   * {@code ceil(size / blocksize)} blocks.
   */
  public static List<ByteRange> split(Path file, long blocksize) {
    if (blocksize <= 0) {
      throw new IllegalArgumentException("blocksize must be positive, got " + blocksize);
    }
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of " + file, e);
    }
    String p = file.toString();
    if (isGzip(file)) {
      return List.of(new ByteRange(p, 0, size, true, 0));
    }
    List<ByteRange> out = new ArrayList<>();
    int i = 0;
    for (long s = 0; s < size || (s == 0 && size == 0); s += blocksize) {
      out.add(new ByteRange(p, s, Math.min(size, s + blocksize), false, i++));
      if (size == 0) {
        break;
      }
    }
    return out;
  }

  /** Whether the file is read as gzip (its name ends in {@code .gz}). */
  public static boolean isGzip(Path file) {
    return file.getFileName().toString().endsWith(".gz");
  }
}
