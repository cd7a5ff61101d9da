package io.jask.engine.distributed.scheduler;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;

/**
 * An insertion-ordered set for the scheduler's per-task relations (dependencies, dependents,
 * holders, wanters), which almost always hold zero, one or a few elements: up to {@value #SMALL}
 * elements live in an array searched linearly (no hash table, no entry objects), beyond that in a
 * {@link LinkedHashSet}. Iteration order is insertion order in both forms, as with a {@code
 * LinkedHashSet}; elements are compared with {@code equals} ({@link TaskRecord} and {@link
 * WorkerRecord} use identity). A task of a {@code client.map} costs one small array per non-empty
 * relation instead of a hash map with its table and entries. Not thread-safe; fails fast when
 * modified while iterated.
 */
final class SmallSet<E> extends AbstractSet<E> {
  static final int SMALL = 8;
  private static final Object[] EMPTY = {};

  /** The one shared empty set that refuses {@link #add}: what a record holds until it adds. */
  @SuppressWarnings("rawtypes")
  private static final SmallSet NONE = new SmallSet<>(true);

  /**
   * The shared empty set: reading, removing and clearing work (they change nothing), {@link #add}
   * throws; a holder replaces it with a new set before adding ({@link TaskRecord}'s {@code
   * mutable...} methods). Most tasks leave most of their five relations empty for life.
   */
  @SuppressWarnings("unchecked")
  static <E> SmallSet<E> none() {
    return NONE;
  }

  /** {@code set}, or a new empty set in place of the shared one {@link #none()}: one to add to. */
  static <E> SmallSet<E> addable(SmallSet<E> set) {
    return set == NONE ? new SmallSet<>() : set;
  }

  private final boolean frozen;

  SmallSet() {
    this(false);
  }

  private SmallSet(boolean frozen) {
    this.frozen = frozen;
  }

  private Object[] elems = EMPTY;
  private int size;
  /** Non-null once the set outgrew {@link #SMALL}; then it holds everything. */
  private LinkedHashSet<E> big;
  private int modCount;

  @Override
  public int size() {
    return big != null ? big.size() : size;
  }

  @Override
  public boolean isEmpty() {
    return big != null ? big.isEmpty() : size == 0;
  }

  @Override
  public boolean contains(Object o) {
    return big != null ? big.contains(o) : indexOf(o) >= 0;
  }

  private int indexOf(Object o) {
    Object[] a = elems;
    for (int i = 0; i < size; i++) {
      Object e = a[i];
      if (e == o || (o != null && o.equals(e))) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean add(E e) {
    if (frozen) {
      throw new UnsupportedOperationException("the shared empty set");
    }
    if (big != null) {
      return big.add(e);
    }
    if (indexOf(e) >= 0) {
      return false;
    }
    modCount++;
    if (size == SMALL) {
      LinkedHashSet<E> b = new LinkedHashSet<>(4 * SMALL);
      for (int i = 0; i < size; i++) {
        b.add(elementAt(i));
      }
      b.add(e);
      big = b;
      elems = EMPTY;
      size = 0;
      return true;
    }
    if (size == elems.length) {
      elems = Arrays.copyOf(elems, size == 0 ? 2 : Math.min(SMALL, size * 2));
    }
    elems[size++] = e;
    return true;
  }

  @Override
  public boolean remove(Object o) {
    if (big != null) {
      return big.remove(o);
    }
    int i = indexOf(o);
    if (i < 0) {
      return false;
    }
    removeAt(i);
    return true;
  }

  private void removeAt(int i) {
    modCount++;
    int tail = size - i - 1;
    if (tail > 0) {
      System.arraycopy(elems, i + 1, elems, i, tail);
    }
    elems[--size] = null;
  }

  @Override
  public void clear() {
    if (big != null) {
      big = null;
      modCount++;
      return;
    }
    if (size > 0) {
      modCount++;
      Arrays.fill(elems, 0, size, null);
      size = 0;
    }
  }

  @SuppressWarnings("unchecked")
  private E elementAt(int i) {
    return (E) elems[i];
  }

  /** The first element (insertion order); the set must not be empty. */
  E first() {
    if (big != null) {
      return big.iterator().next();
    }
    if (size == 0) {
      throw new NoSuchElementException();
    }
    return elementAt(0);
  }

  @Override
  public Iterator<E> iterator() {
    if (big != null) {
      return big.iterator();
    }
    if (size == 0) {
      return java.util.Collections.emptyIterator();
    }
    return new Iterator<>() {
      private int next;
      private int last = -1;
      private int expected = modCount;

      @Override
      public boolean hasNext() {
        if (modCount != expected) {
          throw new ConcurrentModificationException();
        }
        return next < size;
      }

      @Override
      public E next() {
        if (modCount != expected) {
          throw new ConcurrentModificationException();
        }
        if (next >= size) {
          throw new NoSuchElementException();
        }
        last = next++;
        return elementAt(last);
      }

      @Override
      public void remove() {
        if (last < 0) {
          throw new IllegalStateException();
        }
        if (modCount != expected) {
          throw new ConcurrentModificationException();
        }
        removeAt(last);
        next = last;
        last = -1;
        expected = modCount;
      }
    };
  }
}
