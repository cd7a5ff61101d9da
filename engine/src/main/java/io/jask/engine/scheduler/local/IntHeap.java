package io.jask.engine.scheduler.local;

import java.util.Arrays;

/** A binary min-heap of task indices ordered by a fixed priority array (no boxing). */
final class IntHeap {
  private final int[] priority;
  private int[] heap;
  private int size;

  IntHeap(int[] priority, int capacity) {
    this.priority = priority;
    this.heap = new int[Math.max(16, capacity)];
  }

  int size() {
    return size;
  }

  void add(int task) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    int i = size++;
    int p = priority[task];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      int up = heap[parent];
      if (priority[up] <= p) {
        break;
      }
      heap[i] = up;
      i = parent;
    }
    heap[i] = task;
  }

  int poll() {
    int top = heap[0];
    int last = heap[--size];
    if (size > 0) {
      int i = 0;
      int p = priority[last];
      int half = size >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        int c = heap[child];
        int right = child + 1;
        if (right < size && priority[heap[right]] < priority[c]) {
          child = right;
          c = heap[child];
        }
        if (p <= priority[c]) {
          break;
        }
        heap[i] = c;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
