package io.jask.engine.distributed.comm;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: each inproc connection has
 * one, so its messages are delivered in order without a thread of its own.
 *
 * <p>{@link #claim} lets a sender run the task itself when nothing else is queued or running:
 * then a message crosses an inproc connection with no thread hand-off (a client's submit is
 * handled by the scheduler on the submitting thread; a finished task reaches the client on the
 * scheduler's thread, which wakes the caller blocked in {@code result()} directly).
 */
final class SerialExecutor implements Executor {

  /** A sender that claimed this executor runs at most this many tasks before handing the rest to the pool. */
  static final int INLINE_LIMIT = 64;

  private final Executor pool;
  private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  SerialExecutor(Executor pool) {
    this.pool = pool;
  }

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(task);
    if (!running) {
      running = true;
      pool.execute(this::drain);
    }
  }

  /**
   * Queues {@code task}; if nothing was running, marks this executor running for the caller
   * instead of the pool and returns true: the caller must then call {@link #runClaimed} (outside
   * any lock it holds for ordering). Returns false when another thread runs the queue.
   */
  synchronized boolean claim(Runnable task) {
    tasks.add(task);
    if (running) {
      return false;
    }
    running = true;
    return true;
  }

  /**
   * Runs queued tasks on the calling thread after a successful {@link #claim}, at most {@link
   * #INLINE_LIMIT}; what is left (others kept sending meanwhile) goes on on the pool.
   */
  void runClaimed() {
    for (int n = 0; n < INLINE_LIMIT; n++) {
      Runnable next = nextOrStop();
      if (next == null) {
        return;
      }
      runSafely(next);
    }
    synchronized (this) {
      if (tasks.isEmpty()) {
        running = false;
        return;
      }
    }
    pool.execute(this::drain); // still marked running: the pool thread carries on
  }

  private void drain() {
    for (Runnable next = nextOrStop(); next != null; next = nextOrStop()) {
      runSafely(next);
    }
  }

  /** The next queued task, or null after marking this executor idle when there is none. */
  private synchronized Runnable nextOrStop() {
    Runnable next = tasks.poll();
    if (next == null) {
      running = false;
    }
    return next;
  }

  private static void runSafely(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      LoggerFactory.getLogger(SerialExecutor.class).error("Task failed", e);
    }
  }
}
