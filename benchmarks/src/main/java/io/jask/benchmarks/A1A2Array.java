package io.jask.benchmarks;

import io.jask.array.DArray;
import io.jask.engine.config.Config;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A1 and A2 of {@code shared/BENCHMARKS.md} on the {@code threads} scheduler (2 threads here): a
 * random 10,000 x 10,000 float64 array in 1,000 x 1,000 chunks, persisted first (as the Dask peer
 * does, so the RNG is not timed), then {@code (x + x.T).sum()}, {@code (x + x.T)} materialized
 * into one INDArray, {@code x.mean(axis=0)} and {@code x.sum()}. Every run is checked against the
 * same computation done by ND4J on the whole array in one process, which is also timed as the
 * in-memory baseline. {@code random_gen_sum} times RNG + sum end to end, like the peer's.
 *
 * <p>Command: {@code GLIBC_TUNABLES=glibc.malloc.hugetlb=1 java $(cat benchmarks/target/jvm.flags) -Xmx8g -cp
 * benchmarks/target/jask-benchmarks.jar io.jask.benchmarks.Runner a1} (the tunable as {@code bin/jask} sets it).
 */
final class A1A2Array implements Workload {
  static final String BENCH = "array";
  static final long N = 10_000;
  static final int CHUNK = 1_000;

  @Override
  public String description() {
    return "A1/A2: 10,000^2 float64 in 1,000^2 chunks: (x + x.T).sum(), (x + x.T) materialized, x.mean(axis=0), x.sum()";
  }

  @Override
  public void run(Settings s) throws Exception {
    Settings slow = s.slowCase(1);
    try (Config.Scope c = Config.set("scheduler", "threads")) {
      DArray x = DArray.random(new long[] {N, N}, new int[] {CHUNK, CHUNK}, 42).persist();
      INDArray a = x.compute();
      double[] expectedSum = {0};
      List<Double> nd = Stats.repeat(1, 3, () -> {
        INDArray t = a.add(a.transpose());
        double v = t.sumNumber().doubleValue();
        t.close();
        return v;
      }, v -> expectedSum[0] = v);
      Result.of(BENCH, "nd4j_in_memory_x_plus_xT_sum").runs(nd).put("api", "a.add(a.transpose()).sumNumber()").print();
      List<Double> runs = Stats.repeat(slow.warmup(), slow.runs(), () -> scalar(x.add(x.transpose()).sum().compute()),
          v -> Stats.check(Math.abs(v - expectedSum[0]) <= 1e-9 * Math.abs(expectedSum[0]), "A1 sum " + v + " vs " + expectedSum[0]));
      Result.of(BENCH, "x_plus_xT_sum").runs(runs).put("shape", List.of(N, N)).put("chunks", List.of(CHUNK, CHUNK))
          .put("api", "x.add(x.transpose()).sum().compute()").print();

      INDArray expectedMat = a.add(a.transpose());
      List<Double> mat = Stats.repeat(slow.warmup(), slow.runs(), () -> x.add(x.transpose()).compute(),
          v -> {
            Stats.check(v.equals(expectedMat), "A1 materialized equals ND4J's a + a.T");
            v.close();
          });
      // a fresh 800 MB result: its page faults depend on huge pages (docs/array.md, "Performance")
      Result.of(BENCH, "x_plus_xT_materialize").runs(mat).put("api", "x.add(x.transpose()).compute()")
          .put("glibc_tunables", System.getenv().getOrDefault("GLIBC_TUNABLES", "")).print();
      List<Double> ndMat = Stats.repeat(1, 3, () -> a.add(a.transpose()), v -> v.close());
      Result.of(BENCH, "nd4j_in_memory_x_plus_xT").runs(ndMat).put("api", "a.add(a.transpose())").print();
      expectedMat.close();

      INDArray expectedMean = a.mean(0);
      List<Double> mean = Stats.repeat(s.warmup(), s.runs(), () -> x.mean(0).compute(),
          v -> {
            Stats.check(v.equalsWithEps(expectedMean, 1e-9), "A2 mean(0) equals ND4J's");
            v.close();
          });
      Result.of(BENCH, "mean_axis0").runs(mean).put("api", "x.mean(0).compute()").print();
      List<Double> ndMean = Stats.repeat(1, 3, () -> a.mean(0), v -> v.close());
      expectedMean.close();
      Result.of(BENCH, "nd4j_in_memory_mean_axis0").runs(ndMean).put("api", "a.mean(0)").print();

      double total = a.sumNumber().doubleValue();
      a.close(); // 800 MB off-heap: free it before the timed sums rather than leave it to the GC
      List<Double> sum = Stats.repeat(s.warmup(), s.runs(), () -> scalar(x.sum().compute()),
          v -> Stats.check(Math.abs(v - total) <= 1e-9 * Math.abs(total), "sum " + v + " vs " + total));
      Result.of(BENCH, "sum").runs(sum).put("api", "x.sum().compute()").print();

      List<Double> gen = Stats.repeat(slow.warmup(), slow.runs(),
          () -> scalar(DArray.random(new long[] {N, N}, new int[] {CHUNK, CHUNK}, 7).sum().compute()),
          v -> Stats.check(Math.abs(v / (N * N) - 0.5) < 1e-3, "random mean " + v / (N * N)));
      Result.of(BENCH, "random_gen_sum").runs(gen).put("api", "DArray.random(...).sum().compute()").print();
    }
  }

  /** The value of a 0-d result, which is then closed (off-heap arrays left to the GC slow later allocations). */
  static double scalar(INDArray r) {
    double v = r.getDouble(0);
    r.close();
    return v;
  }
}
