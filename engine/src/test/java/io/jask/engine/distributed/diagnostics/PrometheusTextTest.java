package io.jask.engine.distributed.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void labelsWithQuotesBackslashesAndNewlines_roundTripThroughTheParser() {
    PrometheusText p = new PrometheusText();
    p.family("x_total", "counter", "help with \\ and\nnewline");
    p.sample("x_total", 3, "k", "a\"b\\c\nd", "z", "");
    p.sample("x_total", 1.5, "k", "plain", "z", "q");
    List<PrometheusParser.Sample> s = PrometheusParser.parse(p.toString());
    assertEquals(3, PrometheusParser.value(s, "x_total", "k", "a\"b\\c\nd", "z", ""));
    assertEquals(1.5, PrometheusParser.value(s, "x_total", "k", "plain", "z", "q"));
  }

  @Test
  void histogram_bucketsAreCumulativeAndCountMatches_seededDurations() {
    long seed = 20261122L;
    Random r = new Random(seed);
    DurationHistogram h = new DurationHistogram();
    int n = 500;
    double sum = 0;
    long[] oracle = new long[DurationHistogram.BOUNDS.length];
    for (int i = 0; i < n; i++) {
      long nanos = (long) (Math.pow(10, r.nextDouble() * 11) ); // 1 ns .. 100 s
      h.observe(nanos);
      sum += nanos / 1e9;
      for (int b = 0; b < oracle.length; b++) {
        if (nanos / 1e9 <= DurationHistogram.BOUNDS[b]) {
          oracle[b]++;
        }
      }
    }
    PrometheusText p = new PrometheusText();
    p.family("d_seconds", "histogram", "d");
    h.writeTo(p, "d_seconds", "w", "x");
    List<PrometheusParser.Sample> s = PrometheusParser.parse(p.toString());
    for (int b = 0; b < oracle.length; b++) {
      assertEquals(oracle[b], PrometheusParser.value(s, "d_seconds_bucket", "w", "x", "le", PrometheusText.format(DurationHistogram.BOUNDS[b])),
          "seed " + seed + " bucket " + DurationHistogram.BOUNDS[b]);
    }
    assertEquals(n, PrometheusParser.value(s, "d_seconds_bucket", "w", "x", "le", "+Inf"));
    assertEquals(n, PrometheusParser.value(s, "d_seconds_count", "w", "x"));
    assertEquals(sum, PrometheusParser.value(s, "d_seconds_sum", "w", "x"), 1e-6 * sum);
  }

  @Test
  void parser_rejectsSamplesOfUndeclaredFamilies() {
    assertThrows(IllegalArgumentException.class, () -> PrometheusParser.parse("x 1\n"));
  }
}
