package io.jask.io.internal;

/**
 * Splits bytes into lines and fields with one loop over a {@code byte[]} (no String per field,
 * which BENCHMARKS.md measured as the main cost of reading CSV). Lines end in {@code \n} or
 * {@code \r\n}; blank lines are skipped; a field may be quoted with {@code "} and contain the
 * delimiter or doubled quotes, but not a line break (byte-range splitting relies on that).
 */
public final class CsvScanner {
  private CsvScanner() {}

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
   * the line being scanned, counted from {@code firstLine}, so a sink can name it in an error.
   */
  public static void scan(byte[] buf, int from, int to, byte delim, FieldSink sink, long[] lines) {
    int pos = from;
    while (pos < to) {
      int eol = pos;
      while (eol < to && buf[eol] != '\n') {
        eol++;
      }
      int end = (eol > pos && buf[eol - 1] == '\r') ? eol - 1 : eol;
      if (end > pos) {
        sink.endLine(fields(buf, pos, end, delim, sink));
      }
      pos = eol + 1;
      lines[0]++;
    }
  }

  private static int fields(byte[] buf, int pos, int end, byte delim, FieldSink sink) {
    int col = 0;
    int p = pos;
    while (true) {
      if (p < end && buf[p] == '"') {
        int q = p + 1;
        boolean escaped = false;
        while (true) {
          if (q >= end) {
            throw new IllegalArgumentException("unterminated quoted field");
          }
          if (buf[q] == '"') {
            if (q + 1 < end && buf[q + 1] == '"') {
              escaped = true;
              q += 2;
              continue;
            }
            break;
          }
          q++;
        }
        sink.field(col++, buf, p + 1, q, escaped);
        p = q + 1;
        if (p < end && buf[p] != delim) {
          throw new IllegalArgumentException("unexpected character after a closing quote");
        }
      } else {
        int q = p;
        while (q < end && buf[q] != delim) {
          q++;
        }
        sink.field(col++, buf, p, q, false);
        p = q;
      }
      if (p >= end) {
        return col;
      }
      p++; // the delimiter
      if (p == end) {
        sink.field(col++, buf, p, p, false);
        return col;
      }
    }
  }
}
