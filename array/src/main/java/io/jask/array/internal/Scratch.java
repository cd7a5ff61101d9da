package io.jask.array.internal;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Per-thread reusable {@code double[]} buffers for chunk-sized temporaries. A fresh 8 MB array
 * per chunk costs more than the kernel that uses it (the JVM zeroes it and the OS faults its pages
 * in: measured 3–8 times slower on this machine, BENCHMARKS.md "fresh memory costs more than the
 * kernel"); a task's temporaries are dead when it returns, so the next task on the same thread
 * reuses them. Small arrays are not pooled. A buffer must be given back only once, and never while
 * still referenced elsewhere.
 */
public final class Scratch {
  private static final int MIN_POOLED = 1 << 15;
  private static final int MAX_KEPT = 6;
  private static final ThreadLocal<ArrayDeque<double[]>> FREE = ThreadLocal.withInitial(ArrayDeque::new);

  private Scratch() {}

  /** An array of exactly {@code n} elements with unspecified contents. */
  public static double[] take(int n) {
    if (n >= MIN_POOLED) {
      Iterator<double[]> it = FREE.get().iterator();
      while (it.hasNext()) {
        double[] a = it.next();
        if (a.length == n) {
          it.remove();
          return a;
        }
      }
    }
    return new double[n];
  }

  /** Returns an array taken with {@link #take} for reuse by this thread. */
  public static void give(double[] a) {
    if (a == null || a.length < MIN_POOLED) {
      return;
    }
    ArrayDeque<double[]> free = FREE.get();
    for (double[] f : free) {
      if (f == a) {
        return;
      }
    }
    if (free.size() >= MAX_KEPT) {
      free.pollLast();
    }
    free.addFirst(a);
  }
}
