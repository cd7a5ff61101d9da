package io.jask.io.internal;

import it.unimi.dsi.fastutil.bytes.Byte2IntOpenHashMap;
import it.unimi.dsi.fastutil.bytes.Byte2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.objects.Object2ByteOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2ShortOpenHashMap;
import it.unimi.dsi.fastutil.shorts.Short2IntOpenHashMap;
import it.unimi.dsi.fastutil.shorts.Short2ObjectOpenHashMap;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.columns.strings.ByteDictionaryMap;
import tech.tablesaw.columns.strings.DictionaryMap;
import tech.tablesaw.columns.strings.IntDictionaryMap;
import tech.tablesaw.columns.strings.ShortDictionaryMap;

/**
 * Builds Tablesaw columns from arrays without Tablesaw's per-value path: numeric columns wrap the
 * parser's array (Tablesaw's {@code create(name, double...)} copies it), and string columns are
 * assembled from dictionary codes into Tablesaw's own {@link DictionaryMap} (byte, short or int
 * keys, as {@code StringColumn.append} would have chosen) instead of one {@code append(String)}
 * (two hash lookups) per row.
 *
 * <p>Tablesaw 0.44's numeric columns have no public constructor taking a fastutil list; the
 * wrapping constructors are reached through {@link MethodHandles#privateLookupIn}. Should a
 * Tablesaw version lack them, {@link #WRAPS} is false and the public copying factories are used
 * (TablesawColumnsTest fails then, so that the lost speed is noticed). The dictionary maps use
 * Tablesaw's public builders.
 */
public final class TablesawColumns {
  private static final MethodHandle DOUBLES = ctor(DoubleColumn.class, DoubleArrayList.class);
  private static final MethodHandle LONGS = ctor(LongColumn.class, LongArrayList.class);
  private static final MethodHandle INTS = ctor(IntColumn.class, IntArrayList.class);

  /** Whether numeric columns wrap arrays without copying (the Tablesaw constructors were found). */
  public static final boolean WRAPS = DOUBLES != null && LONGS != null && INTS != null;

  // Tablesaw's key ranges: keys are handed out from MIN + 1 upwards while below MAX, and MAX
  // marks a missing value (see Byte/Short/IntDictionaryMap.getValueId and MISSING_VALUE).
  private static final int BYTE_KEYS = Byte.MAX_VALUE - Byte.MIN_VALUE - 1;
  private static final int SHORT_KEYS = Short.MAX_VALUE - Short.MIN_VALUE - 1;

  private TablesawColumns() {}

