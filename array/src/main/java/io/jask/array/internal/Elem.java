package io.jask.array.internal;

import java.io.Serializable;
import java.util.Set;

/**
 * An element-wise expression over the blocks of some leaf arrays: the unit of blockwise fusion. A
 * chain like {@code (x + y) * 2 > z} is one {@code Elem} tree over the leaves x, y, z, evaluated by
 * one task per output chunk ({@link ElemEval}), like Dask's fused {@code Blockwise} layers.
 * Values are computed as doubles and cast to the result's dtype at the end.
 */
public sealed interface Elem extends Serializable {

  /** The i-th leaf array's block. */
  record Leaf(int i) implements Elem {}

  /** A scalar. */
  record Const(double v) implements Elem {}

  /** A function of one operand. */
  record Unary(UOp op, Elem a) implements Elem {}

  /** A function of two operands (broadcast against each other). */
  record Binary(BOp op, Elem a, Elem b) implements Elem {}

  /** {@code c ? a : b}, element by element (a NaN condition counts as true, like NumPy's bool(nan)). */
  record Where(Elem c, Elem a, Elem b) implements Elem {}

  /** Unary operations. */
  enum UOp {
    NEG, ABS, EXP, LOG, SQRT, SIN, COS, TAN, ARCSIN, ARCCOS, ARCTAN, SINH, COSH, TANH, ISNAN, NOT,
    FLOOR, CEIL, SIGN, SQUARE, LOG10, LOG1P, EXPM1, ISINF, ISFINITE,
    /** Truncation toward zero, for casts to integer dtypes. */
    TRUNC,
    /** Nonzero (NaN included) to 1, else 0, for casts to bool. */
    TO_BOOL,
    /** Rounding to float32, for casts to float. */
    TO_FLOAT
  }

  /** Binary operations. */
  enum BOp {
    ADD, SUB, MUL, DIV, POW, MOD, FLOORDIV, MINIMUM, MAXIMUM, EQ, NE, LT, LE, GT, GE, AND, OR, XOR,
    /** Integer floor division ({@code //} on ints: floor of the quotient, 0 when dividing by 0 like NumPy). */
    INT_FLOORDIV,
    /** Integer remainder with the divisor's sign, 0 when dividing by 0 like NumPy. */
    INT_MOD
  }

  /** The leaf numbers used by an expression. */
  static void leaves(Elem e, Set<Integer> out) {
    if (e instanceof Leaf l) {
      out.add(l.i());
    } else if (e instanceof Unary u) {
      leaves(u.a(), out);
    } else if (e instanceof Binary b) {
      leaves(b.a(), out);
      leaves(b.b(), out);
    } else if (e instanceof Where w) {
      leaves(w.c(), out);
      leaves(w.a(), out);
      leaves(w.b(), out);
    }
  }

  /** The expression with every leaf number shifted by {@code by}. */
  static Elem shift(Elem e, int[] map) {
    if (e instanceof Leaf l) {
      return new Leaf(map[l.i()]);
    } else if (e instanceof Unary u) {
      return new Unary(u.op(), shift(u.a(), map));
    } else if (e instanceof Binary b) {
      return new Binary(b.op(), shift(b.a(), map), shift(b.b(), map));
    } else if (e instanceof Where w) {
      return new Where(shift(w.c(), map), shift(w.a(), map), shift(w.b(), map));
    }
    return e;
  }

  static int depth(Elem e) {
    if (e instanceof Unary u) {
      return 1 + depth(u.a());
    } else if (e instanceof Binary b) {
      return 1 + Math.max(depth(b.a()), depth(b.b()));
    } else if (e instanceof Where w) {
      return 1 + Math.max(depth(w.c()), Math.max(depth(w.a()), depth(w.b())));
    }
    return 1;
  }
}
