package io.jask.bag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.dataframe.DFrame;
import io.jask.engine.JaskTaskException;
import io.jask.engine.config.Config;
import io.jask.io.DType;
import io.jask.io.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** {@code Bag.toDataFrame}: rows from maps, records and lists, compared with a table built directly. */
class ToDataFrameTest {
  static final Schema SCHEMA = Schema.of(List.of("name", "n", "x"), List.of(DType.STRING, DType.LONG, DType.DOUBLE));

  record Row(String name, long n, Double x) {}

  static Stream<Arguments> cases() {
    return Cases.schedulersAndSeeds();
  }

  @ParameterizedTest(name = "{0} seed={1}")
  @MethodSource("cases")
  void toDataFrame_fromMapsRecordsAndLists_equalsDirectTable(String scheduler, long seed) {
    Random r = new Random(seed);
    int rows = r.nextInt(200);
    List<Map<String, Object>> maps = new ArrayList<>();
    List<Row> records = new ArrayList<>();
    List<List<Object>> lists = new ArrayList<>();
    Table expected = Table.create("expected", StringColumn.create("name"), LongColumn.create("n"), DoubleColumn.create("x"));
    for (int i = 0; i < rows; i++) {
      String name = "k" + r.nextInt(10);
      long n = r.nextInt(1000) - 500;
      Double x = r.nextInt(5) == 0 ? null : r.nextGaussian();
      Map<String, Object> m = new HashMap<>();
      m.put("name", name);
      m.put("n", n);
      if (x != null) {
        m.put("x", x); // a missing key is a missing value
      }
      maps.add(m);
      records.add(new Row(name, n, x));
      List<Object> l = new ArrayList<>();
      l.add(name);
      l.add(n);
      l.add(x);
      lists.add(l);
      expected.stringColumn("name").append(name);
      expected.longColumn("n").append(n);
      if (x == null) {
        expected.doubleColumn("x").appendMissing();
      } else {
        expected.doubleColumn("x").append(x);
      }
    }
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (Bag<?> b : List.of(
          Bag.fromPartitions(Cases.partition(r, seed, maps)),
          Bag.fromPartitions(Cases.partition(r, seed, records)),
          Bag.fromPartitions(Cases.partition(r, seed, lists)))) {
        DFrame df = b.toDataFrame(SCHEMA);
        assertEquals(b.npartitions(), df.npartitions());
        assertEquals(SCHEMA, df.schema());
        Table got = df.compute();
        assertEquals(expected.rowCount(), got.rowCount());
        for (String col : SCHEMA.names()) {
          for (int i = 0; i < expected.rowCount(); i++) {
            assertEquals(expected.column(col).get(i), got.column(col).get(i), col + " row " + i);
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} seed={1}")
  @MethodSource("cases")
  void toDataFrame_wrongType_failsNamingRowAndColumn(String scheduler, long seed) {
    if (seed != Cases.SEEDS[0]) {
      return; // one case per scheduler is enough for the error path
    }
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Bag<Map<String, Object>> b = Bag.fromSequence(List.of(Map.of("name", "a", "n", 1L, "x", 1.0),
          Map.of("name", "b", "n", "not a number", "x", 2.0)), 1);
      JaskTaskException e = assertThrows(JaskTaskException.class, () -> b.toDataFrame(SCHEMA).compute());
      String text = String.valueOf(e.getMessage()) + " " + e.getCause();
      assertTrue(text.contains("row 1") && text.contains("'n'"), text);
    }
  }
}
