package io.jask.io.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.columns.strings.ByteDictionaryMap;
import tech.tablesaw.columns.strings.IntDictionaryMap;
import tech.tablesaw.columns.strings.NullDictionaryMap;
import tech.tablesaw.columns.strings.ShortDictionaryMap;

/**
 * Guards the columns built around Tablesaw's internals: each is compared with the column Tablesaw
 * builds itself from the same values (one {@code append} per row), also after changing both the
 * same way, so a Tablesaw upgrade that changes its dictionary maps fails here.
 */
class TablesawColumnsTest {

  @Test
  void numericColumns_wrapTheArray_withoutCopying() {
    assertTrue(TablesawColumns.WRAPS, "Tablesaw's DoubleColumn/LongColumn/IntColumn(name, fastutil list) constructors were not found");
    double[] d = {1.5, Double.NaN, -2, 7};
    DoubleColumn dc = TablesawColumns.doubles("d", d, 3);
    assertEquals(3, dc.size());
    assertEquals(List.of(1.5, -2.0), dc.removeMissing().asList());
    assertTrue(dc.isMissing(1));
    dc.append(9.0); // appending grows the wrapped list past its size, never past what was given
    assertEquals(List.of(1.5, -2.0, 9.0), dc.removeMissing().asList());
    long[] l = {3, Long.MIN_VALUE, 5};
    LongColumn lc = TablesawColumns.longs("l", l, 3);
    assertTrue(lc.isMissing(1));
    assertEquals(LongColumn.create("l", l).asList(), lc.asList());
    int[] i = {4, Integer.MIN_VALUE, 6, 0};
    IntColumn ic = TablesawColumns.ints("i", i, 4);
    assertEquals(IntColumn.create("i", i).asList(), ic.asList());
    assertEquals(1, ic.countMissing());
  }

  /** ndict around each key width's capacity (254 byte keys, 65534 short keys), with and without missing. */
  static Stream<Arguments> cases() {
    List<Arguments> a = new ArrayList<>();
    long seed = 1;
    for (int ndict : new int[] {0, 1, 7, 253, 254, 255, 1000, 65533, 65534, 65535, 70000}) {
      for (double missing : new double[] {0, 0.1}) {
        a.add(Arguments.of(seed++, ndict, missing));
      }
    }
    return a.stream();
  }

