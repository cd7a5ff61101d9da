package io.jask.distributed;

import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * An in-process cluster per test, like distributed's {@code gen_cluster}: a scheduler and two
 * workers in this JVM over {@code inproc://}, and a client, injected as test parameters. After the
 * test everything is closed, and the test fails if it left a Jask thread (other than the shared
 * pools), an open connection or a child process behind.
 *
 * <pre>{@code
 * @ExtendWith(ClusterExtension.class)
 * class MyTest {
 *   @Test void works(Client client, LocalCluster cluster) { ... }
 * }
 * }</pre>
 */
public final class ClusterExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ClusterExtension.class);
  /** Threads shared by design across tests (transport event loops, pools that idle out). */
  private static final Set<String> SHARED = Set.of("jask-comm-", "jask-inproc-", "jask-threads-", "jask-client-callback-", "jask-http-");

  @Override
  public void beforeEach(ExtensionContext ctx) {
    ExtensionContext.Store store = ctx.getStore(NS);
    store.put("threads-before", jaskThreads());
    store.put("connections-before", io.jask.engine.distributed.comm.Comms.openConnections());
    LocalCluster cluster = LocalCluster.builder().workers(2).threadsPerWorker(2).processes(false).schedulerAddress("inproc://").build();
    store.put("cluster", cluster);
    store.put("client", Client.connect(cluster.schedulerAddress(), false));
  }

  @Override
  public void afterEach(ExtensionContext ctx) throws Exception {
    ExtensionContext.Store store = ctx.getStore(NS);
    store.get("client", Client.class).close();
    store.get("cluster", LocalCluster.class).close();
    @SuppressWarnings("unchecked")
    Set<String> before = store.get("threads-before", Set.class);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Set<String> leaked;
    do {
      leaked = jaskThreads();
      leaked.removeAll(before);
      if (leaked.isEmpty()) {
        break;
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    if (!leaked.isEmpty()) {
      throw new AssertionError("the test leaked threads: " + leaked);
    }
    int connectionsBefore = store.get("connections-before", Integer.class);
    while (io.jask.engine.distributed.comm.Comms.openConnections() > connectionsBefore && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    if (io.jask.engine.distributed.comm.Comms.openConnections() > connectionsBefore) {
      throw new AssertionError("the test leaked " + (io.jask.engine.distributed.comm.Comms.openConnections() - connectionsBefore)
          + " open connections");
    }
    long children = ProcessHandle.current().children().filter(ProcessHandle::isAlive).count();
    if (children > 0) {
      throw new AssertionError("the test leaked " + children + " child processes");
    }
  }

  private static Set<String> jaskThreads() {
    Set<String> names = new TreeSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String n = t.getName();
      if (t.isAlive() && n.startsWith("jask-") && SHARED.stream().noneMatch(n::startsWith)) {
        names.add(n);
      }
    }
    return names;
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
    Class<?> t = p.getParameter().getType();
    return t == Client.class || t == LocalCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
    Class<?> t = p.getParameter().getType();
    return ctx.getStore(NS).get(t == Client.class ? "client" : "cluster", t);
  }
}
