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
 * T2 under JMH: a chain of {@code n} tasks, each depending on the last. tasks/s =
 * {@code n / (ms/op / 1000)}.
 *
 * <ul>
 *   <li>{@code rawGet}: {@code Scheduler.get} on the raw graph (no fusion): the scheduler's
 *       per-task overhead.
 *   <li>{@code delayedComputeFused}: {@code Jask.compute} on a prebuilt {@code Delayed} chain;
 *       linear fusion turns it into one task, so this is NOT scheduler overhead.
 * </ul>
 *
 * <pre>
 * mvn -Pbench package -DskipTests
 * java $(cat benchmarks/target/jvm.flags) -jar benchmarks/target/jask-benchmarks.jar ChainBenchmark
 * </pre>
 */
public class ChainBenchmark extends JaskBenchmark {
  @Param({"sync", "threads"})
  public String scheduler;

  @Param({"10000"})
  public int n;

  private Scheduler sched;
  private Map<Key, Task> graph;
  private List<Key> end;
  private Delayed<Integer> delayed;

  @Setup
  public void build() {
    sched = Schedulers.get(scheduler);
    graph = TaskGraphs.chain(n);
    end = List.of(TaskGraphs.chainEnd(n));
    delayed = TaskGraphs.delayedChain(n);
    Stats.check((Integer) sched.get(graph, end).get(end.get(0)) == n, "T2 raw result");
    Stats.check((Integer) Jask.compute(sched, delayed).get(0) == n, "T2 delayed result");
  }

  @Benchmark
  public Map<Key, Object> rawGet() {
    return sched.get(graph, end);
  }

  @Benchmark
  public List<Object> delayedComputeFused() {
    return Jask.compute(sched, delayed);
  }
}
