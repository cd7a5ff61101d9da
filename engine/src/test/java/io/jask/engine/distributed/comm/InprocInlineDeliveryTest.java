package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A send to an inproc peer whose queue is idle is delivered on the sending thread; ordering per
 * sender, delivery of everything and replies from inside a handler hold as with the pool.
 */
@Timeout(60)
class InprocInlineDeliveryTest {

  private static final HeaderCodec UNUSED = new JavaHeaderCodec();

  /** One sender's message number. */
  private record Numbered(int sender, int seq) {}

  @Test
  void sendToIdlePeer_isDeliveredOnTheSendingThread() throws Exception {
    LinkedBlockingQueue<Thread> ran = new LinkedBlockingQueue<>();
    try (Listener l = Comms.listen("inproc://", c -> c.setHandler((x, m) -> ran.add(Thread.currentThread())), UNUSED);
        Connection c = Comms.connect(l.address(), Duration.ofSeconds(30), UNUSED)) {
      // the first sends may meet the pool still installing the handler or finishing its drain:
      // queued then; once the peer's queue is idle, a send runs the handler right here
      Thread deliveredOn = null;
      for (int attempt = 0; attempt < 100 && deliveredOn != Thread.currentThread(); attempt++) {
        Thread.sleep(attempt == 0 ? 0 : 20);
        c.send(Message.of("m" + attempt)).join();
        deliveredOn = ran.poll(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS);
      }
      assertSame(Thread.currentThread(), deliveredOn);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 977})
  void concurrentSenders_everyMessageArrives_inEachSendersOrder(long seed) throws Exception {
    Random r = new Random(seed);
    int senders = 2 + r.nextInt(5);
    int[] counts = new int[senders];
    int total = 0;
    for (int i = 0; i < senders; i++) {
      counts[i] = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(3_000); // some senders send nothing
      total += counts[i];
    }
    List<Numbered> got = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch all = new CountDownLatch(total);
    boolean slowHandler = r.nextBoolean();
    try (Listener l = Comms.listen("inproc://", c -> c.setHandler((x, m) -> {
          got.add((Numbered) m.header());
          if (slowHandler && ((Numbered) m.header()).seq() % 97 == 0) {
            Thread.onSpinWait(); // a handler that takes a little longer now and then
          }
          all.countDown();
        }), UNUSED);
        Connection c = Comms.connect(l.address(), Duration.ofSeconds(30), UNUSED)) {
      CyclicBarrier start = new CyclicBarrier(senders);
      List<Thread> threads = new ArrayList<>();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      for (int s = 0; s < senders; s++) {
        int sender = s;
        Thread t = new Thread(() -> {
          try {
            start.await();
            for (int i = 0; i < counts[sender]; i++) {
              c.send(Message.of(new Numbered(sender, i)));
            }
          } catch (Throwable e) {
            failed.set(e);
          }
        }, "sender-" + s);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      assertEquals(null, failed.get());
      assertTrue(all.await(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS), "delivered " + got.size() + " of " + total);
    }
    int[] next = new int[senders];
    synchronized (got) {
      assertEquals(total, got.size());
      for (Numbered n : got) {
        assertEquals(next[n.sender()], n.seq(), "sender " + n.sender() + " out of order");
        next[n.sender()]++;
      }
    }
    for (int s = 0; s < senders; s++) {
      assertEquals(counts[s], next[s], "sender " + s);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 500})
  void pingPong_repliesSentFromHandlers_doNotDeadlockAndKeepOrder(int rounds) throws Exception {
    // each side answers from inside its handler: with inline delivery the reply may run the
    // other side's handler on the same thread, which must neither recurse without bound nor block
    CountDownLatch done = new CountDownLatch(1);
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    try (Listener l = Comms.listen("inproc://", c -> c.setHandler((x, m) -> {
          int n = (Integer) m.header();
          seen.computeIfAbsent("server", k -> Collections.synchronizedList(new ArrayList<>())).add(n);
          x.send(Message.of(n + 1));
        }), UNUSED);
        Connection c = Comms.connect(l.address(), Duration.ofSeconds(30), UNUSED)) {
      c.setHandler((x, m) -> {
        int n = (Integer) m.header();
        seen.computeIfAbsent("client", k -> Collections.synchronizedList(new ArrayList<>())).add(n);
        if (n >= 2 * rounds - 1) {
          done.countDown();
        } else {
          x.send(Message.of(n + 1));
        }
      });
      c.send(Message.of(0));
      assertTrue(done.await(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS), "ping-pong stalled: " + seen);
    }
    List<Integer> server = seen.get("server");
    List<Integer> client = seen.get("client");
    assertNotNull(server);
    assertEquals(rounds, server.size());
    assertEquals(rounds, client.size());
    for (int i = 0; i < rounds; i++) {
      assertEquals(2 * i, server.get(i));
      assertEquals(2 * i + 1, client.get(i));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {SerialExecutor.INLINE_LIMIT - 1, SerialExecutor.INLINE_LIMIT, 3 * SerialExecutor.INLINE_LIMIT + 5})
  void claimedExecutor_runsAtMostTheLimitInline_thenTheRestOnThePool(int queued) throws Exception {
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch all = new CountDownLatch(queued);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      SerialExecutor e = new SerialExecutor(pool);
      Runnable[] tasks = new Runnable[queued];
      for (int i = 0; i < queued; i++) {
        int n = i;
        tasks[i] = () -> {
          order.add("t" + n);
          threads.add(Thread.currentThread());
          all.countDown();
        };
      }
      assertTrue(e.claim(tasks[0]));
      for (int i = 1; i < queued; i++) {
        e.execute(tasks[i]); // claimed: queued behind, not started on the pool
      }
      e.runClaimed();
      assertTrue(all.await(Recorder.SAFETY_SECONDS, TimeUnit.SECONDS));
      for (int i = 0; i < queued; i++) {
        assertEquals("t" + i, order.get(i));
        boolean inline = i < SerialExecutor.INLINE_LIMIT;
        assertEquals(inline, threads.get(i) == Thread.currentThread(), "task " + i + " on " + threads.get(i).getName());
      }
      // idle again once the pool's drain has seen the queue empty: then a claim succeeds
      boolean claimed = false;
      for (int attempt = 0; attempt < 500 && !claimed; attempt++) {
        claimed = e.claim(() -> {}); // a refused claim leaves its no-op to the running drain
        if (claimed) {
          e.runClaimed();
        } else {
          Thread.sleep(10);
        }
      }
      assertTrue(claimed, "the executor never became idle again");
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }
}
