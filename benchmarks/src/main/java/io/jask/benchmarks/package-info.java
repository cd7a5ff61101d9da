/**
 * Jask's benchmarks, after Arrow's {@code performance} and Netty's {@code microbench} modules:
 * JMH micro-benchmarks that extend {@link io.jask.benchmarks.JaskBenchmark} (one place for forks,
 * warm-up and JVM flags), and end-to-end workloads ({@link io.jask.benchmarks.Workload}, the same
 * T1, T2, … as {@code shared/peers/dask}) that {@link io.jask.benchmarks.Runner} runs and reports
 * as one JSON line per result. Built only with {@code mvn -Pbench package -DskipTests}; see
 * {@code benchmarks/README.md}.
 */
package io.jask.benchmarks;
