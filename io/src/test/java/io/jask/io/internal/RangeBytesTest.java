package io.jask.io.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jask.io.ByteRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RangeBytes#read}, by the plain channel read and by the mapped copy, against an oracle: the
 * lines of the file (split with {@link String#split}) whose first byte lies in the range, on seeded
 * random files (lines of random lengths, some blank, some far longer than the 4 KiB read past the
 * range end, a last line with or without its newline) cut at random positions, with and without a
 * reused buffer.
 */
class RangeBytesTest {
  @TempDir Path dir;

  @AfterEach
  void restore() {
    RangeBytes.mapThreshold(RangeBytes.MAP_THRESHOLD);
  }

  static LongStream seeds() {
    return LongStream.range(0, 24);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void ownedLines_mappedAndRead_matchTheOracle(long seed) throws IOException {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder();
    int lines = r.nextInt(60);
    for (int i = 0; i < lines; i++) {
      int len = switch (r.nextInt(8)) {
        case 0 -> 0;
        case 1 -> 4096 + r.nextInt(9000);
        default -> r.nextInt(40);
      };
      for (int k = 0; k < len; k++) {
        b.append((char) ('a' + r.nextInt(26)));
      }
      if (i < lines - 1 || r.nextBoolean()) {
        b.append('\n');
      }
    }
    byte[] bytes = b.toString().getBytes(StandardCharsets.US_ASCII);
    Path f = dir.resolve("f" + seed + ".txt");
    Files.write(f, bytes);
    List<Long> cuts = new ArrayList<>(List.of(0L, (long) bytes.length));
    for (int k = r.nextInt(5); k > 0; k--) {
      cuts.add((long) r.nextInt(bytes.length + 1));
    }
    cuts.sort(null);
    for (int threshold : new int[] {0, 1, Integer.MAX_VALUE}) {
      RangeBytes.mapThreshold(threshold);
      for (int c = 0; c + 1 < cuts.size(); c++) {
        long s = cuts.get(c);
        long e = cuts.get(c + 1);
        ByteRange range = new ByteRange(f.toString(), s, e, false, c);
        String expected = oracle(bytes, s, e);
        for (byte[] reuse : new byte[][] {null, new byte[1 << 16], new byte[3]}) {
          RangeBytes got = RangeBytes.read(range, reuse);
          String text = new String(got.buf(), got.from(), got.to() - got.from(), StandardCharsets.US_ASCII);
          assertEquals(expected, text, "seed " + seed + " threshold " + threshold + " range [" + s + ", " + e + ")");
        }
      }
    }
  }

  /** The lines (with their newlines) that start at a byte in {@code [s, e)}. */
  static String oracle(byte[] bytes, long s, long e) {
    StringBuilder out = new StringBuilder();
    int start = 0;
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      int next = Math.min(bytes.length, end + 1);
      if (start >= s && start < e) {
        out.append(new String(bytes, start, next - start, StandardCharsets.US_ASCII));
      }
      start = next;
    }
    return out.toString();
  }
}
