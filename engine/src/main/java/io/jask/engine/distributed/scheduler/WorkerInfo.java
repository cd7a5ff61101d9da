package io.jask.engine.distributed.scheduler;

/**
 * A read-only snapshot of one worker for tests, the dashboard and the server.
 *
 * @param address the worker's data address (its identity)
 * @param processing how many tasks were sent to it and not finished
 * @param occupancyNanos the expected time to run them all on one thread
 * @param heldKeys how many results it holds
 * @param nbytesHeld their size as reported when they finished
 * @param lastSeenNanos the scheduler time of its last message
 * @param paused whether it reported memory above the pause fraction of its limit
 */
public record WorkerInfo(
    String address,
    String name,
    int nthreads,
    long memoryLimit,
    long pid,
    int processing,
    long occupancyNanos,
    int heldKeys,
    long nbytesHeld,
    long lastSeenNanos,
    boolean paused,
    long memoryBytes,
    long spilledBytes,
    double cpu) {}
