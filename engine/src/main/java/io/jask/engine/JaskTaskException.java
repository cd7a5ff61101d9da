package io.jask.engine;

/**
 * A task failed. Carries the failing task's key and the original exception (as the cause, with its
 * stack trace); when the task ran in another JVM, {@link #remoteClass()} names the class of the
 * exception that was thrown there.
 *
 * <pre>{@code
 * try {
 *   d.compute();
 * } catch (JaskTaskException e) {
 *   System.err.println(e.key() + " failed: " + e.getCause());
 * }
 * }</pre>
 */
public class JaskTaskException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String remoteClass;

  /** A failure of the task {@code key} with the exception it threw. */
  public JaskTaskException(String key, Throwable cause) {
    super("task " + key + " failed: " + describe(cause), cause);
    this.key = key;
    this.remoteClass = cause == null ? "" : cause.getClass().getName();
  }

  /** A failure of the task {@code key} whose exception is known only by class name and message. */
  public JaskTaskException(String key, String remoteClass, String message, Throwable cause) {
    super("task " + key + " failed: " + remoteClass + (message == null ? "" : ": " + message), cause);
    this.key = key;
    this.remoteClass = remoteClass;
  }

  /** The key of the task that failed, as {@link Key#toString()} prints it. */
  public String key() {
    return key;
  }

  /** The class name of the exception the task threw. */
  public String remoteClass() {
    return remoteClass;
  }

  private static String describe(Throwable t) {
    return t == null ? "unknown error" : t.toString();
  }
}
