package io.jask.distributed.diagnostics;

import io.jask.distributed.Future;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a set of futures, like {@code distributed.progress(futures)}: counts the futures
 * that are done (finished, failed or cancelled) and draws a terminal progress bar while a console
 * is attached ({@code System.console() != null}; without one nothing is drawn, since the bar's
 * {@code \r} frames would litter logs).
 *
 * <pre>{@code
 * List<Future<Integer>> fs = client.map(x -> x + 1, inputs);
 * try (Progress p = Progress.of(fs)) {
 *   p.await();                     // bar reaches 100% as the futures complete
 * }
 * }</pre>
 */
public final class Progress implements AutoCloseable {
  private final long total;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final CountDownLatch all;
  private final ProgressBar bar;

  private Progress(Collection<? extends Future<?>> futures, PrintStream out) {
    List<? extends Future<?>> fs = List.copyOf(futures);
    this.total = fs.size();
    this.all = new CountDownLatch(fs.size());
    this.bar = out == null ? null
        : new ProgressBarBuilder().setTaskName("futures").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(200).setConsumer(new ConsoleProgressBarConsumer(out)).hideEta().build();
    for (Future<?> f : fs) {
      f.addDoneCallback(x -> {
        if (!"finished".equals(x.status())) {
          failed.incrementAndGet();
        }
        long n = done.incrementAndGet();
        if (bar != null) {
          bar.stepTo(n);
        }
        all.countDown();
      });
    }
  }

  /** Tracks {@code futures}, with a bar on the terminal if one is attached. */
  public static Progress of(Collection<? extends Future<?>> futures) {
    return new Progress(futures, System.console() == null ? null : System.err);
  }

  /** Tracks {@code futures} and draws the bar on {@code out} even without a console. */
  public static Progress of(Collection<? extends Future<?>> futures, PrintStream out) {
    return new Progress(futures, out);
  }

  /** How many futures are tracked. */
  public long total() {
    return total;
  }

  /** How many are done (finished, failed or cancelled). */
  public long done() {
    return done.get();
  }

  /** How many of the done ones failed or were cancelled. */
  public long failed() {
    return failed.get();
  }

  /** Whether a bar is drawn. */
  public boolean shown() {
    return bar != null;
  }

  /** Waits until every future is done. */
  public void await() throws InterruptedException {
    all.await();
  }

  /** Waits up to {@code timeout}; true if every future is done. */
  public boolean await(Duration timeout) throws InterruptedException {
    return all.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Draws the last frame and stops drawing (the futures are not touched). */
  @Override
  public void close() {
    if (bar != null) {
      bar.stepTo(done.get());
      bar.close();
    }
  }
}
