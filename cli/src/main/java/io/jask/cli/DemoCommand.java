package io.jask.cli;

import io.jask.array.DArray;
import io.jask.bag.Bag;
import io.jask.dataframe.DFrame;
import io.jask.dataframe.Expr;
import tech.tablesaw.api.Table;
import io.jask.delayed.Delayed;
import io.jask.distributed.Client;
import io.jask.distributed.Future;
import io.jask.distributed.LocalCluster;
import io.jask.distributed.SubmitOptions;
import io.jask.engine.Jask;
import io.jask.engine.JaskTaskException;
import io.jask.engine.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code bin/jask demo}: a short tour that computes real things and checks them. */
@Command(name = "demo", description = "Run a short demo of Jask's collections and schedulers.")
final class DemoCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.out.println("== Delayed: a tree sum of squares, 1..1000, on every local scheduler");
    for (String scheduler : List.of("sync", "threads")) {
      try (Config.Scope s = Config.set("scheduler", scheduler)) {
        List<Delayed<Long>> squares = new ArrayList<>();
        for (long i = 1; i <= 1000; i++) {
          squares.add(Delayed.call((Long x) -> x * x, i));
        }
        while (squares.size() > 1) {
          List<Delayed<Long>> next = new ArrayList<>();
          for (int i = 0; i < squares.size(); i += 2) {
            next.add(i + 1 < squares.size() ? Delayed.call((Long a, Long b) -> a + b, squares.get(i), squares.get(i + 1)) : squares.get(i));
          }
          squares = next;
        }
        long t0 = System.nanoTime();
        long total = squares.get(0).compute();
        long expected = 1000L * 1001 * 2001 / 6;
        System.out.printf("   %-8s sum = %d (expected %d) in %.1f ms%n", scheduler, total, expected, (System.nanoTime() - t0) / 1e6);
        if (total != expected) {
          return 1;
        }
      }
    }
    Delayed<Integer> a = Delayed.call((Integer x, Integer y) -> x + y, 1, 2);
    Delayed<Integer> b = Delayed.call((Integer x) -> x * 10, a);
    System.out.println("   Jask.compute(a, b) = " + Jask.compute(a, b) + "   (a is computed once)");

    System.out.println("== Bag: word frequencies over 4 partitions (threads)");
    List<String> lines = List.of("the quick brown fox", "jumps over the lazy dog", "the dog sleeps", "a fox runs");
    List<java.util.Map.Entry<String, Long>> top = Bag.fromSequence(lines, 4)
        .flatMap((String line) -> List.of(line.split(" ")))
        .frequencies()
        .topk(3, java.util.Map.Entry::getValue)
        .compute();
    System.out.println("   top 3 words: " + top);

    System.out.println("== DFrame: a CSV file read in 1 KiB blocks, filter, groupBy(\"k\").mean(\"x\")");
    try {
      java.nio.file.Path csv = java.nio.file.Files.createTempFile("jask-demo-", ".csv");
      StringBuilder text = new StringBuilder("k,x,y\n");
      double[] sums = new double[3];
      int[] counts = new int[3];
      java.util.Random r = new java.util.Random(42);
      for (int i = 0; i < 600; i++) {
        int k = r.nextInt(3);
        double x = Math.round(r.nextGaussian() * 100) / 100.0;
        double y = r.nextDouble();
        text.append("k").append(k).append(',').append(x).append(',').append(y).append('\n');
        if (y > 0.5) {
          sums[k] += x;
          counts[k]++;
        }
      }
      java.nio.file.Files.writeString(csv, text);
      DFrame df = DFrame.readCsv(csv.toString(), io.jask.io.CsvOptions.defaults().withBlocksize(1024));
      Table means = df.filter(Expr.col("y").gt(0.5)).groupBy("k").mean("x").compute();
      System.out.println("   " + df.npartitions() + " partitions; means by key:\n" + means.print().indent(3).stripTrailing());
      System.out.printf("   expected (plain loop): k0=%.4f k1=%.4f k2=%.4f%n", sums[0] / counts[0], sums[1] / counts[1], sums[2] / counts[2]);
      java.nio.file.Files.delete(csv);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }

    System.out.println("== LocalCluster: a scheduler here and 2 worker JVMs, futures API");
    long t0 = System.nanoTime();
    try (LocalCluster cluster = LocalCluster.builder().workers(2).threadsPerWorker(1).build();
         Client client = Client.connect(cluster)) {
      System.out.printf("   started %s in %.1f s%n", cluster, (System.nanoTime() - t0) / 1e9);
      List<Integer> inputs = new ArrayList<>();
      for (int i = 0; i < 10_000; i++) {
        inputs.add(i);
      }
      t0 = System.nanoTime();
      List<Future<Integer>> futures = client.map((Integer x) -> x + 1, inputs);
      List<Integer> out = client.gather(futures);
      System.out.printf("   client.map(x -> x + 1, 0..9999) + gather: %d results, first %s, last %d, in %.0f ms%n",
          out.size(), out.subList(0, 3), out.get(out.size() - 1), (System.nanoTime() - t0) / 1e6);
      Future<Long> total = client.submit((List<Integer> xs) -> xs.stream().mapToLong(Integer::longValue).sum(), futures);
      System.out.println("   sum on a worker from the futures (data moved worker to worker): " + total.result()
          + " (expected " + (10_000L * 10_001 / 2) + ")");
      Future<Long> pid = client.submit(SubmitOptions.defaults().withPure(false), (Integer x) -> ProcessHandle.current().pid(), 0);
      System.out.println("   a task ran in worker process " + pid.result() + "; this process is " + ProcessHandle.current().pid());
      System.out.println("   Delayed compute() while the client is open runs on the cluster: "
          + Delayed.call((Integer x) -> ProcessHandle.current().pid() != x ? "remote" : "local", (int) ProcessHandle.current().pid()).compute());
      cluster.dashboardLink().ifPresent(link -> System.out.println("   dashboard (live while the cluster runs): " + link));

      System.out.println("== DArray on the cluster: x = random 2000 x 2000 in 500 x 500 chunks, (x + x.T).mean(axis 0)");
      DArray arr = DArray.random(new long[] {2000, 2000}, new int[] {500, 500}, 7);
      t0 = System.nanoTime();
      org.nd4j.linalg.api.ndarray.INDArray colMeans = arr.add(arr.transpose()).mean(0).compute();
      double ms = (System.nanoTime() - t0) / 1e6;
      org.nd4j.linalg.api.ndarray.INDArray whole = arr.compute();
      org.nd4j.linalg.api.ndarray.INDArray expected = whole.add(whole.transpose()).mean(0);
      double err = colMeans.sub(expected).amaxNumber().doubleValue();
      System.out.printf("   %d column means in %.0f ms (%d tasks); max |difference| from ND4J on the whole array: %.1e%n",
          colMeans.length(), ms, arr.add(arr.transpose()).mean(0).graph().materialize().size(), err);
      if (err > 1e-9) {
        return 1;
      }

      System.out.println("== DFrame on the cluster: 8 partitions, groupBy(\"k\").sum(\"v\")");
      Table t = Table.create("t",
          tech.tablesaw.api.StringColumn.create("k", java.util.stream.IntStream.range(0, 10_000).mapToObj(i -> "k" + (i % 4)).toArray(String[]::new)),
          tech.tablesaw.api.LongColumn.create("v", java.util.stream.LongStream.range(0, 10_000).toArray()));
      Table sums = DFrame.fromTable(t, 8).groupBy("k").sum("v").compute();
      System.out.println(sums.print().indent(3).stripTrailing());

      Future<Integer> bad = client.submit((Integer x) -> x / 0, 1);
      try {
        bad.result();
      } catch (JaskTaskException e) {
        System.out.println("   a failing task raises JaskTaskException: " + e.getMessage());
      }
      if (total.result() != 10_000L * 10_001 / 2) {
        return 1;
      }
    }
    return 0;
  }
}
