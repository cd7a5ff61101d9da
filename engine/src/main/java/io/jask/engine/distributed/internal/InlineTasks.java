package io.jask.engine.distributed.internal;

/**
 * Marks the thread that runs a worker's tiny task inline (on the thread that received it; see
 * {@code distributed.worker.inline-task-limit}). That thread also reads and writes the worker's
 * connections, so a blocking wait inside the task for something a connection brings (a nested
 * client's result, say) could wait for good. A {@code Client} calls {@link #checkMayBlock} before
 * it blocks: the inline run fails, and the worker runs the task again on its pool, where it may
 * block, and keeps that function on the pool from then on (like Netty's {@code
 * BlockingOperationException} on an event loop).
 */
public final class InlineTasks {

  private static final ThreadLocal<boolean[]> RUNNING = ThreadLocal.withInitial(() -> new boolean[1]);

  private InlineTasks() {}

  /** The calling thread starts (true) or ends (false) running a task inline. */
  public static void running(boolean inline) {
    RUNNING.get()[0] = inline;
  }

  /** Whether the calling thread is running a task inline. */
  public static boolean running() {
    return RUNNING.get()[0];
  }

  /**
   * Throws if the calling thread runs a task inline: {@code what} would block it.
   *
   * @throws IllegalStateException naming {@code what}
   */
  public static void checkMayBlock(String what) {
    if (running()) {
      throw new IllegalStateException(what + " would block the worker thread that runs this task inline"
          + " (it also serves the worker's connections); the task runs again on the worker's pool");
    }
  }
}
