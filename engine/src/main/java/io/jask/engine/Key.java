package io.jask.engine;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The name of one task's result: a name plus an optional tuple of block indices, like Dask's
 * {@code ("sum-a81f", 3, 0)}. Immutable; its hash is computed once.
 *
 * <pre>{@code
 * Key k = Key.of("sum-a81f", 3, 0);
 * k.name();        // "sum-a81f"
 * k.index(0);      // 3
 * k.toString();    // ('sum-a81f', 3, 0)
 * }</pre>
 */
public final class Key implements Comparable<Key>, Serializable {
  private static final long serialVersionUID = 1L;
  private static final int[] NO_INDEX = new int[0];

  private final String name;
  private final int[] index;
  private final int hash;

  private Key(String name, int[] index) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a key needs a non-empty name");
    }
    this.name = name;
    this.index = index;
    this.hash = 31 * name.hashCode() + Arrays.hashCode(index);
  }

  /** A key with a name and zero or more block indices. */
  public static Key of(String name, int... index) {
    return new Key(name, index.length == 0 ? NO_INDEX : index.clone());
  }

  /** The name shared by all blocks of one operation, e.g. {@code "sum-a81f"}. */
  public String name() {
    return name;
  }

  /** The number of indices (0 for a plain key). */
  public int rank() {
    return index.length;
  }

  /** The index along position {@code i}. */
  public int index(int i) {
    return index[i];
  }

  /** A copy of the index tuple. */
  public int[] indices() {
    return index.clone();
  }

  /**
   * The task prefix: the name without its trailing token, like dask's {@code key_split}
   * ({@code "sum-a81f"} → {@code "sum"}). The distributed scheduler estimates durations per prefix.
   */
  public String prefix() {
    String p = prefix;
    if (p == null) {
      p = computePrefix();
      prefix = p; // a benign race: every thread computes the same string
    }
    return p;
  }

  /** {@link #prefix()}, computed once per key (schedulers ask for it several times per task). */
  private transient String prefix;

  /**
   * dask's {@code key_split} as it was written here first ({@code name.split("-")}, words kept up
   * to the first one of 8 or more hex digits, joined by {@code -}; trailing empty words dropped,
   * leading empty ones vanish; no word kept: the whole name), without the regex split, the
   * builder and the per-character stream: the distributed scheduler computes it once per task.
   * The result is the name from the first kept non-empty word to the end of the last kept word.
   */
  private String computePrefix() {
    String n = name;
    int end = n.length();
    while (end > 0 && n.charAt(end - 1) == '-') {
      end--; // split drops trailing empty words
    }
    int from = -1; // start of the first kept non-empty word
    int to = -1; // end of the last kept word, once a non-empty one was kept
    int start = 0;
    while (start < end) {
      int dash = n.indexOf('-', start);
      int stop = dash < 0 || dash > end ? end : dash;
      if (stop - start >= 8 && allHex(n, start, stop)) {
        break;
      }
      if (from < 0 && stop > start) {
        from = start;
      }
      if (from >= 0) {
        to = stop;
      }
      start = stop + 1;
    }
    if (from < 0) {
      return n;
    }
    return from == 0 && to == n.length() ? n : n.substring(from, to);
  }

  private static boolean allHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }


  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof Key k && hash == k.hash && name.equals(k.name) && Arrays.equals(index, k.index);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Key o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : Arrays.compare(index, o.index);
  }

  @Override
  public String toString() {
    if (index.length == 0) {
      return name;
    }
    StringBuilder b = new StringBuilder("('").append(name).append('\'');
    for (int i : index) {
      b.append(", ").append(i);
    }
    return b.append(')').toString();
  }
}
