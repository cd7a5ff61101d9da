package io.jask.testing;

import io.jask.engine.scheduler.Schedulers;
import java.util.stream.Stream;

/** The scheduler backends a test suite runs on. */
public final class Backends {
  private Backends() {}

  /** The names of every backend on the class path, sorted. */
  public static Stream<String> names() {
    if (Schedulers.names().contains("distributed")) {
      SharedCluster.get();
    }
    return Schedulers.names().stream();
  }
}
