package io.jask.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.JaskTaskException;
import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.distributed.scheduler.TaskState;
import io.jask.engine.scheduler.Schedulers;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The futures API against a real LocalCluster: a scheduler here, two worker JVMs on loopback. */
class ClientIT {
  static LocalCluster cluster;
  static Client client;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder().workers(2).threadsPerWorker(1).memoryLimit("512MiB").build();
    client = Client.connect(cluster.schedulerAddress(), false);
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  @Test
  void mapAndGather_returnResultsInOrder() {
    List<Integer> items = IntStream.range(0, 500).boxed().toList();
    List<Future<Integer>> fs = client.map((Integer x) -> x + 1, items);
    assertEquals(IntStream.range(1, 501).boxed().toList(), client.gather(fs));
    fs.forEach(Future::release);
  }

  @Test
  void futureArgument_becomesDependency_dataMovesBetweenWorkers() {
    List<Future<Long>> squares = client.map((Long x) -> x * x, List.of(1L, 2L, 3L, 4L, 5L, 6L));
    Future<Long> total = client.submit((List<Long> xs) -> xs.stream().mapToLong(Long::longValue).sum(), squares);
    assertEquals(91L, total.result());
    Future<Long> plus = client.submit((Long a, Long b) -> a + b, total, squares.get(0));
    assertEquals(92L, plus.result());
  }

  @Test
  void scatter_thenSubmit_usesScatteredData() {
    double[] data = new double[100_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = i;
    }
    Future<double[]> remote = client.scatter(data);
    Future<Double> sum = client.submit((double[] xs) -> java.util.Arrays.stream(xs).sum(), remote);
    assertEquals(99_999.0 * 100_000 / 2, sum.result());
    assertEquals(data.length, remote.result().length);
  }

  @Test
  void failingTask_raisesRemoteExceptionWithKeyClassMessageAndStackTrace() {
    Future<Integer> bad = client.submit((Integer x) -> Integer.parseInt("not a number " + x), 3);
    JaskTaskException e = assertThrows(JaskTaskException.class, bad::result);
    assertEquals(bad.key().toString(), e.key());
    assertEquals("java.lang.NumberFormatException", e.remoteClass());
    assertInstanceOf(NumberFormatException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("not a number 3"));
    assertTrue(e.getCause().getStackTrace().length > 0, "the remote stack trace arrives");
    assertEquals("error", bad.status());
    assertInstanceOf(NumberFormatException.class, bad.exception());
    ExecutionException ee = assertThrows(ExecutionException.class, bad::get);
    assertInstanceOf(NumberFormatException.class, ee.getCause());
    Future<Integer> after = client.submit((Integer x) -> x + 1, bad);
    JaskTaskException e2 = assertThrows(JaskTaskException.class, after::result);
    assertEquals(bad.key().toString(), e2.key(), "a dependent fails naming the task that failed");
  }

  @Test
  void futureApi_callbacksCompletableFutureAsCompletedWaitAny() throws Exception {
    List<Future<Integer>> fs = client.map((Integer ms) -> {
      Thread.sleep(ms);
      return ms;
    }, List.of(300, 10, 150));
    AtomicInteger callbacks = new AtomicInteger();
    for (Future<Integer> f : fs) {
      f.addDoneCallback(done -> callbacks.incrementAndGet());
    }
    CompletableFuture<Integer> cf = fs.get(2).toCompletableFuture();
    Future<Integer> first = Futures.waitAny(fs);
    assertTrue(first.done());
    List<Integer> order = new ArrayList<>();
    for (Future<Integer> f : Futures.asCompleted(fs)) {
      order.add(f.result());
    }
    assertEquals(Set.of(10, 150, 300), new HashSet<>(order));
    assertEquals(150, cf.get(30, TimeUnit.SECONDS));
    Futures.waitAll(fs);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (callbacks.get() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(3, callbacks.get());
    assertNull(fs.get(0).exception());
    assertEquals("finished", fs.get(0).status());
  }

  @Test
  void executorService_runsSerializableCallables() throws Exception {
    Callable<String> hello = (Callable<String> & Serializable) () -> "hello from " + ProcessHandle.current().pid();
    String out = client.submit(hello).get(30, TimeUnit.SECONDS);
    assertTrue(out.startsWith("hello from ") && !out.endsWith(" " + ProcessHandle.current().pid()), out);
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int ii = i;
      calls.add((Callable<Integer> & Serializable) () -> ii * 3);
    }
    int sum = 0;
    for (java.util.concurrent.Future<Integer> f : client.invokeAll(calls)) {
      sum += f.get();
    }
    assertEquals(135, sum);
    assertEquals(7, client.invokeAny(List.of((Callable<Integer> & Serializable) () -> 7)));
  }

