package io.jask.dataframe.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Columns built from dictionary codes behave like columns built from strings (byte, short and wide dictionaries). */
class StringDictTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 5, 120, 127, 300, 40_000})
  void gatheredColumn_equalsOneBuiltFromStrings(int distinct) {
    Random r = new Random(distinct);
    int n = Math.max(2000, distinct * 2);
    String[] v = new String[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextInt(10) == 0 ? "" : "s" + r.nextInt(distinct);
    }
    StringColumn src = StringColumn.create("s", v);
    int[] rows = new int[n / 2];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = r.nextInt(n);
    }
    StringColumn got = StringDict.of(src).column("s", rows, 0, rows.length);
    List<String> expected = new ArrayList<>();
    for (int row : rows) {
      expected.add(v[row]);
    }
    StringColumn oracle = StringColumn.create("s", expected.toArray(new String[0]));
    String context = "distinct " + distinct;
    assertEquals(oracle.asList(), got.asList(), context);
    assertEquals(oracle.countUnique(), got.countUnique(), context);
    assertEquals(oracle.countMissing(), got.countMissing(), context);
    assertEquals(oracle.countOccurrences("s0"), got.countOccurrences("s0"), context);
    got.append("new-value").appendMissing();
    oracle.append("new-value").appendMissing();
    assertEquals(oracle.asList(), got.asList(), context);
    assertEquals(oracle.countUnique(), got.countUnique(), context);
    Table concat = Take.concat(List.of(Table.create("a", got), Table.create("b", oracle)), null);
    List<String> both = new ArrayList<>(oracle.asList());
    both.addAll(oracle.asList());
    assertEquals(both, concat.stringColumn("s").asList(), context);
  }
}
