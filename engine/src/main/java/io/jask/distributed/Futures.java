package io.jask.distributed;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Functions over many futures, like {@code distributed.as_completed} and {@code wait}.
 *
 * <pre>{@code
 * for (Future<Integer> f : Futures.asCompleted(futures)) {
 *   System.out.println(f.result());      // in completion order
 * }
 * Futures.waitAll(futures);
 * Future<Integer> first = Futures.waitAny(futures);
 * }</pre>
 */
public final class Futures {
  private Futures() {}

  /** The futures in the order they finish (or fail); iterating blocks until the next is done. */
  public static <T> Iterable<Future<T>> asCompleted(Collection<Future<T>> futures) {
    BlockingQueue<Future<T>> done = new LinkedBlockingQueue<>();
    for (Future<T> f : futures) {
      f.addDoneCallback(done::add);
    }
    int total = futures.size();
    return () -> new Iterator<>() {
      private int taken;

      @Override
      public boolean hasNext() {
        return taken < total;
      }

      @Override
      public Future<T> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        try {
          taken++;
          return done.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new io.jask.engine.JaskCancelledException("interrupted while waiting for futures");
        }
      }
    };
  }

  /** Waits until every future is done (finished, failed or cancelled). */
  public static void waitAll(Collection<? extends Future<?>> futures) {
    try {
      waitAll(futures, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until every future is done, at most the given time. */
  public static void waitAll(Collection<? extends Future<?>> futures, long timeout, TimeUnit unit) throws TimeoutException {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (Future<?> f : futures) {
      all.add(f.toCompletableFuture().exceptionally(e -> null));
    }
    await(CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])), timeout, unit);
  }

  /** Waits until at least one future is done and returns it. */
  public static <T> Future<T> waitAny(Collection<Future<T>> futures) {
    CompletableFuture<Future<T>> first = new CompletableFuture<>();
    for (Future<T> f : futures) {
      f.addDoneCallback(first::complete);
    }
    try {
      return await(first, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T await(CompletableFuture<T> cf, long timeout, TimeUnit unit) throws TimeoutException {
    try {
      return timeout == Long.MAX_VALUE ? cf.get() : cf.get(timeout, unit);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.jask.engine.JaskCancelledException("interrupted while waiting for futures");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
