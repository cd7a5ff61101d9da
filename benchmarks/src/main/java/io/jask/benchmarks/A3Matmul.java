package io.jask.benchmarks;

import io.jask.array.DArray;
import io.jask.array.internal.Gram;
import io.jask.engine.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A3 of {@code shared/BENCHMARKS.md}: {@code x @ x.T} for a 4,000 x 4,000 float64 array in chunks of
 * 1,000 (uniform values, seed 7), persisted first so that only the product is timed, as in {@code
 * peers/dask/bench_array.py}. {@code x @ x.T} takes the Gram kernels; its {@code compute()} on
 * {@code sync}/{@code threads} gathers {@code x} into one array and runs one BLAS {@code dsyrk}
 * with OpenBLAS's threads, as NumPy does ({@code -Djask.array.gramWhole=false}: the per-block
 * tasks, syrk on the diagonal and gemm above it, for A/B; printed as {@code gram_whole}). Every run is
 * checked against one ND4J {@code mmul} of the whole arrays (also timed, as the single-call
 * reference). Then {@code matmul_x_xT_split} times the phases of the whole-array path on their own
 * (allocation, gather, the one {@code dsyrk}, mirror, frees). OpenBLAS picks its kernel when loaded: {@code OPENBLAS_CORETYPE=SkylakeX} in the
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
            double err = relErr(r, expected); // closes its temporary (an unclosed 128 MB one per run slowed later allocations)
            Stats.check(err < 1e-12, "A3 relative error " + err);
            r.close();
          });
          Result.of(BENCH, "matmul_x_xT_" + sched).runs(runs).put("shape", List.of(4000, 4000))
              .put("chunks", List.of(1000, 1000)).put("api", "x.matmul(x.transpose()).compute()")
              .put("openblas_coretype", coretype)
              .put("gram_whole", !"false".equals(System.getProperty("jask.array.gramWhole"))).print();
        }
      }
      split(a, expected, s);
      expected.close();
      a.close();
    }
  }

  /**
   * The split of the whole-array path, each phase timed on its own with the same kernels as {@code
   * compute()}: the result's allocation (ND4J, zero-filled), the gather of the 16 blocks into the
   * raw-memory panel (here on one thread; {@code compute()} runs 4 gather tasks on both cores), the
   * one {@code dsyrk} (OpenBLAS's threads: compare it with NumPy's {@code x @ x.T}), the mirror (here
   * on one thread; 8 tasks in {@code compute()}), and the two frees. Medians in seconds; the result
   * is checked like the others.
   */
  private static void split(INDArray a, INDArray expected, Settings s) throws Exception {
    int n = 4000;
    int c = 1000;
    Object[][] rows = new Object[n / c][n / c];
    for (int i = 0; i < n / c; i++) {
      for (int j = 0; j < n / c; j++) {
        rows[i][j] = a.get(NDArrayIndex.interval(i * c, (i + 1) * c), NDArrayIndex.interval(j * c, (j + 1) * c)).dup('c');
      }
    }
    List<Double> alloc = new ArrayList<>();
    List<Double> gather = new ArrayList<>();
    List<Double> syrk = new ArrayList<>();
    List<Double> syrkCpu = new ArrayList<>();
    List<Double> mirror = new ArrayList<>();
    List<Double> free = new ArrayList<>();
    int[] bands = Gram.mirrorBands(n, 8);
    for (int run = 0; run < s.warmup() + s.runs(); run++) {
      long t0 = System.nanoTime();
      INDArray out = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {n, n}, 'c');
      long t1 = System.nanoTime();
      Gram.Panel panel = new Gram.Panel(n, n);
      for (int i = 0; i < n / c; i++) {
        new Gram.GatherRows(panel, (long) i * c).apply(rows[i]);
      }
      long t2 = System.nanoTime();
      long c2 = Stats.processCpuNanos();
      new Gram.SyrkWhole(panel, out).apply(new Object[0]);
      long t3 = System.nanoTime();
      long c3 = Stats.processCpuNanos();
      for (int b = 0; b + 1 < bands.length; b++) {
        new Gram.MirrorRows(out, bands[b], bands[b + 1] - bands[b]).apply(new Object[0]);
      }
      long t4 = System.nanoTime();
      if (run == 0) {
        double err = relErr(out, expected);
        Stats.check(err < 1e-12, "A3 split relative error " + err);
      }
      long t5 = System.nanoTime();
      panel.close();
      out.close();
      long t6 = System.nanoTime();
      if (run >= s.warmup()) {
        alloc.add((t1 - t0) / 1e9);
        gather.add((t2 - t1) / 1e9);
        syrk.add((t3 - t2) / 1e9);
        syrkCpu.add((c3 - c2) / 1e9);
        mirror.add((t4 - t3) / 1e9);
        free.add((t6 - t5) / 1e9);
      }
    }
    Result.of(BENCH, "matmul_x_xT_split").runs(syrk).put("what", "median_s is the dsyrk alone")
        .put("alloc_out_s", round(Stats.median(alloc))).put("gather_1thread_s", round(Stats.median(gather)))
        .put("dsyrk_s", round(Stats.median(syrk))).put("dsyrk_cpu_s", round(Stats.median(syrkCpu)))
        .put("mirror_1thread_s", round(Stats.median(mirror))).put("free_s", round(Stats.median(free)))
        .put("mirror_bands", bands.length - 1).print();
    for (Object[] r : rows) {
      for (Object b : r) {
        ((INDArray) b).close();
      }
    }
  }

  private static double relErr(INDArray r, INDArray expected) {
    try (INDArray d = r.sub(expected)) {
      return d.norm2Number().doubleValue() / expected.norm2Number().doubleValue();
    }
  }

  private static double round(double v) {
    return Math.round(v * 1e5) / 1e5;
  }
}
