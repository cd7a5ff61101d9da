package io.jask.engine.distributed.comm;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: each inproc connection has
 * one, so its messages are delivered in order without a thread of its own.
 */
final class SerialExecutor implements Executor {

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

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException | Error e) {
        LoggerFactory.getLogger(SerialExecutor.class).error("Task failed", e);
      }
    }
  }
}
