package io.jask.dataframe.shuffle;

import io.jask.dataframe.DFrame;
import io.jask.engine.JaskCollection;
import java.util.List;

/** Test access to a frame's partitions one by one. */
public final class ShuffleTesting {
  private ShuffleTesting() {}

  public static JaskCollection<List<Object>> partitions(DFrame f) {
    return Shuffle.keysOf(f.graph(), f.keys());
  }
}
