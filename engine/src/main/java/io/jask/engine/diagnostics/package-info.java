/**
 * Diagnostics that work on every scheduler: the in-JVM stream of finished tasks ({@link
 * io.jask.engine.diagnostics.TaskEvents}), the console progress bar of {@code compute()} and
 * {@code persist()}, and {@link io.jask.engine.diagnostics.Diagnostics#performanceReport} (a
 * standalone HTML file with the task stream and a summary of a computation).
 */
package io.jask.engine.diagnostics;
