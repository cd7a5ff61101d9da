package io.jask.io.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns byte slices as Strings: one String per distinct value, not per field (open addressing
 * on the bytes' hash; the table grows at half full).
 */
final class StringDict {
  private byte[][] keys = new byte[64][];
  private String[] values = new String[64];
  private int count;

  String intern(byte[] b, int s, int e) {
    int h = hash(b, s, e);
    int mask = keys.length - 1;
    int i = h & mask;
    while (keys[i] != null) {
      if (Arrays.equals(keys[i], 0, keys[i].length, b, s, e)) {
        return values[i];
      }
      i = (i + 1) & mask;
    }
    byte[] k = Arrays.copyOfRange(b, s, e);
    String v = new String(k, StandardCharsets.UTF_8);
    keys[i] = k;
    values[i] = v;
    if (++count * 2 > keys.length) {
      grow();
    }
    return v;
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
    String[] ov = values;
    keys = new byte[ok.length * 2][];
    values = new String[ok.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < ok.length; j++) {
      if (ok[j] != null) {
        int i = hash(ok[j], 0, ok[j].length) & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = ok[j];
        values[i] = ov[j];
      }
    }
  }
}
