package io.jask.dataframe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Scratch}: a slot's array is long enough and kept per thread (the same array again for a
 * request it fits), a larger request replaces it, slots and threads never share an array, and
 * requests past the slots or past {@link Scratch#MAX_ROWS} get fresh arrays that are not kept.
 */
class ScratchTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4})
  void arrays_areLongEnough_keptPerSlotAndThread_andFreshPastTheLimits(int seed) throws Exception {
    Random r = new Random(seed);
    Scratch s = new Scratch(3);
    int n = seed == 0 ? 0 : 1 + r.nextInt(100_000);
    long[] a = s.longs(0, n);
    int[] b = s.ints(1, n);
    double[] c = s.doubles(2, n);
    assertTrue(a.length >= n && b.length >= n && c.length >= n, "seed " + seed);
    int smaller = n == 0 ? 0 : r.nextInt(n + 1);
    assertSame(a, s.longs(0, smaller), "the kept array again, seed " + seed);
    assertSame(b, s.ints(1, smaller), "seed " + seed);
    assertSame(c, s.doubles(2, smaller), "seed " + seed);
    int larger = a.length + 1 + r.nextInt(1000);
    long[] grown = s.longs(0, larger);
    assertTrue(grown.length >= larger, "seed " + seed);
    assertSame(grown, s.longs(0, larger), "the grown array is kept, seed " + seed);
    int[] other = s.ints(0, 10); // a slot asked for another type: a new array of that type
    assertSame(other, s.ints(0, 5), "seed " + seed);
    assertEquals(7, s.longs(3, 7).length, "past the slots: fresh");
    assertNotSame(s.longs(3, 7), s.longs(3, 7), "past the slots: not kept");
    int huge = Scratch.MAX_ROWS + 1;
    assertNotSame(s.ints(1, huge), s.ints(1, huge), "over the row limit: not kept");
    AtomicReference<Object> there = new AtomicReference<>();
    Thread t = new Thread(() -> there.set(s.ints(1, 1)));
    t.start();
    t.join();
    assertNotSame(s.ints(1, 1), there.get(), "another thread has its own arrays");
  }
}
