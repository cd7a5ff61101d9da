package io.jask.dataframe.internal;

import io.jask.dataframe.Expr;
import io.jask.io.DType;
import io.jask.io.Schema;
import java.util.Arrays;
import tech.tablesaw.api.Table;

/**
 * Evaluates an {@link Expr} over a whole partition at once: each node produces a {@link Vec} by
 * one loop over its operands' arrays (see {@link Expr} for the type and missing-value rules).
 */
public final class ExprEval {
  private ExprEval() {}

  /** The values of {@code e} for every row of {@code t}. */
  public static Vec eval(Expr e, Table t) {
    Schema schema = Schema.of(t);
    e.type(schema); // fails early, naming the expression
    return ev(e, t, schema, t.rowCount());
  }

  private static Vec ev(Expr e, Table t, Schema s, int n) {
    if (e instanceof Expr.Col c) {
      return Vec.of(t.column(s.names().get(s.indexOf(c.name()))));
    }
    if (e instanceof Expr.Lit l) {
      return literal(l.value(), n);
    }
    if (e instanceof Expr.Not not) {
      byte[] a = ((Vec.B) ev(not.operand(), t, s, n)).v();
      byte[] out = new byte[n];
      for (int i = 0; i < n; i++) {
        out[i] = a[i] < 0 ? -1 : (byte) (1 - a[i]);
      }
      return new Vec.B(out);
    }
    if (e instanceof Expr.IsNull isNull) {
      Vec a = ev(isNull.operand(), t, s, n);
      byte[] out = new byte[n];
      for (int i = 0; i < n; i++) {
        out[i] = a.missing(i) ? (byte) 1 : 0;
      }
      return new Vec.B(out);
    }
    if (e instanceof Expr.Str str) {
      return strOp(str, ((Vec.S) ev(str.operand(), t, s, n)).v(), n);
    }
    if (e instanceof Expr.FillNull f) {
      return fillNull(f.type(s), ev(f.operand(), t, s, n), ev(f.value(), t, s, n), n);
    }
    if (e instanceof Expr.Cast c) {
      return cast(c, ev(c.operand(), t, s, n), n);
    }
    Expr.Binary b = (Expr.Binary) e;
    Vec l = ev(b.left(), t, s, n);
    Vec r = ev(b.right(), t, s, n);
    return switch (b.op()) {
      case ADD, SUB, MUL, DIV -> arithmetic(b.op(), l, r, b.type(s), n);
      case AND, OR -> logic(b.op(), (Vec.B) l, (Vec.B) r, n);
      default -> compare(b.op(), l, r, n);
    };
  }

  private static Vec literal(Object v, int n) {
    if (v instanceof Integer || v instanceof Long) {
      long[] a = new long[n];
      Arrays.fill(a, ((Number) v).longValue());
      return new Vec.L(a, null);
    }
    if (v instanceof Double || v instanceof Float) {
      double[] a = new double[n];
      Arrays.fill(a, ((Number) v).doubleValue());
      return new Vec.D(a);
    }
    if (v instanceof java.time.LocalDateTime || v instanceof java.time.LocalDate) {
      long[] a = new long[n];
      Arrays.fill(a, io.jask.io.DateTimes.millis(v instanceof java.time.LocalDate d ? d.atStartOfDay()
          : (java.time.LocalDateTime) v));
      return new Vec.T(a, null);
    }
    if (v instanceof Boolean bool) {
      byte[] a = new byte[n];
      Arrays.fill(a, bool ? (byte) 1 : 0);
      return new Vec.B(a);
    }
    String[] a = new String[n];
    Arrays.fill(a, (String) v);
    return new Vec.S(a);
  }

  static double[] doubles(Vec v) {
    if (v instanceof Vec.D d) {
      return d.v();
    }
    Vec.L l = (Vec.L) v;
    double[] out = new double[l.v().length];
    for (int i = 0; i < out.length; i++) {
      out[i] = l.missing(i) ? Double.NaN : l.v()[i];
    }
    return out;
  }

