package io.jask.bag.io;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One partition of a text file: the lines that start in the byte range {@code [start, end)} of
 * {@code file}, or the whole file when {@code end < 0} (always so for gzip, which cannot be split).
 *
 * <p>Which lines a range holds, like Dask's {@code read_bytes(..., delimiter=b"\n")}: a line
 * belongs to the range in which its first byte lies. A reader therefore skips the partial line at
 * the start of its range (unless the range starts at 0 or right after a newline) and reads past
 * the end of its range to finish its last line. Every line of the file is in exactly one block,
 * whatever the block size.
 *
 * <pre>{@code
 * List<Block> blocks = Block.split(List.of(Path.of("big.txt")), 64 << 20);  // 64 MiB blocks
 * List<String> lines = Lines.read(blocks.get(1));
 * }</pre>
 *
 * @param file absolute path of the file
 * @param start first byte of the range
 * @param end end of the range (exclusive), or -1 for the whole file
 * @param gzip whether the file is gzip-compressed (then {@code start == 0} and {@code end == -1})
 */
public record Block(String file, long start, long end, boolean gzip) implements Serializable {

  /** Whether a file is read as gzip: its name ends with {@code .gz}. */
  public static boolean isGzip(String file) {
    return file.endsWith(".gz");
  }

  /**
   * The blocks of the files, in file order: one per file when {@code blocksize <= 0} or the file is
   * gzip, else one per {@code blocksize} bytes (at least one per file, even an empty one).
   */
  public static List<Block> split(List<Path> files, long blocksize) {
    List<Block> out = new ArrayList<>();
    for (Path p : files) {
      String f = p.toString();
      long size;
      try {
        size = Files.size(p);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot read the size of " + f, e);
      }
      if (isGzip(f) || blocksize <= 0 || size <= blocksize) {
        out.add(new Block(f, 0, -1, isGzip(f)));
        continue;
      }
      for (long s = 0; s < size; s += blocksize) {
        out.add(new Block(f, s, Math.min(size, s + blocksize), false));
      }
    }
    return out;
  }
}
