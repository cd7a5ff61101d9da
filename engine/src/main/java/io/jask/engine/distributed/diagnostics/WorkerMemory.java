package io.jask.engine.distributed.diagnostics;

/**
 * A worker's memory and load as the dashboard shows it, from its latest heartbeat.
 *
 * <ul>
 *   <li>{@code managed}: the bytes of the results it holds (the store's size estimates);
 *   <li>{@code unmanaged}: process memory beyond that (heap and non-heap in use minus managed);
 *   <li>{@code spilled}: bytes of held results written to disk, as the heartbeat reports them
 *       (0 until a worker spills; the memory manager fills {@code Heartbeat.spilledBytes}).
 * </ul>
 */
public record WorkerMemory(long managed, long unmanaged, long spilled, long processMemory, double cpuPercent,
    int executing, int ready, long epochMillis) {

  /** From a heartbeat's numbers. */
  public static WorkerMemory of(long processMemory, long managed, long spilled, double cpu, int executing, int ready) {
    return new WorkerMemory(managed, Math.max(0, processMemory - managed), spilled, processMemory, cpu, executing, ready,
        System.currentTimeMillis());
  }

  static final WorkerMemory NONE = new WorkerMemory(0, 0, 0, 0, 0, 0, 0, 0);
}
