package io.jask.dataframe;

import static io.jask.dataframe.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.config.Config;
import io.jask.io.CsvOptions;
import io.jask.io.DType;
import io.jask.io.Schema;
import io.jask.testing.AllSchedulers;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/** The optimized plan (projection pushdown, fusion) and the values it computes. */
class OptimizerTest {
  @TempDir Path dir;

  static CsvOptions typesOf(Schema s) {
    Map<String, DType> types = new LinkedHashMap<>();
    for (int i = 0; i < s.size(); i++) {
      types.put(s.names().get(i), s.types().get(i));
    }
    return CsvOptions.defaults().withTypes(types);
  }

  /** Writes t as CSV files in random blocks and reads it back lazily. */
  DFrame csvOf(Random r, Table t, String tag) {
    DFrame df = Frames.partitioned(r, t);
    Path file = df.toCsv(dir.resolve(tag + ".csv").toString(), CsvWriteOptions.defaults().asSingleFile()).get(0);
    return DFrame.readCsv(file.toString(), typesOf(df.schema()).withBlocksize(64 + r.nextInt(2000)));
  }

  @AllSchedulers
  void projectionReachesTheCsvRead_throughFilterWithColumnAndGroupBy(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < 3; seed++) {
        Random r = new Random(1100 + seed);
        Table t = Frames.random(r, seed == 0 ? 0 : 50 + r.nextInt(300));
        String c = "seed " + seed + " " + scheduler;
        DFrame df = csvOf(r, t, scheduler + seed);

        DFrame q = df.filter(col("i").gt(0)).withColumn("z", col("x").mul(2)).withColumn("unused", col("k").lower())
            .groupBy("g").sum("z");
        String plan = q.explain();
        assertTrue(plan.contains("ReadCsv") && plan.contains("columns=[g, i, x]"), plan);
        assertTrue(!plan.contains("unused"), "the unused column is not computed:\n" + plan);

        TreeMap<Long, Double> sums = new TreeMap<>();
        for (int row = 0; row < t.rowCount(); row++) {
          if (t.intColumn("i").isMissing(row) || t.intColumn("i").getInt(row) <= 0 || t.longColumn("g").isMissing(row)) {
            continue;
          }
          double z = t.doubleColumn("x").getDouble(row) * 2;
          sums.merge(t.longColumn("g").get(row), Double.isNaN(z) ? 0.0 : z, Double::sum);
        }
        LongColumn g = LongColumn.create("g");
        DoubleColumn z = DoubleColumn.create("z");
        sums.forEach((k, v) -> {
          g.append(k);
          z.append(v);
        });
        Frames.assertTableEquals(Table.create("e", g, z), q.compute(), c);

        // a scalar reduction reads one column
        DScalar<Double> total = df.filter(col("g").eq(3)).sum("x");
        double e = 0;
        for (int row = 0; row < t.rowCount(); row++) {
          if (!t.longColumn("g").isMissing(row) && t.longColumn("g").get(row) == 3 && !Double.isNaN(t.doubleColumn("x").getDouble(row))) {
            e += t.doubleColumn("x").getDouble(row);
          }
        }
        Frames.assertClose(e, total.compute(), c + " sum");
      }
    }
  }

  @Test
  void rowWiseChain_isOneTaskPerPartition_andExplainShowsIt() {
    Random r = new Random(5);
    Table t = Frames.random(r, 400);
    DFrame df = csvOf(r, t, "fuse");
    DFrame chain = df.filter(col("x").gt(0)).withColumn("y", col("i").add(1)).select("k", "y").rename(Map.of("y", "w"));
    assertEquals(chain.npartitions(), chain.graph().materialize(chain.keys()).size(), "one task per partition");
    String plan = chain.explain();
    assertEquals(List.of("Rename [y] -> [w]", "Select [k, y]", "WithColumn y = (col(i) + 1)", "Select [k, i]", "Filter (col(x) > 0)",
        "ReadCsv 1 file(s)"), plan.lines().map(l -> l.strip().replaceAll(" in \\d+ block.*", "")).toList(), plan);
    assertTrue(plan.contains("columns=[k, i, x]"), plan);
    Table e = t.where(t.doubleColumn("x").isGreaterThan(0));
    Table got = chain.compute();
    assertEquals(e.rowCount(), got.rowCount());
    for (int row = 0; row < e.rowCount(); row++) {
      assertEquals(Frames.cell(e.stringColumn("k"), row), Frames.cell(got.stringColumn("k"), row));
      Object i = Frames.cell(e.intColumn("i"), row);
      assertEquals(i == null ? null : ((Integer) i) + 1L, Frames.cell(got.longColumn("w"), row));
    }
  }

  @Test
  void withColumnThatReplacesAColumn_keepsTheColumnOrder() {
    Table t = Frames.random(new Random(8), 100);
    DFrame df = csvOf(new Random(9), t, "order");
    DFrame q = df.withColumn("i", col("x").add(1)).select("k", "i");
    Table got = q.compute();
    assertEquals(List.of("k", "i"), got.columnNames());
    for (int row = 0; row < t.rowCount(); row++) {
      Frames.assertClose(t.doubleColumn("x").getDouble(row) + 1, got.doubleColumn("i").getDouble(row), "row " + row);
    }
    assertTrue(q.explain().contains("columns=[k, x]"), q.explain());
  }
}
