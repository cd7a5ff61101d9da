package io.jask.distributed;

import io.jask.engine.Graph;
import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.config.Config;
import io.jask.engine.scheduler.Scheduler;
import io.jask.engine.scheduler.SchedulerProvider;
import io.jask.engine.scheduler.Schedulers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The {@code distributed} and {@code processes} backends. */
final class DistributedProviders {
  private DistributedProviders() {}

  private static final Map<String, Client> CLIENTS = new ConcurrentHashMap<>();

  /**
   * {@code distributed}: the open default {@link Client}; without one, a shared client of the
   * scheduler at {@code scheduler-address} (kept until the JVM exits).
   */
  public static final class Distributed implements SchedulerProvider {
    @Override
    public String name() {
      return "distributed";
    }

    @Override
    public Scheduler scheduler() {
      java.util.Optional<Scheduler> open = Schedulers.registeredDefault();
      if (open.isPresent() && open.get() instanceof Client) {
        return open.get();
      }
      String address = Config.getString("scheduler-address", null);
      if (address == null || address.isBlank()) {
        throw new IllegalStateException("scheduler 'distributed' needs an open Client (Client.connect(...)) or the "
            + "configuration key scheduler-address (e.g. JASK_SCHEDULER_ADDRESS=tcp://host:8786)");
      }
      return CLIENTS.computeIfAbsent(address, a -> Client.connect(a, false));
    }
  }

  /**
   * {@code processes}: a pool of child JVMs (one single-threaded worker each, {@code
   * processes.num-workers}, default the number of processors) behind a private scheduler, started
   * on first use and ended when the JVM exits. It reuses the distributed worker, so data stays in
   * the children and moves between them directly.
   */
  public static final class Processes implements SchedulerProvider {
    @Override
    public String name() {
      return "processes";
    }

    @Override
    public Scheduler scheduler() {
      return ProcessPool.INSTANCE;
    }
  }

  private static final class ProcessPool implements Scheduler, io.jask.engine.Jask.Persisting {
    static final ProcessPool INSTANCE = new ProcessPool();
    private volatile Client client;

    private Client client() {
      Client c = client;
      if (c == null) {
        synchronized (this) {
          c = client;
          if (c == null) {
            int n = Config.getInt("processes.num-workers", 0);
            if (n <= 0) {
              n = Runtime.getRuntime().availableProcessors();
            }
            LocalCluster cluster = LocalCluster.builder().workers(n).threadsPerWorker(1).build();
            c = Client.connect(cluster.schedulerAddress(), false);
            client = c;
          }
        }
      }
      return c;
    }

    @Override
    public String name() {
      return "processes";
    }

    @Override
    public Map<Key, Object> get(Map<Key, Task> tasks, List<Key> outputs) {
      return client().get(tasks, outputs);
    }

    @Override
    public Map<Key, Object> compute(Graph graph, List<Key> outputs) {
      return client().compute(graph, outputs);
    }

    /** Persisted results stay in the child JVMs, as with the distributed scheduler. */
    @Override
    public Graph persist(Graph graph, List<Key> outputs) {
      return client().persist(graph, outputs);
    }
  }
}
