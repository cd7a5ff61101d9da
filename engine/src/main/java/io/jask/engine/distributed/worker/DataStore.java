package io.jask.engine.distributed.worker;

import io.jask.engine.Key;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The values a worker holds, by key, each with its estimated size in memory; thread-safe (task
 * threads put results, I/O threads read values to serve them and put fetched or scattered ones,
 * the worker loop removes freed ones).
 *
 * <p>{@link #managedBytes()} is the sum of the sizes of the values held (dask's "managed memory").
 * Spilling to disk is a later addition: a {@link Hook} sees every put and remove with the new total,
 * which is where a spill policy (least recently used values above {@code memory.target}) plugs in.
 *
 * <pre>{@code
 * DataStore store = new DataStore();
 * store.put(Key.of("x"), 42, 16);
 * store.get(Key.of("x"));   // Optional[Entry[value=42, nbytes=16]]
 * store.managedBytes();     // 16
 * }</pre>
 */
public final class DataStore {

  /** A stored value and its estimated size in bytes. */
  public record Entry(Object value, long nbytes) {}

  /** Notified after each change; the place where a spill-to-disk policy will sit. */
  public interface Hook {
    /** Called after {@code key} was stored; {@code managedBytes} is the new total. */
    default void afterPut(Key key, long nbytes, long managedBytes) {}

    /** Called after {@code key} was removed; {@code managedBytes} is the new total. */
    default void afterRemove(Key key, long managedBytes) {}
  }

  private static final Hook NO_HOOK = new Hook() {};

  private final ConcurrentHashMap<Key, Entry> data = new ConcurrentHashMap<>();
  private final AtomicLong managed = new AtomicLong();
  private final Hook hook;

  /** An empty store without a hook. */
  public DataStore() {
    this(NO_HOOK);
  }

  /** An empty store that reports changes to {@code hook}. */
  public DataStore(Hook hook) {
    this.hook = hook;
  }

  /** Stores (or replaces) the value of {@code key}. A null value is allowed. */
  public void put(Key key, Object value, long nbytes) {
    Entry next = new Entry(value, Math.max(0, nbytes));
    Entry prev = data.put(key, next);
    long total = managed.addAndGet(next.nbytes() - (prev == null ? 0 : prev.nbytes()));
    hook.afterPut(key, next.nbytes(), total);
  }

  /** The value of {@code key} and its size, if held. */
  public Optional<Entry> get(Key key) {
    return Optional.ofNullable(data.get(key));
  }

  /** Whether {@code key} is held. */
  public boolean contains(Key key) {
    return data.containsKey(key);
  }

  /** Drops {@code key}; returns whether it was held. */
  public boolean remove(Key key) {
    Entry prev = data.remove(key);
    if (prev == null) {
      return false;
    }
    hook.afterRemove(key, managed.addAndGet(-prev.nbytes()));
    return true;
  }

  /** A snapshot of the keys held. */
  public List<Key> keys() {
    return List.copyOf(data.keySet());
  }

  /** A snapshot of the sizes of the values held. */
  public Map<Key, Long> sizes() {
    Map<Key, Long> out = new java.util.HashMap<>();
    data.forEach((k, e) -> out.put(k, e.nbytes()));
    return out;
  }

  /** The number of values held. */
  public int size() {
    return data.size();
  }

  /** The sum of the sizes of the values held, in bytes. */
  public long managedBytes() {
    return managed.get();
  }

  /** Drops everything. */
  public void clear() {
    for (Key k : List.copyOf(data.keySet())) {
      remove(k);
    }
  }
}
