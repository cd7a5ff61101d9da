package io.jask.io.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ColumnBuilder.parseDouble} (exact fast path, else FastDoubleParser) against {@link Double#parseDouble}, bit for bit. */
class DoubleParseTest {

  static Stream<Long> seeds() {
    return LongStream.range(0, 20).boxed();
  }

  /** Random decimal text: digit strings of 1 to 24 digits, a point anywhere, signs, leading zeros, exponents, shortest reprs. */
  static String randomDecimal(Random r) {
    switch (r.nextInt(6)) {
      case 0:
        return Double.toString(r.nextDouble());
      case 1:
        return Double.toString(Double.longBitsToDouble(r.nextLong())).replace("Infinity", "1").replace("NaN", "2");
      case 2:
        return String.format(Locale.ROOT, "%." + r.nextInt(20) + "f", r.nextGaussian() * Math.pow(10, r.nextInt(12)));
      default:
        StringBuilder b = new StringBuilder();
        if (r.nextInt(3) == 0) {
          b.append(r.nextBoolean() ? '-' : '+');
        }
        int n = 1 + r.nextInt(24);
        int point = r.nextInt(n + 2) - 1; // -1: no point
        for (int i = 0; i < n; i++) {
          if (i == point) {
            b.append('.');
          }
          b.append((char) ('0' + (r.nextInt(4) == 0 ? 0 : r.nextInt(10))));
        }
        if (point == n) {
          b.append('.');
        }
        if (r.nextInt(8) == 0) {
          b.append(r.nextBoolean() ? 'e' : 'E').append(r.nextInt(60) - 30);
        }
        return b.toString();
    }
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void randomDecimals_parseBitForBitLikeTheJdk(long seed) {
    Random r = new Random(seed);
    for (int k = 0; k < 20_000; k++) {
      String t = randomDecimal(r);
      // embedded in a larger buffer, as in a CSV line
      byte[] b = ("9," + t + ",7").getBytes(StandardCharsets.US_ASCII);
      double want = Double.parseDouble(t);
      double got = ColumnBuilder.parseDouble(b, 2, 2 + t.length());
      if (Double.doubleToRawLongBits(want) != Double.doubleToRawLongBits(got)) {
        throw new AssertionError("'" + t + "': want " + want + " got " + got);
      }
    }
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void eightDigitWords_parseLikeTheirText(long seed) {
    Random r = new Random(seed);
    for (int k = 0; k < 20_000; k++) {
      byte[] b = new byte[8];
      boolean digits = r.nextInt(4) != 0;
      for (int i = 0; i < 8; i++) {
        b[i] = (byte) (digits || r.nextInt(8) != 0 ? '0' + r.nextInt(10) : r.nextInt(256));
      }
      long w = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
      String t = new String(b, StandardCharsets.ISO_8859_1);
      boolean want = t.chars().allMatch(c -> c >= '0' && c <= '9');
      assertEquals(want, ColumnBuilder.isEightDigits(w), t);
      if (want) {
        assertEquals(Integer.parseInt(t), ColumnBuilder.eightDigits(w), t);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"-", "+", ".", "-.", "1.2.3", "1-2", "abc", "1e", "0x"})
  void notANumber_failsWithTheText(String t) {
    byte[] b = t.getBytes(StandardCharsets.US_ASCII);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ColumnBuilder.parseDouble(b, 0, b.length));
    assertEquals("cannot parse '" + t + "' as DOUBLE", e.getMessage());
  }
}
