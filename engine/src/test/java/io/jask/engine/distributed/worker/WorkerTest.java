package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.distributed.comm.Comms;
import io.jask.engine.distributed.comm.Listener;
import io.jask.engine.distributed.comm.Message;
import io.jask.engine.distributed.internal.KryoHeaderCodec;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.serialize.Serialization;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker against a fake scheduler over {@code inproc://}, with real peer workers. */
@Timeout(120)
class WorkerTest {

  static volatile CountDownLatch gate = new CountDownLatch(0);

  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private FakeScheduler scheduler;

  @BeforeEach
  void startScheduler() throws Exception {
    scheduler = track(new FakeScheduler("inproc://", 50));
  }

  @AfterEach
  void closeEverything() throws Exception {
    gate.countDown();
    while (!open.isEmpty()) {
      open.pop().close();
    }
    WorkerTesting.assertNoWorkerThreadsLeft();
  }

  private <T extends AutoCloseable> T track(T resource) {
    open.push(resource);
    return resource;
  }

  private Worker worker(String name, int nthreads) throws Exception {
    Worker w = track(Worker.start(new Worker.Options(scheduler.address(), "inproc://", name, nthreads, 1L << 30, null)));
    scheduler.await(Msg.RegisterWorker.class, r -> r.name().equals(name));
    return w;
  }

  @Test
  void start_registersWithNameAddressThreadsAndMemoryLimit() throws Exception {
    Worker w = Worker.start(new Worker.Options(scheduler.address(), "inproc://", "w1", 3, 12345, null));
    track(w);
    Msg.RegisterWorker r = scheduler.await(Msg.RegisterWorker.class);
    assertEquals("w1", r.name());
    assertEquals(w.address(), r.address());
    assertEquals(3, r.nthreads());
    assertEquals(12345, r.memoryLimit());
    assertEquals(ProcessHandle.current().pid(), r.pid());
    assertEquals(List.of(), r.heldKeys());
  }

  @Test
  void computeTask_withoutDependencies_sendsTaskFinishedAndServesValue() throws Exception {
    Worker w = worker("w1", 2);
    Key x = Key.of("x");
    scheduler.send(w.address(), WorkerTesting.compute(x, Task.of(a -> "hello".repeat(2)), 0, Map.of()));
    Msg.TaskFinished f = scheduler.await(Msg.TaskFinished.class);
    assertEquals(x, f.key());
    assertEquals("String", f.type());
    assertTrue(f.nbytes() > 0, "nbytes " + f.nbytes());
    try (DataClient c = new DataClient(w.address())) {
      assertEquals(Map.of(x, "hellohello"), c.get(x));
    }
  }

  @Test
  void computeTask_withDependenciesOnPeer_fetchesThemWithOneGetData() throws Exception {
    Worker a = worker("a", 2);
    Worker b = worker("b", 2);
    Key x = Key.of("x");
    Key y = Key.of("y");
    Key z = Key.of("z");
    scheduler.send(a.address(), WorkerTesting.compute(x, Task.literal(40), 0, Map.of()));
    scheduler.send(a.address(), WorkerTesting.compute(y, Task.literal(2), 0, Map.of()));
    scheduler.await(Msg.TaskFinished.class, f -> f.key().equals(x));
    scheduler.await(Msg.TaskFinished.class, f -> f.key().equals(y));

    Task sum = Task.of(args -> (Integer) args[0] + (Integer) args[1], x, y);
    scheduler.send(b.address(), WorkerTesting.compute(z, sum, 0, Map.of(x, List.of(a.address()), y, List.of(a.address()))));

    scheduler.await(Msg.TaskFinished.class, f -> f.key().equals(z));
    assertEquals(1, a.getDataServed(), "x and y fetched with one GetData");
    try (DataClient c = new DataClient(b.address())) {
      assertEquals(Map.of(z, 42), c.get(z));
      assertEquals(Map.of(), WorkerTesting.eventually(() -> c.get(x), Map::isEmpty), "replicas freed after use");
    }
  }

  @Test
  void computeTask_firstHolderFails_fetchesFromNextHolder() throws Exception {
    Worker a = worker("a", 1);
    Worker b = worker("b", 1);
    Key x = Key.of("x");
    scheduler.send(a.address(), WorkerTesting.compute(x, Task.literal(7), 0, Map.of()));
    scheduler.await(Msg.TaskFinished.class, f -> f.key().equals(x));
    try (Listener dead = Comms.listen("inproc://", c -> c.close(), new KryoHeaderCodec())) {
      Key y = Key.of("y");
      Task inc = Task.of(args -> (Integer) args[0] + 1, x);
      scheduler.send(b.address(), WorkerTesting.compute(y, inc, 0, Map.of(x, List.of(dead.address(), a.address()))));
      scheduler.await(Msg.TaskFinished.class, f -> f.key().equals(y));
      try (DataClient c = new DataClient(b.address())) {
        assertEquals(Map.of(y, 8), c.get(y));
      }
    }
  }

  @Test
  void computeTask_dependencyMissingOnAllHolders_sendsMissingDataAndDropsTask() throws Exception {
    Worker a = worker("a", 1); // holds nothing: answers "missing"
    Worker b = worker("b", 1);
    try (Listener dead = Comms.listen("inproc://", c -> c.close(), new KryoHeaderCodec())) {
      Key x = Key.of("x");
      Key y = Key.of("y");
      Task inc = Task.of(args -> (Integer) args[0] + 1, x);
      scheduler.send(b.address(), WorkerTesting.compute(y, inc, 0, Map.of(x, List.of(dead.address(), a.address()))));
      Msg.MissingData m = scheduler.await(Msg.MissingData.class);
      assertEquals(y, m.forTask());
      assertEquals(x, m.key());
      assertEquals(List.of(dead.address(), a.address()), m.triedWorkers());
      // The task was dropped: stealing it now reports it was not started.
      scheduler.send(b.address(), new Msg.StealRequest(y));
      assertTrue(scheduler.await(Msg.StealResponse.class).stolen());
      assertEquals(List.of(), scheduler.pending(Msg.TaskFinished.class));
    }
  }

  @Test
  void computeTask_noHolderNamed_sendsMissingDataAtOnce() throws Exception {
    Worker b = worker("b", 1);
    Key x = Key.of("x");
    Key y = Key.of("y");
    scheduler.send(b.address(), WorkerTesting.compute(y, Task.of(args -> args[0], x), 0, Map.of()));
    Msg.MissingData m = scheduler.await(Msg.MissingData.class);
    assertEquals(new Msg.MissingData(y, x, List.of()), m);
  }

  @Test
  void computeTask_failing_sendsTaskErredWithDecodableException() throws Exception {
    Worker w = worker("w1", 1);
    Key x = Key.of("boom");
    Task failing = Task.of(args -> {
      throw new IllegalStateException("it went boom");
    });
    scheduler.send(w.address(), WorkerTesting.compute(x, failing, 0, Map.of()));
    Msg.TaskErred e = scheduler.await(Msg.TaskErred.class);
    assertEquals(x, e.key());
    assertEquals(IllegalStateException.class.getName(), e.exceptionClass());
    assertEquals("it went boom", e.message());
    Object decoded = Serialization.get().fromBytes(e.exception());
    IllegalStateException ise = assertInstanceOf(IllegalStateException.class, decoded);
    assertEquals("it went boom", ise.getMessage());
    try (DataClient c = new DataClient(w.address())) {
      assertEquals(Map.of(), c.get(x));
    }
  }

  @Test
  void computeTask_readyTasks_runInPriorityOrder() throws Exception {
    Worker w = worker("w1", 1);
    gate = new CountDownLatch(1);
    scheduler.send(w.address(), WorkerTesting.compute(Key.of("block"), WorkerTesting.blocking(), 0, Map.of()));
    WorkerTesting.eventually(() -> scheduler.pending(Msg.Heartbeat.class), hs -> hs.stream().anyMatch(h -> h.executing() == 1));
    for (int p : new int[] {5, 1, 3}) {
      scheduler.send(w.address(), WorkerTesting.compute(Key.of("t", p), Task.literal(p), p, Map.of()));
    }
    WorkerTesting.eventually(() -> scheduler.pending(Msg.Heartbeat.class), hs -> hs.stream().anyMatch(h -> h.ready() == 3));
    gate.countDown();
    List<Key> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      order.add(scheduler.await(Msg.TaskFinished.class).key());
    }
    assertEquals(List.of(Key.of("block"), Key.of("t", 1), Key.of("t", 3), Key.of("t", 5)), order);
  }

  @Test
  void freeKeys_dropsStoredData() throws Exception {
    Worker w = worker("w1", 1);
    Key x = Key.of("x");
    scheduler.send(w.address(), WorkerTesting.compute(x, Task.literal(new int[1000]), 0, Map.of()));
    scheduler.await(Msg.TaskFinished.class);
    try (DataClient c = new DataClient(w.address())) {
      assertEquals(Set.of(x), c.get(x).keySet());
      scheduler.send(w.address(), new Msg.FreeKeys(List.of(x)));
      WorkerTesting.eventually(() -> c.get(x), Map::isEmpty);
    }
    WorkerTesting.eventually(() -> scheduler.pending(Msg.Heartbeat.class), hs -> !hs.isEmpty() && hs.get(hs.size() - 1).managedBytes() == 0);
  }

  @Test
  void freeKeys_queuedTask_isCancelledAndNeverRuns() throws Exception {
    Worker w = worker("w1", 1);
    gate = new CountDownLatch(1);
    scheduler.send(w.address(), WorkerTesting.compute(Key.of("block"), WorkerTesting.blocking(), 0, Map.of()));
    Key queued = Key.of("queued");
    scheduler.send(w.address(), WorkerTesting.compute(queued, Task.literal(1), 1, Map.of()));
    scheduler.send(w.address(), new Msg.FreeKeys(List.of(queued)));
    scheduler.send(w.address(), new Msg.StealRequest(Key.of("block"))); // a marker processed after the free
    assertFalse(scheduler.await(Msg.StealResponse.class).stolen());
    gate.countDown();
    scheduler.await(Msg.TaskFinished.class, f -> f.key().equals(Key.of("block")));
    Thread.sleep(200);
    assertEquals(List.of(), scheduler.pending(Msg.TaskFinished.class));
  }

  @Test
  void stealRequest_beforeStart_isStolen_andRunningTaskIsNot() throws Exception {
    Worker w = worker("w1", 1);
    gate = new CountDownLatch(1);
    Key block = Key.of("block");
    Key victim = Key.of("victim");
    scheduler.send(w.address(), WorkerTesting.compute(block, WorkerTesting.blocking(), 0, Map.of()));
    scheduler.send(w.address(), WorkerTesting.compute(victim, Task.literal(1), 1, Map.of()));
    scheduler.send(w.address(), new Msg.StealRequest(victim));
    assertEquals(new Msg.StealResponse(victim, true), scheduler.await(Msg.StealResponse.class));
    scheduler.send(w.address(), new Msg.StealRequest(block));
    assertEquals(new Msg.StealResponse(block, false), scheduler.await(Msg.StealResponse.class));
    gate.countDown();
    scheduler.await(Msg.TaskFinished.class, f -> f.key().equals(block));
    Thread.sleep(200);
    assertEquals(List.of(), scheduler.pending(Msg.TaskFinished.class));
  }

  @Test
  void putData_storesValuesAcksSizesAndTasksUseThem() throws Exception {
    Worker w = worker("w1", 1);
    Key x = Key.of("x");
    try (DataClient c = new DataClient(w.address())) {
      Msg.PutDataAck ack = c.put(Map.of(x, 41));
      assertEquals(Set.of(x), ack.nbytes().keySet());
      assertEquals(Map.of(x, 41), c.get(x));
      Key y = Key.of("y");
      scheduler.send(w.address(), WorkerTesting.compute(y, Task.of(args -> (Integer) args[0] + 1, x), 0, Map.of()));
      scheduler.await(Msg.TaskFinished.class, f -> f.key().equals(y));
      assertEquals(Map.of(y, 42, x, 41), c.get(y, x));
    }
  }

  @Test
  void garbageMessage_onDataPort_closesOnlyThatConnection() throws Exception {
    Worker w = worker("w1", 1);
    try (DataClient good = new DataClient(w.address());
        DataClient bad = new DataClient(w.address())) {
      good.put(Map.of(Key.of("x"), "kept"));
      bad.connection.send(Message.of("not a protocol message"));
      bad.closed.get(30, TimeUnit.SECONDS);
      assertEquals(Map.of(Key.of("x"), "kept"), good.get(Key.of("x")));
      assertTrue(good.connection.isOpen());
    }
    try (DataClient again = new DataClient(w.address())) {
      assertEquals(Map.of(Key.of("x"), "kept"), again.get(Key.of("x")));
    }
  }

  @Test
  void heartbeat_arrivesPeriodicallyWithManagedBytes() throws Exception {
    Worker w = worker("w1", 1);
    scheduler.await(Msg.Heartbeat.class);
    scheduler.await(Msg.Heartbeat.class);
    scheduler.send(w.address(), WorkerTesting.compute(Key.of("x"), Task.literal(new long[10_000]), 0, Map.of()));
    scheduler.await(Msg.TaskFinished.class);
    Msg.Heartbeat h = scheduler.await(Msg.Heartbeat.class, hb -> hb.managedBytes() >= 80_000);
    assertTrue(h.memoryBytes() > 0);
    assertEquals(0, h.executing());
  }

  @Test
  void closeWorker_closesTheWorker() throws Exception {
    Worker w = worker("w1", 1);
    scheduler.send(w.address(), new Msg.CloseWorker("test"));
    assertEquals(0, w.closeFuture().get(30, TimeUnit.SECONDS));
  }

  @Test
  void schedulerConnectionLost_registersAgainWithHeldKeys() throws Exception {
    Worker w = worker("w1", 1);
    Key x = Key.of("x");
    scheduler.send(w.address(), WorkerTesting.compute(x, Task.literal(1), 0, Map.of()));
    scheduler.await(Msg.TaskFinished.class);
    scheduler.dropConnections();
    Msg.RegisterWorker again = scheduler.await(Msg.RegisterWorker.class);
    assertEquals(List.of(x), again.heldKeys());
    assertEquals(w.address(), again.address());
  }
}
