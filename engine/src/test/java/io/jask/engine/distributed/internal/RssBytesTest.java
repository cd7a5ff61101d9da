package io.jask.engine.distributed.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link JvmLauncher#rssBytes}: the byte scan of {@code /proc/PID/status} against a line-by-line parse. */
class RssBytesTest {

  /** The oracle: the plain line-by-line parse. */
  private static long byLines(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String v = line.substring(6).trim();
        return v.isEmpty() || !Character.isDigit(v.charAt(0)) ? -1 : Long.parseLong(v.split("\\s+")[0]) * 1024;
      }
    }
    return -1;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 99})
  void randomStatusFiles_agreeWithLineParse(long seed) {
    Random r = new Random(seed);
    for (int c = 0; c < 300; c++) {
      List<String> lines = new ArrayList<>();
      String[] names = {"Name:\tjava", "VmPeak:\t 123 kB", "VmRSSx:\t5 kB", "RssAnon:\t 77 kB", "Threads:\t12", "xVmRSS:\t9 kB"};
      for (int i = r.nextInt(8); i > 0; i--) {
        lines.add(names[r.nextInt(names.length)]);
      }
      if (r.nextInt(4) != 0) {
        long kb = r.nextInt(3) == 0 ? r.nextInt(10) : Math.abs(r.nextLong() % 1_000_000_000L);
        String pad = " ".repeat(r.nextInt(9)) + (r.nextBoolean() ? "\t" : "");
        lines.add(r.nextInt(10) == 0 ? "VmRSS:" + pad : "VmRSS:" + pad + kb + (r.nextBoolean() ? " kB" : ""));
      }
      Collections.shuffle(lines, r);
      String status = String.join("\n", lines) + (r.nextBoolean() ? "\n" : "");
      assertEquals(byLines(status), JvmLauncher.vmRssBytes(status.getBytes(StandardCharsets.US_ASCII)), status);
    }
  }

  @Test
  void thisProcess_matchesTheLineParse_andIsPositive() throws Exception {
    Path p = Path.of("/proc/self/status");
    if (!Files.exists(p)) {
      assertEquals(-1, JvmLauncher.rssBytes(-42)); // no /proc here: unavailable
      return;
    }
    long viaScan = JvmLauncher.rssBytes(ProcessHandle.current().pid());
    long viaLines = byLines(Files.readString(p));
    assertTrue(viaScan > 0, "rss " + viaScan);
    // RSS moves between the two reads: the same order of magnitude
    assertTrue(Math.abs(viaScan - viaLines) < Math.max(viaLines / 4, 64L << 20), viaScan + " vs " + viaLines);
    assertEquals(-1, JvmLauncher.rssBytes(Long.MAX_VALUE)); // no such process
  }
}
