package io.jask.engine.serialize.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.jask.engine.Key;

/**
 * A {@link Key} as its name and its block indices (varints), nothing else: keys are in nearly
 * every message (a task's key, its dependencies, who-has maps), and Kryo's field serializer spent
 * a reflective access per field and a reference-table entry per key on them. Keys are immutable
 * and small, so they are written by value, without references (see {@link KryoFactory}).
 */
final class KeySerializer extends Serializer<Key> {

  /** More block indices than any key has; a larger count is a corrupt stream. */
  static final int MAX_RANK = 1 << 16;

  KeySerializer() {
    super(false, true);
  }

  @Override
  public void write(Kryo kryo, Output out, Key key) {
    out.writeString(key.name());
    int rank = key.rank();
    out.writeVarInt(rank, true);
    for (int i = 0; i < rank; i++) {
      out.writeVarInt(key.index(i), false);
    }
  }

  @Override
  public Key read(Kryo kryo, Input in, Class<? extends Key> type) {
    String name = in.readString();
    int rank = in.readVarInt(true);
    if (rank < 0 || rank > MAX_RANK) {
      throw new KryoException("corrupt key: " + rank + " block indices (name " + name + ")");
    }
    int[] index = new int[rank];
    for (int i = 0; i < rank; i++) {
      index[i] = in.readVarInt(false);
    }
    try {
      return Key.of(name, index);
    } catch (IllegalArgumentException e) {
      throw new KryoException("corrupt key: " + e.getMessage(), e);
    }
  }
}
