package io.jask.io;

import java.io.Serializable;

/**
 * One block of a file: the lines that start in bytes {@code [start, end)}. A reader of the block
 * skips the partial line at {@code start} (unless {@code start == 0}) and reads past {@code end}
 * to finish its last line, so the blocks of a file together hold each line exactly once. A
 * gzip-compressed file is always one block covering the whole file.
 *
 * <pre>{@code
 * List<ByteRange> blocks = Blocks.split(Path.of("big.csv"), 64 << 20);
 * ByteRange first = blocks.get(0);    // start 0, end 64 MiB
 * }</pre>
 *
 * @param path the file, as a string so the range travels to other processes
 * @param start first byte (inclusive)
 * @param end last byte (exclusive); the file's size for the last block
 * @param gzip whether the file is gzip-compressed (then start is 0 and end is the file size)
 * @param index the position of this block within its file
 */
public record ByteRange(String path, long start, long end, boolean gzip, int index)
    implements Serializable {

  public ByteRange {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad byte range [" + start + ", " + end + ") of " + path);
    }
  }

  /** The number of bytes in the range. */
  public long length() {
    return end - start;
  }
}
