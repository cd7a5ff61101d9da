package io.jask.engine.distributed.scheduler;

import io.jask.engine.distributed.protocol.Msg;
import java.util.LinkedHashSet;
import java.util.Set;

/** What the scheduler knows about one connected worker (dask's {@code WorkerState}). */
final class WorkerRecord {
  final String address;
  final String name;
  final int nthreads;
  final long memoryLimit;
  final long pid;

  /**
   * Tasks sent to it and not finished, in the order they were sent; each task's {@link
   * TaskRecord#expectedNanos} is the duration expected when it was sent.
   */
  final Set<TaskRecord> processing = new LinkedHashSet<>();
  /** Sum of {@link #processing}'s expected durations. */
  long occupancyNanos;
  /** Waiting tasks sent to it ahead of time (speculative assignment). */
  final Set<TaskRecord> preassigned = new LinkedHashSet<>();
  /** Results it holds. */
  final Set<TaskRecord> has = new LinkedHashSet<>();
  long nbytesHeld;

  /** Set when the scheduler forgets this worker (it died or registered again as a new record). */
  boolean gone;

  long lastSeenNanos;
  Msg.Heartbeat lastHeartbeat;
  boolean paused;

  WorkerRecord(String address, Msg.RegisterWorker reg, long now) {
    this.address = address;
    this.name = reg.name() == null || reg.name().isEmpty() ? address : reg.name();
    this.nthreads = Math.max(1, reg.nthreads());
    this.memoryLimit = reg.memoryLimit();
    this.pid = reg.pid();
    this.lastSeenNanos = now;
  }

  void addProcessing(TaskRecord t, long expectedNanos) {
    if (!processing.add(t)) {
      occupancyNanos -= t.expectedNanos;
    }
    t.expectedNanos = expectedNanos;
    occupancyNanos += expectedNanos;
  }

  void removeProcessing(TaskRecord t) {
    if (processing.remove(t)) {
      occupancyNanos -= t.expectedNanos;
    }
  }

  void addReplica(TaskRecord t) {
    if (has.add(t)) {
      nbytesHeld += Math.max(0, t.nbytes);
    }
  }

  void removeReplica(TaskRecord t) {
    if (has.remove(t)) {
      nbytesHeld -= Math.max(0, t.nbytes);
    }
  }

  /** Running and accepting work. */
  boolean running() {
    return !paused;
  }

  WorkerInfo info() {
    Msg.Heartbeat h = lastHeartbeat;
    return new WorkerInfo(
        address, name, nthreads, memoryLimit, pid, processing.size(), occupancyNanos, has.size(),
        nbytesHeld, lastSeenNanos, paused,
        h == null ? 0 : h.memoryBytes(), h == null ? 0 : h.spilledBytes(), h == null ? 0 : h.cpu());
  }

  @Override
  public String toString() {
    return address;
  }
}
