package io.jask.engine.scheduler;

/**
 * Service-provider interface for scheduler backends, listed in
 * {@code META-INF/services/io.jask.engine.scheduler.SchedulerProvider}.
 */
public interface SchedulerProvider {

  /** The name the {@code scheduler} configuration key uses for this backend. */
  String name();

  /**
   * The backend, configured from the current configuration. Providers may return a shared
   * instance.
   */
  Scheduler scheduler();
}
