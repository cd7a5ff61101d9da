package io.jask.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.distributed.diagnostics.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code Progress.of(futures)}: counts done and failed futures and draws a bar where asked. */
@ExtendWith(ClusterExtension.class)
class ProgressTest {

  @Test
  void progress_countsFinishedAndFailedFutures(Client client) throws Exception {
    Random r = new Random(11);
    List<Integer> xs = new ArrayList<>();
    int failing = 0;
    for (int i = 0; i < 40; i++) {
      int x = r.nextInt(1_000_000) * 40 + i; // distinct inputs: pure keys never collapse
      xs.add(x);
      if (x % 5 == 0) {
        failing++;
      }
    }
    List<Future<Integer>> fs = client.map((Integer x) -> {
      if (x % 5 == 0) {
        throw new IllegalArgumentException("multiple of five: " + x);
      }
      return x + 1;
    }, xs);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Progress p = Progress.of(fs, new PrintStream(out, true, StandardCharsets.UTF_8))) {
      assertTrue(p.await(Duration.ofSeconds(60)), "all futures done");
      assertEquals(xs.size(), p.total());
      assertEquals(xs.size(), p.done());
      assertEquals(failing, p.failed(), "failed futures of " + xs);
      assertTrue(p.shown());
    }
    for (int i = 0; i < xs.size(); i++) {
      if (xs.get(i) % 5 != 0) {
        assertEquals(xs.get(i) + 1, fs.get(i).result());
      }
    }
    String drawn = out.toString(StandardCharsets.UTF_8);
    assertTrue(drawn.contains("futures") && drawn.contains("100%"), drawn);
  }

  @Test
  void progress_withoutAConsole_drawsNothing_butStillCounts(Client client) throws Exception {
    List<Future<Integer>> fs = client.map((Integer x) -> x * 2, List.of(101, 102, 103));
    try (Progress p = Progress.of(fs)) {
      p.await();
      assertEquals(System.console() != null, p.shown());
      assertEquals(3, p.done());
      assertEquals(0, p.failed());
    }
    assertEquals(List.of(202, 204, 206), client.gather(fs));
  }

  @Test
  void progress_ofNothing_isDoneAtOnce() throws Exception {
    try (Progress p = Progress.of(List.of())) {
      assertTrue(p.await(Duration.ZERO));
      assertEquals(0, p.total());
      assertFalse(p.failed() > 0);
    }
  }
}
