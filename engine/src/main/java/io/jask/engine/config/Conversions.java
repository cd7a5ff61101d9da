package io.jask.engine.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed views of a {@link Setting}. Each method accepts the natural Java type and its string
 * form, and otherwise fails with an {@link IllegalArgumentException} that names the key, the value
 * and the layer it came from.
 */
final class Conversions {
  private static final Pattern QUANTITY =
      Pattern.compile("\\s*((?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*([a-zA-Zµ]*)\\s*");

  /** Byte units as in {@code dask.utils.parse_bytes}, keyed by lowercase unit. */
  private static final Map<String, Long> BYTE_UNITS =
      Map.ofEntries(
          Map.entry("", 1L),
          Map.entry("b", 1L),
          Map.entry("k", 1_000L),
          Map.entry("kb", 1_000L),
          Map.entry("m", 1_000_000L),
          Map.entry("mb", 1_000_000L),
          Map.entry("g", 1_000_000_000L),
          Map.entry("gb", 1_000_000_000L),
          Map.entry("t", 1_000_000_000_000L),
          Map.entry("tb", 1_000_000_000_000L),
          Map.entry("p", 1_000_000_000_000_000L),
          Map.entry("pb", 1_000_000_000_000_000L),
          Map.entry("ki", 1L << 10),
          Map.entry("kib", 1L << 10),
          Map.entry("mi", 1L << 20),
          Map.entry("mib", 1L << 20),
          Map.entry("gi", 1L << 30),
          Map.entry("gib", 1L << 30),
          Map.entry("ti", 1L << 40),
          Map.entry("tib", 1L << 40),
          Map.entry("pi", 1L << 50),
          Map.entry("pib", 1L << 50));

  /** Duration units in nanoseconds, keyed by lowercase unit; no unit means seconds. */
  private static final Map<String, Long> DURATION_UNITS =
      Map.ofEntries(
          Map.entry("", 1_000_000_000L),
          Map.entry("ns", 1L),
          Map.entry("us", 1_000L),
          Map.entry("µs", 1_000L),
          Map.entry("ms", 1_000_000L),
          Map.entry("s", 1_000_000_000L),
          Map.entry("sec", 1_000_000_000L),
          Map.entry("m", 60_000_000_000L),
          Map.entry("min", 60_000_000_000L),
          Map.entry("h", 3_600_000_000_000L),
          Map.entry("d", 86_400_000_000_000L),
          Map.entry("w", 604_800_000_000_000L));

  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

  private Conversions() {}

  static String toString(String key, Setting s) {
    Object v = s.value();
    if (v instanceof String str) {
      return str;
    }
    if (v instanceof Number || v instanceof Boolean || v instanceof Duration) {
      return v.toString();
    }
    throw fail(key, s, "is not a string");
  }

  static long toLong(String key, Setting s) {
    Object v = s.value();
    try {
      if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
        return ((Number) v).longValue();
      }
      if (v instanceof Number n) {
        return new BigDecimal(n.toString()).longValueExact();
      }
      if (v instanceof String str) {
        return new BigDecimal(str.trim().replace("_", "")).longValueExact();
      }
    } catch (ArithmeticException | NumberFormatException e) {
      // falls through to the error below
    }
    throw fail(key, s, "is not an integer");
  }

  static int toInt(String key, Setting s) {
    long value = toLong(key, s);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw fail(key, s, "is out of the int range");
    }
    return (int) value;
  }

  static double toDouble(String key, Setting s) {
    Object v = s.value();
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String str) {
      try {
        return Double.parseDouble(str.trim());
      } catch (NumberFormatException e) {
        // falls through
      }
    }
    throw fail(key, s, "is not a number");
  }

  static boolean toBoolean(String key, Setting s) {
    Object v = s.value();
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String str) {
      String t = str.trim().toLowerCase(Locale.ROOT);
      if (t.equals("true") || t.equals("yes") || t.equals("on")) {
        return true;
      }
      if (t.equals("false") || t.equals("no") || t.equals("off")) {
        return false;
      }
    }
    throw fail(key, s, "is not a boolean (true or false)");
  }

  /** {@code "auto"} (any case) returns {@code def}; see {@code Config.getBytes}. */
  static long toBytes(String key, Setting s, long def) {
    Object v = s.value();
    if (v instanceof String str && str.trim().equalsIgnoreCase("auto")) {
      return def;
    }
    BigDecimal amount = null;
    long unit = 1;
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      amount = BigDecimal.valueOf(((Number) v).longValue());
    } else if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
      amount = new BigDecimal(n.toString());
    } else if (v instanceof String str) {
      Matcher m = QUANTITY.matcher(str);
      Long u = m.matches() ? BYTE_UNITS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
      if (u != null) {
        amount = new BigDecimal(m.group(1));
        unit = u;
      }
    }
    if (amount != null && amount.signum() >= 0) {
      try {
        return amount.multiply(BigDecimal.valueOf(unit)).toBigInteger().longValueExact();
      } catch (ArithmeticException e) {
        throw fail(key, s, "is too large a byte size");
      }
    }
    throw fail(key, s, "is not a byte size such as 512MB, 4GiB, 100kB or a number of bytes");
  }

  static Duration toDuration(String key, Setting s) {
    Object v = s.value();
    if (v instanceof Duration d) {
      return d;
    }
    BigDecimal amount = null;
    long nanosPerUnit = 1_000_000_000L;
    if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
      amount = new BigDecimal(n.toString());
    } else if (v instanceof String str) {
      Matcher m = QUANTITY.matcher(str);
      Long u = m.matches() ? DURATION_UNITS.get(m.group(2).toLowerCase(Locale.ROOT)) : null;
      if (u != null) {
        amount = new BigDecimal(m.group(1));
        nanosPerUnit = u;
      }
    }
    if (amount != null && amount.signum() >= 0) {
      BigInteger nanos = amount.multiply(BigDecimal.valueOf(nanosPerUnit)).toBigInteger();
      BigInteger[] secondsAndNanos = nanos.divideAndRemainder(NANOS_PER_SECOND);
      try {
        return Duration.ofSeconds(
            secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
      } catch (ArithmeticException e) {
        throw fail(key, s, "is too long a duration");
      }
    }
    throw fail(key, s, "is not a duration such as 30s, 100ms, 2m, 1h or a number of seconds");
  }

  static IllegalArgumentException fail(String key, Setting s, String problem) {
    return new IllegalArgumentException(
        "config key '" + key + "' = '" + s.value() + "' (from " + s.origin() + ") " + problem);
  }
}
