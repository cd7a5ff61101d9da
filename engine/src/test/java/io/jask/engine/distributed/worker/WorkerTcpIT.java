package io.jask.engine.distributed.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.distributed.protocol.Msg;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two workers and a fake scheduler over real TCP loopback sockets. */
@Timeout(120)
class WorkerTcpIT {

  @Test
  void tcp_peerFetchOfLargeValues_gatherAndGarbageSocket() throws Exception {
    try (FakeScheduler scheduler = new FakeScheduler("tcp://127.0.0.1:0", 100);
        Worker a = Worker.start(new Worker.Options(scheduler.address(), "tcp://127.0.0.1:0", "a", 2, 1L << 30, null));
        Worker b = Worker.start(new Worker.Options(scheduler.address(), "tcp://127.0.0.1:0", "b", 2, 1L << 30, null))) {
      assertTrue(a.address().startsWith("tcp://127.0.0.1:"), a.address());
      scheduler.await(Msg.RegisterWorker.class, r -> r.name().equals("a"));
      scheduler.await(Msg.RegisterWorker.class, r -> r.name().equals("b"));
      Key x = Key.of("big", 0);
      Key y = Key.of("big", 1);
      Key total = Key.of("total");
      scheduler.send(a.address(), WorkerTesting.compute(x, Task.of(args -> filled(1_000_000, 1.5)), 0, Map.of()));
      scheduler.send(a.address(), WorkerTesting.compute(y, Task.of(args -> filled(1_000_000, 2.5)), 0, Map.of()));
      Msg.TaskFinished fx = scheduler.await(Msg.TaskFinished.class, f -> f.key().equals(x));
      scheduler.await(Msg.TaskFinished.class, f -> f.key().equals(y));
      assertTrue(fx.nbytes() >= 8_000_000, "nbytes " + fx.nbytes());
      assertEquals("double[]", fx.type());

      Task sum = Task.of(args -> sum((double[]) args[0]) + sum((double[]) args[1]), x, y);
      scheduler.send(b.address(), WorkerTesting.compute(total, sum, 0, Map.of(x, List.of(a.address()), y, List.of(a.address()))));
      scheduler.await(Msg.TaskFinished.class, f -> f.key().equals(total));
      assertEquals(1, a.getDataServed());

      // A socket that speaks garbage is closed by the transport; the worker keeps serving.
      URI u = URI.create(b.address());
      try (Socket raw = new Socket(u.getHost(), u.getPort())) {
        OutputStream o = raw.getOutputStream();
        o.write(new byte[] {0, 0, 0, 12, 'g', 'a', 'r', 'b', 'a', 'g', 'e', '!', '!', '!', '!', '!'});
        o.flush();
        raw.setSoTimeout(60_000);
        InputStream in = raw.getInputStream();
        // The worker greets (38 bytes, "JASK"…), sees garbage instead of a greeting, and closes.
        byte[] got = in.readAllBytes();
        assertTrue(got.length <= 38 && (got.length == 0 || got[0] == 'J'), "only the greeting, then the close");
      }
      try (DataClient c = new DataClient(b.address())) {
        assertEquals(Map.of(total, 4_000_000.0), c.get(total));
      }
      try (DataClient c = new DataClient(a.address())) {
        assertArrayEquals(filled(1_000_000, 1.5), (double[]) c.get(x).get(x));
      }
    }
    WorkerTesting.assertNoWorkerThreadsLeft();
  }

  static double[] filled(int n, double v) {
    double[] d = new double[n];
    java.util.Arrays.fill(d, v);
    return d;
  }

  static double sum(double[] d) {
    double s = 0;
    for (double v : d) {
      s += v;
    }
    return s;
  }
}
