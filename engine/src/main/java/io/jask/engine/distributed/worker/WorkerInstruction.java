package io.jask.engine.distributed.worker;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.List;

/** What to do, as returned by {@link WorkerState#handle}; the {@link Worker} carries it out. */
sealed interface WorkerInstruction {

  /** Send this message to the scheduler. */
  record Send(Msg msg) implements WorkerInstruction {}

  /** Ask {@code peer} for these keys with one GetData; answer with FetchDone or FetchFailed. */
  record Fetch(String peer, List<Key> keys) implements WorkerInstruction {}

  /** Run this task on the pool; answer with TaskSucceeded or TaskFailed. */
  record Execute(Msg.TaskSpec spec) implements WorkerInstruction {}

  /** Drop these values from the store. */
  record Discard(List<Key> keys) implements WorkerInstruction {}
}
