/**
 * The distributed worker, after {@code distributed.worker}: executes tasks the scheduler assigns,
 * keeps their results in a {@link io.jask.engine.distributed.worker.DataStore}, fetches missing
 * dependencies directly from other workers and serves its own data to peers and clients.
 *
 * <p>{@link io.jask.engine.distributed.worker.Worker} is the entry point (in process with {@link
 * io.jask.engine.distributed.worker.Worker#start}, as a JVM with {@link
 * io.jask.engine.distributed.worker.Worker#main}). Its decisions are made by {@code WorkerState},
 * a state machine that does no I/O (events in, instructions out); the rest of the package turns
 * messages into events and instructions into sends, fetches and thread-pool submissions.
 */
package io.jask.engine.distributed.worker;
