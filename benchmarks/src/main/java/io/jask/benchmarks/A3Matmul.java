package io.jask.benchmarks;

import io.jask.array.DArray;
import io.jask.engine.config.Config;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A3 of {@code shared/BENCHMARKS.md}: {@code x @ x.T} for a 4,000 x 4,000 float64 array in chunks of
 * 1,000 (uniform values, seed 7), persisted first so that only the product is timed, as in {@code
 * peers/dask/bench_array.py}. {@code x @ x.T} takes the Gram kernels; its {@code compute()} on
 * {@code sync}/{@code threads} gathers {@code x} into one array and runs one BLAS {@code dsyrk}
 * with OpenBLAS's threads, as NumPy does ({@code -Djask.array.gramWhole=false}: the per-block
 * tasks, syrk on the diagonal and gemm above it, for A/B; printed as {@code gram_whole}). Every run is
 * checked against one ND4J {@code mmul} of the whole arrays (also timed, as the single-call
 * reference). OpenBLAS picks its kernel when loaded: {@code OPENBLAS_CORETYPE=SkylakeX} in the
 * environment selects the AVX-512 one on this machine (see BENCHMARKS.md).
 *
 * <p>Command: {@code java $(cat benchmarks/target/jvm.flags) -cp benchmarks/target/jask-benchmarks.jar
 * io.jask.benchmarks.Runner a3}
 */
final class A3Matmul implements Workload {
  static final String BENCH = "array";

  @Override
  public String description() {
    return "A3: x @ x.T, 4000x4000 float64 in chunks of 1000 (persisted input)";
  }

  @Override
  public void run(Settings settings) throws Exception {
    Settings s = settings.slowCase(2);
    String coretype = System.getenv().getOrDefault("OPENBLAS_CORETYPE", "auto");
    try (Config.Scope c = Config.set("scheduler", "threads")) {
      DArray x = DArray.random(new long[] {4000, 4000}, new int[] {1000, 1000}, 7).persist();
      INDArray a = x.compute();
      INDArray at = a.transpose();
      List<Double> whole = Stats.repeat(1, s.runs(), () -> a.mmul(at), r -> r.close());
      INDArray expected = a.mmul(at);
      Result.of(BENCH, "matmul_x_xT_nd4j_whole").runs(whole).put("shape", List.of(4000, 4000))
          .put("api", "INDArray.mmul(transpose) in one call").put("openblas_coretype", coretype).print();
      for (String sched : List.of("threads", "sync")) {
        try (Config.Scope c2 = Config.set("scheduler", sched)) {
          List<Double> runs = Stats.repeat(s.warmup(), s.runs(), () -> x.matmul(x.transpose()).compute(), r -> {
            double err = r.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
            Stats.check(err < 1e-12, "A3 relative error " + err);
            r.close();
          });
          Result.of(BENCH, "matmul_x_xT_" + sched).runs(runs).put("shape", List.of(4000, 4000))
              .put("chunks", List.of(1000, 1000)).put("api", "x.matmul(x.transpose()).compute()")
              .put("openblas_coretype", coretype)
              .put("gram_whole", !"false".equals(System.getProperty("jask.array.gramWhole"))).print();
        }
      }
      expected.close();
      a.close();
    }
  }
}
