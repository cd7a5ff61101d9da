package io.jask.engine.distributed.scheduler;

import io.jask.engine.distributed.protocol.Msg;

/**
 * What can happen to the scheduler: the server turns connections, decoded messages and its timer
 * into these and hands them, one at a time, to {@link SchedulerState#handle}.
 */
public sealed interface Event {

  /** A client connected (or sent {@link Msg.RegisterClient}); it is answered with a welcome. */
  record ClientConnected(String clientId) implements Event {}

  /** A message from a connected client. */
  record FromClient(String clientId, Msg msg) implements Event {}

  /** The client's connection is gone: everything it wanted is released. */
  record ClientGone(String clientId) implements Event {}

  /** A worker registered; {@code worker} is its data address, the worker's identity. */
  record WorkerConnected(String worker, Msg.RegisterWorker registration) implements Event {}

  /** A message from a registered worker. */
  record FromWorker(String worker, Msg msg) implements Event {}

  /** The worker's connection was lost, or the server decided the worker is gone. */
  record WorkerGone(String worker, String reason) implements Event {}

  /** The server's timer, about every 100 ms: heartbeat timeouts and work stealing. */
  record Tick() implements Event {}
}
