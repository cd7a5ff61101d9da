package io.jask.array.internal;

import org.nd4j.linalg.api.blas.Blas;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One BLAS thread per task while tasks run in parallel. Under the {@code threads} scheduler (and
 * on a distributed worker) as many product tasks run at once as there are cores, and each BLAS
 * call would start its own team of OpenBLAS threads: cores x cores threads fighting for the cores.
 * A product task run on a scheduler's pool thread (named {@code jask-threads-…} or {@code
 * jask-worker-…}) sets OpenBLAS to {@value #DEFAULT} thread for as long as any such task runs,
 * and the previous count is restored when the last one ends. Tasks of the {@code sync} scheduler
 * run on the caller's thread and keep every BLAS thread.
 *
 * <p>OpenBLAS's thread count is process-wide: it is changed only when no parallel product task is
 * inside BLAS (on the first one in, back on the last one out), never under a running call. The
 * system property {@code jask.array.blasThreadsPerTask} sets the count ({@code 0}: leave OpenBLAS
 * alone), to measure both.
 *
 * <pre>{@code
 * try (BlasThreads.Scope s = BlasThreads.forTask()) {
 *   Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
 * }
 * }</pre>
 */
public final class BlasThreads {
  static final int DEFAULT = 1;
  private static final Object LOCK = new Object();
  private static int active;
  private static int saved;

  private BlasThreads() {}

  /** Ends a task's BLAS section. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private static final Scope NOTHING = () -> {};

  /** Enters a product task's BLAS section (see the class comment). */
  public static Scope forTask() {
    int per = Integer.getInteger("jask.array.blasThreadsPerTask", DEFAULT);
    if (per <= 0 || !onParallelWorker(Thread.currentThread().getName())) {
      return NOTHING;
    }
    Blas blas = Nd4j.factory().blas();
    synchronized (LOCK) {
      if (active++ == 0) {
        saved = blas.getMaxThreads();
        if (saved != per) {
          blas.setMaxThreads(per);
        }
      }
    }
    return () -> {
      synchronized (LOCK) {
        if (--active == 0 && blas.getMaxThreads() != saved) {
          blas.setMaxThreads(saved);
        }
      }
    };
  }

  /** Whether a thread of this name runs tasks in parallel with others (a threads-pool or worker task thread). */
  static boolean onParallelWorker(String thread) {
    return thread.startsWith("jask-threads-")
        || thread.startsWith("jask-worker-") && !thread.contains("-io-") && !thread.endsWith("loop");
  }
}
