package io.jask.dataframe;

import io.jask.io.DType;
import io.jask.io.Schema;
import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A column expression, evaluated vectorized over a partition's columns: column references,
 * literals, arithmetic, comparisons, boolean logic and {@code isNull}. Immutable and serializable
 * (it travels inside tasks).
 *
 * <pre>{@code
 * import static io.jask.dataframe.Expr.col;
 *
 * Expr big = col("x").gt(0).and(col("k").ne("k7"));
 * Expr z = col("x").mul(col("y")).add(1);
 * df.filter(big).withColumn("z", z);
 * }</pre>
 *
 * <p>Types: {@code add}, {@code sub} and {@code mul} of two integer operands are LONG (Java
 * overflow semantics), otherwise DOUBLE; {@code div} is always DOUBLE. Missing values (NaN,
 * Tablesaw's sentinels, empty strings) propagate through arithmetic; a comparison with a missing
 * operand is false, except {@code ne}, which is true (as for NaN in pandas). {@code and}, {@code
 * or} and {@code not} follow three-valued logic on missing booleans, and {@code filter} keeps the
 * rows where the condition is true.
 */
public sealed interface Expr extends Serializable
    permits Expr.Col, Expr.Lit, Expr.Binary, Expr.Not, Expr.IsNull, Expr.Str, Expr.FillNull, Expr.Cast {

  /**
   * A reference to a column.
   *
   * <pre>{@code
   * Expr x = col("x");
   * }</pre>
   */
  static Expr col(String name) {
    return new Col(name);
  }

  /**
   * A literal: an Integer, Long, Double, Float, String or Boolean.
   *
   * <pre>{@code
   * Expr one = lit(1);
   * }</pre>
   */
  static Expr lit(Object value) {
    return new Lit(value);
  }

  /**
   * {@code this + other} ({@code other} an expression or a literal value).
   *
   * <pre>{@code
   * col("x").add(1)
   * }</pre>
   */
  default Expr add(Object other) {
    return new Binary(Op.ADD, this, of(other));
  }

  /**
   * {@code this - other}.
   *
   * <pre>{@code
   * col("x").sub(col("y"))
   * }</pre>
   */
  default Expr sub(Object other) {
    return new Binary(Op.SUB, this, of(other));
  }

  /**
   * {@code this * other}.
   *
   * <pre>{@code
   * col("x").mul(2.5)
   * }</pre>
   */
  default Expr mul(Object other) {
    return new Binary(Op.MUL, this, of(other));
  }

  /**
   * {@code this / other}, always a double.
   *
   * <pre>{@code
   * col("x").div(col("n"))
   * }</pre>
   */
  default Expr div(Object other) {
    return new Binary(Op.DIV, this, of(other));
  }

  /**
   * {@code this > other}.
   *
   * <pre>{@code
   * df.filter(col("x").gt(0))
   * }</pre>
   */
  default Expr gt(Object other) {
    return new Binary(Op.GT, this, of(other));
  }

  /**
   * {@code this >= other}.
   *
   * <pre>{@code
   * df.filter(col("x").ge(0))
   * }</pre>
   */
  default Expr ge(Object other) {
    return new Binary(Op.GE, this, of(other));
  }

  /**
   * {@code this < other}.
   *
   * <pre>{@code
   * df.filter(col("x").lt(col("y")))
   * }</pre>
   */
  default Expr lt(Object other) {
    return new Binary(Op.LT, this, of(other));
  }

  /**
   * {@code this <= other}.
   *
   * <pre>{@code
   * df.filter(col("x").le(10))
   * }</pre>
   */
  default Expr le(Object other) {
    return new Binary(Op.LE, this, of(other));
  }

  /**
   * {@code this == other}.
   *
   * <pre>{@code
   * df.filter(col("k").eq("k1"))
   * }</pre>
   */
  default Expr eq(Object other) {
    return new Binary(Op.EQ, this, of(other));
  }

  /**
   * {@code this != other}.
   *
   * <pre>{@code
   * df.filter(col("k").ne("k1"))
   * }</pre>
   */
  default Expr ne(Object other) {
    return new Binary(Op.NE, this, of(other));
  }

  /**
   * Logical and (three-valued).
   *
   * <pre>{@code
   * col("x").gt(0).and(col("b"))
   * }</pre>
   */
  default Expr and(Expr other) {
    return new Binary(Op.AND, this, other);
  }

  /**
   * Logical or (three-valued).
   *
   * <pre>{@code
   * col("x").gt(0).or(col("x").isNull())
   * }</pre>
   */
  default Expr or(Expr other) {
    return new Binary(Op.OR, this, other);
  }

  /**
   * Logical not (missing stays missing).
   *
   * <pre>{@code
   * col("b").not()
   * }</pre>
   */
  default Expr not() {
    return new Not(this);
  }

  /**
   * Whether the value is missing (never missing itself).
   *
   * <pre>{@code
   * df.filter(col("x").isNull().not())
   * }</pre>
   */
  default Expr isNull() {
    return new IsNull(this);
  }

  /**
   * Whether a STRING value contains {@code part} (missing stays missing, so {@code filter} drops it).
   *
   * <pre>{@code
   * df.filter(col("name").contains("son"));
   * }</pre>
   */
  default Expr contains(String part) {
    return new Str(StrOp.CONTAINS, this, part);
  }

  /**
   * Whether a STRING value starts with {@code prefix} (missing stays missing).
   *
   * <pre>{@code
   * df.filter(col("code").startsWith("EU-"));
   * }</pre>
   */
  default Expr startsWith(String prefix) {
    return new Str(StrOp.STARTS_WITH, this, prefix);
  }

  /**
   * A STRING value in lower case ({@code Locale.ROOT}); missing stays missing.
   *
   * <pre>{@code
   * df.withColumn("k", col("k").lower());
   * }</pre>
   */
  default Expr lower() {
    return new Str(StrOp.LOWER, this, "");
  }

  /**
   * The number of UTF-16 chars of a STRING value, as LONG; missing stays missing.
   *
   * <pre>{@code
   * df.filter(col("name").length().gt(3));
   * }</pre>
   */
  default Expr length() {
    return new Str(StrOp.LENGTH, this, "");
  }

  /**
   * The value, or {@code value} (a literal or an expression) where it is missing. Two integer
   * operands give LONG, an integer and a double give DOUBLE; otherwise both must have the same type.
   *
   * <pre>{@code
   * df.withColumn("x", col("x").fillNull(0.0)).withColumn("k", col("k").fillNull("none"));
   * }</pre>
   */
  default Expr fillNull(Object value) {
    return new FillNull(this, of(value));
  }

  /**
   * The value converted to {@code type}: between numeric types (double to integer truncates
   * toward zero, NaN becomes missing), numeric or BOOLEAN to STRING ({@code Long.toString},
   * {@code Double.toString}, {@code "true"}), STRING to numeric or BOOLEAN (parsed; a value that
   * does not parse fails naming it), BOOLEAN to numeric (1, 0). Missing stays missing.
   *
   * <pre>{@code
   * df.withColumn("id", col("id_text").cast(DType.LONG)).withColumn("s", col("x").cast(DType.STRING));
   * }</pre>
   */
  default Expr cast(DType type) {
    return new Cast(this, type);
  }

  /** The type of the result over a partition of {@code schema}; fails naming the bad operand. */
  DType type(Schema schema);

  /** The columns this expression reads. */
  default Set<String> columns() {
    Set<String> out = new LinkedHashSet<>();
    collect(this, out);
    return out;
  }

  private static void collect(Expr e, Set<String> out) {
    if (e instanceof Col c) {
      out.add(c.name());
    } else if (e instanceof Binary b) {
      collect(b.left(), out);
      collect(b.right(), out);
    } else if (e instanceof Not n) {
      collect(n.operand(), out);
    } else if (e instanceof IsNull n) {
      collect(n.operand(), out);
    } else if (e instanceof Str n) {
      collect(n.operand(), out);
    } else if (e instanceof FillNull f) {
      collect(f.operand(), out);
      collect(f.value(), out);
    } else if (e instanceof Cast c) {
      collect(c.operand(), out);
    }
  }

  private static Expr of(Object o) {
    return o instanceof Expr e ? e : new Lit(o);
  }

  /** The binary operators. */
  enum Op {
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!="), AND("&"), OR("|");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    boolean arithmetic() {
      return ordinal() <= DIV.ordinal();
    }

    boolean comparison() {
      return ordinal() >= GT.ordinal() && ordinal() <= NE.ordinal();
    }
  }

  /** A column reference. @param name the column */
  record Col(String name) implements Expr {
    @Override
    public DType type(Schema schema) {
      return schema.type(name);
    }

    @Override
    public String toString() {
      return "col(" + name + ")";
    }
  }

  /** A literal. @param value an Integer, Long, Double, Float, String, Boolean, LocalDateTime or LocalDate (its midnight) */
  record Lit(Object value) implements Expr {
    public Lit {
      if (!(value instanceof Integer || value instanceof Long || value instanceof Double
          || value instanceof Float || value instanceof String || value instanceof Boolean
          || value instanceof java.time.LocalDateTime || value instanceof java.time.LocalDate)) {
        throw new IllegalArgumentException("a literal must be an Integer, Long, Double, Float, String, Boolean, "
            + "LocalDateTime or LocalDate, not "
            + (value == null ? "null" : value.getClass().getName()));
      }
    }

    @Override
    public DType type(Schema schema) {
      if (value instanceof Integer || value instanceof Long) {
        return DType.LONG;
      }
      if (value instanceof Double || value instanceof Float) {
        return DType.DOUBLE;
      }
      if (value instanceof java.time.LocalDateTime || value instanceof java.time.LocalDate) {
        return DType.DATETIME;
      }
      return value instanceof String ? DType.STRING : DType.BOOLEAN;
    }

    @Override
    public String toString() {
      return value instanceof String ? "'" + value + "'"
          : value instanceof java.time.temporal.Temporal ? "datetime('" + value + "')" : value.toString();
    }
  }

  /** A binary operation. */
  record Binary(Op op, Expr left, Expr right) implements Expr {
    @Override
    public DType type(Schema schema) {
      DType l = left.type(schema);
      DType r = right.type(schema);
      if (op.arithmetic()) {
        if (!l.isNumeric() || !r.isNumeric()) {
          throw new IllegalArgumentException("cannot apply " + op.symbol + " to " + l + " and " + r + " in " + this);
        }
        return op == Op.DIV || l == DType.DOUBLE || r == DType.DOUBLE ? DType.DOUBLE : DType.LONG;
      }
      if (op.comparison()) {
        boolean ok = (l.isNumeric() && r.isNumeric()) || l == r;
        if (!ok) {
          throw new IllegalArgumentException("cannot compare " + l + " and " + r + " in " + this);
        }
        return DType.BOOLEAN;
      }
      if (l != DType.BOOLEAN || r != DType.BOOLEAN) {
        throw new IllegalArgumentException(op.symbol + " needs BOOLEAN operands, got " + l + " and " + r + " in " + this);
      }
      return DType.BOOLEAN;
    }

    @Override
    public String toString() {
      return "(" + left + " " + op.symbol + " " + right + ")";
    }
  }

  /** Logical not. */
  record Not(Expr operand) implements Expr {
    @Override
    public DType type(Schema schema) {
      DType t = operand.type(schema);
      if (t != DType.BOOLEAN) {
        throw new IllegalArgumentException("not() needs a BOOLEAN operand, got " + t + " in " + this);
      }
      return DType.BOOLEAN;
    }

    @Override
    public String toString() {
      return "~" + operand;
    }
  }

  /** Whether the operand is missing. */
  record IsNull(Expr operand) implements Expr {
    @Override
    public DType type(Schema schema) {
      operand.type(schema);
      return DType.BOOLEAN;
    }

    @Override
    public String toString() {
      return operand + ".isNull()";
    }
  }

  /** The string operations. */
  enum StrOp {
    CONTAINS, STARTS_WITH, LOWER, LENGTH
  }

  /**
   * A string operation.
   *
   * @param op which
   * @param operand a STRING expression
   * @param arg the argument of contains and startsWith ("" otherwise)
   */
  record Str(StrOp op, Expr operand, String arg) implements Expr {
    public Str {
      java.util.Objects.requireNonNull(arg, "the argument of a string operation must not be null");
    }

    @Override
    public DType type(Schema schema) {
      DType t = operand.type(schema);
      if (t != DType.STRING) {
        throw new IllegalArgumentException(op.name().toLowerCase(java.util.Locale.ROOT) + " needs a STRING operand, got " + t + " in " + this);
      }
      return switch (op) {
        case CONTAINS, STARTS_WITH -> DType.BOOLEAN;
        case LOWER -> DType.STRING;
        case LENGTH -> DType.LONG;
      };
    }

    @Override
    public String toString() {
      return switch (op) {
        case CONTAINS -> operand + ".contains('" + arg + "')";
        case STARTS_WITH -> operand + ".startsWith('" + arg + "')";
        case LOWER -> operand + ".lower()";
        case LENGTH -> operand + ".length()";
      };
    }
  }

  /** The operand, or {@code value} where it is missing. */
  record FillNull(Expr operand, Expr value) implements Expr {
    @Override
    public DType type(Schema schema) {
      DType a = operand.type(schema);
      DType b = value.type(schema);
      if (a.isNumeric() && b.isNumeric()) {
        return a == DType.DOUBLE || b == DType.DOUBLE ? DType.DOUBLE : DType.LONG;
      }
      if (a != b) {
        throw new IllegalArgumentException("cannot fill missing " + a + " values with " + b + " in " + this);
      }
      return a;
    }

    @Override
    public String toString() {
      return operand + ".fillNull(" + value + ")";
    }
  }

  /** The operand converted to {@code to}. */
  record Cast(Expr operand, DType to) implements Expr {
    public Cast {
      java.util.Objects.requireNonNull(to, "cast needs a type");
    }

    @Override
    public DType type(Schema schema) {
      operand.type(schema);
      return to;
    }

    @Override
    public String toString() {
      return operand + ".cast(" + to + ")";
    }
  }
}
