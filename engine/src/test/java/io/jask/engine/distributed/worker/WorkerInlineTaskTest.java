package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.config.Config;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.serialize.Serialization;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tiny tasks run on the thread that received them ({@code distributed.worker.inline-task-limit}):
 * only once their prefix has run fast, with the right results, and never again for a prefix whose
 * inline run was slow.
 */
@Timeout(120)
class WorkerInlineTaskTest {

  /** Task key → the name of the thread that ran it (tasks run in this JVM). */
  static final Map<Key, String> RAN_ON = new ConcurrentHashMap<>();
  /** Keys whose task sleeps before answering. */
  static final Map<Key, Long> SLEEP_MILLIS = new ConcurrentHashMap<>();
  /** Keys whose task spins until its thread used this much CPU. */
  static final Map<Key, Long> SPIN_CPU_MILLIS = new ConcurrentHashMap<>();
  /** Keys whose task counts its attempts. */
  static final Map<Key, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private FakeScheduler scheduler;

  @BeforeEach
  void start() throws Exception {
    scheduler = new FakeScheduler("inproc://", 50);
    open.push(scheduler);
  }

  @AfterEach
  void closeEverything() throws Exception {
    while (!open.isEmpty()) {
      open.pop().close();
    }
    WorkerTesting.assertNoWorkerThreadsLeft();
  }

  private Worker worker(String name, String limit) throws Exception {
    try (Config.Scope s = Config.set(Worker.INLINE_TASK_LIMIT, limit)) {
      Worker w = Worker.start(new Worker.Options(scheduler.address(), "inproc://", name, 1, 1L << 30, null));
      open.push(w);
      scheduler.await(Msg.RegisterWorker.class, r -> r.name().equals(name));
      return w;
    }
  }

  private static boolean onPool(Worker w, String thread) {
    return onPool(w.name(), thread);
  }

  static boolean onPool(String worker, String thread) {
    return Pattern.matches(Pattern.quote("jask-worker-" + worker + "-") + "\\d+", thread);
  }

