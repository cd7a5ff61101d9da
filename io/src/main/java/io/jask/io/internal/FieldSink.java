package io.jask.io.internal;

/** Receives the fields of each line from {@link CsvScanner}. */
public interface FieldSink {
  /**
   * One field: bytes {@code [s, e)} of {@code buf}; {@code escaped} when the field was quoted and
   * contains doubled quotes that must be unescaped. Returns quickly for columns not projected.
   */
  void field(int column, byte[] buf, int s, int e, boolean escaped);

  /** The end of a line that had {@code fields} fields. */
  void endLine(int fields);
}
