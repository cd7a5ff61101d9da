package io.jask.delayed;

import java.io.Serializable;

/**
 * Serializable function types for {@link Delayed#call}: a lambda or method reference assigned to
 * one of these can travel to a child JVM or a cluster worker.
 */
public final class Fn {
  private Fn() {}

  /** A function of no arguments. */
  @FunctionalInterface
  public interface F0<R> extends Serializable {
    R apply() throws Exception;
  }

  /** A function of one argument. */
  @FunctionalInterface
  public interface F1<A, R> extends Serializable {
    R apply(A a) throws Exception;
  }

  /** A function of two arguments. */
  @FunctionalInterface
  public interface F2<A, B, R> extends Serializable {
    R apply(A a, B b) throws Exception;
  }

  /** A function of three arguments. */
  @FunctionalInterface
  public interface F3<A, B, C, R> extends Serializable {
    R apply(A a, B b, C c) throws Exception;
  }

  /** A function of four arguments. */
  @FunctionalInterface
  public interface F4<A, B, C, D, R> extends Serializable {
    R apply(A a, B b, C c, D d) throws Exception;
  }

  /** A function of any number of arguments, given as an array. */
  @FunctionalInterface
  public interface FN<R> extends Serializable {
    R apply(Object[] args) throws Exception;
  }
}