  private static MethodHandle ctor(Class<?> column, Class<?> list) {
    try {
      return MethodHandles.privateLookupIn(column, MethodHandles.lookup())
          .findConstructor(column, MethodType.methodType(void.class, String.class, list));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** A DoubleColumn of {@code v[0, size)}; {@code v} becomes the column's storage. */
  public static DoubleColumn doubles(String name, double[] v, int size) {
    if (DOUBLES != null) {
      try {
        return (DoubleColumn) DOUBLES.invoke(name, DoubleArrayList.wrap(v, size));
      } catch (Throwable t) {
        throw new IllegalStateException("cannot create DoubleColumn " + name, t);
      }
    }
    return DoubleColumn.create(name, size == v.length ? v : Arrays.copyOf(v, size));
  }

  /** A LongColumn of {@code v[0, size)}; {@code v} becomes the column's storage. */
  public static LongColumn longs(String name, long[] v, int size) {
    if (LONGS != null) {
      try {
        return (LongColumn) LONGS.invoke(name, LongArrayList.wrap(v, size));
      } catch (Throwable t) {
        throw new IllegalStateException("cannot create LongColumn " + name, t);
      }
    }
    return LongColumn.create(name, size == v.length ? v : Arrays.copyOf(v, size));
  }

  /** An IntColumn of {@code v[0, size)}; {@code v} becomes the column's storage. */
  public static IntColumn ints(String name, int[] v, int size) {
    if (INTS != null) {
      try {
        return (IntColumn) INTS.invoke(name, IntArrayList.wrap(v, size));
      } catch (Throwable t) {
        throw new IllegalStateException("cannot create IntColumn " + name, t);
      }
    }
    return IntColumn.create(name, size == v.length ? v : Arrays.copyOf(v, size));
  }

  /**
   * A StringColumn whose row {@code i} is {@code dict[codes[i]]}, or missing where {@code
   * codes[i] < 0}. The values of {@code dict[0, ndict)} must be distinct, non-null and non-empty
   * (the empty string is Tablesaw's missing value), and every code below {@code ndict}; rows take
   * keys in the order of their codes, as appending the values one by one would if every code
   * first appears after all smaller ones.
   */
  public static StringColumn strings(String name, int[] codes, int size, String[] dict, int ndict) {
    int[] counts = new int[ndict];
    int missing = 0;
    for (int i = 0; i < size; i++) {
      int c = codes[i];
      if (c < 0) {
        missing++;
      } else {
        counts[c]++;
      }
    }
    DictionaryMap map;
    if (ndict <= BYTE_KEYS) {
      map = byteMap(codes, size, dict, ndict, counts, missing);
    } else if (ndict <= SHORT_KEYS) {
      map = shortMap(codes, size, dict, ndict, counts, missing);
    } else {
      map = intMap(codes, size, dict, ndict, counts, missing);
    }
    return StringColumn.createInternal(name, map);
  }

  private static DictionaryMap byteMap(int[] codes, int size, String[] dict, int ndict, int[] counts, int missing) {
    byte[] keys = new byte[size];
    for (int i = 0; i < size; i++) {
      int c = codes[i];
      keys[i] = c < 0 ? Byte.MAX_VALUE : (byte) (Byte.MIN_VALUE + 1 + c);
    }
    Byte2ObjectOpenHashMap<String> keyToValue = new Byte2ObjectOpenHashMap<>(ndict + 1);
    Object2ByteOpenHashMap<String> valueToKey = new Object2ByteOpenHashMap<>(ndict + 1);
    valueToKey.defaultReturnValue(Byte.MIN_VALUE);
    Byte2IntOpenHashMap keyToCount = new Byte2IntOpenHashMap(ndict + 1);
    keyToCount.defaultReturnValue(0);
    for (int c = 0; c < ndict; c++) {
      byte k = (byte) (Byte.MIN_VALUE + 1 + c);
      keyToValue.put(k, dict[c]);
      valueToKey.put(dict[c], k);
      keyToCount.put(k, counts[c]);
    }
    if (missing > 0) {
      keyToValue.put(Byte.MAX_VALUE, "");
      valueToKey.put("", Byte.MAX_VALUE);
      keyToCount.put(Byte.MAX_VALUE, missing);
    }
    return new ByteDictionaryMap.ByteDictionaryBuilder()
        .setNextIndex(Byte.MIN_VALUE + ndict)
        .setKeyToValue(keyToValue)
        .setValueToKey(valueToKey)
        .setKeyToCount(keyToCount)
        .setValues(keys)
        .build();
  }

  private static DictionaryMap shortMap(int[] codes, int size, String[] dict, int ndict, int[] counts, int missing) {
    short[] keys = new short[size];
    for (int i = 0; i < size; i++) {
      int c = codes[i];
      keys[i] = c < 0 ? Short.MAX_VALUE : (short) (Short.MIN_VALUE + 1 + c);
    }
    Short2ObjectOpenHashMap<String> keyToValue = new Short2ObjectOpenHashMap<>(ndict + 1);
    Object2ShortOpenHashMap<String> valueToKey = new Object2ShortOpenHashMap<>(ndict + 1);
    valueToKey.defaultReturnValue(Short.MIN_VALUE);
    Short2IntOpenHashMap keyToCount = new Short2IntOpenHashMap(ndict + 1);
    keyToCount.defaultReturnValue(0);
    for (int c = 0; c < ndict; c++) {
      short k = (short) (Short.MIN_VALUE + 1 + c);
      keyToValue.put(k, dict[c]);
      valueToKey.put(dict[c], k);
      keyToCount.put(k, counts[c]);
    }
    if (missing > 0) {
      keyToValue.put(Short.MAX_VALUE, "");
      valueToKey.put("", Short.MAX_VALUE);
      keyToCount.put(Short.MAX_VALUE, missing);
    }
    return new ShortDictionaryMap.ShortDictionaryBuilder()
        .setNextIndex(Short.MIN_VALUE + ndict)
        .setKeyToValue(keyToValue)
        .setValueToKey(valueToKey)
        .setKeyToCount(keyToCount)
        .setCanPromoteToText(true)
        .setValues(keys)
        .build();
  }

  private static DictionaryMap intMap(int[] codes, int size, String[] dict, int ndict, int[] counts, int missing) {
    int[] keys = new int[size];
    for (int i = 0; i < size; i++) {
      int c = codes[i];
      keys[i] = c < 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE + 1 + c;
    }
    Int2ObjectOpenHashMap<String> keyToValue = new Int2ObjectOpenHashMap<>(ndict + 1);
    Object2IntOpenHashMap<String> valueToKey = new Object2IntOpenHashMap<>(ndict + 1);
    valueToKey.defaultReturnValue(Integer.MIN_VALUE);
    Int2IntOpenHashMap keyToCount = new Int2IntOpenHashMap(ndict + 1);
    keyToCount.defaultReturnValue(0);
    for (int c = 0; c < ndict; c++) {
      int k = Integer.MIN_VALUE + 1 + c;
      keyToValue.put(k, dict[c]);
      valueToKey.put(dict[c], k);
      keyToCount.put(k, counts[c]);
    }
    if (missing > 0) {
      keyToValue.put(Integer.MAX_VALUE, "");
      valueToKey.put("", Integer.MAX_VALUE);
      keyToCount.put(Integer.MAX_VALUE, missing);
    }
    return new IntDictionaryMap.IntDictionaryBuilder()
        .setNextIndex(Integer.MIN_VALUE + ndict)
        .setKeyToValue(keyToValue)
        .setValueToKey(valueToKey)
        .setKeyToCount(keyToCount)
        .setValues(keys)
        .build();
  }
}
