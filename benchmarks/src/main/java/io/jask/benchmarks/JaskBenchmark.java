package io.jask.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The shared base of every JMH benchmark: one fork, 5 warm-up and 5 measured iterations of 2 s,
 * average time per operation in milliseconds. JMH reads these annotations from the superclass,
 * so a benchmark class only adds its {@code @Param}s and {@code @Benchmark} methods; a
 * command-line option ({@code -f}, {@code -wi}, {@code -i}, {@code -w}, {@code -r}) still overrides them.
 *
 * <p>JVM flags: the forks get the project's one list (root pom {@code jask.jvm.flags}) by
 * inheriting them from the host JVM, which JMH does when no {@code jvmArgs} are given; so start
 * the host with them and never put {@code jvmArgs} in an annotation:
 *
 * <pre>
 * java $(cat benchmarks/target/jvm.flags) -jar benchmarks/target/jask-benchmarks.jar [regexp] [JMH options]
 * </pre>
 *
 * <p>{@link #requireJaskJvmFlags} fails the trial in a fork that lacks them (for example when the
 * host was started with plain {@code java -jar}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public abstract class JaskBenchmark {

  /** Fails the trial if this fork was started without the project's JVM flags. */
  @Setup(Level.Trial)
  public void requireJaskJvmFlags() {
    JvmFlags.requireInThisJvm();
  }
}
