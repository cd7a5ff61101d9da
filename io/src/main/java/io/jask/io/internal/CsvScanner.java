package io.jask.io.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Splits bytes into lines and fields with one loop over a {@code byte[]} (no String per field,
 * which BENCHMARKS.md measured as the main cost of reading CSV): each byte is looked at once, the
 * field and line ends found in the same pass. Lines end in {@code \n} or {@code \r\n}; blank lines
 * are skipped; a field may be quoted with {@code "} and contain the delimiter or doubled quotes,
 * but not a line break (byte-range splitting relies on that).
 */
public final class CsvScanner {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long LOW7 = 0x7f7f7f7f7f7f7f7fL;
  private static final long NEWLINES = ONES * '\n';
  private static final long QUOTES = ONES * '"';

  private CsvScanner() {}

  /**
   * The position of the first delimiter or {@code \n} in {@code [q, to)}, or {@code to}: eight
   * bytes at a time (a byte equal to the delimiter or newline becomes zero after an XOR, and the
   * exact zero-byte test marks it), then byte by byte for the last few.
   */
  static int fieldEnd(byte[] buf, int q, int to, long delims) {
    while (q + 8 <= to) {
      long w = (long) LONGS.get(buf, q);
      long m = zeroBytes(w ^ delims) | zeroBytes(w ^ NEWLINES);
      if (m != 0) {
        return q + (Long.numberOfTrailingZeros(m) >>> 3);
      }
      q += 8;
    }
    byte d = (byte) delims;
    while (q < to && buf[q] != d && buf[q] != '\n') {
      q++;
    }
    return q;
  }

  /** The high bit of each byte of {@code x} that is zero, no other bit (no false positives). */
  private static long zeroBytes(long x) {
    long t = (x & LOW7) + LOW7;
    return ~(t | x | LOW7);
  }

  /** The position just after the next {@code \n} at or after {@code from}, or {@code to}. */
  public static int nextLine(byte[] buf, int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n') {
        return i + 1;
      }
    }
    return to;
  }

  /**
   * Feeds the lines in {@code [from, to)} to {@code sink}; {@code lines[0]} receives the number of
   * the line being scanned, counted from its value on entry, so a sink can name it in an error.
   *
   * @throws IllegalArgumentException for a malformed quoted field (or whatever the sink throws);
   *     {@code lines[0]} then counts the lines before the failing one
   */
  public static void scan(byte[] buf, int from, int to, byte delim, FieldSink sink, long[] lines) {
    long line = lines[0];
    long delims = ONES * (delim & 0xff);
    int p = from;
    try {
      while (p < to) {
        // a blank line ("\n" or "\r\n" or a lone "\r" before the end)
        byte c0 = buf[p];
        if (c0 == '\n') {
          p++;
          line++;
          continue;
        }
        if (c0 == '\r' && (p + 1 >= to || buf[p + 1] == '\n')) {
          p += 2;
          line++;
          continue;
        }
        int col = 0;
        while (true) {
          int q = p;
          byte c = 0;
          if (buf[p] == '"') {
            q = quoted(buf, p, to, delim, sink, col);
            c = q < to ? buf[q] : (byte) '\n';
          } else {
            q = fieldEnd(buf, p, to, delims);
            c = q < to ? buf[q] : (byte) '\n';
            int e = q;
            if (c == '\n' && e > p && buf[e - 1] == '\r') {
              e--;
            }
            sink.field(col, buf, p, e, false);
          }
          col++;
          if (c == '\n') {
            p = q + 1;
            break;
          }
          p = q + 1; // past the delimiter
          if (p >= to) {
            sink.field(col++, buf, p, p, false); // a delimiter at the very end: an empty last field
            break;
          }
        }
        sink.endLine(col);
        line++;
      }
    } finally {
      lines[0] = line;
    }
  }

  /**
   * {@link #scan} for a reader that keeps some columns: the same lines, fields, counts and errors,
   * with two shortcuts. A field of a column with an in-place builder ({@link
   * ColumnBuilder#parsesInPlace}) is parsed while it is scanned, the number's own end being the
   * field's end (a field that is not a plain number, a null among them, falls back to the usual
   * path: find its end, then {@code sink.field}). After the last column anyone wants, the rest of
   * the line is skipped to its newline eight bytes at a time, counting delimiters for the field
   * count check (a quote there falls back to field by field).
   *
   * @param inPlace per column, the builder to parse its fields in place, or null
   * @param wanted per column, whether {@code sink} wants its fields (in-place columns included)
   */
  public static void scanProjected(
      byte[] buf, int from, int to, byte delim, ColumnBuilder[] inPlace, boolean[] wanted, FieldSink sink, long[] lines) {
    int ncols = wanted.length;
    int lastWanted = -1;
    for (int c = 0; c < ncols; c++) {
      if (wanted[c]) {
        lastWanted = c;
      }
    }
    long line = lines[0];
    long delims = ONES * (delim & 0xff);
    int p = from;
    try {
      while (p < to) {
        byte c0 = buf[p];
        if (c0 == '\n') {
          p++;
          line++;
          continue;
        }
        if (c0 == '\r' && (p + 1 >= to || buf[p + 1] == '\n')) {
          p += 2;
          line++;
          continue;
        }
        int col = 0;
        while (true) {
          int q;
          if (col > lastWanted) {
            long r = skipLine(buf, p, to, delims);
            if (r >= 0) {
              col += (int) (r >>> 32) + 1;
              p = (int) r + 1;
              break;
            }
          }
          if (buf[p] == '"') {
            q = quoted(buf, p, to, delim, sink, col);
          } else {
            ColumnBuilder b = col < ncols ? inPlace[col] : null;
            q = b == null ? -1 : ColumnBuilder.addInPlaceTo(b, buf, p, to, delim);
            if (q < 0) {
              q = fieldEnd(buf, p, to, delims);
              if (col < ncols && wanted[col]) {
                int e = q;
                if (e < to && buf[e] == '\n' && e > p && buf[e - 1] == '\r') {
                  e--;
                }
                sink.field(col, buf, p, e, false);
              }
            }
          }
          col++;
          if (q >= to || buf[q] == '\n') {
            p = q + 1;
            break;
          }
          p = q + 1; // past the delimiter
          if (p >= to) {
            if (col < ncols && wanted[col]) {
              sink.field(col, buf, p, p, false); // a delimiter at the very end: an empty last field
            }
            col++;
            break;
          }
        }
        sink.endLine(col);
        line++;
      }
    } finally {
      lines[0] = line;
    }
  }

  /**
   * From {@code p} to the next newline (or {@code to}): {@code (delimiters << 32) | newlinePosition},
   * or -1 if a quote comes first (its field might hold delimiters).
   */
  static long skipLine(byte[] buf, int p, int to, long delims) {
    long n = 0;
    while (p + 8 <= to) {
      long w = (long) LONGS.get(buf, p);
      long nl = zeroBytes(w ^ NEWLINES);
      long dm = zeroBytes(w ^ delims);
      long qm = zeroBytes(w ^ QUOTES);
      if (nl != 0) {
        long before = (nl & -nl) - 1;
        if ((qm & before) != 0) {
          return -1;
        }
        return (n + Long.bitCount(dm & before)) << 32 | (p + (Long.numberOfTrailingZeros(nl) >>> 3));
      }
      if (qm != 0) {
        return -1;
      }
      n += Long.bitCount(dm);
      p += 8;
    }
    byte d = (byte) delims;
    for (; p < to && buf[p] != '\n'; p++) {
      if (buf[p] == '"') {
        return -1;
      }
      if (buf[p] == d) {
        n++;
      }
    }
    return n << 32 | p;
  }

  /**
   * Delivers the quoted field starting at {@code buf[p] == '"'} and returns the position of the
   * delimiter or {@code \n} after it ({@code to} at the end of the bytes).
   */
  private static int quoted(byte[] buf, int p, int to, byte delim, FieldSink sink, int col) {
    int q = p + 1;
    boolean escaped = false;
    while (true) {
      if (q >= to || buf[q] == '\n') {
        throw new IllegalArgumentException("unterminated quoted field (field " + (col + 1) + "; a line break inside quotes is not supported)");
      }
      if (buf[q] == '"') {
        if (q + 1 < to && buf[q + 1] == '"') {
          escaped = true;
          q += 2;
          continue;
        }
        break;
      }
      q++;
    }
    sink.field(col, buf, p + 1, q, escaped);
    int r = q + 1;
    if (r < to && buf[r] == '\r' && (r + 1 >= to || buf[r + 1] == '\n')) {
      r++;
    }
    if (r < to && buf[r] != delim && buf[r] != '\n') {
      throw new IllegalArgumentException("unexpected character after the closing quote of field " + (col + 1));
    }
    return r;
  }
}