  @ParameterizedTest(name = "seed={0} ndict={1} missing={2}")
  @MethodSource("cases")
  void strings_matchTablesawsOwnColumn(long seed, int ndict, double missing) {
    Random r = new Random(seed);
    // every code first appears in order (as a dictionary filled while parsing produces them)
    int rows = ndict + r.nextInt(Math.max(ndict, 100));
    String[] dict = new String[ndict + 5];
    for (int c = 0; c < ndict; c++) {
      dict[c] = "v" + c + (r.nextBoolean() ? "é" : "");
    }
    int[] codes = new int[rows + 3];
    int next = 0;
    for (int i = 0; i < rows; i++) {
      if (r.nextDouble() < missing || ndict == 0) {
        codes[i] = -1;
      } else if (next < ndict && (r.nextInt(3) == 0 || rows - i <= ndict - next)) {
        codes[i] = next++;
      } else {
        codes[i] = next == 0 ? -1 : r.nextInt(next);
      }
    }
    int nd = next;
    StringColumn got = TablesawColumns.strings("s", codes, rows, dict, nd);
    StringColumn want = StringColumn.create("s");
    for (int i = 0; i < rows; i++) {
      want.append(codes[i] < 0 ? "" : dict[codes[i]]);
    }
    assertSame(want, got, "built");
    if (nd > 65534) {
      // Tablesaw itself would hold the values as text (NullDictionaryMap, no codes for
      // getKeyForIndex); the reader keeps a dictionary with int keys
      assertTrue(got.getDictionary() instanceof IntDictionaryMap, got.getDictionary().getClass().getName());
    } else {
      assertEquals(want.getDictionary().getClass(), got.getDictionary().getClass(), "key width");
    }
    for (int i = 0; i < rows && nd <= 65534; i++) {
      if (want.getDictionary().getKeyForIndex(i) != got.getDictionary().getKeyForIndex(i)) {
        throw new AssertionError("key of row " + i);
      }
    }

    // both change the same way after building: new and known values, missing, set, sort, filter
    String[] more = {"new-" + seed, dict.length > 0 && nd > 0 ? dict[r.nextInt(nd)] : "x", "", "another"};
    for (String m : more) {
      want.append(m);
      got.append(m);
    }
    assertSame(want, got, "appended");
    for (int k = 0; k < 5 && want.size() > 0; k++) {
      int row = r.nextInt(want.size());
      String v = k == 0 ? "set-" + k : want.get(r.nextInt(want.size()));
      want.set(row, v);
      got.set(row, v);
    }
    assertSame(want, got, "set");
    String probe = nd > 0 ? dict[r.nextInt(nd)] : "absent";
    assertEquals(want.isEqualTo(probe).size(), got.isEqualTo(probe).size());
    assertEquals(want.isEqualTo("absent-value").size(), got.isEqualTo("absent-value").size());
    assertEquals(want.countOccurrences(probe), got.countOccurrences(probe));
    assertEquals(want.countOccurrences("absent-value"), got.countOccurrences("absent-value"));
    assertEquals(want.isIn(probe, "absent-value").size(), got.isIn(probe, "absent-value").size());
    assertEquals(want.firstIndexOf(probe), got.firstIndexOf(probe));
    assertEquals(want.unique().asSet(), got.unique().asSet());
    StringColumn ws = want.copy();
    StringColumn gs = got.copy();
    ws.sortAscending();
    gs.sortAscending();
    assertEquals(ws.asList(), gs.asList());
    assertSame(want.where(want.isNotMissing()), got.where(got.isNotMissing()), "where");
  }

  @Test
  void strings_promoteWhenAppendingPastTheByteKeys() {
    String[] dict = new String[254];
    int[] codes = new int[254];
    for (int c = 0; c < 254; c++) {
      dict[c] = "k" + c;
      codes[c] = c;
    }
    StringColumn got = TablesawColumns.strings("s", codes, 254, dict, 254);
    assertTrue(got.getDictionary() instanceof ByteDictionaryMap);
    got.append("one-more");
    got.append("k3");
    assertTrue(got.getDictionary() instanceof ShortDictionaryMap, got.getDictionary().getClass().getName());
    assertEquals(256, got.size());
    assertEquals("one-more", got.get(254));
    assertEquals(2, got.countOccurrences("k3"));
    assertEquals(255, got.countUnique());
  }

  @Test
  void strings_useIntKeys_pastTheShortKeys() {
    int n = 65535;
    String[] dict = new String[n];
    int[] codes = new int[n];
    for (int c = 0; c < n; c++) {
      dict[c] = Integer.toString(c);
      codes[c] = c;
    }
    StringColumn got = TablesawColumns.strings("s", codes, n, dict, n);
    assertTrue(got.getDictionary() instanceof IntDictionaryMap);
    assertEquals(n, got.countUnique());
    assertEquals("65534", got.get(n - 1));
  }

  private static void assertSame(StringColumn want, StringColumn got, String when) {
    assertEquals(want.size(), got.size(), when + ": size");
    assertArrayEquals(want.asObjectArray(), got.asObjectArray(), when + ": values");
    assertEquals(want.countUnique(), got.countUnique(), when + ": countUnique");
    assertEquals(want.countMissing(), got.countMissing(), when + ": countMissing");
    assertEquals(want.asSet(), got.asSet(), when + ": asSet");
    for (int i = 0; i < want.size(); i++) {
      if (want.isMissing(i) != got.isMissing(i)) {
        throw new AssertionError(when + ": isMissing(" + i + ")");
      }
    }
    if (!(want.getDictionary() instanceof NullDictionaryMap) && !(got.getDictionary() instanceof NullDictionaryMap)) {
      assertEquals(want.countByCategory().rowCount(), got.countByCategory().rowCount(), when + ": categories");
    }
  }
}
