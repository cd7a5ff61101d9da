/**
 * The distributed engine's diagnostics: the scheduler's dashboard (live HTML pages, a JSON API
 * behind each view, server-sent events, Prometheus {@code /metrics}) and each worker's metrics
 * endpoint, served with Netty's HTTP codec.
 *
 * <p>Design: the scheduler's event thread only appends to {@link SchedulerDiagnostics} (ring
 * buffers and counters, each append a few field writes under a short lock) and answers an
 * occasional {@code StateView} summary; the HTTP threads read copies of those. Nothing on the
 * HTTP side holds the scheduler's lock for longer than one summary pass, and summaries are cached
 * for a fraction of a second however many browsers watch.
 */
package io.jask.engine.distributed.diagnostics;
