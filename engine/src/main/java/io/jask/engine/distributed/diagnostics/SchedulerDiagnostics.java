package io.jask.engine.distributed.diagnostics;

import io.jask.engine.Key;
import io.jask.engine.diagnostics.TaskEvent;
import io.jask.engine.diagnostics.TaskEvents;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.distributed.scheduler.Event;
import io.jask.engine.distributed.scheduler.SchedulerState;
import io.jask.engine.distributed.scheduler.TaskState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the scheduler's dashboard and metrics know beyond the live state: the task stream (a ring
 * of the last {@value #STREAM_CAPACITY} finished tasks, with sequence numbers so a page fetches
 * only what is new), counters per task prefix, and per worker its registration, latest {@link
 * WorkerMemory} and a short memory history.
 *
 * <p>{@link #observe} runs on the scheduler's event thread for every event, before the state
 * handles it; it only appends under this object's monitor (a few field writes). Readers on HTTP
 * threads copy what they need under the same monitor.
 *
 * <p>Task-stream rows: workers report each task's start time and duration ({@code
 * TaskFinished}); the task goes to the row (thread) of its worker that became free last before
 * the task started, so overlapping tasks never share a row and a worker has at most {@code
 * nthreads} rows.
 */
public final class SchedulerDiagnostics {
  static final int STREAM_CAPACITY = 100_000;
  static final int HISTORY = 600;

  /** A worker as the dashboard knows it. */
  static final class WorkerView {
    final String address;
    final String name;
    final int nthreads;
    final long memoryLimit;
    final long pid;
    final long connectedEpochMillis = System.currentTimeMillis();
    final long[] laneEnd;
    final ArrayDeque<WorkerMemory> history = new ArrayDeque<>();
    String metricsUrl;
    WorkerMemory memory = WorkerMemory.NONE;
    long finished;
    long erred;

    WorkerView(Msg.RegisterWorker r, String address) {
      this.address = address;
      this.name = r.name() == null ? address : r.name();
      this.nthreads = Math.max(1, r.nthreads());
      this.memoryLimit = r.memoryLimit();
      this.pid = r.pid();
      this.laneEnd = new long[nthreads];
    }

    int lane(long start, long stop) {
      int best = -1;
      int earliest = 0;
      for (int i = 0; i < laneEnd.length; i++) {
        if (laneEnd[i] <= start && (best < 0 || laneEnd[i] > laneEnd[best])) {
          best = i;
        }
        if (laneEnd[i] < laneEnd[earliest]) {
          earliest = i;
        }
      }
      int lane = best >= 0 ? best : earliest;
      laneEnd[lane] = Math.max(laneEnd[lane], stop);
      return lane;
    }
  }

  /**
   * The last {@link #STREAM_CAPACITY} finished tasks, one column per field: an event is built only
   * when read, and the stream keeps the scheduler's own key of each task. (A {@link TaskEvent} per
   * task, with a decoded copy of its key and a new prefix string, all kept until 100,000 later tasks
   * pushed it out, was copied by every young collection on its way to the old generation.) The
   * columns grow by doubling up to the capacity. Guarded by the diagnostics' lock.
   */
  static final class Stream {
    private Key[] keys = new Key[0];
    private String[] workers = new String[0];
    private int[] lanes = new int[0];
    private long[] starts = new long[0];
    private long[] stops = new long[0];
    private boolean[] failed = new boolean[0];

    void add(long seq, Key key, String worker, int lane, long start, long stop, boolean fail) {
      if (seq < STREAM_CAPACITY && seq >= keys.length) {
        grow((int) Math.min(STREAM_CAPACITY, Math.max(1024, 2L * keys.length)));
      }
      int i = (int) (seq % STREAM_CAPACITY);
      keys[i] = key;
      workers[i] = worker;
      lanes[i] = lane;
      starts[i] = start;
      stops[i] = stop;
      failed[i] = fail;
    }

    private void grow(int n) {
      keys = Arrays.copyOf(keys, n);
      workers = Arrays.copyOf(workers, n);
      lanes = Arrays.copyOf(lanes, n);
      starts = Arrays.copyOf(starts, n);
      stops = Arrays.copyOf(stops, n);
      failed = Arrays.copyOf(failed, n);
    }

