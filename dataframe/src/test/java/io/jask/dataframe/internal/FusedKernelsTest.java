package io.jask.dataframe.internal;

import static io.jask.dataframe.Expr.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.dataframe.Agg;
import io.jask.dataframe.DFrame;
import io.jask.dataframe.Expr;
import io.jask.io.DType;
import io.jask.io.Schema;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The fused kernels taken for D2, D3 and D5 shapes against the general path they replace (the
 * row mask + reduction, the probe's joined table + reduction, the two-pass dense key), and a check
 * that the lowered plans use them.
 */
class FusedKernelsTest {

  private static Table frame(Random r, int n, int keyRange) {
    IntColumn id = IntColumn.create("id");
    DoubleColumn x = DoubleColumn.create("x");
    DoubleColumn y = DoubleColumn.create("y");
    for (int i = 0; i < n; i++) {
      if (r.nextInt(13) == 0) id.appendMissing(); else id.append(r.nextInt(keyRange) - 3);
      x.append(r.nextInt(7) == 0 ? Double.NaN : r.nextGaussian());
      y.append(r.nextInt(9) == 0 ? Double.NaN : r.nextInt(5) / 4.0); // repeated values: == and != matter
    }
    return Table.create("t", id, x, y);
  }

  private static void assertSameTable(Table want, Table got, String ctx) {
    assertEquals(want.columnNames(), got.columnNames(), ctx);
    for (int c = 0; c < want.columnCount(); c++) {
      assertEquals(want.column(c).type(), got.column(c).type(), ctx + " " + want.column(c).name());
      for (int row = 0; row < want.rowCount(); row++) {
        assertEquals(want.column(c).isMissing(row), got.column(c).isMissing(row), ctx + " " + want.column(c).name() + " missing");
        if (!want.column(c).isMissing(row)) {
          double a = ((Number) want.column(c).get(row)).doubleValue();
          double b = ((Number) got.column(c).get(row)).doubleValue();
          assertEquals(a, b, 1e-9 * Math.max(1, Math.abs(a)), ctx + " " + want.column(c).name());
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 4, 5, 7, 1000, 4099})
  void filteredSums_equalTheMaskedReduction(int n) {
    Random r = new Random(n);
    Table t = frame(r, n, 50);
    Schema schema = Schema.of(t);
    List<Expr> conds = List.of(col("y").gt(0.5), col("y").ge(0.5), col("x").lt(0), col("y").le(0.25),
        col("y").eq(0.5), col("y").ne(0.5), Expr.lit(0.5).lt(col("y")), col("y").gt(0));
    for (Expr cond : conds) {
      for (Agg a : List.of(Agg.sum("x"), Agg.mean("y"), Agg.count("x"))) {
        Aggregation agg = new Aggregation(List.of(), List.of(a, Agg.size()), schema);
        String ctx = cond + " " + a + " n=" + n;
        byte[] mask = ((Vec.B) ExprEval.eval(cond, t)).v(); // the general evaluator, not the fast mask
        Table general = agg.partial(t, mask);
        Table fused = agg.partialWhere(t, cond);
        assertSameTable(general, fused, ctx);
        assertNotNull(Kernels.filteredSums(t, cond, List.of(new Aggregation.Red("x", Aggregation.Op.SUM, "s"))), ctx + ": fused");
      }
    }
    // forms the fused kernel declines: and/or, an INT column, a min
    assertNull(Kernels.filteredSums(t, col("y").gt(0.5).and(col("x").gt(0)), List.of(new Aggregation.Red("x", Aggregation.Op.SUM, "s"))));
    assertNull(Kernels.filteredSums(t, col("id").gt(5), List.of(new Aggregation.Red("x", Aggregation.Op.SUM, "s"))));
    assertNull(Kernels.filteredSums(t, col("y").gt(0.5), List.of(new Aggregation.Red("x", Aggregation.Op.MIN, "s"))));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 1023, 1024, 1025, 5000})
  void probeArithPartial_equalsTheProbeThenReduction(int n) {
    Random r = new Random(100 + n);
    Table t = frame(r, n, 60);
    for (boolean longKeys : new boolean[] {false, true}) {
      Table left = longKeys ? Table.create("t", toLong(t.intColumn("id")), t.doubleColumn("x"), t.doubleColumn("y")) : t;
      for (String rightKind : new String[] {"unique", "repeated", "wide"}) {
        Table right = right(r, rightKind, longKeys);
        for (Expr.Op op : new Expr.Op[] {Expr.Op.ADD, Expr.Op.SUB, Expr.Op.MUL, Expr.Op.DIV}) {
          for (String[] ab : new String[][] {{"x", "w"}, {"w", "x"}, {"x", "y"}}) {
            Join join = new Join(List.of("id"), List.of("id", "x", "y"), List.of("w"), List.of("w"));
            Join.ProbeArith probe = new Join.ProbeArith(join, "v", op, ab[0], ab[1]);
            Aggregation agg = new Aggregation(List.of(), List.of(Agg.sum("v"), Agg.count("v"), Agg.size()),
                Schema.of(List.of("v"), List.of(DType.DOUBLE)));
            String ctx = rightKind + (longKeys ? " long" : " int") + " " + ab[0] + " " + op + " " + ab[1] + " n=" + n;
            Table general = agg.partial((Table) probe.apply(new Object[] {left, right}));
            Table fused = (Table) new Join.ProbeArithPartial(probe, agg).apply(new Object[] {left, right});
            assertSameTable(general, fused, ctx);
          }
        }
      }
    }
  }

  private static LongColumn toLong(IntColumn c) {
    LongColumn l = LongColumn.create("id");
    for (int i = 0; i < c.size(); i++) {
      if (c.isMissing(i)) l.appendMissing(); else l.append(c.getInt(i) * 1_000_000_007L);
    }
    return l;
  }

  /** Right tables: unique keys (some missing, NaN weights), repeated keys, or keys over a wide range. */
  private static Table right(Random r, String kind, boolean longKeys) {
    IntColumn id = IntColumn.create("id");
    DoubleColumn w = DoubleColumn.create("w");
    int n = kind.equals("unique") ? 40 : 30;
    for (int i = 0; i < n; i++) {
      if (i % 11 == 5) id.appendMissing();
      else id.append(kind.equals("unique") ? i - 5 : kind.equals("repeated") ? r.nextInt(20) : i * 1_000_003);
      w.append(r.nextInt(6) == 0 ? Double.NaN : r.nextInt(5) - 2); // zeros: 0/0 and x/0
    }
    return Table.create("r", longKeys ? toLong(id) : id, w);
  }

  @Test
  void shortKeyedValueCounts_sizesEqualPlainCounts_withAndWithoutAMask() {
    Random r = new Random(5);
    for (int distinct : new int[] {400, 3000, 30_000}) {
      int n = 20_000;
      String[] v = new String[n];
      byte[] keep = new byte[n];
      for (int i = 0; i < n; i++) {
        v[i] = r.nextInt(10) == 0 ? "" : "s" + r.nextInt(distinct);
        keep[i] = (byte) r.nextInt(2);
      }
      StringColumn c = StringDict.encode(n, i -> v[i]).column("s"); // built from codes, as the CSV reader does
      Cols.Keys keys = Cols.keys(c);
      assertNotNull(keys.shorts(), "a short dictionary for " + distinct);
      for (byte[] mask : new byte[][] {null, keep}) {
        java.util.Map<String, Long> want = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
          if (!v[i].isEmpty() && (mask == null || mask[i] == 1)) {
            want.merge(v[i], 1L, Long::sum);
          }
        }
        DenseKey k = DenseKey.of(c, n, mask, false);
        java.util.Map<String, Long> got = new java.util.HashMap<>();
        for (int s = 0; s < k.slots(); s++) {
          if (k.size()[s] > 0) {
            assertTrue(k.valid(s));
            got.put(keys.value((int) (k.base() + s)), k.size()[s]);
          }
        }
        assertEquals(want, got, distinct + " distinct, mask " + (mask != null));
        DenseKey again = DenseKey.of(c, n, mask, false); // the per-thread histogram was cleared
        assertEquals(java.util.Arrays.toString(k.size()), java.util.Arrays.toString(again.size()));
      }
    }
    DenseKey none = DenseKey.of(StringColumn.create("s", new String[] {"", ""}), 2, null, false);
    assertNotNull(none);
  }

  @Test
  void loweredPlans_takeTheFusedKernels() {
    Random r = new Random(1);
    Table t = frame(r, 300, 40);
    DFrame df = DFrame.fromTable(t, 3);
    IntColumn id = IntColumn.create("id");
    DoubleColumn w = DoubleColumn.create("w");
    for (int i = 0; i < 40; i++) {
      id.append(i);
      w.append(i / 10.0);
    }
    DFrame small = DFrame.fromTable(Table.create("s", id, w), 1);
    String d2 = fns(df.filter(col("y").gt(0.5)).sum("x").graph());
    assertTrue(d2.contains("FilteredPartial"), d2);
    String d3 = fns(df.merge(small, "id").withColumn("xw", col("x").mul(col("w"))).sum("xw").graph());
    assertTrue(d3.contains("ProbeArithPartial"), d3);
  }

  private static String fns(io.jask.engine.Graph g) {
    StringBuilder b = new StringBuilder();
    for (io.jask.engine.Task t : g.materialize().values()) {
      b.append(t.fn()).append('\n');
    }
    return b.toString();
  }
}
