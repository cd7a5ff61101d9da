/**
 * The distributed scheduler's decisions as a pure state machine: {@link
 * io.jask.engine.distributed.scheduler.SchedulerState} takes {@link
 * io.jask.engine.distributed.scheduler.Event}s (client and worker messages, connections, clock
 * ticks) and answers with {@link io.jask.engine.distributed.scheduler.Send}s. No sockets, threads
 * or clocks here: the Netty server turns bytes into events and sends into writes, and calls {@link
 * io.jask.engine.distributed.scheduler.SchedulerState#handle} from one thread.
 */
package io.jask.engine.distributed.scheduler;
