package io.jask.dataframe;

import static io.jask.dataframe.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.io.DType;
import io.jask.testing.AllSchedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** String operations, fillNull and cast, against a row-by-row Java oracle. */
class ExprMoreTest {
  @AllSchedulers
  void stringOpsFillNullAndCast_matchTheOracle(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 3; seed++) {
        Random r = new Random(500 + seed);
        Table t = Frames.random(r, r.nextInt(300));
        // upper-case some keys so lower() has work to do
        StringColumn k = t.stringColumn("k");
        for (int row = 0; row < k.size(); row++) {
          if (row % 3 == 0 && !k.isMissing(row)) {
            k.set(row, k.get(row).toUpperCase(Locale.ROOT) + "x");
          }
        }
        DFrame df = Frames.partitioned(r, t)
            .filter(col("k").lower().startsWith("k").or(col("k").contains("2")).or(col("k").isNull()))
            .withColumn("lo", col("k").lower())
            .withColumn("len", col("k").length())
            .withColumn("x0", col("x").fillNull(0))
            .withColumn("i0", col("i").fillNull(col("g")))
            .withColumn("k0", col("k").fillNull("none"))
            .withColumn("b0", col("b").fillNull(false))
            .withColumn("xl", col("x").cast(DType.LONG))
            .withColumn("is", col("i").cast(DType.STRING))
            .withColumn("ii", col("i").cast(DType.STRING).cast(DType.INT))
            .withColumn("gd", col("g").cast(DType.DOUBLE))
            .withColumn("xs", col("x").cast(DType.STRING).cast(DType.DOUBLE))
            .select("lo", "len", "x0", "i0", "k0", "b0", "xl", "is", "ii", "gd", "xs");
        assertEquals(List.of(DType.STRING, DType.LONG, DType.DOUBLE, DType.LONG, DType.STRING, DType.BOOLEAN, DType.LONG,
            DType.STRING, DType.INT, DType.DOUBLE, DType.DOUBLE), df.schema().types());
        List<List<Object>> expected = new ArrayList<>();
        for (List<Object> row : Frames.rows(t)) {
          String kk = (String) row.get(0);
          Long g = (Long) row.get(1);
          Integer i = (Integer) row.get(2);
          Double x = (Double) row.get(3);
          Boolean b = (Boolean) row.get(4);
          boolean keep = kk == null || kk.toLowerCase(Locale.ROOT).startsWith("k") || kk.contains("2");
          if (!keep) {
            continue;
          }
          expected.add(java.util.Arrays.asList(
              kk == null ? null : kk.toLowerCase(Locale.ROOT),
              kk == null ? null : (long) kk.length(),
              x == null ? 0.0 : x,
              i != null ? Long.valueOf(i) : g,
              kk == null ? "none" : kk,
              b == null ? Boolean.FALSE : b,
              x == null ? null : (long) (double) x,
              i == null ? null : Integer.toString(i),
              i,
              g == null ? null : (double) g,
              x));
        }
        Frames.assertRowsEqual(expected, Frames.rows(df.compute()), "seed " + seed);
      }
    }
  }

  @Test
  void badOperandsAndUnparseableValues_failNamingThem() {
    DFrame df = DFrame.fromTable(Frames.random(new Random(1), 20), 2);
    assertThrows(IllegalArgumentException.class, () -> df.filter(col("x").contains("1")));
    assertThrows(IllegalArgumentException.class, () -> df.withColumn("y", col("x").fillNull("a")));
    assertThrows(IllegalArgumentException.class, () -> df.withColumn("n", col("i").length()));
    Exception e = assertThrows(Exception.class, () -> df.withColumn("n", col("k").cast(DType.LONG)).compute());
    Throwable c = e;
    while (c.getCause() != null && !(c.getMessage() != null && c.getMessage().contains("cannot parse"))) {
      c = c.getCause();
    }
    assertTrue(c.getMessage().contains("cannot parse 'k"), c.getMessage());
  }
}
