package io.jask.io.internal;

import io.jask.io.ByteRange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The bytes of the lines a {@link ByteRange} owns: those that start in {@code [start, end)}. Reads
 * from {@code start - 1} to find where the first owned line begins and past {@code end} to finish
 * the last one.
 *
 * @param buf the bytes
 * @param from where the first owned line starts in {@code buf}
 * @param to where the owned lines end in {@code buf}
 * @param fileOffset the file offset of {@code buf[0]} (0 for gzip: offsets in the decompressed data)
 */
public record RangeBytes(byte[] buf, int from, int to, long fileOffset) {

  /**
   * Blocks of at least this many bytes are copied from a memory mapping of the file instead of
   * read through {@link FileChannel#read}: a heap read goes through a temporary direct buffer as
   * large as the request (the kernel copies into it, then the JDK copies it out of DRAM again),
   * which cost ~25 ms of CPU per 24 MB block against ~7 ms for one copy out of the mapped page
   * cache (docs/dataframe.md, "CSV reading"). Small blocks keep the plain read (a mapping is two
   * system calls more).
   */
  static final int MAP_THRESHOLD = 1 << 20;

  private static int mapThreshold = MAP_THRESHOLD;

  /** Sets the mapping threshold (tests read small files both ways); returns the old one. */
  static int mapThreshold(int bytes) {
    int old = mapThreshold;
    mapThreshold = bytes;
    return old;
  }

  /** Reads the owned lines of {@code range}. */
  public static RangeBytes read(ByteRange range) {
    return read(range, null);
  }

  /**
   * Reads the owned lines of {@code range} into {@code reuse} when it is large enough (a
   * plain-file block), else into a new array; {@link #buf()} tells which.
   */
  public static RangeBytes read(ByteRange range, byte[] reuse) {
    Path path = Path.of(range.path());
    try {
      if (range.gzip()) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(path), 1 << 16)) {
          byte[] all = in.readAllBytes();
          return new RangeBytes(all, 0, all.length, 0);
        }
      }
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        long size = ch.size();
        long s0 = range.start() == 0 ? 0 : range.start() - 1;
        long end = Math.min(range.end(), size);
        if (end - s0 > Integer.MAX_VALUE - 16) {
          throw new IllegalArgumentException("block of " + (end - s0) + " bytes in " + path + " is too large; use a smaller blocksize");
        }
        int want = (int) (end - s0) + (end < size ? 4096 : 0);
        byte[] buf = reuse != null && reuse.length >= want ? reuse : new byte[want];
        int n = end - s0 >= mapThreshold ? mappedCopy(ch, buf, (int) (end - s0), s0) : readFully(ch, buf, 0, (int) (end - s0), s0);
        // finish the last line: read on until a newline or the end of the file
        long pos = s0 + n;
        if (n > 0 && buf[n - 1] != '\n') {
          while (pos < size) {
            if (n == buf.length) {
              buf = Arrays.copyOf(buf, buf.length + Math.max(4096, buf.length / 8));
            }
            int got = readFully(ch, buf, n, Math.min(buf.length - n, 4096), pos);
            if (got <= 0) {
              break;
            }
            int nl = -1;
            for (int i = n; i < n + got; i++) {
              if (buf[i] == '\n') {
                nl = i;
                break;
              }
            }
            pos += got;
            if (nl >= 0) {
              n = nl + 1;
              break;
            }
            n += got;
          }
        }
        int from = 0;
        if (range.start() > 0) {
          // the line at start belongs to us only if byte start-1 is a newline
          from = CsvScanner.nextLine(buf, 0, n);
          if (from >= (int) (end - s0)) {
            from = n; // the first line break is past our end: we own no line
          }
        }
        return new RangeBytes(buf, from, n, s0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + " bytes [" + range.start() + ", " + range.end() + ")", e);
    }
  }

  /**
   * Copies {@code len} bytes at file offset {@code pos} into {@code buf[0, len)} from a read-only
   * mapping, unmapped right after (the collector would otherwise keep it until the buffer object
   * dies). Returns the bytes copied (fewer if the file shrank).
   */
  private static int mappedCopy(FileChannel ch, byte[] buf, int len, long pos) throws IOException {
    long size = ch.size();
    int n = (int) Math.max(0, Math.min(len, size - pos));
    if (n == 0) {
      return 0;
    }
    MappedByteBuffer m;
    try {
      m = ch.map(FileChannel.MapMode.READ_ONLY, pos, n);
    } catch (IOException | UnsupportedOperationException e) {
      return readFully(ch, buf, 0, len, pos); // a file system without mappings: the plain read
    }
    try {
      m.get(0, buf, 0, n);
    } catch (InternalError e) {
      // the JVM's answer to SIGBUS: the file was truncated while mapped
      throw new IOException("the file changed while it was read (truncated below byte " + (pos + n) + ")", e);
    } finally {
      unmap(m);
    }
    return n;
  }

  private static final sun.misc.Unsafe UNSAFE = unsafe();

  private static sun.misc.Unsafe unsafe() {
    try {
      Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return (sun.misc.Unsafe) f.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // the mapping is then released by the collector
    }
  }

  private static void unmap(MappedByteBuffer m) {
    if (UNSAFE != null) {
      UNSAFE.invokeCleaner(m);
    }
  }

  private static int readFully(FileChannel ch, byte[] buf, int off, int len, long pos) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
    int total = 0;
    while (bb.hasRemaining()) {
      int r = ch.read(bb, pos + total);
      if (r < 0) {
        break;
      }
      total += r;
    }
    return total;
  }

  /** The 1-based line number of the line starting at {@code buf[from]} (counts newlines before it). */
  public long firstLineNumber(ByteRange range) {
    long lines = 1;
    for (int i = 0; i < from; i++) {
      if (buf[i] == '\n') {
        lines++;
      }
    }
    if (fileOffset == 0 || range.gzip()) {
      return lines;
    }
    try (InputStream in = Files.newInputStream(Path.of(range.path()))) {
      byte[] chunk = new byte[1 << 16];
      long left = fileOffset;
      while (left > 0) {
        int r = in.read(chunk, 0, (int) Math.min(chunk.length, left));
        if (r < 0) {
          break;
        }
        for (int i = 0; i < r; i++) {
          if (chunk[i] == '\n') {
            lines++;
          }
        }
        left -= r;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return lines;
  }
}
