package io.jask.distributed;

import io.jask.engine.JaskCancelledException;
import io.jask.engine.JaskTaskException;
import io.jask.engine.Key;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A remote result on the cluster, like {@code distributed.Future}: it names a key that a worker
 * computes or holds. The result stays on the workers while any {@code Future} for its key is
 * unreleased; {@link #release()} (or garbage collection of the future) lets the cluster forget it.
 * Passing a future as an argument of {@code submit} makes it a dependency: the data moves between
 * workers directly.
 *
 * <pre>{@code
 * Future<Integer> f = client.submit((Integer x) -> x + 1, 41);
 * int v = f.result();                    // 42; throws JaskTaskException if the task failed
 * f.addDoneCallback(done -> log.info("{} done", done.key()));
 * CompletableFuture<Integer> cf = f.toCompletableFuture();
 * }</pre>
 *
 * @param <T> the result's type
 */
public final class Future<T> implements java.util.concurrent.Future<T> {
  private final Client client;
  private final Key key;
  private final Client.KeyState state;
  private final java.lang.ref.Cleaner.Cleanable releaser;

  Future(Client client, Key key, Client.KeyState state) {
    this.client = client;
    this.key = key;
    this.state = state;
    this.releaser = client.track(this, state);
  }

  /** The key of the result. */
  public Key key() {
    return key;
  }

  /** The client this future belongs to. */
  public Client client() {
    return client;
  }

  /**
   * Waits for the result and fetches it from the worker that holds it.
   *
   * @throws JaskTaskException if the task (or one it depends on) failed, with the remote exception
   * @throws JaskCancelledException if the future was cancelled or the thread interrupted
   */
  public T result() {
    try {
      return result(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Like {@link #result()}, waiting at most the given time. */
  @SuppressWarnings("unchecked")
  public T result(long timeout, TimeUnit unit) throws TimeoutException {
    client.awaitDone(state, timeout, unit);
    return (T) client.fetch(key, state);
  }

  /** The exception of a failed task, or {@code null} if it succeeded; waits until done. */
  public Throwable exception() {
    try {
      client.awaitDone(state, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
      return null;
    } catch (JaskTaskException e) {
      return e.getCause() != null ? e.getCause() : e;
    }
  }

  /** Whether the task finished, failed or was cancelled. */
  public boolean done() {
    return state.done().isDone();
  }

  /** The status, as Dask names it: {@code pending}, {@code finished}, {@code error}, {@code cancelled}. */
  public String status() {
    return state.status();
  }

  /** Calls {@code callback} (on a client thread) when this future is done, at once if it is already. */
  public void addDoneCallback(Consumer<? super Future<T>> callback) {
    state.done().whenCompleteAsync((v, e) -> callback.accept(this), client.callbackExecutor());
  }

  /** A {@link CompletableFuture} of the result (fetched when the task finishes). */
  @SuppressWarnings("unchecked")
  public CompletableFuture<T> toCompletableFuture() {
    return state.done().thenApplyAsync(v -> (T) client.fetch(key, state), client.callbackExecutor());
  }

  /** Lets the cluster forget the result once no other future holds it. Idempotent. */
  public void release() {
    releaser.clean(); // at most once, however often it is called
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (done()) {
      return false;
    }
    client.cancel(java.util.List.of(this));
    return true;
  }

  @Override
  public boolean isCancelled() {
    return "cancelled".equals(state.status());
  }

  @Override
  public boolean isDone() {
    return done();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    try {
      return result();
    } catch (JaskCancelledException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException(e.getMessage());
      }
      throw e;
    } catch (JaskTaskException e) {
      throw new ExecutionException(e.getMessage(), e.getCause() != null ? e.getCause() : e);
    }
  }

  @Override
  public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    try {
      return result(timeout, unit);
    } catch (JaskTaskException e) {
      throw new ExecutionException(e.getMessage(), e.getCause() != null ? e.getCause() : e);
    }
  }

  @Override
  public String toString() {
    return "Future(" + key + ", " + status() + ")";
  }
}
