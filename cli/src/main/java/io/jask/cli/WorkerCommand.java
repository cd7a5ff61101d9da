package io.jask.cli;

import io.jask.engine.distributed.worker.Nanny;
import io.jask.engine.distributed.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import io.jask.engine.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/jask worker tcp://host:port} (or {@code tls://host:port} with the {@code --tls-*}
 * flags): runs a worker (like {@code dask-worker}).
 */
@Command(name = "worker", description = "Run a Jask worker connected to a scheduler (like dask-worker).")
final class WorkerCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "The scheduler's address, e.g. tcp://127.0.0.1:8786.")
  String scheduler;

  @Option(names = "--nthreads", description = "Threads that run tasks (default: processors).")
  Integer nthreads;

  @Option(names = "--memory-limit", description = "Memory limit, e.g. 4GiB (default: the JVM's maximum heap).")
  String memoryLimit;

  @Option(names = "--name", description = "The worker's name.")
  String name;

  @Option(names = "--nanny", description = "Run the worker in a child JVM that is restarted when its memory passes"
      + " distributed.worker.memory.terminate of the limit, or when it dies (like dask worker --nanny).")
  boolean nanny;

  @Option(names = "--listen", description = "Where to serve data to peers (default: tcp://0.0.0.0:0, or tls://0.0.0.0:0 for a tls:// scheduler).")
  String listen;

  @Mixin SecurityOptions security;

  @Override
  public Integer call() {
    String where = listen != null ? listen : scheduler.startsWith("tls://") ? "tls://0.0.0.0:0" : "tcp://0.0.0.0:0";
    List<String> args = new ArrayList<>(List.of(scheduler, "--listen", where));
    if (nthreads != null) {
      args.addAll(List.of("--nthreads", String.valueOf(nthreads)));
    }
    if (memoryLimit != null) {
      args.addAll(List.of("--memory-limit", memoryLimit));
    }
    if (name != null) {
      args.addAll(List.of("--name", name));
    }
    try (Config.Scope flags = security.apply()) {
      if (nanny) {
        Nanny.main(args.toArray(new String[0]));
      } else {
        Worker.main(args.toArray(new String[0]));
      }
    }
    return 0;
  }
}
