package io.jask.dataframe.internal;

import io.jask.dataframe.Expr;
import io.jask.io.ParquetFilter;
import io.jask.io.Schema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Rewrites a {@link Plan} before it is lowered, like dask-expr's {@code simplify}:
 *
 * <ul>
 *   <li><b>Projection pushdown.</b> Walking from the output towards the sources, each node is
 *       asked which of its input's columns it needs for the columns required of it ({@link
 *       Plan#needs}); a {@code withColumn} whose column nobody needs disappears, and a CSV or
 *       Parquet read parses only the columns still required at the bottom.
 *   <li><b>Predicate pushdown.</b> A filter moves below selects, other filters and {@code
 *       withColumn}s that do not define a column it reads; reaching a Parquet read it becomes part
 *       of the read: its simple comparisons ({@code col op literal}, joined by {@code and}) skip
 *       row groups by their statistics, and the whole condition filters rows as they are read.
 * </ul>
 *
 * <p>The result produces exactly the required columns in the plan's order (a final select puts
 * them in order when needed). Fusion happens when lowering ({@link Lowering}).
 */
public final class Optimizer {
  private Optimizer() {}

  /** The optimized plan that produces {@code required} (columns of {@code p}, in p's order). */
  public static Plan optimize(Plan p, List<String> required) {
    List<String> ordered = new ArrayList<>();
    for (String c : p.schema().names()) {
      if (required.contains(c)) {
        ordered.add(c);
      }
    }
    return ensure(prune(p, new LinkedHashSet<>(ordered)), ordered);
  }

  /** A plan whose output has every column of {@code req}, possibly more or in another order. */
  private static Plan prune(Plan p, Set<String> req) {
    if (p instanceof Plan.CsvScan c) {
      List<String> cols = keep(c.schema(), req);
      return new Plan.CsvScan(c.blocks(), c.options().withColumns(cols), c.token(), c.files());
    }
    if (p instanceof Plan.ParquetScan s) {
      return new Plan.ParquetScan(s.files(), s.fileSchema(), keep(s.schema(), req), s.stats(), s.filters(), s.token());
    }
    if (p instanceof Plan.Lowered) {
      return p;
    }
    Plan.RowWise r = (Plan.RowWise) p;
    Set<String> need = Plan.needs(r, req);
    if (r instanceof Plan.WithColumn w && !req.contains(w.column())) {
      return prune(w.in(), need);
    }
    Plan child = narrow(prune(r.in(), need), need);
    if (r instanceof Plan.Select s) {
      List<String> cols = new ArrayList<>();
      for (String c : s.columns()) {
        if (req.contains(c)) {
          cols.add(c);
        }
      }
      return ensure(child, cols);
    }
    if (r instanceof Plan.Filter f) {
      return pushFilter(child, f.condition());
    }
    if (r instanceof Plan.Rename n) {
      List<String> from = new ArrayList<>();
      List<String> to = new ArrayList<>();
      for (int i = 0; i < n.from().size(); i++) {
        if (child.schema().has(n.from().get(i))) {
          from.add(n.from().get(i));
          to.add(n.to().get(i));
        }
      }
      return from.isEmpty() ? child : new Plan.Rename(child, from, to);
    }
    if (r instanceof Plan.Blockwise b) {
      return b.withInput(ensure(child, b.in().schema().names()));
    }
    if (r instanceof Plan.BroadcastJoin j) {
      return j.narrowed(child, req); // gathers only the required right columns
    }
    return r.withInput(child);
  }

  /** {@code p} without the columns nobody needs (a select that copies nothing, or a narrower read). */
  private static Plan narrow(Plan p, Set<String> need) {
    if (need.isEmpty() || need.containsAll(p.schema().names())) {
      return p;
    }
    List<String> cols = new ArrayList<>();
    for (String c : p.schema().names()) {
      if (need.contains(c)) {
        cols.add(c);
      }
    }
    return cols.isEmpty() ? p : ensure(p, cols);
  }

  /** The required columns in the schema's order; at least one, so that rows are still counted. */
  private static List<String> keep(Schema s, Set<String> req) {
    List<String> cols = new ArrayList<>();
    for (String c : s.names()) {
      if (req.contains(c)) {
        cols.add(c);
      }
    }
    if (cols.isEmpty()) {
      cols.add(s.names().get(0));
    }
    return cols;
  }

  private static Plan ensure(Plan p, List<String> cols) {
    if (p.schema().names().equals(cols)) {
      return p;
    }
    if (p instanceof Plan.ParquetScan s && s.columns().containsAll(cols) && !cols.isEmpty()) {
      // the read outputs just these (it reads the filters' columns by itself)
      return new Plan.ParquetScan(s.files(), s.fileSchema(), cols, s.stats(), s.filters(), s.token());
    }
    return new Plan.Select(p, cols);
  }

  private static Plan pushFilter(Plan p, Expr e) {
    if (p instanceof Plan.ParquetScan s && s.fileSchema().names().containsAll(e.columns())) {
      List<ParquetFilter> stats = new ArrayList<>(s.stats());
      stats.addAll(comparisons(e));
      List<Expr> filters = new ArrayList<>(s.filters());
      filters.add(e);
      return new Plan.ParquetScan(s.files(), s.fileSchema(), s.columns(), stats, filters, s.token());
    }
    if (p instanceof Plan.Select s) {
      return new Plan.Select(pushFilter(s.in(), e), s.columns());
    }
    if (p instanceof Plan.Filter f) {
      return new Plan.Filter(pushFilter(f.in(), e), f.condition());
    }
    if (p instanceof Plan.WithColumn w && !e.columns().contains(w.column())) {
      return w.withInput(pushFilter(w.in(), e));
    }
    return new Plan.Filter(p, e);
  }

  /** The conjuncts of {@code e} that are {@code col op literal} (or {@code literal op col}). */
  public static List<ParquetFilter> comparisons(Expr e) {
    List<ParquetFilter> out = new ArrayList<>();
    if (e instanceof Expr.Binary b) {
      if (b.op() == Expr.Op.AND) {
        out.addAll(comparisons(b.left()));
        out.addAll(comparisons(b.right()));
      } else if (op(b.op()) != null && !(b.left() instanceof Expr.Lit l0 && l0.value() instanceof java.time.temporal.Temporal)
          && !(b.right() instanceof Expr.Lit r0 && r0.value() instanceof java.time.temporal.Temporal)) {
        // date-time literals are not pushed down: row-group statistics may be in micros or nanos
        if (b.left() instanceof Expr.Col c && b.right() instanceof Expr.Lit l) {
          out.add(ParquetFilter.of(c.name(), op(b.op()), l.value()));
        } else if (b.left() instanceof Expr.Lit l && b.right() instanceof Expr.Col c) {
          out.add(ParquetFilter.of(c.name(), op(b.op()).flip(), l.value()));
        }
      }
    }
    return out;
  }

  private static ParquetFilter.Op op(Expr.Op op) {
    switch (op) {
      case EQ: return ParquetFilter.Op.EQ;
      case NE: return ParquetFilter.Op.NE;
      case LT: return ParquetFilter.Op.LT;
      case LE: return ParquetFilter.Op.LE;
      case GT: return ParquetFilter.Op.GT;
      case GE: return ParquetFilter.Op.GE;
      default: return null;
    }
  }
}
