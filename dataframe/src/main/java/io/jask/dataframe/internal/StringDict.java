package io.jask.dataframe.internal;

import io.jask.io.internal.TablesawColumns;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.columns.strings.DictionaryMap;
import tech.tablesaw.columns.strings.NullDictionaryMap;

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
    if (d instanceof NullDictionaryMap) {
      return hashed(s); // Tablesaw's text storage (many distinct values appended one by one): no keys
    }
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

  private static StringDict hashed(StringColumn s) {
    return encode(s.size(), s::get);
  }

  /** The codes of {@code n} values (row {@code i} is {@code value.apply(i)}), by hashing each. */
  public static StringDict encode(int n, java.util.function.IntFunction<String> value) {
    Map<String, Integer> code = new HashMap<>();
    List<String> values = new java.util.ArrayList<>();
    int[] codes = new int[n];
    for (int i = 0; i < n; i++) {
      String v = value.apply(i);
      Integer c = code.get(v);
      if (c == null) {
        c = values.size();
        code.put(v, c);
        values.add(v);
      }
      codes[i] = c;
    }
    return new StringDict(values.toArray(new String[0]), codes);
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

  /** The codes of the rows {@code rows[from..to)} over the values they use (in order of first use). */
  public StringDict rows(int[] rows, int from, int to) {
    int n = to - from;
    int[] compact = new int[dict.length];
    java.util.Arrays.fill(compact, -1);
    String[] used = new String[Math.min(dict.length, n)];
    int nused = 0;
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      int c = codes[rows[from + i]];
      int k = compact[c];
      if (k < 0) {
        k = compact[c] = nused;
        used[nused++] = dict[c];
      }
      out[i] = k;
    }
    return new StringDict(java.util.Arrays.copyOf(used, nused), out);
  }

  /** The value of row {@code i}. */
  public String get(int i) {
    return dict[codes[i]];
  }

  /** A column of every row, in order. */
  public StringColumn column(String name) {
    return column(name, null, 0, codes.length);
  }

  private static final Scratch COLUMN_SCRATCH = new Scratch(1);

  /** A column of the rows {@code rows[from..to)}; {@code rows == null} means rows {@code from..to}. */
  public StringColumn column(String name, int[] rows, int from, int to) {
    int n = to - from;
    int[] compact = new int[dict.length]; // a used value's code in the new column, -1 if unused or missing
    java.util.Arrays.fill(compact, -2);
    String[] used = new String[Math.min(dict.length, n)];
    int nused = 0;
    int[] out = COLUMN_SCRATCH.ints(0, n); // the new column's codes: TablesawColumns.strings copies them into its keys
    for (int i = 0; i < n; i++) {
      int c = codes[rows == null ? from + i : rows[from + i]];
      int k = compact[c];
      if (k == -2) {
        if (dict[c].isEmpty()) {
          k = -1;
        } else {
          k = nused;
          used[nused++] = dict[c];
        }
        compact[c] = k;
      }
      out[i] = k;
    }
    return TablesawColumns.strings(name, out, n, used, nused);
  }
}
