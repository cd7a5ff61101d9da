package io.jask.engine.serialize.internal;

/**
 * Thrown inside Kryo serializers when a value cannot travel; {@link #explain} turns it, or any
 * other Kryo failure, into the {@link IllegalArgumentException} that callers see.
 */
final class NotSerializable extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  NotSerializable(String message) {
    super(message);
  }

  /** The error for a failed write of {@code value}: names the class that failed and the path. */
  static IllegalArgumentException explain(Object value, RuntimeException failure) {
    String valueClass = value == null ? "null" : value.getClass().getName();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof NotSerializable) {
        String where = failure == t ? "" : " [" + trace(failure) + "]";
        String msg = t.getMessage() + where;
        if (!(value != null && t.getMessage().contains(valueClass))) {
          msg = "cannot serialize " + valueClass + ": " + msg;
        }
        return new IllegalArgumentException(msg, failure);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return new IllegalArgumentException(
        "cannot serialize " + valueClass + " with Kryo: " + failure.getMessage()
            + " (give the class a serializable shape, or a ValueCodec for its type)",
        failure);
  }

  private static String trace(RuntimeException failure) {
    String m = String.valueOf(failure.getMessage());
    int i = m.indexOf("Serialization trace:");
    return i < 0 ? m : m.substring(i).replace('\n', ' ').trim();
  }
}
