package io.jask.engine.distributed.scheduler;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The root-task queue ({@link TaskState#QUEUED}): a binary heap ordered by {@link
 * TaskRecord#BY_PRIORITY} whose records know their slot ({@link TaskRecord#queueIndex}), so adding,
 * taking the first and removing any record are {@code O(log n)} and membership is {@code O(1)}.
 * A {@code client.map} submits its tasks in priority order: each lands at the heap's end with one
 * comparison, where a red-black tree rebalanced on every insert. The order in which records come
 * out is the same as a {@code TreeSet} with that comparator (a total order: keys are unique).
 * Iteration (views and tests only) walks a sorted copy.
 */
final class TaskQueue extends AbstractSet<TaskRecord> {
  private TaskRecord[] heap = new TaskRecord[64];
  private int size;

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public boolean contains(Object o) {
    return o instanceof TaskRecord t && t.queueIndex >= 0 && t.queueIndex < size && heap[t.queueIndex] == t;
  }

  @Override
  public boolean add(TaskRecord t) {
    if (contains(t)) {
      return false;
    }
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    siftUp(size++, t);
    return true;
  }

  @Override
  public boolean remove(Object o) {
    if (!contains(o)) {
      return false;
    }
    removeAt(((TaskRecord) o).queueIndex);
    return true;
  }

  /** Takes the highest-priority record, or null when empty. */
  TaskRecord pollFirst() {
    if (size == 0) {
      return null;
    }
    TaskRecord first = heap[0];
    removeAt(0);
    return first;
  }

  private void removeAt(int i) {
    TaskRecord gone = heap[i];
    gone.queueIndex = -1;
    int last = --size;
    TaskRecord moved = heap[last];
    heap[last] = null;
    if (i == last) {
      return;
    }
    siftDown(i, moved);
    if (heap[i] == moved) {
      siftUp(i, moved);
    }
  }

  private void siftUp(int i, TaskRecord t) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      TaskRecord p = heap[parent];
      if (TaskRecord.BY_PRIORITY.compare(t, p) >= 0) {
        break;
      }
      heap[i] = p;
      p.queueIndex = i;
      i = parent;
    }
    heap[i] = t;
    t.queueIndex = i;
  }

  private void siftDown(int i, TaskRecord t) {
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      TaskRecord c = heap[child];
      int right = child + 1;
      if (right < size && TaskRecord.BY_PRIORITY.compare(heap[right], c) < 0) {
        child = right;
        c = heap[child];
      }
      if (TaskRecord.BY_PRIORITY.compare(t, c) <= 0) {
        break;
      }
      heap[i] = c;
      c.queueIndex = i;
      i = child;
    }
    heap[i] = t;
    t.queueIndex = i;
  }

  @Override
  public void clear() {
    for (int i = 0; i < size; i++) {
      heap[i].queueIndex = -1;
      heap[i] = null;
    }
    size = 0;
  }

  /** The records, highest priority first (a sorted copy). */
  List<TaskRecord> inOrder() {
    TaskRecord[] copy = Arrays.copyOf(heap, size);
    Arrays.sort(copy, TaskRecord.BY_PRIORITY);
    return Arrays.asList(copy);
  }

  @Override
  public Iterator<TaskRecord> iterator() {
    return java.util.Collections.unmodifiableList(inOrder()).iterator();
  }
}
