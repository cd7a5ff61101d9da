package io.jask.bag.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the lines of one {@link Block} (UTF-8; a line ends at {@code \n}, and a {@code \r} before
 * it is dropped). The bytes of the block's whole lines are read into one array in one go; lines
 * are then cut out of it, so a line costs one {@code String} at most.
 *
 * <pre>{@code
 * List<String> lines = Lines.read(new Block("/data/a.txt", 0, -1, false));
 * }</pre>
 */
public final class Lines {
  private static final int SCAN = 1 << 16;

  private Lines() {}

  /** The block's lines, in file order. */
  public static List<String> read(Block block) {
    Raw raw = raw(block);
    List<String> out = new ArrayList<>();
    raw.forEach((buf, off, len, n) -> out.add(new String(buf, off, len, StandardCharsets.UTF_8)));
    return out;
  }

  /** The bytes of the block's whole lines, and where they start in the file. */
  public static Raw raw(Block block) {
    try {
      if (block.gzip()) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(block.file())), SCAN)) {
          byte[] b = in.readAllBytes();
          return new Raw(block, b, 0, b.length, 0);
        }
      }
      if (block.end() < 0) {
        byte[] b = Files.readAllBytes(Path.of(block.file()));
        return new Raw(block, b, 0, b.length, 0);
      }
      try (FileChannel ch = FileChannel.open(Path.of(block.file()), StandardOpenOption.READ)) {
        long size = ch.size();
        long s = block.start() == 0 ? 0 : afterNewline(ch, block.start() - 1, size);
        long e = block.end() >= size ? size : afterNewline(ch, block.end() - 1, size);
        if (s >= e) {
          return new Raw(block, new byte[0], 0, 0, s);
        }
        if (e - s > Integer.MAX_VALUE - 16) {
          throw new IllegalArgumentException("block too large (over 2 GiB of lines) in " + block.file());
        }
        byte[] b = new byte[(int) (e - s)];
        ByteBuffer bb = ByteBuffer.wrap(b);
        long pos = s;
        while (bb.hasRemaining()) {
          int n = ch.read(bb, pos);
          if (n < 0) {
            throw new IOException("file " + block.file() + " shrank while being read");
          }
          pos += n;
        }
        return new Raw(block, b, 0, b.length, s);
      }
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("no such file: " + block.file(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + block.file() + ": " + e.getMessage(), e);
    }
  }

  /** The position just after the first {@code \n} at or after {@code from}, or {@code size}. */
  private static long afterNewline(FileChannel ch, long from, long size) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(SCAN);
    long pos = from;
    while (pos < size) {
      buf.clear();
      int n = ch.read(buf, pos);
      if (n <= 0) {
        return size;
      }
      byte[] a = buf.array();
      for (int i = 0; i < n; i++) {
        if (a[i] == '\n') {
          return pos + i + 1;
        }
      }
      pos += n;
    }
    return size;
  }

  /** Receives one line as bytes: {@code buf[off, off + len)}, the {@code n}-th line of the block (from 0). */
  @FunctionalInterface
  public interface LineConsumer {
    /** Handles one line. */
    void line(byte[] buf, int off, int len, int n);
  }

  /**
   * The bytes {@code buf[from, to)} of a block's whole lines; {@code fileOffset} is the position of
   * {@code buf[from]} in the (uncompressed) file.
   *
   * @param block the block read
   * @param buf the bytes
   * @param from first byte of the first line
   * @param to end of the last line
   * @param fileOffset position of {@code buf[from]} in the file
   */
  public record Raw(Block block, byte[] buf, int from, int to, long fileOffset) {

    /** Calls {@code c} for every line, in order. */
    public void forEach(LineConsumer c) {
      int n = 0;
      int start = from;
      for (int i = from; i < to; i++) {
        if (buf[i] == '\n') {
          c.line(buf, start, trimCr(start, i) - start, n++);
          start = i + 1;
        }
      }
      if (start < to) {
        c.line(buf, start, trimCr(start, to) - start, n);
      }
    }

    private int trimCr(int start, int end) {
      return end > start && buf[end - 1] == '\r' ? end - 1 : end;
    }

    /**
     * The 1-based line number in the file of the block's {@code n}-th line. Counts the newlines before
     * the block in the file, so call it only to report an error.
     */
    public long lineNumber(int n) {
      if (fileOffset == 0) {
        return n + 1L;
      }
      long before = 0;
      try (InputStream in = Files.newInputStream(Path.of(block.file()))) {
        byte[] b = new byte[SCAN];
        long left = fileOffset;
        while (left > 0) {
          int r = in.read(b, 0, (int) Math.min(b.length, left));
          if (r < 0) {
            break;
          }
          for (int i = 0; i < r; i++) {
            if (b[i] == '\n') {
              before++;
            }
          }
          left -= r;
        }
      } catch (IOException e) {
        return -1;
      }
      return before + n + 1;
    }
  }
}
