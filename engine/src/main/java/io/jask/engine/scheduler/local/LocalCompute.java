package io.jask.engine.scheduler.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One computation on the {@code sync} or {@code threads} scheduler, visible to its tasks while
 * they run in this JVM: a task can keep per-computation state ({@link #state}) and register
 * actions that run when the computation ends, whether it succeeded, failed or was cancelled
 * ({@link #onEnd}). How collections free what lives outside the task results, such as a
 * shuffle's spill files. Tasks run by other schedulers (a child JVM, a worker) see none.
 *
 * <pre>{@code
 * LocalCompute.current().ifPresent(c -> c.onEnd(() -> Files.deleteIfExists(file)));
 * }</pre>
 */
public final class LocalCompute implements AutoCloseable {
  private static final ThreadLocal<LocalCompute> CURRENT = new ThreadLocal<>();

  private final List<Runnable> onEnd = new ArrayList<>();
  private final Map<Object, Object> state = new ConcurrentHashMap<>();
  private boolean closed;

  LocalCompute() {}

  /** The computation whose task runs on this thread, if it is a local one. */
  public static Optional<LocalCompute> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /** Runs a task as part of this computation ({@link #current()} is this one meanwhile). */
  Object run(TaskRunner runner, int slot, io.jask.engine.Key key, io.jask.engine.Task task, Object[] deps)
      throws Exception {
    LocalCompute before = CURRENT.get();
    CURRENT.set(this);
    try {
      return runner.run(slot, key, task, deps);
    } finally {
      if (before == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(before);
      }
    }
  }

  /** The state kept under {@code key} for this computation, created by {@code create} on first use. */
  @SuppressWarnings("unchecked")
  public <T> T state(Object key, Function<Object, T> create) {
    return (T) state.computeIfAbsent(key, create);
  }

  /** Whether the computation has ended (a task still running after a failure may see this). */
  public boolean ended() {
    synchronized (onEnd) {
      return closed;
    }
  }

  /** Runs {@code action} when the computation ends (at once if it already has). */
  public void onEnd(Runnable action) {
    synchronized (onEnd) {
      if (!closed) {
        onEnd.add(action);
        return;
      }
    }
    action.run();
  }

  /** Ends the computation: runs the registered actions, last first; a failing action is logged. */
  @Override
  public void close() {
    List<Runnable> actions;
    synchronized (onEnd) {
      closed = true;
      actions = new ArrayList<>(onEnd);
      onEnd.clear();
    }
    for (int i = actions.size() - 1; i >= 0; i--) {
      try {
        actions.get(i).run();
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(LocalCompute.class).warn("end-of-computation action failed", e);
      }
    }
    state.clear();
  }
}
