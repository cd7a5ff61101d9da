package io.jask.io.internal;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigInteger;
import java.nio.ByteOrder;

/**
 * Parses a decimal straight from bytes to the double {@link Double#parseDouble} gives, bit for
 * bit, without a String.
 *
 * <p>Design. The text {@code [-+]digits[.digits][(e|E)[-+]digits]} is read once into a decimal
 * significand {@code w} (its significant digits, leading zeros skipped, eight at a time after the
 * point) and a power of ten {@code q}, so the value is {@code w × 10^q}. Then, when {@code w} has
 * at most 19 digits (it fits 64 unsigned bits):
 *
 * <ol>
 *   <li>Clinger's fast path: {@code w < 2^53} and {@code |q| <= 22} make {@code w} and {@code 10^|q|}
 *       exact doubles, and one IEEE multiplication or division of them is correctly rounded.
 *   <li>Eisel–Lemire (Lemire, "Number parsing at a gigabyte per second", 2021, as in Go's {@code
 *       strconv} and fast_float): {@code w}, shifted so its top bit is set, times a 128-bit
 *       truncation of {@code 10^q} gives the leading bits of the product; when the bits that decide
 *       the rounding could still change by the truncation error, or the value lies exactly halfway
 *       between two doubles, or the result is subnormal or overflows, it gives up.
 * </ol>
 *
 * Everything else (more than 19 significant digits, subnormals, the rare give-ups, {@code
 * Infinity}, {@code NaN}, hex, whitespace, Java's {@code d}/{@code f} suffixes) goes to
 * FastDoubleParser's {@code byte[]} API, which is exact and reads Java's syntax. The 17-digit
 * decimals that {@link Double#toString} prints and most CSV writers produce (significand of 2^53
 * or more) take step 2: one 64×64-bit multiplication, rarely two.
 */
