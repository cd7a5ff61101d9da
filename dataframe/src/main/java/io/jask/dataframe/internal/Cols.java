package io.jask.dataframe.internal;

import it.unimi.dsi.fastutil.bytes.ByteArrayList;
import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import it.unimi.dsi.fastutil.shorts.ShortArrayList;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.columns.strings.ByteDictionaryMap;
import tech.tablesaw.columns.strings.DictionaryMap;
import tech.tablesaw.columns.strings.IntDictionaryMap;
import tech.tablesaw.columns.strings.ShortDictionaryMap;

/**
 * Zero-copy, read-only access to the primitive storage of Tablesaw columns, so that kernels loop
 * over arrays instead of calling {@code getDouble(i)} or copying with {@code asDoubleArray()}.
 *
 * <p>Tablesaw 0.44 keeps a {@code DoubleColumn}'s values in a fastutil {@code DoubleArrayList}
 * (field {@code data}), likewise for {@code IntColumn} and {@code LongColumn}, and a {@code
 * StringColumn}'s in a {@link DictionaryMap} whose per-row keys are a {@code ByteArrayList}, a
 * {@code ShortArrayList} or an {@code IntArrayList} (field {@code values}). Those fields are read
 * once per column through {@link VarHandle}s ({@code privateLookupIn}; Tablesaw is on the class
 * path, so its packages are open). The returned arrays may be longer than the column: only the
 * first {@code column.size()} entries are values. Callers must not write to them. When a handle
 * cannot be made (another Tablesaw layout), every method falls back to a copy.
 *
 * <pre>{@code
 * double[] x = Cols.doubles(table.doubleColumn("x")); // x.length >= rowCount
 * }</pre>
 */
public final class Cols {
  private Cols() {}

  private static final VarHandle DOUBLE_DATA = handle(DoubleColumn.class, "data", DoubleArrayList.class);
  private static final VarHandle INT_DATA = handle(IntColumn.class, "data", IntArrayList.class);
  private static final VarHandle LONG_DATA = handle(LongColumn.class, "data", LongArrayList.class);
  private static final VarHandle STRING_DATA = handle(StringColumn.class, "data", DictionaryMap.class);
  private static final VarHandle BYTE_KEYS = handle(ByteDictionaryMap.class, "values", ByteArrayList.class);
  private static final VarHandle SHORT_KEYS = handle(ShortDictionaryMap.class, "values", ShortArrayList.class);
  private static final VarHandle INT_KEYS = handle(IntDictionaryMap.class, "values", IntArrayList.class);

  private static VarHandle handle(Class<?> owner, String field, Class<?> type) {
    try {
      return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, field, type);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null; // copies instead
    }
  }

  /** The values of a DOUBLE column (NaN missing); at least {@code c.size()} long. */
  public static double[] doubles(DoubleColumn c) {
    return DOUBLE_DATA == null ? c.asDoubleArray() : ((DoubleArrayList) DOUBLE_DATA.get(c)).elements();
  }

  /** The values of an INT column ({@code Integer.MIN_VALUE} missing); at least {@code c.size()} long. */
  public static int[] ints(IntColumn c) {
    return INT_DATA == null ? c.asIntArray() : ((IntArrayList) INT_DATA.get(c)).elements();
  }

  /** The values of a LONG column ({@code Long.MIN_VALUE} missing); at least {@code c.size()} long. */
  public static long[] longs(LongColumn c) {
    return LONG_DATA == null ? c.asLongArray() : ((LongArrayList) LONG_DATA.get(c)).elements();
  }

  /**
   * The per-row dictionary keys of a STRING column: exactly one of {@code bytes}, {@code shorts}
   * and {@code ints} is set (at least {@code size} long); {@link #value} gives a key's string.
   * Tablesaw keys a missing value ("") by the type's {@code MAX_VALUE}.
   *
   * @param dict the column's dictionary
   * @param size the number of rows
   */
  public record Keys(DictionaryMap dict, int size, byte[] bytes, short[] shorts, int[] ints) {
    /** The key of row {@code i}. */
    public int key(int i) {
      return bytes != null ? bytes[i] : shorts != null ? shorts[i] : ints[i];
    }

    /** The string of a key. */
    public String value(int key) {
      return dict.getValueForKey(key);
    }

    /** The key Tablesaw uses for a missing value. */
    public int missingKey() {
      return bytes != null ? Byte.MAX_VALUE : shorts != null ? Short.MAX_VALUE : Integer.MAX_VALUE;
    }
  }

  /** The dictionary keys of a STRING column, without copying when the layout is known. */
  public static Keys keys(StringColumn c) {
    int n = c.size();
    DictionaryMap d = STRING_DATA == null ? null : (DictionaryMap) STRING_DATA.get(c);
    if (d instanceof ByteDictionaryMap b && BYTE_KEYS != null) {
      return new Keys(d, n, ((ByteArrayList) BYTE_KEYS.get(b)).elements(), null, null);
    }
    if (d instanceof ShortDictionaryMap s && SHORT_KEYS != null) {
      return new Keys(d, n, null, ((ShortArrayList) SHORT_KEYS.get(s)).elements(), null);
    }
    if (d instanceof IntDictionaryMap i && INT_KEYS != null) {
      return new Keys(d, n, null, null, ((IntArrayList) INT_KEYS.get(i)).elements());
    }
    DictionaryMap dict = c.getDictionary();
    int[] k = new int[n];
    for (int i = 0; i < n; i++) {
      k[i] = dict.getKeyForIndex(i);
    }
    return new Keys(dict, n, null, null, k);
  }
}
