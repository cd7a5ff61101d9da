package io.jask.engine;

import java.io.Serializable;

/**
 * Serializable function types for {@code Delayed.call} and {@code Client.submit}: a lambda or method reference assigned to
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

  /** The task function that calls {@code f} with no arguments. */
  public static TaskFn task(F0<?> f) {
    return new Call0(f);
  }

  /** The task function that calls {@code f} with the task's first argument. */
  public static TaskFn task(F1<?, ?> f) {
    return new Call1(f);
  }

  /** The task function that calls {@code f} with the task's two arguments. */
  public static TaskFn task(F2<?, ?, ?> f) {
    return new Call2(f);
  }

  /** The task function that calls {@code f} with the task's three arguments. */
  public static TaskFn task(F3<?, ?, ?, ?> f) {
    return new Call3(f);
  }

  /** The task function that calls {@code f} with the task's four arguments. */
  public static TaskFn task(F4<?, ?, ?, ?, ?> f) {
    return new Call4(f);
  }

  /** The task function that calls {@code f} with all the task's arguments. */
  public static TaskFn task(FN<?> f) {
    return new CallN(f);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private record Call0(F0 f) implements TaskFn {
    @Override
    public Object apply(Object[] a) throws Exception {
      return f.apply();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private record Call1(F1 f) implements TaskFn {
    @Override
    public Object apply(Object[] a) throws Exception {
      return f.apply(a[0]);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private record Call2(F2 f) implements TaskFn {
    @Override
    public Object apply(Object[] a) throws Exception {
      return f.apply(a[0], a[1]);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private record Call3(F3 f) implements TaskFn {
    @Override
    public Object apply(Object[] a) throws Exception {
      return f.apply(a[0], a[1], a[2]);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private record Call4(F4 f) implements TaskFn {
    @Override
    public Object apply(Object[] a) throws Exception {
      return f.apply(a[0], a[1], a[2], a[3]);
    }
  }

  private record CallN(FN<?> f) implements TaskFn {
    @Override
    public Object apply(Object[] a) throws Exception {
      return f.apply(a);
    }
  }
}
