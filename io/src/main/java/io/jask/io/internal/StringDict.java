package io.jask.io.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Dictionary-encodes byte slices: each distinct value gets the next code (0, 1, …) and one String,
 * made when it is first seen; a repeated value costs a hash and a comparison, no allocation (open
 * addressing; the table grows at half full). A value of up to 8 bytes is kept packed in a long,
 * so looking it up reads no other object.
 */
final class StringDict {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private long[] packed = new long[64]; // the first (up to) 8 bytes
  private int[] lens = new int[64]; // length + 1; 0 marks an empty slot
  private int[] slotCodes = new int[64];
  private byte[][] longKeys = new byte[64][]; // the bytes of values longer than 8
  private String[] values = new String[16];
  private int count;

  /** The code of the UTF-8 value in bytes {@code [s, e)}, adding it if new. */
  int code(byte[] b, int s, int e) {
    int n = e - s;
    long w;
    if (n <= 8) {
      if (s + 8 <= b.length) {
        w = n == 0 ? 0 : (long) LONGS.get(b, s) & (-1L >>> (64 - 8 * n));
      } else {
        w = 0;
        for (int i = e - 1; i >= s; i--) {
          w = (w << 8) | (b[i] & 0xff);
        }
      }
    } else {
      w = bytesHash(b, s, e);
    }
    int h = mix(w, n);
    int mask = lens.length - 1;
    int i = h & mask;
    int l;
    while ((l = lens[i]) != 0) {
      if (l == n + 1 && packed[i] == w && (n <= 8 || Arrays.equals(longKeys[i], 0, n, b, s, e))) {
        return slotCodes[i];
      }
      i = (i + 1) & mask;
    }
    if (count == values.length) {
      values = Arrays.copyOf(values, count * 2);
    }
    int code = count++;
    values[code] = new String(b, s, n, StandardCharsets.UTF_8);
    lens[i] = n + 1;
    packed[i] = w;
    slotCodes[i] = code;
    if (n > 8) {
      longKeys[i] = Arrays.copyOfRange(b, s, e);
    }
    if (count * 2 > lens.length) {
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

  private static long bytesHash(byte[] b, int s, int e) {
    long h = 0x9747b28c_5bd1e995L;
    for (int i = s; i < e; i++) {
      h = 31 * h + b[i];
    }
    return h;
  }

  private static int mix(long w, int n) {
    long x = (w ^ n) * 0x9E3779B97F4A7C15L;
    return (int) (x ^ (x >>> 32) ^ (x >>> 17));
  }

  private void grow() {
    long[] op = packed;
    int[] ol = lens;
    int[] oc = slotCodes;
    byte[][] ok = longKeys;
    int cap = ol.length * 2;
    packed = new long[cap];
    lens = new int[cap];
    slotCodes = new int[cap];
    longKeys = new byte[cap][];
    int mask = cap - 1;
    for (int j = 0; j < ol.length; j++) {
      if (ol[j] != 0) {
        int i = mix(op[j], ol[j] - 1) & mask;
        while (lens[i] != 0) {
          i = (i + 1) & mask;
        }
        packed[i] = op[j];
        lens[i] = ol[j];
        slotCodes[i] = oc[j];
        longKeys[i] = ok[j];
      }
    }
  }
}
