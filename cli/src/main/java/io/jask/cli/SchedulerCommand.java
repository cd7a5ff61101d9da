package io.jask.cli;

import io.jask.engine.config.Config;
import io.jask.engine.distributed.diagnostics.Dashboard;
import io.jask.engine.distributed.server.SchedulerServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/jask scheduler}: runs a scheduler server until killed (like {@code dask-scheduler}). */
@Command(name = "scheduler", description = "Run a Jask scheduler (like dask-scheduler).")
final class SchedulerCommand implements Callable<Integer> {
  @Option(names = "--host", description = "Interface to listen on (default: ${DEFAULT-VALUE}).", defaultValue = "0.0.0.0")
  String host;

  @Option(names = "--port", description = "Port (default: distributed.scheduler.port, 8786; 0 for any free port).")
  Integer port;

  @Option(names = "--dashboard-port", description = "Dashboard HTTP port (default: distributed.dashboard.port, 8787; 0 for any free port).")
  Integer dashboardPort;

  @Option(names = "--no-dashboard", description = "Do not serve the dashboard.")
  boolean noDashboard;

  @Option(names = "--protocol", description = "tcp or tls (default: tls when a certificate is given, else tcp).")
  String protocol;

  @Mixin SecurityOptions security;

  @Override
  public Integer call() throws Exception {
    int p = port != null ? port : Config.getInt("distributed.scheduler.port", 8786);
    try (Config.Scope flags = security.apply();
        SchedulerServer server = SchedulerServer.start(scheme() + "://" + host + ":" + p);
        Dashboard dashboard = noDashboard || !Config.getBoolean("distributed.dashboard.enabled", true) ? null
            : Dashboard.startOrFallback(server, host, dashboardPort != null ? dashboardPort : Config.getInt("distributed.dashboard.port", 8787))) {
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      System.out.println("jask scheduler listening at " + server.address());
      if (dashboard != null) {
        System.out.println("jask dashboard at " + dashboard.link());
      }
      System.out.flush();
      server.awaitClose();
    }
    return 0;
  }

  private String scheme() {
    if (protocol == null) {
      return security.tls() ? "tls" : "tcp";
    }
    if (!protocol.equals("tcp") && !protocol.equals("tls")) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--protocol must be tcp or tls, not " + protocol);
    }
    return protocol;
  }
}