  private static Vec arithmetic(Expr.Op op, Vec l, Vec r, DType type, int n) {
    if (type == DType.LONG) {
      Vec.L a = (Vec.L) l;
      Vec.L b = (Vec.L) r;
      long[] out = new long[n];
      boolean[] miss = null;
      if (a.miss() != null || b.miss() != null) {
        miss = new boolean[n];
        for (int i = 0; i < n; i++) {
          miss[i] = a.missing(i) || b.missing(i);
        }
      }
      long[] x = a.v();
      long[] y = b.v();
      switch (op) {
        case ADD -> { for (int i = 0; i < n; i++) out[i] = x[i] + y[i]; }
        case SUB -> { for (int i = 0; i < n; i++) out[i] = x[i] - y[i]; }
        default -> { for (int i = 0; i < n; i++) out[i] = x[i] * y[i]; }
      }
      return new Vec.L(out, miss);
    }
    double[] x = doubles(l);
    double[] y = doubles(r);
    double[] out = new double[n];
    switch (op) {
      case ADD -> { for (int i = 0; i < n; i++) out[i] = x[i] + y[i]; }
      case SUB -> { for (int i = 0; i < n; i++) out[i] = x[i] - y[i]; }
      case MUL -> { for (int i = 0; i < n; i++) out[i] = x[i] * y[i]; }
      default -> { for (int i = 0; i < n; i++) out[i] = x[i] / y[i]; }
    }
    return new Vec.D(out);
  }

