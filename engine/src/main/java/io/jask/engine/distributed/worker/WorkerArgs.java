package io.jask.engine.distributed.worker;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command line of {@link Worker#main}: {@code SCHEDULER [--nthreads N] [--name NAME]
 * [--memory-limit BYTES] [--listen ADDRESS]}.
 */
final class WorkerArgs {

  static final String USAGE =
      "usage: Worker SCHEDULER_ADDRESS [--nthreads N] [--name NAME] [--memory-limit 4GiB|auto]"
          + " [--listen tcp://HOST:PORT]";

  private static final Pattern BYTES =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:([kmgtp])(i)?)?b?", Pattern.CASE_INSENSITIVE);

  private WorkerArgs() {}

  /**
   * Parses the arguments into options.
   *
   * @throws IllegalArgumentException with a message for the user when they are wrong
   */
  static Worker.Options parse(String[] args) {
    String scheduler = null;
    String name = null;
    String listen = null;
    int nthreads = Runtime.getRuntime().availableProcessors();
    long memoryLimit = Runtime.getRuntime().maxMemory();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        if (scheduler != null) {
          throw new IllegalArgumentException("more than one scheduler address: " + a);
        }
        scheduler = a;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + a);
      }
      String v = args[++i];
      switch (a) {
        case "--nthreads" -> nthreads = Integer.parseInt(v);
        case "--name" -> name = v;
        case "--memory-limit" -> memoryLimit = "auto".equalsIgnoreCase(v) ? memoryLimit : parseBytes(v);
        case "--listen" -> listen = v;
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (scheduler == null) {
      throw new IllegalArgumentException("no scheduler address");
    }
    if (name == null) {
      name = "worker-" + ProcessHandle.current().pid();
    }
    if (listen == null) {
      // A tls:// scheduler gets a tls:// data port: peers then reach this worker over TLS too.
      String scheme = scheduler.startsWith("tls://") ? "tls://" : scheduler.startsWith("tcp://") ? "tcp://" : null;
      listen = scheme != null ? scheme + routeHost(scheduler) + ":0" : "inproc://";
    }
    return new Worker.Options(scheduler, listen, name, nthreads, memoryLimit, null);
  }

  /** Parses {@code 4GiB}, {@code 512MB}, {@code 1e9}-free plain numbers like {@code 1000000}. */
  static long parseBytes(String s) {
    Matcher m = BYTES.matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a byte size: " + s);
    }
    double n = Double.parseDouble(m.group(1));
    if (m.group(2) != null) {
      int power = "kmgtp".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 1;
      n *= Math.pow(m.group(3) != null ? 1024 : 1000, power);
    }
    return (long) n;
  }

  /**
   * The local IP address that routes to the scheduler's host (what peers can reach this worker
   * at), like dask's {@code get_ip}; loopback if it cannot be found. Sends no packet.
   */
  static String routeHost(String tcpAddress) {
    try {
      URI u = URI.create(tcpAddress);
      InetAddress target = InetAddress.getByName(u.getHost());
      if (target.isLoopbackAddress()) {
        return u.getHost().contains(":") ? "[::1]" : "127.0.0.1";
      }
      try (DatagramSocket probe = new DatagramSocket()) {
        probe.connect(new InetSocketAddress(target, Math.max(u.getPort(), 1)));
        InetAddress local = probe.getLocalAddress();
        if (local == null || local.isAnyLocalAddress()) {
          return "127.0.0.1";
        }
        String h = local.getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
      }
    } catch (Exception e) {
      return "127.0.0.1";
    }
  }
}
