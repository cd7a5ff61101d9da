package io.jask.dataframe.internal;

import java.util.Arrays;

/** An open-addressing map from {@code long} to dense {@code int} ids, for grouping. */
final class LongIntMap {
  private long[] keys;
  private int[] ids;
  private boolean[] used;
  private int size;

  LongIntMap(int expected) {
    int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    keys = new long[cap];
    ids = new int[cap];
    used = new boolean[cap];
  }

  /** The id of {@code key}, assigning the next one ({@link #size()}) if it is new. */
  int idOf(long key) {
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (used[i]) {
      if (keys[i] == key) {
        return ids[i];
      }
      i = (i + 1) & mask;
    }
    used[i] = true;
    keys[i] = key;
    ids[i] = size;
    if (++size * 2 > keys.length) {
      grow();
    }
    return size - 1;
  }

  int size() {
    return size;
  }

  /** The id of {@code key}, or -1 if it has none. */
  int get(long key) {
    int mask = keys.length - 1;
    int i = mix(key) & mask;
    while (used[i]) {
      if (keys[i] == key) {
        return ids[i];
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  private static int mix(long k) {
    long h = k * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  private void grow() {
    long[] ok = keys;
    int[] oi = ids;
    boolean[] ou = used;
    keys = new long[ok.length * 2];
    ids = new int[ok.length * 2];
    used = new boolean[ok.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < ok.length; j++) {
      if (ou[j]) {
        int i = mix(ok[j]) & mask;
        while (used[i]) {
          i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = ok[j];
        ids[i] = oi[j];
      }
    }
    Arrays.fill(ou, false);
  }
}
