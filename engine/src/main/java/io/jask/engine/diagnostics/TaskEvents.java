package io.jask.engine.diagnostics;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The JVM-wide stream of task events that progress bars and performance reports listen to. The
 * {@code sync} and {@code threads} schedulers publish every task they run; a distributed
 * scheduler running in this JVM (a {@code LocalCluster}, the {@code processes} pool) publishes
 * every task its workers report. Publishing costs one volatile read while nobody listens.
 *
 * <pre>{@code
 * try (TaskEvents.Subscription s = TaskEvents.subscribe(e -> System.out.println(e.key()))) {
 *   Jask.compute(collection);
 * }
 * }</pre>
 */
public final class TaskEvents {
  private static final CopyOnWriteArrayList<Listener> LISTENERS = new CopyOnWriteArrayList<>();
  private static volatile boolean active;

  private TaskEvents() {}

  /** Receives task events; called on scheduler threads, so it must be quick and thread-safe. */
  @FunctionalInterface
  public interface Listener {
    /** A task finished (or failed). */
    void taskDone(TaskEvent event);

    /** A scheduler accepted {@code ntasks} new tasks to run (a graph was submitted). */
    default void tasksAdded(int ntasks) {}
  }

  /** A registration; closing it stops the events. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  /** Starts delivering events to {@code listener} until the subscription is closed. */
  public static Subscription subscribe(Listener listener) {
    LISTENERS.add(listener);
    active = true;
    return () -> {
      LISTENERS.remove(listener);
      active = !LISTENERS.isEmpty();
    };
  }

  /** Whether anyone listens (schedulers skip building events otherwise). */
  public static boolean active() {
    return active;
  }

  /** Publishes a finished task. */
  public static void taskDone(TaskEvent event) {
    if (!active) {
      return;
    }
    for (Listener l : LISTENERS) {
      try {
        l.taskDone(event);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(TaskEvents.class).warn("task event listener failed", e);
      }
    }
  }

  /** Publishes that {@code ntasks} tasks were added. */
  public static void tasksAdded(int ntasks) {
    if (!active || ntasks <= 0) {
      return;
    }
    for (Listener l : LISTENERS) {
      try {
        l.tasksAdded(ntasks);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(TaskEvents.class).warn("task event listener failed", e);
      }
    }
  }
}