  /**
   * Runs {@code key} = {@code x + 1} alone and checks its result; true if it ran without a pool
   * hand-off. A task run inline runs on the thread that handled its ComputeTask (this test's
   * thread, or a worker thread that held the state then, which may be the pool's own thread after
   * it sent the previous result); one handed to the pool runs on a pool thread.
   */
  private boolean runAlone(Worker w, Key key, long x) throws Exception {
    long before = w.inlineRuns();
    Task inc = Task.of(args -> {
      RAN_ON.put(key, Thread.currentThread().getName());
      Long nap = SLEEP_MILLIS.get(key);
      if (nap != null) {
        Thread.sleep(nap);
      }
      Long spin = SPIN_CPU_MILLIS.get(key);
      if (spin != null) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long until = mx.getCurrentThreadCpuTime() + spin * 1_000_000;
        long sink = 0;
        while (mx.getCurrentThreadCpuTime() < until) {
          sink += System.nanoTime() & 1;
        }
        RAN_ON.put(Key.of(key + "-sink"), Long.toString(sink));
      }
      return x + 1;
    });
    Thread.sleep(1); // a task now and then, not a stream (Worker.BUSY_STARTS)
    scheduler.send(w.address(), WorkerTesting.compute(key, inc, 0, Map.of()));
    Msg.TaskFinished f = scheduler.await(Msg.TaskFinished.class, m -> m.key().equals(key));
    assertEquals(x + 1, Serialization.get().fromBytes(f.inline()), "result of " + key);
    boolean inline = w.inlineRuns() > before;
    if (!inline) {
      assertTrue(onPool(w, RAN_ON.get(key)), key + " was handed to the pool but ran on " + RAN_ON.get(key));
    }
    return inline;
  }

  private static Key key(String prefix, Random r) {
    return Key.of(prefix + "-" + Long.toHexString(r.nextLong() | Long.MIN_VALUE));
  }

  @ParameterizedTest
  @ValueSource(longs = {5, 6, 7})
  void tinyPrefix_runsInlineAfterFastRuns_withCorrectResults(long seed) throws Exception {
    Random r = new Random(seed);
    Worker w = worker("w" + seed, "200ms"); // "fast" even on a loaded machine
    String prefix = "tiny" + seed;
    for (int i = 0; i < Worker.INLINE_AFTER; i++) {
      assertFalse(runAlone(w, key(prefix, r), r.nextInt(1000)), "run " + i + " before the prefix counts as tiny");
    }
    // a run slowed by class loading or the loaded machine may have reset the count: at most
    // INLINE_AFTER more runs make the prefix tiny
    boolean inline = false;
    for (int i = 0; i <= Worker.INLINE_AFTER && !inline; i++) {
      inline = runAlone(w, key(prefix, r), r.nextInt(1000));
    }
    assertTrue(inline, "the prefix never ran inline");
    int inlined = 0;
    for (int i = 0; i < 10; i++) {
      if (runAlone(w, key(prefix, r), r.nextLong() >> 2)) {
        inlined++;
      }
    }
    assertTrue(inlined >= 9, inlined + " of 10 lone tiny tasks ran inline");
    // another prefix has no history yet: the pool
    assertFalse(runAlone(w, key("other" + seed, r), 1));
  }

  /** Two functions without captures, as {@code client.submit} sends them: same prefix, different code. */
  static final io.jask.engine.TaskFn PLUS_ONE = args -> {
    RAN_ON.put(Key.of((String) args[0]), Thread.currentThread().getName());
    return (Long) args[1] + 1;
  };
  static final io.jask.engine.TaskFn PLUS_TWO = args -> {
    RAN_ON.put(Key.of((String) args[0]), Thread.currentThread().getName());
    if ((Long) args[1] < 0) {
      Thread.sleep(-(Long) args[1]); // a slow run of this function, should it ever run inline
    }
    return Math.abs((Long) args[1]) + 2;
  };

  /**
   * Runs {@code fn(key, x)} alone, its payload in the split form a client writes (function bytes,
   * then the arguments), and checks the result; true if it ran without a pool hand-off.
   */
  private boolean runSplit(Worker w, Key key, io.jask.engine.TaskFn fn, long x, long expected) throws Exception {
    long before = w.inlineRuns();
    Task task = Task.of(fn, key.toString(), x);
    byte[] payload = new io.jask.engine.distributed.internal.TaskPayloads.Encoder(Serialization.get()).encode(task);
    Thread.sleep(1); // a task now and then, not a stream
    scheduler.send(w.address(), new Msg.ComputeTask(
        new Msg.TaskSpec(key, payload, java.util.List.of(), 0, 0, java.util.Set.of(), true), Map.of(), Map.of()));
    Msg.TaskFinished f = scheduler.await(Msg.TaskFinished.class, m -> m.key().equals(key));
    assertEquals(expected, Serialization.get().fromBytes(f.inline()), "result of " + key);
    boolean inline = w.inlineRuns() > before;
    if (!inline) {
      assertTrue(onPool(w, RAN_ON.get(key)), key + " was handed to the pool but ran on " + RAN_ON.get(key));
    }
    return inline;
  }

  /**
   * The inline rule keeps its record per function, not per key prefix: every lambda's prefix is
   * {@code lambda}, and quick runs of one must not let a lone task of another (a long one, here)
   * run on the transport thread. Fails if the record is kept by prefix alone.
   */
  @ParameterizedTest
  @ValueSource(longs = {41, 42})
  void fastRunsOfOneFunction_doNotMakeAnotherOfTheSamePrefixInline(long seed) throws Exception {
    Random r = new Random(seed);
    Worker w = worker("l" + seed, "200ms");
    boolean inline = false;
    for (int i = 0; i < 40 && !inline; i++) {
      long x = r.nextInt(1000);
      inline = runSplit(w, key("lambda", r), PLUS_ONE, x, x + 1);
    }
    assertTrue(inline, "PLUS_ONE never ran inline");
    long x = r.nextInt(1000);
    assertFalse(runSplit(w, key("lambda", r), PLUS_TWO, -300, 302), "the first run of another lambda goes to the pool");
    assertFalse(runSplit(w, key("lambda", r), PLUS_TWO, x, x + 2), "PLUS_TWO has one run of history, not four");
    assertTrue(runSplit(w, key("lambda", r), PLUS_ONE, x, x + 1), "PLUS_ONE keeps its own record");
  }

  /**
   * A worker that started {@value Worker#BUSY_STARTS} tasks within {@link Worker#BUSY_WINDOW_NANOS}
   * is working through a stream: its next tasks go to the pool, inline-capable or not.
   */
  @Test
  void streamOfTasks_goesToThePool_aTaskNowAndThenRunsInline() throws Exception {
    Random r = new Random(31);
    Worker w = worker("w31", "200ms");
    untilInline(w, "tiny31", r);
    long now = System.nanoTime() - 10_000_000_000L; // stamps in the past: the real starts after them are not busy
    for (int i = 0; i < Worker.BUSY_STARTS; i++) {
      w.started(now + i * 100_000L); // 4 starts 0.1 ms apart
    }
    long last = now + (Worker.BUSY_STARTS - 1) * 100_000L;
    assertTrue(w.busy(last + 1));
    assertTrue(w.busy(now + Worker.BUSY_WINDOW_NANOS - 1), "the oldest start is still in the window");
    assertFalse(w.busy(now + Worker.BUSY_WINDOW_NANOS), "the oldest start left the window");
    w.started(now + 5_000_000);
    assertFalse(w.busy(now + 5_000_001), "one recent start among older ones: a task now and then");
    assertTrue(runAlone(w, key("tiny31", r), 6), "not busy: inline again");
    long later = System.nanoTime() + 60_000_000_000L; // starts stamped ahead: busy for this test's life
    for (int i = 0; i < Worker.BUSY_STARTS; i++) {
      w.started(later);
    }
    assertFalse(runAlone(w, key("tiny31", r), 7), "a busy worker hands a tiny task to the pool");
  }

  /**
   * Tasks that arrive together in one message (a stream: what one scheduler round produced) go to
   * the pool, even of a function that runs inline when its tasks come alone; the next lone one runs
   * inline again. Fails if the rule ignores how a task arrived.
   */
  @ParameterizedTest
  @ValueSource(longs = {61, 62, 63})
  void tasksArrivingTogether_goToThePool_aLoneOneRunsInline(long seed) throws Exception {
    Random r = new Random(seed);
    Worker w = worker("b" + seed, "200ms");
    String prefix = "tiny" + seed;
    untilInline(w, prefix, r);
    int n = 2 + r.nextInt(4);
    java.util.List<Msg> batch = new java.util.ArrayList<>();
    java.util.List<Key> keys = new java.util.ArrayList<>();
    java.util.List<Long> xs = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      Key k = key(prefix, r);
      long x = r.nextInt(1000);
      keys.add(k);
      xs.add(x);
      batch.add(WorkerTesting.compute(k, Task.of(args -> {
        RAN_ON.put(k, Thread.currentThread().getName());
        return x + 1;
      }), 0, Map.of()));
    }
    long before = w.inlineRuns();
    Thread.sleep(1);
    scheduler.send(w.address(), new Msg.Batch(batch));
    for (int i = 0; i < n; i++) {
      Key k = keys.get(i);
      Msg.TaskFinished f = scheduler.await(Msg.TaskFinished.class, m -> m.key().equals(k));
      assertEquals(xs.get(i) + 1, Serialization.get().fromBytes(f.inline()), "result of " + k);
      assertTrue(onPool(w, RAN_ON.get(k)), k + " arrived with " + (n - 1) + " others but ran on " + RAN_ON.get(k));
    }
    assertEquals(before, w.inlineRuns(), "no task of the batch ran inline");
    boolean inline = false;
    for (int i = 0; i <= Worker.INLINE_AFTER && !inline; i++) {
      inline = runAlone(w, key(prefix, r), r.nextInt(1000));
    }
    assertTrue(inline, "a lone task of the function runs inline again");
  }

  /** Keys whose task makes a blocking call a client would make (it refuses a thread running a task inline). */
  static final Map<Key, Boolean> BLOCKS = new ConcurrentHashMap<>();

  /**
   * A task that would block (a nested client's wait) fails on the thread running it inline, runs
   * again on the pool with the right result, and its function stays on the pool from then on.
   */
  @ParameterizedTest
  @ValueSource(longs = {71, 72})
  void blockingCallInline_runsAgainOnThePool(long seed) throws Exception {
    Random r = new Random(seed);
    Worker w = worker("k" + seed, "200ms");
    String prefix = "blocky" + seed;
    untilInline(w, prefix, r);
    Key k = key(prefix, r);
    BLOCKS.put(k, true);
    long before = w.inlineRuns();
    Task t = Task.of(args -> {
      RAN_ON.put(k, Thread.currentThread().getName());
      if (BLOCKS.containsKey(k)) {
        io.jask.engine.distributed.internal.InlineTasks.checkMayBlock("a nested client's wait");
      }
      return 41L + 1;
    });
    Thread.sleep(1);
    scheduler.send(w.address(), WorkerTesting.compute(k, t, 0, Map.of()));
    Msg.TaskFinished f = scheduler.await(Msg.TaskFinished.class, m -> m.key().equals(k));
    assertEquals(42L, Serialization.get().fromBytes(f.inline()), "the pool's run answers");
    assertTrue(w.inlineRuns() > before, "it was tried inline first");
    assertTrue(onPool(w, RAN_ON.get(k)), "the answer came from the pool: " + RAN_ON.get(k));
    assertFalse(runAlone(w, key(prefix, r), 3), "the function stays on the pool");
  }

  /** Runs tasks of {@code prefix} alone until one runs inline (at most 40). */
  private void untilInline(Worker w, String prefix, Random r) throws Exception {
    boolean inline = false;
    for (int i = 0; i < 40 && !inline; i++) {
      inline = runAlone(w, key(prefix, r), i);
    }
    assertTrue(inline, "the prefix never ran inline");
  }

  /**
   * An inline run slow in wall time (10 x the limit) but off the CPU and under the stall bound is
   * what a preempted or paused thread looks like: it restarts the prefix's count, no more.
   */
  @ParameterizedTest
  @ValueSource(longs = {21, 22})
  void offCpuPause_underTheStallBound_onlyRestartsTheCount(long seed) throws Exception {
    assertTrue(java.lang.management.ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported());
    Random r = new Random(seed);
    Worker w = worker("p" + seed, "4ms"); // heavy = 40 ms; stall bound 200 ms
    String prefix = "pause" + seed;
    untilInline(w, prefix, r);
    Key paused = key(prefix, r);
    SLEEP_MILLIS.put(paused, 80L); // 2 x heavy of wall time, almost no CPU
    assertTrue(runAlone(w, paused, 7), "the paused one still ran inline (its prefix was tiny)");
    assertFalse(runAlone(w, key(prefix, r), 8), "the count restarts after a slow run");
    untilInline(w, prefix, r); // not banned: inline again after fast runs
  }

  /** An inline run that used 10 x the limit of CPU bans its prefix, as a stall does. */
  @ParameterizedTest
  @ValueSource(longs = {31, 32})
  void cpuHeavyInlineRun_sendsThePrefixToThePoolForGood(long seed) throws Exception {
    Random r = new Random(seed);
    Worker w = worker("c" + seed, "4ms"); // heavy = 40 ms of CPU
    String prefix = "spin" + seed;
    untilInline(w, prefix, r);
    Key heavy = key(prefix, r);
    SPIN_CPU_MILLIS.put(heavy, 60L);
    assertTrue(runAlone(w, heavy, 7), "the heavy one still ran inline (its prefix was tiny)");
    for (int i = 0; i < 2 * Worker.INLINE_AFTER; i++) {
      assertFalse(runAlone(w, key(prefix, r), i), "run " + i + " after the CPU-heavy inline run");
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12})
  void slowInlineRun_sendsThePrefixToThePoolForGood(long seed) throws Exception {
    Random r = new Random(seed);
    Worker w = worker("s" + seed, "20ms"); // slow = 10 x 20 ms
    String prefix = "nap" + seed;
    boolean inline = false;
    for (int i = 0; i < 40 && !inline; i++) {
      inline = runAlone(w, key(prefix, r), i);
    }
    assertTrue(inline, "the prefix never ran inline");
    Key slow = key(prefix, r);
    SLEEP_MILLIS.put(slow, 400L);
    assertTrue(runAlone(w, slow, 7), "the slow one still ran inline (its prefix was tiny)");
    for (int i = 0; i < 2 * Worker.INLINE_AFTER; i++) {
      assertFalse(runAlone(w, key(prefix, r), i), "run " + i + " after the slow inline run");
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {21, 22})
  void failedInlineRun_runsAgainOnThePool_andItsOutcomeCounts(long seed) throws Exception {
    Random r = new Random(seed);
    Worker w = worker("f" + seed, "200ms");
    String prefix = "picky" + seed;
    boolean inline = false;
    for (int i = 0; i < 40 && !inline; i++) {
      inline = runAlone(w, key(prefix, r), i);
    }
    assertTrue(inline, "the prefix never ran inline");
    // a task whose first attempt fails (as a blocking call refused on an event loop would); an
    // inline run may happen on any thread that handles the worker's state (a transport thread, or
    // a pool thread that just posted a result), so the failure is tied to the attempt, not the thread
    Key picky = key(prefix, r);
    long x = r.nextInt(1000);
    ATTEMPTS.put(picky, new AtomicInteger());
    long before = w.inlineRuns();
    Task failsFirst = Task.of(args -> {
      if (ATTEMPTS.get(picky).getAndIncrement() == 0) {
        throw new IllegalStateException("first attempt of " + picky + " fails");
      }
      RAN_ON.put(picky, Thread.currentThread().getName());
      return x + 1;
    });
    scheduler.send(w.address(), WorkerTesting.compute(picky, failsFirst, 0, Map.of()));
    Msg.TaskFinished f = scheduler.await(Msg.TaskFinished.class, m -> m.key().equals(picky));
    assertEquals(x + 1, Serialization.get().fromBytes(f.inline()));
    assertEquals(before + 1, w.inlineRuns(), "the task was tried inline first, once");
    assertEquals(2, ATTEMPTS.get(picky).get(), "the failed inline attempt ran again");
    assertTrue(onPool(w, RAN_ON.get(picky)), RAN_ON.get(picky));
    for (int i = 0; i < 2 * Worker.INLINE_AFTER; i++) {
      assertFalse(runAlone(w, key(prefix, r), i), "run " + i + " after the failed inline run");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "0ms"})
  void limitZero_turnsInlineOff(String limit) throws Exception {
    Random r = new Random(limit.hashCode());
    Worker w = worker("z" + limit.hashCode(), limit);
    for (int i = 0; i < 3 * Worker.INLINE_AFTER; i++) {
      assertFalse(runAlone(w, key("zero", r), i), "run " + i);
    }
  }
}
