package io.jask.engine;

import java.util.concurrent.CancellationException;

/**
 * A computation was cancelled, for example because the thread waiting in {@code compute()} was
 * interrupted. The interrupt flag of that thread is set again when this is thrown.
 */
public class JaskCancelledException extends CancellationException {
  private static final long serialVersionUID = 1L;

  /** A cancellation with a message saying why. */
  public JaskCancelledException(String message) {
    super(message);
  }
}
