package io.jask.engine.diagnostics;

import io.jask.engine.config.Config;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The terminal progress bar of {@code compute()} and {@code persist()}: counts the tasks the
 * schedulers of this JVM finish (see {@link TaskEvents}) against the tasks they were given while
 * the bar is open. Shown only when a console is attached ({@code System.console() != null}) and
 * {@code diagnostics.progress-bar} is true: without a terminal the bar's {@code \r} frames would
 * litter logs and captured output, so nothing is drawn and nothing is subscribed.
 *
 * <pre>{@code
 * try (ConsoleProgress p = ConsoleProgress.start("compute")) {
 *   return scheduler.compute(graph, outputs);
 * }
 * }</pre>
 */
public final class ConsoleProgress implements AutoCloseable {
  private static final ConsoleProgress NONE = new ConsoleProgress();

  private final ProgressBar bar;
  private final TaskEvents.Subscription subscription;
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong done = new AtomicLong();

  private ConsoleProgress() {
    this.bar = null;
    this.subscription = null;
  }

  private ConsoleProgress(String name, PrintStream out) {
    this.bar =
        new ProgressBarBuilder()
            .setTaskName(name)
            .setInitialMax(0)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(200)
            .setConsumer(new ConsoleProgressBarConsumer(out))
            .hideEta()
            .build();
    this.subscription =
        TaskEvents.subscribe(
            new TaskEvents.Listener() {
              @Override
              public void taskDone(TaskEvent e) {
                bar.stepTo(done.incrementAndGet());
              }

              @Override
              public void tasksAdded(int ntasks) {
                bar.maxHint(total.addAndGet(ntasks));
              }
            });
  }

  /** A bar named {@code name} on {@code System.err} if a console is attached, else a no-op. */
  public static ConsoleProgress start(String name) {
    if (System.console() == null || !Config.getBoolean("diagnostics.progress-bar", true)) {
      return NONE;
    }
    return new ConsoleProgress(name, System.err);
  }

  /** A bar drawn on {@code out} whether or not a console is attached (for tests and tools). */
  public static ConsoleProgress startOn(String name, PrintStream out) {
    return new ConsoleProgress(name, out);
  }

  /** Whether this bar draws anything. */
  public boolean shown() {
    return bar != null;
  }

  /** Tasks finished while the bar was open. */
  public long done() {
    return done.get();
  }

  /** Tasks added while the bar was open. */
  public long total() {
    return total.get();
  }

  /** Draws the final frame and stops listening. */
  @Override
  public void close() {
    if (bar != null) {
      subscription.close();
      bar.maxHint(Math.max(total.get(), done.get()));
      bar.stepTo(done.get());
      bar.close();
    }
  }
}
