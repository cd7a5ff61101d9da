package io.jask.engine.distributed.scheduler;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The root-task queue ({@link TaskState#QUEUED}), ordered by {@link TaskRecord#BY_PRIORITY}: the
 * records come out in the same order as from a {@code TreeSet} with that comparator (a total
 * order: keys are unique). Records know their slot ({@link TaskRecord#queueIndex}), so membership
 * is {@code O(1)} and removing any record needs no search.
 *
 * <p>Two parts: a <em>run</em>, an array of records in ascending order that a record joins at
 * its end when it comes after the last one that joined (a {@code client.map} submits its tasks in
 * priority order: every one of them), and a binary heap for the others. Taking the first record
 * compares the run's head with the heap's top; from the run it is {@code O(1)} with no comparison
 * chain through the records (a heap of 50,000 costs ~32 comparisons, each a cache miss, per
 * poll; a red-black tree rebalances on every insert). A record removed from the run leaves an
 * empty slot that polling skips. Iteration (views and tests only) walks a sorted copy.
 */
final class TaskQueue extends AbstractSet<TaskRecord> {
  private TaskRecord[] heap = new TaskRecord[16];
  private int heapSize;
  /** The run: live records and empty slots in {@code [runHead, runEnd)}, ascending. */
  private TaskRecord[] run = new TaskRecord[64];
  private int runHead;
  private int runEnd;
  private int runLive;
  /** Priority, arrival and key of the record that joined the run last (it may have left since). */
  private Priority tailPriority;
  private long tailArrival;
  private io.jask.engine.Key tailKey;

  private static int runSlot(int pos) {
    return -(pos + 2);
  }

  @Override
  public int size() {
    return heapSize + runLive;
  }

  @Override
  public boolean isEmpty() {
    return heapSize + runLive == 0;
  }

  @Override
  public boolean contains(Object o) {
    if (!(o instanceof TaskRecord t)) {
      return false;
    }
    int i = t.queueIndex;
    if (i >= 0) {
      return i < heapSize && heap[i] == t;
    }
    int pos = -i - 2;
    return pos >= runHead && pos < runEnd && run[pos] == t;
  }

  @Override
  public boolean add(TaskRecord t) {
    if (contains(t)) {
      return false;
    }
    if (runLive == 0 || afterTail(t)) {
      appendToRun(t);
    } else {
      if (heapSize == heap.length) {
        heap = Arrays.copyOf(heap, heapSize * 2);
      }
      siftUp(heapSize++, t);
    }
    return true;
  }

  private boolean afterTail(TaskRecord t) {
    int c = t.priority.compareTo(tailPriority);
    if (c == 0) {
      c = Long.compare(t.arrival, tailArrival);
    }
    return c > 0 || (c == 0 && t.key.compareTo(tailKey) > 0);
  }

  private void appendToRun(TaskRecord t) {
    if (runLive == 0) {
      Arrays.fill(run, runHead, runEnd, null);
      runHead = 0;
      runEnd = 0;
    }
    if (runEnd == run.length) {
      int live = runEnd - runHead;
      if (runHead >= run.length / 2) {
        System.arraycopy(run, runHead, run, 0, live); // slide down
        Arrays.fill(run, live, runEnd, null);
      } else {
        TaskRecord[] bigger = new TaskRecord[run.length * 2];
        System.arraycopy(run, runHead, bigger, 0, live);
        run = bigger;
      }
      runHead = 0;
      runEnd = live;
      for (int p = 0; p < runEnd; p++) {
        if (run[p] != null) {
          run[p].queueIndex = runSlot(p);
        }
      }
    }
    run[runEnd] = t;
    t.queueIndex = runSlot(runEnd);
    runEnd++;
    runLive++;
    tailPriority = t.priority;
    tailArrival = t.arrival;
    tailKey = t.key;
  }

  @Override
  public boolean remove(Object o) {
    if (!contains(o)) {
      return false;
    }
    TaskRecord t = (TaskRecord) o;
    if (t.queueIndex >= 0) {
      removeFromHeap(t.queueIndex);
    } else {
      int pos = -t.queueIndex - 2;
      run[pos] = null;
      t.queueIndex = -1;
      runLive--;
      skipEmptyHead();
    }
    return true;
  }

  private void skipEmptyHead() {
    while (runHead < runEnd && run[runHead] == null) {
      runHead++;
    }
  }

  /** Takes the highest-priority record, or null when empty. */
  TaskRecord pollFirst() {
    if (runLive > 0) {
      TaskRecord r = run[runHead]; // the head slot is never empty while records live in the run
      if (heapSize == 0 || TaskRecord.BY_PRIORITY.compare(r, heap[0]) < 0) {
        run[runHead++] = null;
        r.queueIndex = -1;
        runLive--;
        skipEmptyHead();
        return r;
      }
    }
    if (heapSize == 0) {
      return null;
    }
    TaskRecord first = heap[0];
    removeFromHeap(0);
    return first;
  }

  private void removeFromHeap(int i) {
    TaskRecord gone = heap[i];
    gone.queueIndex = -1;
    int last = --heapSize;
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
    int half = heapSize >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      TaskRecord c = heap[child];
      int right = child + 1;
      if (right < heapSize && TaskRecord.BY_PRIORITY.compare(heap[right], c) < 0) {
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
    for (TaskRecord t : inOrder()) {
      t.queueIndex = -1;
    }
    Arrays.fill(heap, null);
    Arrays.fill(run, null);
    heapSize = 0;
    runHead = 0;
    runEnd = 0;
    runLive = 0;
  }

  /** The records, highest priority first (a sorted copy). */
  List<TaskRecord> inOrder() {
    TaskRecord[] copy = new TaskRecord[size()];
    int n = 0;
    for (int i = 0; i < heapSize; i++) {
      copy[n++] = heap[i];
    }
    for (int p = runHead; p < runEnd; p++) {
      if (run[p] != null) {
        copy[n++] = run[p];
      }
    }
    Arrays.sort(copy, TaskRecord.BY_PRIORITY);
    return Arrays.asList(copy);
  }

  @Override
  public Iterator<TaskRecord> iterator() {
    return java.util.Collections.unmodifiableList(inOrder()).iterator();
  }
}
