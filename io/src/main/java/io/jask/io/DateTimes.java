package io.jask.io;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import tech.tablesaw.api.DateTimeColumn;
import tech.tablesaw.columns.datetimes.PackedLocalDateTime;
import tech.tablesaw.columns.times.PackedLocalTime;

/**
 * Conversions for {@link DType#DATETIME} values. Jask computes on a date-time as the number of
 * milliseconds since 1970-01-01T00:00 (no zone, as pandas' {@code datetime64[ms]}), {@link
 * #MISSING} when missing; Tablesaw stores it packed (date in the high 32 bits, time of day in
 * the low). Text is ISO-8601: {@code 2024-01-02}, {@code 2024-01-02T03:04:05.678}
 * or {@code 2024-01-02 03:04:05} (seconds and fraction optional; digits past the millisecond are
 * dropped).
 *
 * <pre>{@code
 * long ms = DateTimes.parse("2024-01-02T03:04:05");    // 1704164645000
 * DateTimes.format(ms);                                // "2024-01-02T03:04:05"
 * long[] v = DateTimes.millis(table.dateTimeColumn("t"));
 * }</pre>
 */
public final class DateTimes {
  private DateTimes() {}

  /** The epoch-millisecond value of a missing date-time. */
  public static final long MISSING = Long.MIN_VALUE;

  private static final long DAY = 86_400_000L;

  /** The epoch milliseconds of a date-time (millisecond precision: finer digits are dropped). */
  public static long millis(LocalDateTime t) {
    return t.toLocalDate().toEpochDay() * DAY + t.toLocalTime().toNanoOfDay() / 1_000_000L;
  }

  /** The date-time of epoch milliseconds. */
  public static LocalDateTime of(long millis) {
    return LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000L), (int) Math.floorMod(millis, 1000L) * 1_000_000,
        ZoneOffset.UTC);
  }

  /** Tablesaw's packed form of epoch milliseconds ({@link #MISSING} stays missing). */
  public static long toPacked(long millis) {
    if (millis == MISSING) {
      return Long.MIN_VALUE;
    }
    LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(millis, DAY));
    int ms = (int) Math.floorMod(millis, DAY);
    int time = PackedLocalTime.of(ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    int date = (d.getYear() << 16) | (d.getMonthValue() << 8) | d.getDayOfMonth();
    return (((long) date) << 32) | (time & 0xffffffffL);
  }

  /** Epoch milliseconds of Tablesaw's packed form (missing stays {@link #MISSING}). */
  public static long fromPacked(long packed) {
    if (packed == Long.MIN_VALUE) {
      return MISSING;
    }
    int date = PackedLocalDateTime.date(packed);
    int time = PackedLocalDateTime.time(packed);
    long day = LocalDate.of((short) (date >> 16), (date >> 8) & 0xff, date & 0xff).toEpochDay();
    return day * DAY + PackedLocalTime.getMillisecondOfDay(time);
  }

  /** The epoch milliseconds of every value of a column ({@link #MISSING} where missing). */
  public static long[] millis(DateTimeColumn c) {
    int n = c.size();
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = fromPacked(c.getLongInternal(i));
    }
    return out;
  }

  /** A column of epoch milliseconds ({@link #MISSING} is missing). */
  public static DateTimeColumn column(String name, long[] millis) {
    long[] packed = new long[millis.length];
    for (int i = 0; i < packed.length; i++) {
      packed[i] = toPacked(millis[i]);
    }
    return DateTimeColumn.createInternal(name, packed);
  }

  /** ISO-8601 text of epoch milliseconds: {@code 2024-01-02T03:04:05}, with {@code .678} when not whole seconds. */
  public static String format(long millis) {
    LocalDateTime t = of(millis);
    StringBuilder b = new StringBuilder(23);
    b.append(t.toLocalDate()).append('T');
    two(b, t.getHour()).append(':');
    two(b, t.getMinute()).append(':');
    two(b, t.getSecond());
    int ms = t.getNano() / 1_000_000;
    if (ms != 0) {
      b.append('.').append((char) ('0' + ms / 100)).append((char) ('0' + ms / 10 % 10)).append((char) ('0' + ms % 10));
    }
    return b.toString();
  }

  private static StringBuilder two(StringBuilder b, int v) {
    return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  /** The epoch milliseconds of ISO-8601 text; fails naming the text. */
  public static long parse(String text) {
    byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return parse(b, 0, b.length);
  }

  /**
   * The epoch milliseconds of the ISO-8601 text in bytes {@code [s, e)} ({@code yyyy-MM-dd},
   * optionally followed by {@code T} or a space and {@code HH:mm[:ss[.fraction]]}); throws
   * {@link IllegalArgumentException} naming the text when it is not one.
   */
  public static long parse(byte[] b, int s, int e) {
    long r = tryParse(b, s, e);
    if (r == MISSING) {
      throw new IllegalArgumentException("cannot parse '" + new String(b, s, Math.min(e - s, 80),
          java.nio.charset.StandardCharsets.UTF_8) + "' as DATETIME (ISO-8601 like 2024-01-02 or 2024-01-02T03:04:05.678)");
    }
    return r;
  }

  /** Whether bytes {@code [s, e)} are ISO-8601 date-time text that {@link #parse} reads. */
  public static boolean isDateTime(byte[] b, int s, int e) {
    return tryParse(b, s, e) != MISSING;
  }

  private static long tryParse(byte[] b, int s, int e) {
    int n = e - s;
    if (n < 10 || b[s + 4] != '-' || b[s + 7] != '-') {
      return MISSING;
    }
    int y = digits(b, s, 4);
    int mo = digits(b, s + 5, 2);
    int d = digits(b, s + 8, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > java.time.YearMonth.of(y, mo).lengthOfMonth()) {
      return MISSING;
    }
    long ms = 0;
    if (n > 10) {
      byte sep = b[s + 10];
      if ((sep != 'T' && sep != ' ') || n < 16 || b[s + 13] != ':') {
        return MISSING;
      }
      int h = digits(b, s + 11, 2);
      int mi = digits(b, s + 14, 2);
      if (h < 0 || h > 23 || mi < 0 || mi > 59) {
        return MISSING;
      }
      int sec = 0;
      int frac = 0;
      if (n > 16) {
        if (n < 19 || b[s + 16] != ':') {
          return MISSING;
        }
        sec = digits(b, s + 17, 2);
        if (sec < 0 || sec > 59) {
          return MISSING;
        }
        if (n > 19) {
          if (b[s + 19] != '.' || n == 20) {
            return MISSING;
          }
          int scale = 100;
          for (int i = s + 20; i < e; i++) {
            int dg = b[i] - '0';
            if (dg < 0 || dg > 9) {
              return MISSING;
            }
            frac += dg * scale;
            scale /= 10;
          }
        }
      }
      ms = ((h * 60L + mi) * 60L + sec) * 1000L + frac;
    }
    return daysFromCivil(y, mo, d) * DAY + ms;
  }

  private static int digits(byte[] b, int at, int count) {
    int v = 0;
    for (int i = at; i < at + count; i++) {
      int dg = b[i] - '0';
      if (dg < 0 || dg > 9) {
        return -1;
      }
      v = v * 10 + dg;
    }
    return v;
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
  private static long daysFromCivil(int y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
  }
}
