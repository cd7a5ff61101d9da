package io.jask.engine.distributed.worker;

import io.jask.engine.config.Config;
import io.jask.engine.distributed.protocol.Msg;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.function.Consumer;

/**
 * A worker's memory policy (dask's {@code WorkerMemoryManager}): it measures the process, spills
 * and pauses by fractions of the worker's memory limit, and reports managed, unmanaged and spilled
 * bytes. See {@code docs/memory.md}.
 *
 * <ul>
 *   <li>{@code target} (0.6): a put that takes managed memory (the estimated sizes of the values
 *       held) above it spills least recently used values ({@link DataStore.Spill#targetBytes()});
 *       as values live in the heap, the fraction applies to the smaller of the limit and the
 *       maximum heap;
 *   <li>{@code spill} (0.7): when the process memory is above it, {@link #check()} spills least
 *       recently used values until the process should be back below {@code target};
 *   <li>{@code pause} (0.8): above it the worker starts no new task and tells the scheduler, which
 *       sends it none (queued root tasks included) until it is below again;
 *   <li>{@code terminate} (0.95): the nanny (a {@code LocalCluster}) restarts the worker process
 *       above it; checked by the nanny, not here.
 * </ul>
 *
 * <p>Process memory is the resident set size ({@code VmRSS} of {@code /proc/self/status}) minus the
 * part of the committed heap that is free, and at least heap used + non-heap committed + direct
 * and mapped buffers (where {@code /proc} is missing). The heap's "used" counts garbage not yet
 * collected, so before acting on a reading above {@code spill} or {@code pause} the manager runs a
 * full collection (at most once per {@link #GC_INTERVAL_NANOS}) and measures again; after spilling
 * it waits for a collection before it spills for process memory again, since the spilled values
 * are freed only then.
 *
 * <p>{@link #check()} is called periodically by one thread ({@code
 * distributed.worker.memory.monitor-interval}); the spill I/O happens on that thread.
 */
final class MemoryManager {

  /** The fewest nanoseconds between two collections the manager asks for. */
  static final long GC_INTERVAL_NANOS = 1_000_000_000L;

  /**
   * Fractions of the memory limit; {@code Double.POSITIVE_INFINITY} turns a threshold off
   * (configured as {@code false}).
   */
  record Thresholds(double target, double spill, double pause, double terminate) {
    static final Thresholds DEFAULTS = new Thresholds(0.6, 0.7, 0.8, 0.95);

    /** The thresholds from {@code distributed.worker.memory.*}. */
    static Thresholds fromConfig() {
      return new Thresholds(
          fraction("distributed.worker.memory.target", DEFAULTS.target()),
          fraction("distributed.worker.memory.spill", DEFAULTS.spill()),
          fraction("distributed.worker.memory.pause", DEFAULTS.pause()),
          fraction("distributed.worker.memory.terminate", DEFAULTS.terminate()));
    }

    /** The bytes of {@code limit} for a fraction, or {@link Long#MAX_VALUE} when off or no limit. */
    static long bytes(double fraction, long limit) {
      if (limit <= 0 || Double.isInfinite(fraction)) {
        return Long.MAX_VALUE;
      }
      return (long) (fraction * limit);
    }
  }

