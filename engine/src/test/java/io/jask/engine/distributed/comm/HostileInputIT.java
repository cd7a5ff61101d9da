package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.distributed.Client;
import io.jask.distributed.Future;
import io.jask.distributed.LocalCluster;
import io.jask.engine.Key;
import io.jask.engine.config.Config;
import io.jask.engine.distributed.internal.KryoHeaderCodec;
import io.jask.engine.distributed.protocol.Msg;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fuzzing the scheduler's and a worker's ports of a running cluster: 10,000 random, truncated,
 * oversized and malformed inputs (1,000 over TLS), each on its own connection, with and without a
 * token, while a legitimate client runs jobs and checks their results. Afterwards the cluster still
 * works, and no connection, thread, Netty buffer or heap memory was leaked.
 *
 * <p>Seeded: case {@code i} of a mode is generated from {@code SEED + i} alone; a failure prints
 * the mode, the case number and its kind, so {@link #bytesOf} reproduces it.
 */
@ExtendWith(NettyLeakCheck.class)
class HostileInputIT {

  static final long SEED = 20_261_122L;
  /** The frame limit of this test's cluster, so oversized frames are cheap to announce. */
  static final int MAX_FRAME = 1 << 20;
  static final String TOKEN = "fuzz-test-token";
  static final int PARALLEL = 8;

  enum Mode {
    OPEN(10_000),
    TOKEN(10_000),
    TLS_TOKEN(1_000);

    final int cases;

    Mode(int cases) {
      this.cases = cases;
    }
  }

  enum Kind {
    RANDOM_BYTES,
    TRUNCATED_GREETING,
    MUTATED_GREETING,
    RANDOM_FRAME,
    TRUNCATED_FRAME,
    OVERSIZED_FRAME,
    BAD_LENGTH,
    FLIPPED_FRAME,
    RANDOM_HEADER,
    MANY_FRAMES
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void fuzz_schedulerAndWorkerPorts_clusterSurvives_legitimateJobsCorrect(Mode mode) throws Exception {
    Map<String, Object> settings = new HashMap<>();
    settings.put("distributed.comm.limits.max-frame-size", MAX_FRAME);
    settings.put("distributed.comm.timeouts.handshake", "3s");
    // the legitimate client talks to the fuzzed scheduler over the same TCP/TLS listener as the
    // fuzzer (not the in-JVM shortcut, whose shared delivery pool may start threads meanwhile)
    settings.put("distributed.comm.inproc-shortcut", false);
    if (mode != Mode.OPEN) {
      settings.put("distributed.comm.auth.token", TOKEN);
    }
    if (mode == Mode.TLS_TOKEN) {
      settings.put("distributed.comm.tls.cert", TestTls.file("node.pem").toString());
      settings.put("distributed.comm.tls.key", TestTls.file("node.key").toString());
      settings.put("distributed.comm.tls.ca", TestTls.file("ca.pem").toString());
    }
    String scheme = mode == Mode.TLS_TOKEN ? "tls" : "tcp";
    try (Config.Scope s = Config.set(settings);
        LocalCluster cluster =
            LocalCluster.builder()
                .workers(1)
                .threadsPerWorker(2)
                .processes(false)
                .schedulerAddress(scheme + "://127.0.0.1:0")
                .build();
        Client client = Client.connect(cluster.schedulerAddress(), false)) {
      String[] targets = {cluster.schedulerAddress(), cluster.workers().get(0).address()};
      assertTrue(targets[1].startsWith(scheme + "://"), targets[1]);
      runJob(client, 0); // warm up: every pool and event loop this test needs exists now

      Set<String> threadsBefore = threads();
      int connectionsBefore = Comms.openConnections();
      long heapBefore = usedHeapAfterGc();

      AtomicBoolean fuzzing = new AtomicBoolean(true);
      AtomicInteger jobs = new AtomicInteger();
      ConcurrentLinkedQueue<Throwable> jobErrors = new ConcurrentLinkedQueue<>();
      Thread legit =
          new Thread(
              () -> {
                try {
                  for (int round = 1; fuzzing.get() || jobs.get() == 0; round++) {
                    runJob(client, round);
                    jobs.incrementAndGet();
                    Thread.sleep(100); // leave the two CPUs mostly to the fuzzing
                  }
                } catch (Throwable t) {
                  jobErrors.add(t);
                }
              },
              "fuzz-legitimate-client");
      legit.start();

      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
      for (int i = 0; i < mode.cases; i++) {
        int n = i;
        pool.execute(() -> {
          String target = targets[n % 2];
          try {
            send(mode, n, target);
          } catch (Throwable t) {
            failures.add(describe(mode, n, target) + ": " + t);
          }
        });
      }
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.MINUTES), "fuzzing finished");
      fuzzing.set(false);
      legit.join(TimeUnit.MINUTES.toMillis(5));
      assertEquals(List.of(), new ArrayList<>(failures), "a port stopped answering");
      assertEquals(List.of(), new ArrayList<>(jobErrors), "the legitimate client's jobs");
      assertTrue(jobs.get() >= 1);
      System.out.printf("fuzz %s: %d cases, %d legitimate jobs alongside%n", mode, mode.cases, jobs.get());

      // Still serving, to old and new clients.
      runJob(client, -1);
      try (Client again = Client.connect(cluster.schedulerAddress(), false)) {
        runJob(again, -2);
      }

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (Comms.openConnections() > connectionsBefore && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(connectionsBefore, Comms.openConnections(), "connections left open");
      Set<String> extra;
      do {
        extra = threads();
        extra.removeAll(threadsBefore);
        if (extra.isEmpty()) {
          break;
        }
        Thread.sleep(50);
      } while (System.nanoTime() < deadline);
      assertEquals(Set.of(), extra, "threads started by the fuzzing and still alive");
      long heapAfter = usedHeapAfterGc();
      assertTrue(
          heapAfter - heapBefore < 64L << 20,
          "heap grew from " + heapBefore + " to " + heapAfter + " bytes");
    }
  }

  /** One legitimate job: squares of 200 numbers summed, against the closed form. */
  private static void runJob(Client client, int round) {
    long from = 200L * (round + 10);
    List<Long> xs = new ArrayList<>();
    for (long x = from; x < from + 200; x++) {
      xs.add(x);
    }
    List<Future<Long>> fs = client.map((Long x) -> x * x, xs);
    long sum = 0;
    for (long v : client.gather(fs)) {
      sum += v;
    }
    long expected = sumSquares(from + 200) - sumSquares(from);
    if (sum != expected) {
      throw new AssertionError("round " + round + ": sum of squares " + sum + ", expected " + expected);
    }
    fs.forEach(Future::release);
  }

  private static long sumSquares(long n) { // 0² + … + (n-1)²
    return (n - 1) * n * (2 * n - 1) / 6;
  }

  private static String describe(Mode mode, int n, String target) {
    return mode + " case " + n + " (" + kind(n) + ", seed " + (SEED + n) + ") at " + target;
  }

  static Kind kind(int n) {
    return Kind.values()[new Random(SEED + n).nextInt(Kind.values().length)];
  }

  /** Opens a connection, sends case {@code n}'s bytes, half-closes and reads until the server closes. */
  private static void send(Mode mode, int n, String target) throws Exception {
    Random r = new Random(SEED + n);
    r.nextInt(Kind.values().length); // the kind
    boolean overTls = mode == Mode.TLS_TOKEN && r.nextBoolean();
    byte[] bytes = bytesOf(mode, kind(n), r, n % 2 == 1);
    int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
    plain.setSoLinger(true, 0); // no TIME_WAIT pile-up over thousands of connections
    Socket socket = overTls ? tls().createSocket(plain, "127.0.0.1", port, true) : plain;
    try (plain; socket) {
      socket.setSoTimeout(60_000);
      if (socket instanceof SSLSocket ssl) {
        ssl.startHandshake();
      }
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      try {
        out.write(bytes);
        out.flush();
        if (!overTls) {
          socket.shutdownOutput();
        }
      } catch (IOException closedEarly) {
        return; // the server closed first: fine, it had seen enough
      }
      byte[] sink = new byte[4096];
      try {
        while (in.read(sink) >= 0) {
          // until the server closes
        }
      } catch (IOException reset) {
        // closed with a reset: also a close
      }
    }
  }

  private static final byte[][] SEEDS_SCHEDULER = {
    encode(new Msg.RegisterClient("fuzz-client")),
    encode(new Msg.Ping(42)),
    encode(new Msg.WhoHasRequest(7, List.of(Key.of("x", 1)))),
  };
  private static final byte[][] SEEDS_WORKER = {
    encode(new Msg.GetData(1, List.of(Key.of("x", 1), Key.of("y")))),
    encode(new Msg.Ping(3)),
  };

  /** A well-formed frame (length prefix, table, Kryo header, no buffers) of {@code m}. */
  private static byte[] encode(Msg m) {
    byte[] header = new KryoHeaderCodec().encode(m);
    return ByteBuffer.allocate(4 + 8 + header.length)
        .putInt(8 + header.length)
        .putInt(1)
        .putInt(header.length)
        .put(header)
        .array();
  }

  /** The bytes of one case; everything after the greeting only matters in mode OPEN. */
  static byte[] bytesOf(Mode mode, Kind kind, Random r, boolean worker) {
    ByteBuffer b = ByteBuffer.allocate(1 << 16);
    byte[] hello = RawPeer.hello(mode == Mode.OPEN ? 0 : Handshake.FLAG_TOKEN);
    byte[][] seeds = worker ? SEEDS_WORKER : SEEDS_SCHEDULER;
    switch (kind) {
      case RANDOM_BYTES -> b.put(random(r, r.nextInt(4096)));
      case TRUNCATED_GREETING -> b.put(hello, 0, r.nextInt(hello.length));
      case MUTATED_GREETING -> {
        hello[r.nextInt(hello.length)] ^= (byte) (1 + r.nextInt(255));
        b.put(hello).put(random(r, r.nextInt(512)));
      }
      default -> {
        b.put(hello);
        if (mode != Mode.OPEN) {
          b.put(random(r, Handshake.MAC)); // a stranger's guess at the proof
        }
        switch (kind) {
          case RANDOM_FRAME -> {
            int len = r.nextInt(2048);
            b.putInt(len).put(random(r, len));
          }
          case TRUNCATED_FRAME -> {
            byte[] f = seeds[r.nextInt(seeds.length)];
            b.put(f, 0, r.nextInt(f.length));
          }
          case OVERSIZED_FRAME ->
              b.putInt(MAX_FRAME + 1 + r.nextInt(Integer.MAX_VALUE - MAX_FRAME - 1))
                  .put(random(r, r.nextInt(1024)));
          case BAD_LENGTH -> {
            int len = r.nextBoolean() ? -1 - r.nextInt(Integer.MAX_VALUE) : r.nextInt(8);
            b.putInt(len).put(random(r, 8 + r.nextInt(64)));
          }
          case FLIPPED_FRAME -> {
            byte[] f = seeds[r.nextInt(seeds.length)].clone();
            for (int flips = 1 + r.nextInt(4); flips > 0; flips--) {
              int at = 4 + r.nextInt(f.length - 4); // keep the outer length: reach the decoder
              f[at] ^= (byte) (1 + r.nextInt(255));
            }
            b.put(f);
          }
          case RANDOM_HEADER -> {
            byte[] h = random(r, 1 + r.nextInt(256));
            b.putInt(8 + h.length).putInt(1).putInt(h.length).put(h);
          }
          case MANY_FRAMES -> {
            for (int k = r.nextInt(50); k > 0; k--) {
              byte[] f = seeds[r.nextInt(seeds.length)].clone();
              if (r.nextInt(4) == 0) {
                f[4 + r.nextInt(f.length - 4)] ^= (byte) (1 + r.nextInt(255));
              }
              b.put(f);
            }
          }
          default -> throw new IllegalStateException(kind.toString());
        }
      }
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  private static byte[] random(Random r, int n) {
    byte[] a = new byte[n];
    r.nextBytes(a);
    return a;
  }

  private static volatile javax.net.ssl.SSLSocketFactory tls;

  /** A TLS client that trusts the test CA and has no certificate. */
  private static javax.net.ssl.SSLSocketFactory tls() throws Exception {
    if (tls == null) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (InputStream in = java.nio.file.Files.newInputStream(TestTls.file("ca.pem"))) {
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      tls = ctx.getSocketFactory();
    }
    return tls;
  }

  /** Live threads, minus pools that park idle threads for a while by design. */
  private static Set<String> threads() {
    Set<String> names = new TreeSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String n = t.getName();
      if (t.isAlive()
          && !n.contains("-io-")
          && !n.startsWith("jask-client-callback-")
          && !n.startsWith("ForkJoinPool")
          && !n.startsWith("pool-")
          && !n.startsWith("fuzz-")) {
        names.add(n);
      }
    }
    return names;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
