/** Diagnostics for the futures API: {@link io.jask.distributed.diagnostics.Progress}. */
package io.jask.distributed.diagnostics;