  /** A fraction from configuration: a number in (0, ∞), or {@code false}/null for off. */
  static double fraction(String key, double def) {
    Object o = Config.get(key).orElse(null);
    if (o == null) {
      return def;
    }
    if (Boolean.FALSE.equals(o) || "false".equalsIgnoreCase(String.valueOf(o).trim())) {
      return Double.POSITIVE_INFINITY;
    }
    double d = o instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(o).trim());
    if (!(d > 0)) {
      throw new IllegalArgumentException(key + " must be a positive fraction or false, got " + o);
    }
    return d;
  }

  /** What the manager measures and does to the process; replaced in tests. */
  interface Probe {
    /** The process memory in bytes. */
    long processBytes();

    /** How many collections have run so far. */
    long gcCount();

    /** Runs a full collection. */
    void gc();

    /** The JVM this code runs in. */
    Probe JVM = new Probe() {
      @Override
      public long processBytes() {
        return jvmProcessBytes();
      }

      @Override
      public long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
          n += Math.max(0, gc.getCollectionCount());
        }
        return n;
      }

      @Override
      public void gc() {
        System.gc();
      }
    };
  }

  private final long limit;
  private final Thresholds thresholds;
  private final DataStore store;
  private final Probe probe;
  private final Consumer<Boolean> onPause;
  private final long nanosBetweenGc;
  private volatile boolean paused;
  private volatile long lastProcess;
  private long lastGcNanos;
  private boolean collected;
  private long gcCountAtEvict = -1;

  /**
   * @param limit the worker's memory limit in bytes (0: none; then nothing is spilled for process
   *     memory and the worker never pauses)
   * @param onPause told {@code true} when the worker pauses and {@code false} when it resumes
   */
  MemoryManager(long limit, Thresholds thresholds, DataStore store, Probe probe, Consumer<Boolean> onPause) {
    this(limit, thresholds, store, probe, onPause, GC_INTERVAL_NANOS);
  }

  MemoryManager(long limit, Thresholds thresholds, DataStore store, Probe probe, Consumer<Boolean> onPause, long nanosBetweenGc) {
    this.limit = limit;
    this.thresholds = thresholds;
    this.store = store;
    this.probe = probe;
    this.onPause = onPause;
    this.nanosBetweenGc = nanosBetweenGc;
  }

  /** The managed-memory target in bytes for the store ({@code target × limit}), 0 for none. */
  static long targetBytes(long limit, Thresholds t) {
    long b = Thresholds.bytes(t.target(), limit);
    return b == Long.MAX_VALUE ? 0 : b;
  }

  /**
   * The managed-memory target of a worker in a JVM where values have at most {@code maxHeap}
   * bytes ({@link #valueHeapBytes()}): {@code target × min(limit, maxHeap)}, since values live in
   * the heap (0 for none).
   */
  static long targetBytes(long limit, long maxHeap, Thresholds t) {
    return limit <= 0 ? 0 : targetBytes(maxHeap > 0 ? Math.min(limit, maxHeap) : limit, t);
  }

  /**
   * Where long-lived values end up: the capacity of the heap's old generation (with the parallel
   * collector about two thirds of the heap), or the whole heap when there is no such pool.
   */
  static long valueHeapBytes() {
    long old = 0;
    for (java.lang.management.MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      String n = pool.getName();
      if (pool.getType() == java.lang.management.MemoryType.HEAP && (n.contains("Old") || n.contains("Tenured"))) {
        old = Math.max(old, pool.getUsage().getMax());
      }
    }
    return old > 0 ? old : Runtime.getRuntime().maxMemory();
  }


  /** Measures the process and spills or pauses as the thresholds say; one thread at a time. */
  synchronized void check() {
    long p = probe.processBytes();
    long spillAt = Thresholds.bytes(thresholds.spill(), limit);
    long pauseAt = Thresholds.bytes(thresholds.pause(), limit);
    if ((p > spillAt || p > pauseAt) && (!collected || System.nanoTime() - lastGcNanos >= nanosBetweenGc)) {
      probe.gc(); // heap "used" includes garbage: measure what is live before acting on it
      lastGcNanos = System.nanoTime();
      collected = true;
      p = probe.processBytes();
    }
    if (p > spillAt && probe.gcCount() > gcCountAtEvict) {
      long targetAt = Math.min(spillAt, Thresholds.bytes(thresholds.target(), limit));
      long freed = store.evict(p - targetAt);
      if (freed > 0) {
        gcCountAtEvict = probe.gcCount(); // spilled values are freed by the next collection
      }
    }
    lastProcess = p;
    boolean nowPaused = p > pauseAt;
    if (nowPaused != paused) {
      paused = nowPaused;
      onPause.accept(nowPaused);
    }
  }

  /** Whether the worker is paused (process memory above {@code pause} at the last check). */
  boolean paused() {
    return paused;
  }

  /** The memory report of the last check, for heartbeats. */
  Msg.WorkerMemory report() {
    long p = lastProcess;
    long managed = store.managedBytes();
    return new Msg.WorkerMemory(managed, Math.max(0, p - managed), store.spilledBytes(), limit, paused);
  }

  /** Process memory now, by the rule in the class comment. */
  static long jvmProcessBytes() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    MemoryUsage heap = mem.getHeapMemoryUsage();
    long buffers = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      buffers += Math.max(0, pool.getMemoryUsed());
    }
    long jvmView = heap.getUsed() + mem.getNonHeapMemoryUsage().getCommitted() + buffers;
    long rss = rssBytes(ProcessHandle.current().pid());
    if (rss < 0) {
      return jvmView;
    }
    return Math.max(jvmView, rss - Math.max(0, heap.getCommitted() - heap.getUsed()));
  }

  /** The resident set size of a process, or -1 where unavailable. */
  static long rssBytes(long pid) {
    return io.jask.engine.distributed.internal.JvmLauncher.rssBytes(pid);
  }

}
