package io.jask.engine;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One part of the value of a key, as a task argument: the task depends on {@code key} (the
 * scheduler runs it first and tracks it like any dependency), but receives only part {@code
 * part} of its value, which must be {@link Parted}. This is how a shuffle keeps a linear number of
 * tasks: each split task stores its output cut into parts, and output task {@code j} names part
 * {@code j} of every split. On the local schedulers the part is taken from the value in memory; a
 * distributed worker fetches only that part from the worker holding the key (the peer cuts it out
 * and sends just those bytes), never the whole value.
 *
 * <pre>{@code
 * Task unpack = Task.of(concat, List.of(KeyPart.of(Key.of("split", 0), 3), KeyPart.of(Key.of("split", 1), 3)));
 * }</pre>
 *
 * @param key the key whose value holds the parts
 * @param part which part, from 0
 */
public record KeyPart(Key key, int part) implements Serializable {
  private static final String MARK = "#part";

  public KeyPart {
    if (key == null) {
      throw new IllegalArgumentException("a key part needs a key");
    }
    if (part < 0) {
      throw new IllegalArgumentException("a part index must be >= 0, got " + part + " for " + key);
    }
  }

  /** Part {@code part} of the value of {@code key}. */
  public static KeyPart of(Key key, int part) {
    return new KeyPart(key, part);
  }

  /**
   * The key under which a worker asks a peer for this part and keeps the fetched part: the key's
   * name with {@code "#part"} appended and the part index appended to its indices.
   */
  public Key asKey() {
    int[] idx = Arrays.copyOf(key.indices(), key.rank() + 1);
    idx[key.rank()] = part;
    return Key.of(key.name() + MARK, idx);
  }

  /** The part a key made by {@link #asKey()} stands for, or null for any other key. */
  public static KeyPart fromKey(Key k) {
    if (k.rank() == 0 || !k.name().endsWith(MARK)) {
      return null;
    }
    int[] idx = k.indices();
    Key base = Key.of(k.name().substring(0, k.name().length() - MARK.length()), Arrays.copyOf(idx, idx.length - 1));
    return new KeyPart(base, idx[idx.length - 1]);
  }

  /** As {@link #extract}, the part for a task in this process ({@link Parted#localPart}): never serialized. */
  public Object extractLocal(Object value) {
    if (value instanceof Parted p && part < p.parts()) {
      return p.localPart(part);
    }
    return extract(value); // fails naming the key and part
  }

  /** Part {@code part} of {@code value}, which must be {@link Parted}. */
  public Object extract(Object value) {
    if (value instanceof Parted p) {
      if (part >= p.parts()) {
        throw new IllegalArgumentException("the value of " + key + " has " + p.parts() + " parts; part " + part + " asked");
      }
      return p.part(part);
    }
    throw new IllegalArgumentException("a task asks for part " + part + " of " + key + ", but its value is not Parted: "
        + (value == null ? "null" : value.getClass().getName()));
  }

  @Override
  public String toString() {
    return key + "[part " + part + "]";
  }
}