    /** Event {@code seq}, which must be among the last {@link #STREAM_CAPACITY} added. */
    TaskEvent event(long seq) {
      int i = (int) (seq % STREAM_CAPACITY);
      return SchedulerDiagnostics.event(keys[i], workers[i], lanes[i], starts[i], stops[i], failed[i]);
    }
  }

  /** The event of one finished task, for readers of the stream and for {@link TaskEvents} listeners. */
  private static TaskEvent event(Key key, String worker, int lane, long start, long stop, boolean failed) {
    return new TaskEvent(key.toString(), key.prefix(), worker, lane, start, stop, failed);
  }

  /** Totals of one task prefix since the scheduler started. */
  static final class PrefixStats {
    long added;
    long finished;
    long erred;
    final DurationHistogram durations = new DurationHistogram();
  }

  private final Stream stream = new Stream();
  private long seq; // events ever appended; event i is at slot i % capacity of the stream
  /** By address; readers sort ({@link #workers(boolean)}): every result looks its worker up here. */
  private final Map<String, WorkerView> workers = new HashMap<>();
  private final Map<String, PrefixStats> prefixes = new LinkedHashMap<>();
  private final DurationHistogram durations = new DurationHistogram();
  private long finishedTotal;
  private long erredTotal;
  private long graphsSubmitted;
  private final long startedEpochMillis = System.currentTimeMillis();

  /**
   * Called on the event thread before {@code state} handles {@code e}. Returns true if the event
   * is a diagnostics message that the state must not see ({@link Msg.WorkerMetricsAddress}).
   */
  public boolean observe(Event e, SchedulerState state) {
    if (e instanceof Event.FromWorker fw) {
      Msg m = fw.msg();
      if (m instanceof Msg.TaskFinished tf && tf.key() != null) {
        // only results the state will accept (the task is processing on that worker)
        Key key = state.processingKey(tf.key(), fw.worker());
        if (key != null) {
          long start = tf.startNanos() > 0 ? tf.startNanos() : TaskEvent.nowEpochNanos() - tf.durationNanos();
          taskDone(fw.worker(), key, start, start + Math.max(0, tf.durationNanos()), false);
        }
      } else if (m instanceof Msg.TaskErred te && te.key() != null) {
        Key key = state.processingKey(te.key(), fw.worker());
        if (key != null) {
          long stop = TaskEvent.nowEpochNanos();
          taskDone(fw.worker(), key, stop - Math.max(0, te.durationNanos()), stop, true);
        }
      } else if (m instanceof Msg.Heartbeat h) {
        heartbeat(fw.worker(), h);
      } else if (m instanceof Msg.WorkerMetricsAddress a) {
        synchronized (this) {
          WorkerView w = workers.get(fw.worker());
          if (w != null) {
            w.metricsUrl = a.url();
          }
        }
        return true;
      }
    } else if (e instanceof Event.FromClient fc && fc.msg() instanceof Msg.UpdateGraph ug && ug.tasks() != null) {
      int added = 0;
      synchronized (this) {
        graphsSubmitted++;
        for (Msg.TaskSpec spec : ug.tasks()) {
          if (spec != null && spec.key() != null && state.stateOf(spec.key()) == TaskState.FORGOTTEN) {
            prefix(spec.key().prefix()).added++;
            added++;
          }
        }
      }
      TaskEvents.tasksAdded(added);
    } else if (e instanceof Event.WorkerConnected wc && wc.registration() != null && wc.worker() != null) {
      synchronized (this) {
        WorkerView old = workers.get(wc.worker());
        WorkerView w = new WorkerView(wc.registration(), wc.worker());
        if (old != null) {
          w.metricsUrl = old.metricsUrl;
        }
        workers.put(wc.worker(), w);
      }
    } else if (e instanceof Event.WorkerGone wg) {
      synchronized (this) {
        workers.remove(wg.worker());
      }
    }
    return false;
  }

  private PrefixStats prefix(String p) {
    return prefixes.computeIfAbsent(p, x -> new PrefixStats());
  }

