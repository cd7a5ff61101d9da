package io.jask.engine;

/**
 * A task result made of separately addressable parts, such as the output of a shuffle's split
 * task (one part per output partition). A task names one part with a {@link KeyPart} argument;
 * a distributed worker then fetches and sends only that part.
 *
 * <pre>{@code
 * record Pieces(List<Table> tables) implements Parted {
 *   public int parts() { return tables.size(); }
 *   public Object part(int i) { return tables.get(i); }
 * }
 * }</pre>
 */
public interface Parted {
  /** The number of parts. */
  int parts();

  /** Part {@code i}, {@code 0 <= i < parts()}; a value the engine can serialize on its own. */
  Object part(int i);

  /**
   * Part {@code i} as the argument of a task that runs in this process and holds the whole value
   * (a distributed worker's own split): never serialized, so it may be a lighter view that only
   * the consuming task understands (a shuffle piece not yet gathered). By default {@link #part}.
   */
  default Object localPart(int i) {
    return part(i);
  }
}