  @Test
  void retries_rerunAFailingTask() throws Exception {
    Path marker = Files.createTempFile("jask-retry", ".count");
    try {
      String file = marker.toString();
      Future<Integer> f = client.submit(SubmitOptions.defaults().withRetries(2), (String path) -> {
        Path p = Path.of(path);
        int n = Files.readAllLines(p).size();
        Files.writeString(p, "x\n", java.nio.file.StandardOpenOption.APPEND);
        if (n < 2) {
          throw new IllegalStateException("attempt " + n + " fails");
        }
        return n;
      }, file);
      assertEquals(2, f.result(60, TimeUnit.SECONDS));
    } finally {
      Files.deleteIfExists(marker);
    }
  }

  @Test
  void allowedWorkers_pinTheTask() {
    String target = cluster.workers().get(1).address();
    Future<Long> pid = client.submit(SubmitOptions.defaults().withWorkers(target).withPure(false),
        (Integer x) -> ProcessHandle.current().pid(), 0);
    assertEquals(cluster.workers().get(1).processHandle().orElseThrow().pid(), pid.result());
  }

  @Test
  void rawGraph_onClientAsScheduler_matchesDirectEvaluation() {
    Map<Key, Task> g = new LinkedHashMap<>();
    g.put(Key.of("a"), Task.literal(5));
    for (int i = 0; i < 50; i++) {
      g.put(Key.of("inc", i), Task.of(x -> (Integer) x[0] + 1, i == 0 ? Key.of("a") : Key.of("inc", i - 1)));
    }
    g.put(Key.of("out"), Task.of(x -> ((List<?>) x[0]).size() + (Integer) x[1], List.of(Key.of("a"), Key.of("inc", 3)), Key.of("inc", 49)));
    assertEquals(2 + 55, client.get(g, List.of(Key.of("out"))).get(Key.of("out")));
  }

  @Test
  void release_letsTheSchedulerForgetTheKey() throws Exception {
    Future<Integer> f = client.submit(SubmitOptions.defaults().withPure(false), (Integer x) -> x * 2, 21);
    assertEquals(42, f.result());
    Key k = f.key();
    assertEquals(TaskState.MEMORY, cluster.scheduler().inspect(s -> s.stateOf(k)));
    f.release();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (cluster.scheduler().inspect(s -> s.stateOf(k)) != TaskState.FORGOTTEN && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(TaskState.FORGOTTEN, cluster.scheduler().inspect(s -> s.stateOf(k)), "the scheduler still holds " + k);
  }

  @Test
  void openDefaultClient_runsCompute() {
    try (Client c = Client.connect(cluster)) {
      assertEquals(c, Schedulers.current());
      Map<Key, Task> g = Map.of(Key.of("pid"), Task.of(x -> ProcessHandle.current().pid()));
      Object pid = Schedulers.current().get(g, List.of(Key.of("pid"))).get(Key.of("pid"));
      assertTrue((Long) pid != ProcessHandle.current().pid());
    }
    assertEquals("threads", Schedulers.current().name());
  }

  @Test
  void uploadJar_makesNewClassesLoadableOnTheWorkers(@TempDir Path dir) throws Exception {
    // a class that exists only in a jar made here, never on the workers' class path
    Path src = dir.resolve("src/demo/Triple.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, "package demo; public class Triple implements io.jask.engine.Fn.F1<Integer, Integer> {"
        + " public Integer apply(Integer x) { return 3 * x; } }");
    javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
    Path classes = Files.createDirectories(dir.resolve("classes"));
    assertEquals(0, javac.run(null, null, null, "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), src.toString()));
    Path jar = dir.resolve("triple.jar");
    try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new java.util.jar.JarEntry("demo/Triple.class"));
      out.write(Files.readAllBytes(classes.resolve("demo/Triple.class")));
      out.closeEntry();
    }
    try (java.net.URLClassLoader here = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
      @SuppressWarnings("unchecked")
      io.jask.engine.Fn.F1<Integer, Integer> triple =
          (io.jask.engine.Fn.F1<Integer, Integer>) here.loadClass("demo.Triple").getDeclaredConstructor().newInstance();
      ClassLoader previous = Thread.currentThread().getContextClassLoader();
      Thread.currentThread().setContextClassLoader(here);
      try (Client c = Client.connect(cluster.schedulerAddress(), false)) {
        Future<Integer> before = c.submit(SubmitOptions.defaults().withPure(false), triple, 5);
        JaskTaskException e = assertThrows(JaskTaskException.class, before::result);
        assertTrue(e.getMessage().contains("demo.Triple"), e.getMessage());
        c.uploadJar(jar);
        assertEquals(21, c.submit(SubmitOptions.defaults().withPure(false), triple, 7).result());
      } finally {
        Thread.currentThread().setContextClassLoader(previous);
      }
    }
  }
}
