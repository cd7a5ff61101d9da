package io.jask.engine.distributed.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StuckClockTest {
  private static final long S = 1_000_000_000L;

  @Test
  void reportsAfterAPeriodWithoutProgress_thenOncePerPeriod() {
    StuckClock c = new StuckClock(10 * S);
    assertFalse(c.due(5, true, 0)); // first sight of the counter starts the period
    assertFalse(c.due(5, true, 9 * S));
    assertTrue(c.due(5, true, 10 * S));
    assertEquals(10, c.stuckSeconds(10 * S));
    assertFalse(c.due(5, true, 15 * S)); // reported 5 s ago
    assertTrue(c.due(5, true, 20 * S));
  }

  @Test
  void progressRestartsThePeriod() {
    StuckClock c = new StuckClock(10 * S);
    c.due(1, true, 0);
    assertTrue(c.due(1, true, 11 * S));
    assertFalse(c.due(2, true, 12 * S));
    assertFalse(c.due(2, true, 21 * S));
    assertTrue(c.due(2, true, 22 * S));
  }

  @Test
  void nothingPendingOrNoPeriod_neverReports() {
    StuckClock idle = new StuckClock(10 * S);
    idle.due(1, false, 0);
    assertFalse(idle.due(1, false, 100 * S));
    StuckClock off = new StuckClock(0);
    off.due(1, true, 0);
    assertFalse(off.due(1, true, 100 * S));
  }
}
