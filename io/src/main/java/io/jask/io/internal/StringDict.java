package io.jask.io.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Dictionary-encodes byte slices: each distinct value gets the next code (0, 1, …) and one String,
 * made when it is first seen; a repeated value costs a hash and a comparison of its bytes, no
 * allocation (open addressing; the table grows at half full).
 */
final class StringDict {
  private byte[][] keys = new byte[64][];
  private int[] hashes = new int[64];
  private int[] slotCodes = new int[64];
  private String[] values = new String[16];
  private int count;

  /** The code of the UTF-8 value in bytes {@code [s, e)}, adding it if new. */
  int code(byte[] b, int s, int e) {
    int h = hash(b, s, e);
    int mask = keys.length - 1;
    int i = h & mask;
    byte[] k;
    while ((k = keys[i]) != null) {
      if (hashes[i] == h && Arrays.equals(k, 0, k.length, b, s, e)) {
        return slotCodes[i];
      }
      i = (i + 1) & mask;
    }
    k = Arrays.copyOfRange(b, s, e);
    if (count == values.length) {
      values = Arrays.copyOf(values, count * 2);
    }
    int code = count++;
    values[code] = new String(k, StandardCharsets.UTF_8);
    keys[i] = k;
    hashes[i] = h;
    slotCodes[i] = code;
    if (count * 2 > keys.length) {
      grow();
    }
    return code;
  }

  /** The number of distinct values. */
  int size() {
    return count;
  }

  /** The values by code ({@code [0, size())} are filled; the array may be longer). */
  String[] values() {
    return values;
  }

  private static int hash(byte[] b, int s, int e) {
    int h = 0x9747b28c;
    for (int i = s; i < e; i++) {
      h = 31 * h + b[i];
    }
    return h ^ (h >>> 16);
  }

  private void grow() {
    byte[][] ok = keys;
    int[] oh = hashes;
    int[] oc = slotCodes;
    keys = new byte[ok.length * 2][];
    hashes = new int[ok.length * 2];
    slotCodes = new int[ok.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < ok.length; j++) {
      if (ok[j] != null) {
        int i = oh[j] & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = ok[j];
        hashes[i] = oh[j];
        slotCodes[i] = oc[j];
      }
    }
  }
}