  private void taskDone(String worker, Key key, long start, long stop, boolean failed) {
    int lane;
    synchronized (this) {
      WorkerView w = workers.get(worker);
      lane = w == null ? 0 : w.lane(start, stop);
      stream.add(seq, key, worker, lane, start, stop, failed);
      seq++;
      PrefixStats p = prefix(key.prefix());
      if (failed) {
        p.erred++;
        erredTotal++;
        if (w != null) {
          w.erred++;
        }
      } else {
        long duration = Math.max(0, stop - start);
        p.finished++;
        finishedTotal++;
        p.durations.observe(duration);
        durations.observe(duration);
        if (w != null) {
          w.finished++;
        }
      }
    }
    if (TaskEvents.active()) {
      TaskEvents.taskDone(event(key, worker, lane, start, stop, failed));
    }
  }

  private synchronized void heartbeat(String worker, Msg.Heartbeat h) {
    WorkerView w = workers.get(worker);
    if (w == null) {
      return;
    }
    w.memory = WorkerMemory.of(h.memoryBytes(), h.managedBytes(), h.spilledBytes(), h.cpu(), h.executing(), h.ready());
    w.history.addLast(w.memory);
    if (w.history.size() > HISTORY) {
      w.history.removeFirst();
    }
  }

  // ---------------------------------------------------------------- copies for readers

  /** A worker's registration, latest memory, counters and (optionally) history. */
  public record WorkerSnapshot(String address, String name, int nthreads, long memoryLimit, long pid, String metricsUrl,
      WorkerMemory memory, long finished, long erred, long connectedEpochMillis, List<WorkerMemory> history) {}

  /** A prefix's totals. */
  public record PrefixSnapshot(String prefix, long added, long finished, long erred, long durationCount) {}

  /** The workers, sorted by address (history only if asked for). */
  public synchronized List<WorkerSnapshot> workers(boolean withHistory) {
    List<WorkerSnapshot> out = new ArrayList<>(workers.size());
    for (WorkerView w : new TreeMap<>(workers).values()) {
      out.add(new WorkerSnapshot(w.address, w.name, w.nthreads, w.memoryLimit, w.pid, w.metricsUrl, w.memory, w.finished,
          w.erred, w.connectedEpochMillis, withHistory ? List.copyOf(w.history) : List.of()));
    }
    return out;
  }

  /** The totals per prefix, in the order prefixes were first seen. */
  public synchronized List<PrefixSnapshot> prefixes() {
    List<PrefixSnapshot> out = new ArrayList<>(prefixes.size());
    prefixes.forEach((k, p) -> out.add(new PrefixSnapshot(k, p.added, p.finished, p.erred, p.durations.count())));
    return out;
  }

  /** The task events with sequence number {@code >= since}, at most {@code max} (the newest). */
  public synchronized TaskSlice tasksSince(long since, int max) {
    long from = Math.max(Math.max(0, since), Math.max(seq - STREAM_CAPACITY, seq - max));
    List<TaskEvent> out = new ArrayList<>((int) (seq - from));
    for (long i = from; i < seq; i++) {
      out.add(stream.event(i));
    }
    return new TaskSlice(from, seq, out);
  }

  /** Task events {@code [from, next)}. */
  public record TaskSlice(long from, long next, List<TaskEvent> events) {}

  /** Tasks finished (successfully) since start. */
  public synchronized long finishedTotal() {
    return finishedTotal;
  }

  /** Tasks failed since start. */
  public synchronized long erredTotal() {
    return erredTotal;
  }

  synchronized long graphsSubmitted() {
    return graphsSubmitted;
  }

  long startedEpochMillis() {
    return startedEpochMillis;
  }

  synchronized void writeDurations(PrometheusText p) {
    p.family("jask_scheduler_task_duration_seconds", "histogram", "Durations of finished tasks as the workers report them.");
    durations.writeTo(p, "jask_scheduler_task_duration_seconds");
    p.family("jask_scheduler_prefix_task_duration_seconds", "histogram", "Durations of finished tasks per key prefix.");
    prefixes.forEach((k, s) -> s.durations.writeTo(p, "jask_scheduler_prefix_task_duration_seconds", "prefix", k));
  }
}
