package io.jask.engine.distributed.scheduler;

import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Drives a {@link SchedulerState} with events, checking invariants after each one. */
final class Harness {
  final SchedulerState s;
  long now;
  final List<Send> all = new ArrayList<>();

  Harness(SchedulerState.Options options) {
    s = new SchedulerState(options);
    s.failFast = true;
  }

  /** Defaults without speculative assignment: the message-by-message tests of the plain protocol. */
  Harness() {
    this(SchedulerState.Options.defaults().withSpeculativeAssignment(false));
  }

  static SchedulerState.Options opts(int allowedFailures, boolean stealing, double saturation) {
    SchedulerState.Options d = SchedulerState.Options.defaults();
    return new SchedulerState.Options(allowedFailures, stealing, d.workerTtlNanos(), saturation,
        d.defaultTaskDurationNanos(), d.bandwidthBytesPerSec(), 0, false);
  }

  List<Send> on(Event e) {
    List<Send> out = new ArrayList<>();
    s.handle(now, e, out);
    Invariants.check(s);
    all.addAll(out);
    return out;
  }

  List<Send> client(String id) {
    return on(new Event.ClientConnected(id));
  }

  List<Send> worker(String address, int nthreads, Key... held) {
    return on(new Event.WorkerConnected(address,
        new Msg.RegisterWorker(address, address, nthreads, 0, 1, List.of(held))));
  }

  List<Send> submit(String client, int userPriority, List<Msg.TaskSpec> specs, Key... wanted) {
    return on(new Event.FromClient(client, new Msg.UpdateGraph(client, specs, List.of(wanted), userPriority)));
  }

  List<Send> submit(String client, List<Msg.TaskSpec> specs, Key... wanted) {
    return submit(client, 0, specs, wanted);
  }

  List<Send> finish(String worker, Key key, long nbytes) {
    return on(new Event.FromWorker(worker, new Msg.TaskFinished(key, nbytes, "T", 0, 1_000_000)));
  }

  List<Send> err(String worker, Key key) {
    return on(new Event.FromWorker(worker,
        new Msg.TaskErred(key, new byte[] {1}, "java.lang.IllegalStateException", "boom " + key, 1000)));
  }

  List<Send> gone(String worker) {
    return on(new Event.WorkerGone(worker, "test"));
  }

  List<Send> release(String client, Key... keys) {
    return on(new Event.FromClient(client, new Msg.ReleaseKeys(client, List.of(keys))));
  }

  List<Send> fromWorker(String worker, Msg msg) {
    return on(new Event.FromWorker(worker, msg));
  }

  List<Send> tick() {
    return on(new Event.Tick());
  }

  static Key k(String name) {
    return Key.of(name);
  }

  static Msg.TaskSpec spec(Key key, long priority, Key... deps) {
    return new Msg.TaskSpec(key, new byte[] {7}, List.of(deps), priority, 0, Set.of(), true);
  }

  static Msg.TaskSpec spec(String key, long priority, String... deps) {
    return spec(k(key), priority, Arrays.stream(deps).map(Harness::k).toArray(Key[]::new));
  }

  /** Keys of the ComputeTask messages in {@code sends} addressed to {@code worker} (any if null). */
  static List<Key> computed(List<Send> sends, String worker) {
    return sends.stream()
        .filter(x -> x.msg() instanceof Msg.ComputeTask && (worker == null || x.to().equals(worker)))
        .map(x -> ((Msg.ComputeTask) x.msg()).spec().key())
        .collect(Collectors.toList());
  }

  static List<Key> freed(List<Send> sends, String worker) {
    return sends.stream()
        .filter(x -> x.msg() instanceof Msg.FreeKeys && x.to().equals(worker))
        .flatMap(x -> ((Msg.FreeKeys) x.msg()).keys().stream())
        .collect(Collectors.toList());
  }

  @SuppressWarnings("unchecked")
  static <M extends Msg> List<M> msgs(List<Send> sends, Class<M> type, String to) {
    return sends.stream()
        .filter(x -> type.isInstance(x.msg()) && (to == null || x.to().equals(to)))
        .map(x -> (M) x.msg())
        .collect(Collectors.toList());
  }
}
