package io.jask.benchmarks;

import io.jask.delayed.Delayed;
import io.jask.engine.Jask;
import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.scheduler.Scheduler;
import io.jask.engine.scheduler.Schedulers;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * T1 under JMH: {@code n} independent {@code x + 1} tasks in one graph. Time per operation is the
 * time for the whole graph; tasks/s = {@code n / (ms/op / 1000)}.
 *
 * <ul>
 *   <li>{@code rawGet}: {@code Scheduler.get} on a graph built in setup (graph build excluded).
 *   <li>{@code rawBuildAndGet}: the same with building the {@code Map<Key, Task>} included.
 *   <li>{@code delayedCompute}: {@code Jask.compute} on {@code Delayed}s built in setup.
 *   <li>{@code delayedBuildAndCompute}: creating the {@code Delayed}s included.
 * </ul>
 *
 * <pre>
 * mvn -Pbench package -DskipTests
 * java $(cat benchmarks/target/jvm.flags) -jar benchmarks/target/jask-benchmarks.jar IndependentTasksBenchmark
 * # short run: ... IndependentTasksBenchmark -wi 3 -i 5 -w 1s -r 1s -p n=100000
 * </pre>
 */
public class IndependentTasksBenchmark extends JaskBenchmark {
  @Param({"sync", "threads"})
  public String scheduler;

  @Param({"100000"})
  public int n;

  private Scheduler sched;
  private Map<Key, Task> graph;
  private List<Key> keys;
  private Delayed<?>[] delayed;

  @Setup
  public void build() {
    sched = Schedulers.get(scheduler);
    graph = TaskGraphs.independent(n);
    keys = TaskGraphs.keys(graph);
    delayed = TaskGraphs.delayedIndependent(n);
    long expected = TaskGraphs.expectedSum(n);
    Stats.check(TaskGraphs.sum(sched.get(graph, keys).values()) == expected, "T1 raw sum");
    Stats.check(TaskGraphs.sum(Jask.compute(sched, delayed)) == expected, "T1 delayed sum");
  }

  @Benchmark
  public Map<Key, Object> rawGet() {
    return sched.get(graph, keys);
  }

  @Benchmark
  public Map<Key, Object> rawBuildAndGet() {
    Map<Key, Task> g = TaskGraphs.independent(n);
    return sched.get(g, TaskGraphs.keys(g));
  }

  @Benchmark
  public List<Object> delayedCompute() {
    return Jask.compute(sched, delayed);
  }

  @Benchmark
  public List<Object> delayedBuildAndCompute() {
    return Jask.compute(sched, TaskGraphs.delayedIndependent(n));
  }
}