public final class DoubleParse {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final double[] POW10 = new double[23];
  /** The smallest and largest {@code q} with a table entry (beyond them the value is 0 or infinite). */
  static final int MIN_Q = -342;
  static final int MAX_Q = 308;
  /** {@code 10^q} as {@code (HI[q - MIN_Q] << 64 | LO[q - MIN_Q]) × 2^k}, top bit set, truncated. */
  private static final long[] HI = new long[MAX_Q - MIN_Q + 1];
  private static final long[] LO = new long[MAX_Q - MIN_Q + 1];

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p; // 10^0 … 10^22 are exact doubles
      p *= 10;
    }
    BigInteger mask = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    for (int q = MIN_Q; q <= MAX_Q; q++) {
      BigInteger m;
      if (q >= 0) {
        BigInteger five = BigInteger.valueOf(5).pow(q);
        int bl = five.bitLength();
        m = bl > 128 ? five.shiftRight(bl - 128) : five.shiftLeft(128 - bl);
      } else {
        BigInteger five = BigInteger.valueOf(5).pow(-q);
        // 2^(127 + bitLength) / 5^-q lies in (2^127, 2^128): 128 bits, rounded down
        m = BigInteger.ONE.shiftLeft(127 + five.bitLength()).divide(five);
      }
      HI[q - MIN_Q] = m.shiftRight(64).longValue();
      LO[q - MIN_Q] = m.and(mask).longValue();
    }
  }

  private DoubleParse() {}

  /**
   * The double in bytes {@code [s, e)}, as {@link Double#parseDouble} reads their text.
   *
   * <pre>{@code
   * byte[] b = "7,0.5953696494872133,k1".getBytes(US_ASCII);
   * double x = DoubleParse.parse(b, 2, 20);   // 0.5953696494872133
   * }</pre>
   *
   * @throws IllegalArgumentException naming the text when it is not a number
   */
  public static double parse(byte[] b, int s, int e) {
    return parse(b, s, e, new int[1]);
  }

  /** {@link #parse(byte[], int, int)} with a scratch cell for {@link #prefix}. */
  static double parse(byte[] b, int s, int e, int[] end) {
    double v = prefix(b, s, e, end);
    if (end[0] == e) {
      return v;
    }
    try {
      return JavaDoubleParser.parseDouble(b, s, e - s);
    } catch (NumberFormatException ex) {
      throw ColumnBuilder.bad(b, s, e, "DOUBLE");
    }
  }

  /**
   * The value of the plain decimal {@code [-+]digits[.digits][(e|E)[-+]digits]} that starts at
   * {@code b[s]} and ends at the first byte of {@code [s, to)} that cannot continue it; {@code
   * end[0]} receives that byte's position, or -1 when there is no such number or its value needs
   * the exact method (more than 19 significant digits, a subnormal, an Eisel–Lemire give-up). A
   * CSV reader passes the end of its bytes as {@code to} and checks that the number ended at a
   * delimiter, so a field is scanned once.
   */
  static double prefix(byte[] b, int s, int to, int[] end) {
    int i = s;
    boolean neg = false;
    if (i < to && (b[i] == '-' || b[i] == '+')) {
      neg = b[i] == '-';
      i++;
    }
    int first = i;
    while (i < to && b[i] == '0') {
      i++; // leading zeros: no significant digit
    }
    long w = 0;
    int sig = i;
    int d;
    while (i < to && (d = b[i] - '0') >= 0 && d <= 9) {
      w = w * 10 + d;
      i++;
    }
    int digits = i - sig;
    boolean any = i > first;
    int q = 0;
    if (i < to && b[i] == '.') {
      i++;
      int f = i;
      if (digits == 0) {
        while (i < to && b[i] == '0') {
          i++; // 0.000…: still no significant digit
        }
      }
      int g = i;
      long x;
      while (i + 8 <= to && isEightDigits(x = (long) LONGS.get(b, i))) {
        w = w * 100_000_000L + eightDigits(x); // wraps past 19 digits, which then falls back
        i += 8;
      }
      while (i < to && (d = b[i] - '0') >= 0 && d <= 9) {
        w = w * 10 + d;
        i++;
      }
      digits += i - g;
      q = f - i;
      any |= i > f;
    }
    if (i < to && (b[i] | 32) == 'e' && any) {
      int j = i + 1;
      boolean eneg = false;
      if (j < to && (b[j] == '-' || b[j] == '+')) {
        eneg = b[j] == '-';
        j++;
      }
      int x = 0;
      int from = j;
      while (j < to && (d = b[j] - '0') >= 0 && d <= 9) {
        if (x >= 100_000) {
          end[0] = -1; // an exponent this long: the exact method decides
          return Double.NaN;
        }
        x = x * 10 + d;
        j++;
      }
      if (j > from) {
        q += eneg ? -x : x;
        i = j;
      }
    }
    end[0] = -1;
    if (!any || digits > 19) {
      return Double.NaN;
    }
    if (w == 0) {
      end[0] = i;
      return neg ? -0.0 : 0.0;
    }
    double v;
    if ((w >>> 53) == 0 && q >= -22 && q <= 22) {
      v = q < 0 ? (double) w / POW10[-q] : (double) w * POW10[q];
      v = neg ? -v : v;
    } else {
      v = eiselLemire(w, q, neg);
      if (v != v) {
        return v;
      }
    }
    end[0] = i;
    return v;
  }

  /**
   * The integer {@code [-+]digits} (at most 18 digits, so it cannot overflow) that starts at {@code
   * b[s]} and ends at the first non-digit of {@code [s, to)}; {@code end[0]} receives that
   * position, or -1 when there is no digit or there are more than 18.
   */
  static long prefixLong(byte[] b, int s, int to, int[] end) {
    if (to - s >= 9) {
      int i = s;
      byte c = b[i];
      boolean neg = c == '-';
      if (neg || c == '+') {
        i++;
      }
      long x = (long) LONGS.get(b, i);
      int k = Long.numberOfTrailingZeros(nonDigits(x)) >>> 3;
      if (k < 8) {
        // up to 7 digits, all in one word: their count from the non-digit mask, no byte loop
        long v = digitsValue(x, k);
        end[0] = k > 0 ? i + k : -1;
        return neg ? -v : v;
      }
    }
    return slowPrefixLong(b, s, to, end);
  }

  /** {@link #prefixLong} byte by byte. */
  static long slowPrefixLong(byte[] b, int s, int to, int[] end) {
    int i = s;
    boolean neg = false;
    if (i < to && (b[i] == '-' || b[i] == '+')) {
      neg = b[i] == '-';
      i++;
    }
    int first = i;
    long v = 0;
    int d;
    while (i < to && (d = b[i] - '0') >= 0 && d <= 9) {
      v = v * 10 + d;
      i++;
    }
    end[0] = i > first && i - first <= 18 ? i : -1;
    return neg ? -v : v;
  }

  /**
   * The double nearest {@code w × 10^q} ({@code w != 0} read as unsigned), negated when {@code
   * neg}, or NaN when this method cannot tell it cheaply (then an exact method must).
   */
  static double eiselLemire(long w, int q, boolean neg) {
    if (q < MIN_Q || q > MAX_Q) {
      return Double.NaN;
    }
    int clz = Long.numberOfLeadingZeros(w);
    w <<= clz;
    // floor(q × log2(10)) + 64 + the exponent bias, less the normalizing shift
    long exp2 = ((217706L * q) >> 16) + 64 + 1023 - clz;
    long hiP = HI[q - MIN_Q];
    long xHi = unsignedMultiplyHigh(w, hiP);
    long xLo = w * hiP;
    // the truncated low half of 10^q may carry into the 9 bits below the 55 we keep: widen
    if ((xHi & 0x1FF) == 0x1FF && Long.compareUnsigned(xLo + w, xLo) < 0) {
      long loP = LO[q - MIN_Q];
      long yHi = unsignedMultiplyHigh(w, loP);
      long yLo = w * loP;
      long mHi = xHi;
      long mLo = xLo + yHi;
      if (Long.compareUnsigned(mLo, xLo) < 0) {
        mHi++;
      }
      if ((mHi & 0x1FF) == 0x1FF && mLo + 1 == 0 && Long.compareUnsigned(yLo + w, yLo) < 0) {
        return Double.NaN;
      }
      xHi = mHi;
      xLo = mLo;
    }
    long msb = xHi >>> 63;
    long mant = xHi >>> (msb + 9); // 54 bits: the 53 kept and a rounding bit
    exp2 -= 1 ^ msb;
    if (xLo == 0 && (xHi & 0x1FF) == 0 && (mant & 3) == 1) {
      return Double.NaN; // possibly exactly halfway: round-to-even needs the exact value
    }
    mant += mant & 1;
    mant >>>= 1;
    if ((mant >>> 53) != 0) {
      mant >>>= 1;
      exp2++;
    }
    if (exp2 <= 0 || exp2 >= 0x7FF) {
      return Double.NaN; // subnormal or infinite
    }
    long bits = exp2 << 52 | mant & 0x000F_FFFF_FFFF_FFFFL;
    return Double.longBitsToDouble(neg ? bits | Long.MIN_VALUE : bits);
  }

  /** The high 64 bits of the unsigned 128-bit product (Math.unsignedMultiplyHigh is Java 18). */
  static long unsignedMultiplyHigh(long a, long b) {
    return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
  }

  private static final long ZEROS = 0x3030303030303030L;

  /** The high bit of each byte of {@code x} that is not an ASCII digit, no other bit. */
  static long nonDigits(long x) {
    long a = x ^ ZEROS; // a digit becomes 0..9
    return (((a & 0x7F7F7F7F7F7F7F7FL) + 0x7676767676767676L) | a) & 0x8080808080808080L;
  }

  /**
   * The value of the first {@code k} (0 to 8) bytes of {@code x}, ASCII digits: shifted to the top
   * of the word, below them '0's (two shifts each, so that k = 0 and k = 8 need no branch).
   */
  static long digitsValue(long x, int k) {
    int a = 32 - 4 * k;
    int z = 4 * k;
    return eightDigits((x << a << a) | (ZEROS >>> z >>> z));
  }

  /** Whether the 8 bytes of {@code w} (first byte lowest) are all ASCII digits. */
  static boolean isEightDigits(long w) {
    return ((w & 0xF0F0F0F0F0F0F0F0L) | (((w + 0x0606060606060606L) & 0xF0F0F0F0F0F0F0F0L) >>> 4)) == 0x3333333333333333L;
  }

  /** The value of 8 ASCII digits in {@code w}, the first (most significant) in the lowest byte. */
  static int eightDigits(long w) {
    long v = w - 0x3030303030303030L;
    v = v * 10 + (v >>> 8); // pairs of digits
    v = ((v & 0x000000FF000000FFL) * (100 + (1_000_000L << 32)) + ((v >>> 16) & 0x000000FF000000FFL) * (1 + (10_000L << 32))) >>> 32;
    return (int) v;
  }
}
