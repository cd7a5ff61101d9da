package io.jask.bag.internal;

import java.io.Serializable;

/**
 * One element-wise operation of a bag (map, filter, flatMap, pluck, join with a list), push-style:
 * it receives one element and passes zero or more elements downstream. A chain of steps runs in
 * one task per partition ({@link Pipeline}), without a list between the steps.
 */
public interface Step extends Serializable {

  /** Handles one element, passing its outputs to {@code down}. */
  void push(Object x, Sink down) throws Exception;

  /** Where a step sends its outputs. */
  @FunctionalInterface
  interface Sink {
    /** Receives one element. */
    void accept(Object x) throws Exception;
  }
}
