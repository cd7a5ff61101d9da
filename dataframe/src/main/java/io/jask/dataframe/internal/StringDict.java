package io.jask.dataframe.internal;

import it.unimi.dsi.fastutil.bytes.Byte2IntOpenHashMap;
import it.unimi.dsi.fastutil.bytes.Byte2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2ByteOpenHashMap;
import it.unimi.dsi.fastutil.objects.Object2ShortOpenHashMap;
import it.unimi.dsi.fastutil.shorts.Short2IntOpenHashMap;
import it.unimi.dsi.fastutil.shorts.Short2ObjectOpenHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.columns.strings.ByteDictionaryMap;
import tech.tablesaw.columns.strings.DictionaryMap;
import tech.tablesaw.columns.strings.ShortDictionaryMap;

/**
 * String columns as dictionary codes, so that moving rows moves small integers: read a column's
 * codes from its Tablesaw dictionary once, gather codes, and build the new column's dictionary
 * directly from the codes (no hashing of a string per row). Missing is the empty string, an
 * ordinary dictionary value in Tablesaw.
 *
 * @param dict the distinct values by code
 * @param codes one code per row
 */
public record StringDict(String[] dict, int[] codes) {

  /** The codes of a column. */
  public static StringDict of(StringColumn s) {
    DictionaryMap d = s.getDictionary();
    int n = s.size();
    int[] keys = new int[n];
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      int k = d.getKeyForIndex(i);
      keys[i] = k;
      min = Math.min(min, k);
      max = Math.max(max, k);
    }
    if (n == 0) {
      return new StringDict(new String[0], keys);
    }
    long range = (long) max - min + 1;
    if (range > 4L * n + 65536) {
      // sparse keys (an int dictionary after many removals): codes through a map
      Map<Integer, Integer> code = new HashMap<>();
      List<String> values = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        int k = keys[i];
        Integer c = code.get(k);
        if (c == null) {
          c = values.size();
          code.put(k, c);
          values.add(d.getValueForKey(k));
        }
        keys[i] = c;
      }
      return new StringDict(values.toArray(new String[0]), keys);
    }
    int[] code = new int[(int) range];
    java.util.Arrays.fill(code, -1);
    String[] values = new String[Math.min((int) range, n)];
    int u = 0;
    for (int i = 0; i < n; i++) {
      int at = keys[i] - min;
      int c = code[at];
      if (c < 0) {
        c = code[at] = u;
        values[u++] = d.getValueForKey(keys[i]);
      }
      keys[i] = c;
    }
    return new StringDict(java.util.Arrays.copyOf(values, u), keys);
  }

  /** Several columns' codes over one dictionary, rows one after the other. */
  public static StringDict concat(List<StringDict> parts) {
    Map<String, Integer> code = new HashMap<>();
    List<String> values = new java.util.ArrayList<>();
    int n = 0;
    for (StringDict p : parts) {
      n += p.codes.length;
    }
    int[] codes = new int[n];
    int at = 0;
    for (StringDict p : parts) {
      int[] remap = new int[p.dict.length];
      for (int c = 0; c < p.dict.length; c++) {
        Integer g = code.get(p.dict[c]);
        if (g == null) {
          g = values.size();
          code.put(p.dict[c], g);
          values.add(p.dict[c]);
        }
        remap[c] = g;
      }
      for (int c : p.codes) {
        codes[at++] = remap[c];
      }
    }
    return new StringDict(values.toArray(new String[0]), codes);
  }

  /** The value of row {@code i}. */
  public String get(int i) {
    return dict[codes[i]];
  }

  /** A column of every row, in order. */
  public StringColumn column(String name) {
    return column(name, null, 0, codes.length);
  }

  /** A column of the rows {@code rows[from..to)}; {@code rows == null} means rows {@code from..to}. */
  public StringColumn column(String name, int[] rows, int from, int to) {
    int n = to - from;
    int[] counts = new int[dict.length];
    for (int i = from; i < to; i++) {
      counts[codes[rows == null ? i : rows[i]]]++;
    }
    int used = 0;
    for (int c : counts) {
      if (c > 0) {
        used++;
      }
    }
    int[] key = new int[dict.length];
    if (used <= 126) {
      Byte2ObjectOpenHashMap<String> keyToValue = new Byte2ObjectOpenHashMap<>();
      Object2ByteOpenHashMap<String> valueToKey = new Object2ByteOpenHashMap<>();
      valueToKey.defaultReturnValue(Byte.MIN_VALUE);
      Byte2IntOpenHashMap keyToCount = new Byte2IntOpenHashMap();
      keyToCount.defaultReturnValue(0);
      int next = Byte.MIN_VALUE;
      for (int c = 0; c < dict.length; c++) {
        if (counts[c] > 0) {
          byte k = dict[c].isEmpty() ? Byte.MAX_VALUE : (byte) ++next; // Tablesaw's key for missing
          key[c] = k;
          keyToValue.put(k, dict[c]);
          valueToKey.put(dict[c], k);
          keyToCount.put(k, counts[c]);
        }
      }
      byte[] v = new byte[n];
      for (int i = 0; i < n; i++) {
        v[i] = (byte) key[codes[rows == null ? from + i : rows[from + i]]];
      }
      ByteDictionaryMap map = new ByteDictionaryMap.ByteDictionaryBuilder().setNextIndex(next).setKeyToValue(keyToValue)
          .setValueToKey(valueToKey).setKeyToCount(keyToCount).setValues(v).build();
      return StringColumn.createInternal(name, map);
    }
    if (used <= 32766) {
      Short2ObjectOpenHashMap<String> keyToValue = new Short2ObjectOpenHashMap<>();
      Object2ShortOpenHashMap<String> valueToKey = new Object2ShortOpenHashMap<>();
      valueToKey.defaultReturnValue(Short.MIN_VALUE);
      Short2IntOpenHashMap keyToCount = new Short2IntOpenHashMap();
      keyToCount.defaultReturnValue(0);
      int next = Short.MIN_VALUE;
      for (int c = 0; c < dict.length; c++) {
        if (counts[c] > 0) {
          short k = dict[c].isEmpty() ? Short.MAX_VALUE : (short) ++next; // Tablesaw's key for missing
          key[c] = k;
          keyToValue.put(k, dict[c]);
          valueToKey.put(dict[c], k);
          keyToCount.put(k, counts[c]);
        }
      }
      short[] v = new short[n];
      for (int i = 0; i < n; i++) {
        v[i] = (short) key[codes[rows == null ? from + i : rows[from + i]]];
      }
      ShortDictionaryMap map = new ShortDictionaryMap.ShortDictionaryBuilder().setNextIndex(next).setKeyToValue(keyToValue)
          .setValueToKey(valueToKey).setKeyToCount(keyToCount).setValues(v).build();
      return StringColumn.createInternal(name, map);
    }
    String[] v = new String[n];
    for (int i = 0; i < n; i++) {
      v[i] = dict[codes[rows == null ? from + i : rows[from + i]]];
    }
    return StringColumn.create(name, v);
  }
}