  private static Vec logic(Expr.Op op, Vec.B l, Vec.B r, int n) {
    byte[] a = l.v();
    byte[] b = r.v();
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      if (op == Expr.Op.AND) {
        out[i] = (a[i] == 0 || b[i] == 0) ? 0 : (a[i] < 0 || b[i] < 0) ? (byte) -1 : 1;
      } else {
        out[i] = (a[i] == 1 || b[i] == 1) ? 1 : (a[i] < 0 || b[i] < 0) ? (byte) -1 : 0;
      }
    }
    return new Vec.B(out);
  }

  private static Vec compare(Expr.Op op, Vec l, Vec r, int n) {
    byte[] out = new byte[n];
    byte whenMissing = op == Expr.Op.NE ? (byte) 1 : 0;
    if (l instanceof Vec.L a && r instanceof Vec.L b) {
      for (int i = 0; i < n; i++) {
        out[i] = a.missing(i) || b.missing(i) ? whenMissing : test(op, Long.compare(a.v()[i], b.v()[i]));
      }
    } else if (l instanceof Vec.T a && r instanceof Vec.T b) {
      for (int i = 0; i < n; i++) {
        out[i] = a.missing(i) || b.missing(i) ? whenMissing : test(op, Long.compare(a.v()[i], b.v()[i]));
      }
    } else if (l instanceof Vec.S a && r instanceof Vec.S b) {
      for (int i = 0; i < n; i++) {
        out[i] = a.missing(i) || b.missing(i) ? whenMissing : test(op, a.v()[i].compareTo(b.v()[i]));
      }
    } else if (l instanceof Vec.B a && r instanceof Vec.B b) {
      for (int i = 0; i < n; i++) {
        out[i] = a.missing(i) || b.missing(i) ? whenMissing : test(op, Byte.compare(a.v()[i], b.v()[i]));
      }
    } else {
      double[] x = doubles(l);
      double[] y = doubles(r);
      // IEEE comparisons are false with a NaN (missing) operand and != is true: the missing rule
      switch (op) {
        case GT -> {
          for (int i = 0; i < n; i++) {
            out[i] = x[i] > y[i] ? (byte) 1 : 0;
          }
        }
        case GE -> {
          for (int i = 0; i < n; i++) {
            out[i] = x[i] >= y[i] ? (byte) 1 : 0;
          }
        }
        case LT -> {
          for (int i = 0; i < n; i++) {
            out[i] = x[i] < y[i] ? (byte) 1 : 0;
          }
        }
        case LE -> {
          for (int i = 0; i < n; i++) {
            out[i] = x[i] <= y[i] ? (byte) 1 : 0;
          }
        }
        case EQ -> {
          for (int i = 0; i < n; i++) {
            out[i] = x[i] == y[i] ? (byte) 1 : 0;
          }
        }
        default -> {
          for (int i = 0; i < n; i++) {
            out[i] = x[i] != y[i] ? (byte) 1 : 0;
          }
        }
      }
    }
    return new Vec.B(out);
  }

  /** 1 if a comparison result {@code c} (negative, zero, positive) satisfies {@code op}, else 0. */
  static byte test(Expr.Op op, int c) {
    boolean r = switch (op) {
      case GT -> c > 0;
      case GE -> c >= 0;
      case LT -> c < 0;
      case LE -> c <= 0;
      case EQ -> c == 0;
      default -> c != 0;
    };
    return r ? (byte) 1 : 0;
  }

  private static Vec strOp(Expr.Str e, String[] a, int n) {
    switch (e.op()) {
      case LOWER: {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
          out[i] = a[i].toLowerCase(java.util.Locale.ROOT);
        }
        return new Vec.S(out);
      }
      case LENGTH: {
        long[] out = new long[n];
        boolean[] miss = null;
        for (int i = 0; i < n; i++) {
          if (a[i].isEmpty()) {
            if (miss == null) {
              miss = new boolean[n];
            }
            miss[i] = true;
          }
          out[i] = a[i].length();
        }
        return new Vec.L(out, miss);
      }
      default: {
        byte[] out = new byte[n];
        boolean contains = e.op() == Expr.StrOp.CONTAINS;
        for (int i = 0; i < n; i++) {
          out[i] = a[i].isEmpty() ? -1 : (contains ? a[i].contains(e.arg()) : a[i].startsWith(e.arg())) ? (byte) 1 : 0;
        }
        return new Vec.B(out);
      }
    }
  }

  /**
   * Casts to or from DATETIME: STRING text is parsed as ISO-8601 and written back the same way,
   * LONG is epoch milliseconds; other types fail naming the expression.
   */
  private static Vec castDateTime(Expr.Cast c, Vec a, int n) {
    DType to = c.to();
    long[] v = new long[n];
    boolean[] miss = null;
    if (a instanceof Vec.T t) {
      if (to == DType.DATETIME) {
        return t;
      }
      if (to == DType.STRING) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
          out[i] = t.missing(i) ? "" : io.jask.io.DateTimes.format(t.v()[i]);
        }
        return new Vec.S(out);
      }
      if (to == DType.LONG) {
        return new Vec.L(t.v().clone(), t.miss() == null ? null : t.miss().clone());
      }
    } else if (a instanceof Vec.S s) {
      for (int i = 0; i < n; i++) {
        if (s.missing(i)) {
          miss = miss == null ? new boolean[n] : miss;
          miss[i] = true;
        } else {
          try {
            v[i] = io.jask.io.DateTimes.parse(s.v()[i].trim());
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " in " + c, e);
          }
        }
      }
      return new Vec.T(v, miss);
    } else if (a instanceof Vec.L l) {
      return new Vec.T(l.v().clone(), l.miss() == null ? null : l.miss().clone());
    }
    throw new IllegalArgumentException("cannot cast " + (a instanceof Vec.T ? "DATETIME" : a.getClass().getSimpleName())
        + " values to " + to + " in " + c + " (DATETIME casts to and from STRING and LONG epoch milliseconds)");
  }

  private static Vec fillNull(DType type, Vec a, Vec b, int n) {
    if (type == DType.DOUBLE) {
      double[] x = doubles(a).clone();
      double[] y = doubles(b);
      for (int i = 0; i < n; i++) {
        if (Double.isNaN(x[i])) {
          x[i] = y[i];
        }
      }
      return new Vec.D(x);
    }
    if (type == DType.LONG || type == DType.DATETIME) {
      long[] out = (type == DType.LONG ? ((Vec.L) a).v() : ((Vec.T) a).v()).clone();
      long[] fill = type == DType.LONG ? ((Vec.L) b).v() : ((Vec.T) b).v();
      boolean[] miss = null;
      for (int i = 0; i < n; i++) {
        if (a.missing(i)) {
          out[i] = fill[i];
          if (b.missing(i)) {
            if (miss == null) {
              miss = new boolean[n];
            }
            miss[i] = true;
          }
        }
      }
      return type == DType.LONG ? new Vec.L(out, miss) : new Vec.T(out, miss);
    }
    if (type == DType.BOOLEAN) {
      byte[] out = ((Vec.B) a).v().clone();
      byte[] y = ((Vec.B) b).v();
      for (int i = 0; i < n; i++) {
        if (out[i] < 0) {
          out[i] = y[i];
        }
      }
      return new Vec.B(out);
    }
    String[] out = ((Vec.S) a).v().clone();
    String[] y = ((Vec.S) b).v();
    for (int i = 0; i < n; i++) {
      if (out[i].isEmpty()) {
        out[i] = y[i];
      }
    }
    return new Vec.S(out);
  }

  private static Vec cast(Expr.Cast c, Vec a, int n) {
    DType to = c.to();
    if (to == DType.DATETIME || a instanceof Vec.T) {
      return castDateTime(c, a, n);
    }
    if (to == DType.STRING) {
      String[] out = new String[n];
      for (int i = 0; i < n; i++) {
        if (a.missing(i)) {
          out[i] = "";
        } else if (a instanceof Vec.L l) {
          out[i] = Long.toString(l.v()[i]);
        } else if (a instanceof Vec.D d) {
          out[i] = Double.toString(d.v()[i]);
        } else if (a instanceof Vec.B b) {
          out[i] = b.v()[i] == 1 ? "true" : "false";
        } else {
          out[i] = ((Vec.S) a).v()[i];
        }
      }
      return new Vec.S(out);
    }
    if (to == DType.DOUBLE) {
      double[] out = new double[n];
      for (int i = 0; i < n; i++) {
        if (a.missing(i)) {
          out[i] = Double.NaN;
        } else if (a instanceof Vec.L l) {
          out[i] = l.v()[i];
        } else if (a instanceof Vec.D d) {
          out[i] = d.v()[i];
        } else if (a instanceof Vec.B b) {
          out[i] = b.v()[i];
        } else {
          String v = ((Vec.S) a).v()[i].trim();
          try {
            out[i] = Double.parseDouble(v);
          } catch (NumberFormatException x) {
            throw new IllegalArgumentException("cannot parse '" + v + "' as DOUBLE in " + c);
          }
        }
      }
      return new Vec.D(out);
    }
    if (to == DType.BOOLEAN) {
      byte[] out = new byte[n];
      for (int i = 0; i < n; i++) {
        if (a.missing(i)) {
          out[i] = -1;
        } else if (a instanceof Vec.L l) {
          out[i] = l.v()[i] != 0 ? (byte) 1 : 0;
        } else if (a instanceof Vec.D d) {
          out[i] = d.v()[i] != 0 ? (byte) 1 : 0;
        } else if (a instanceof Vec.B b) {
          out[i] = b.v()[i];
        } else {
          String v = ((Vec.S) a).v()[i].trim();
          if (v.equalsIgnoreCase("true")) {
            out[i] = 1;
          } else if (v.equalsIgnoreCase("false")) {
            out[i] = 0;
          } else {
            throw new IllegalArgumentException("cannot parse '" + v + "' as BOOLEAN in " + c);
          }
        }
      }
      return new Vec.B(out);
    }
    // INT or LONG: integers in a long vector (WithColumn narrows INT)
    long[] out = new long[n];
    boolean[] miss = null;
    for (int i = 0; i < n; i++) {
      boolean m = a.missing(i);
      if (!m) {
        if (a instanceof Vec.L l) {
          out[i] = to == DType.INT ? (int) l.v()[i] : l.v()[i];
        } else if (a instanceof Vec.D d) {
          out[i] = to == DType.INT ? (long) (int) d.v()[i] : (long) d.v()[i];
        } else if (a instanceof Vec.B b) {
          out[i] = b.v()[i];
        } else {
          String v = ((Vec.S) a).v()[i].trim();
          try {
            out[i] = to == DType.INT ? Integer.parseInt(v) : Long.parseLong(v);
          } catch (NumberFormatException x) {
            throw new IllegalArgumentException("cannot parse '" + v + "' as " + to + " in " + c);
          }
        }
        m = to == DType.INT ? out[i] == Integer.MIN_VALUE : out[i] == Long.MIN_VALUE;
      }
      if (m) {
        if (miss == null) {
          miss = new boolean[n];
        }
        miss[i] = true;
      }
    }
    return new Vec.L(out, miss);
  }
}
