package io.jask.engine.distributed.scheduler;

import io.jask.engine.distributed.protocol.Msg;

/**
 * One message the server must write: {@code msg} to the client whose id, or to the worker whose
 * address, is {@code to}.
 */
public record Send(Target target, String to, Msg msg) {

  /** Whether {@code to} names a client or a worker. */
  public enum Target {
    CLIENT,
    WORKER
  }

  static Send toClient(String client, Msg msg) {
    return new Send(Target.CLIENT, client, msg);
  }

  static Send toWorker(String worker, Msg msg) {
    return new Send(Target.WORKER, worker, msg);
  }
}
