package io.jask.io.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DoubleParse#parse} (Clinger's exact path, Eisel–Lemire, else FastDoubleParser) against
 * {@link Double#parseDouble}, bit for bit: random decimals of every shape, 17-significant-digit
 * values as {@link Double#toString} and CSV writers print them, subnormals, the ends of the double
 * range, and decimals exactly halfway between two doubles (and a hair either side).
 */
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
      assertEquals(want, DoubleParse.isEightDigits(w), t);
      if (want) {
        assertEquals(Integer.parseInt(t), DoubleParse.eightDigits(w), t);
      }
      // the non-digit mask marks exactly the non-digits; the first k digits' value
      long nd = DoubleParse.nonDigits(w);
      for (int i = 0; i < 8; i++) {
        boolean digit = b[i] >= '0' && b[i] <= '9';
        assertEquals(digit ? 0 : 0x80, (nd >>> (8 * i)) & 0xFF, t + " byte " + i);
      }
      int lead = Long.numberOfTrailingZeros(nd) >>> 3;
      assertEquals(lead == 0 ? 0 : Long.parseLong(t.substring(0, lead)), DoubleParse.digitsValue(w, lead), t);
    }
  }

  /** A line's rest after a field: long enough that word loads after the field stay in the buffer. */
  static final String TAIL = ",0.12345678901234567,-987654321.25e-3,k42\n";

  /**
   * Parses {@code t} embedded in a CSV line, near the line's end and followed by more fields (where
   * word loads past the number are in bounds), and checks it bit for bit against the JDK, both the
   * whole-field parse and the in-place prefix a reader uses.
   */
  static void check(String t) {
    double want = Double.parseDouble(t);
    for (String line : new String[] {"9," + t + ",7", "9," + t + TAIL}) {
      byte[] b = line.getBytes(StandardCharsets.US_ASCII);
      double got = ColumnBuilder.parseDouble(b, 2, 2 + t.length());
      same(t, want, got);
      int[] end = new int[1];
      double pre = DoubleParse.prefix(b, 2, b.length, end);
      if (end[0] == 2 + t.length()) {
        same(t, want, pre); // a reader takes the prefix when it ends at the field's end
      }
    }
  }

  static void same(String t, double want, double got) {
    if (Double.doubleToRawLongBits(want) != Double.doubleToRawLongBits(got)) {
      throw new AssertionError("'" + t + "': want " + want + " (" + Long.toHexString(Double.doubleToRawLongBits(want)) + ") got " + got
          + " (" + Long.toHexString(Double.doubleToRawLongBits(got)) + ")");
    }
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void integerPrefix_wordAtATime_matchesLongParse(long seed) {
    Random r = new Random(seed);
    for (int k = 0; k < 20_000; k++) {
      String t = (r.nextInt(4) == 0 ? (r.nextBoolean() ? "-" : "+") : "") + (r.nextInt(10) == 0 ? "" : digits(r, 1 + r.nextInt(20)));
      String next = r.nextBoolean() ? "," : r.nextBoolean() ? "x" : "";
      for (String line : new String[] {t + next, t + next + TAIL}) {
        byte[] b = line.getBytes(StandardCharsets.US_ASCII);
        int[] end = new int[1];
        long got = DoubleParse.prefixLong(b, 0, b.length, end);
        int[] slowEnd = new int[1];
        long slow = DoubleParse.slowPrefixLong(b, 0, b.length, slowEnd);
        assertEquals(slowEnd[0], end[0], line);
        if (end[0] >= 0) {
          assertEquals(t.length(), end[0], line);
          assertEquals(Long.parseLong(t), got, line);
          assertEquals(slow, got, line);
        }
      }
    }
  }

  /** A random digit string of exactly {@code n} digits, the first not zero. */
  static String digits(Random r, int n) {
    StringBuilder b = new StringBuilder().append((char) ('1' + r.nextInt(9)));
    for (int i = 1; i < n; i++) {
      b.append((char) ('0' + r.nextInt(10)));
    }
    return b.toString();
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void seventeenSignificantDigits_parseBitForBit(long seed) {
    Random r = new Random(seed);
    for (int k = 0; k < 20_000; k++) {
      int n = 15 + r.nextInt(5); // 15..19 digits: around and past 2^53
      String d = digits(r, n);
      String sign = r.nextInt(4) == 0 ? "-" : "";
      switch (r.nextInt(5)) {
        case 0 -> check(sign + d.charAt(0) + "." + d.substring(1)); // 1.9006360195242682
        case 1 -> check(sign + "0." + d); // 0.5953696494872133
        case 2 -> check(sign + "0." + "0".repeat(r.nextInt(12)) + d); // 0.000123…
        case 3 -> {
          int p = 1 + r.nextInt(n - 1);
          check(sign + d.substring(0, p) + "." + d.substring(p)); // 12345.678901234567
        }
        default -> check(sign + d.charAt(0) + "." + d.substring(1) + (r.nextBoolean() ? "e" : "E") + (r.nextInt(640) - 330));
      }
      check(Double.toString(Double.longBitsToDouble(r.nextLong() & Long.MAX_VALUE)).replace("Infinity", "1").replace("NaN", "2"));
      check(Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20)));
    }
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void halfwayBetweenTwoDoubles_roundsToEven(long seed) {
    Random r = new Random(seed);
    for (int k = 0; k < 2_000; k++) {
      // a double, the next one up, and the exact decimal midpoint between them
      double a = r.nextInt(3) == 0
          ? Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL)
          : (double) ((1L << 53) + r.nextInt(1 << 20)) * Math.scalb(1.0, r.nextInt(20) - 12);
      BigDecimal lo = new BigDecimal(a);
      BigDecimal mid = lo.add(new BigDecimal(Math.nextUp(a))).divide(BigDecimal.valueOf(2));
      check(mid.toString());
      check(mid.toPlainString());
      check(mid.stripTrailingZeros().toString());
      // a hair above and below the midpoint
      BigDecimal hair = mid.ulp().max(new BigDecimal("1e-400"));
      check(mid.add(hair).toString());
      check(mid.subtract(hair).toString());
    }
    // midpoints with at most 19 digits, where Eisel–Lemire has to notice the tie
    for (long m = (1L << 53) + 1; m < (1L << 53) + 200; m += 2) {
      for (int shift = 0; shift < 10; shift++) {
        check(Long.toString(m << shift));
        check(BigDecimal.valueOf(m).divide(BigDecimal.valueOf(1L << (shift + 1))).toPlainString());
      }
    }
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void subnormalsAndRangeEnds_parseBitForBit(long seed) {
    Random r = new Random(seed);
    for (int k = 0; k < 5_000; k++) {
      double sub = Double.longBitsToDouble(r.nextLong() & 0x000F_FFFF_FFFF_FFFFL);
      check(Double.toString(sub));
      check(Double.toString(-sub));
      double big = Double.longBitsToDouble(0x7FE0_0000_0000_0000L | (r.nextLong() & 0x000F_FFFF_FFFF_FFFFL));
      check(Double.toString(big));
      double small = Double.longBitsToDouble(0x0010_0000_0000_0000L | (r.nextLong() & 0x000F_FFFF_FFFF_FFFFL));
      check(Double.toString(small));
      check(digits(r, 1 + r.nextInt(19)) + "e" + (r.nextInt(60) - 360)); // underflow to zero or subnormal
      check(digits(r, 1 + r.nextInt(19)) + "e" + (r.nextInt(40) + 290)); // near and past overflow
    }
    for (String t : new String[] {
        "4.9e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "1e-324", "5e-324", "2.2250738585072014E-308",
        "2.2250738585072011e-308", "2.225073858507201e-308", "1.7976931348623157E308", "1.7976931348623158e308",
        "1.7976931348623159e308", "1.8e308", "1e308", "1e309", "9007199254740993", "9007199254740992", "9007199254740994",
        "9007199254740995", "18446744073709551615", "18446744073709551616", "9999999999999999999", "10000000000000000000",
        "0.1", "0.2", "0.3", "1e22", "1e23", "1e-22", "1e-23", "123456789012345678e-30", "7.3177701707893310e+15",
        "0e500", "-0", "-0.0", "+0.000", "0.0000000000000000000000000000000000001", "1e-342", "1e-343", "1e308", "1e-400",
        "Infinity", "-Infinity", "NaN", "1d", "2.5f", " 3.5", "0x1p3"}) {
      check(t);
    }
  }

  @ParameterizedTest(name = "seed={0}")
  @MethodSource("seeds")
  void eiselLemire_whenItAnswersIsExact_andAnswersMostSeventeenDigitValues(long seed) {
    Random r = new Random(seed);
    int answered = 0;
    int n = 20_000;
    for (int k = 0; k < n; k++) {
      String d = digits(r, 16 + r.nextInt(4));
      long w = Long.parseUnsignedLong(d);
      int q = r.nextInt(40) - 30;
      double got = DoubleParse.eiselLemire(w, q, false);
      if (got == got) {
        answered++;
        double want = new BigDecimal(new java.math.BigInteger(d), -q).doubleValue();
        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), d + "e" + q);
      }
    }
    // the fast path is what runs: a give-up is rare
    assertTrue(answered > n * 0.99, "answered " + answered + " of " + n);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-", "+", ".", "-.", "1.2.3", "1-2", "abc", "1e", "0x"})
  void notANumber_failsWithTheText(String t) {
    byte[] b = t.getBytes(StandardCharsets.US_ASCII);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ColumnBuilder.parseDouble(b, 0, b.length));
    assertEquals("cannot parse '" + t + "' as DOUBLE", e.getMessage());
  }
}
