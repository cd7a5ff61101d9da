package io.jask.distributed;

import io.jask.engine.Graph;
import io.jask.engine.JaskCollection;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * A small tree reduction with several task prefixes (what the dashboard colours by): {@code
 * load} leaves that take {@code loadMillis} each, {@code add} of pairs, {@code partial} sums of
 * ten adds, one {@code total}. Its answer is {@link #expected}.
 */
record DemoJob(Graph graph, List<Key> keys, int tasks, long expected) implements JaskCollection<Long> {

  static DemoJob of(String token, int leaves, long loadMillis) {
    if (leaves % 20 != 0) {
      throw new IllegalArgumentException("leaves must be a multiple of 20");
    }
    long nanos = loadMillis * 1_000_000L;
    Map<Key, Task> load = new LinkedHashMap<>();
    Map<Key, Task> add = new LinkedHashMap<>();
    Map<Key, Task> partial = new LinkedHashMap<>();
    Map<Key, Task> total = new LinkedHashMap<>();
    long expected = 0;
    for (int i = 0; i < leaves; i++) {
      long v = i;
      expected += v * v;
      load.put(Key.of("load-" + token, i), Task.of(a -> {
        LockSupport.parkNanos(nanos);
        return v * v;
      }));
    }
    for (int i = 0; i < leaves / 2; i++) {
      add.put(Key.of("add-" + token, i), Task.of(a -> (Long) a[0] + (Long) a[1],
          Key.of("load-" + token, 2 * i), Key.of("load-" + token, 2 * i + 1)));
    }
    List<Key> partials = new ArrayList<>();
    for (int i = 0; i < leaves / 20; i++) {
      List<Key> ins = new ArrayList<>();
      for (int j = 0; j < 10; j++) {
        ins.add(Key.of("add-" + token, 10 * i + j));
      }
      Key k = Key.of("partial-" + token, i);
      partials.add(k);
      partial.put(k, Task.of(a -> sum(a[0]), ins));
    }
    Key out = Key.of("total-" + token);
    total.put(out, Task.of(a -> sum(a[0]), partials));
    Graph g = Graph.empty()
        .with(Layer.of("load-" + token, Set.of(), load))
        .with(Layer.of("add-" + token, Set.of("load-" + token), add))
        .with(Layer.of("partial-" + token, Set.of("add-" + token), partial))
        .with(Layer.of("total-" + token, Set.of("partial-" + token), total));
    return new DemoJob(g, List.of(out), leaves + leaves / 2 + leaves / 20 + 1, expected);
  }

  private static long sum(Object list) {
    long s = 0;
    for (Object o : (List<?>) list) {
      s += (Long) o;
    }
    return s;
  }

  @Override
  public Long finalize(List<Object> results) {
    return (Long) results.get(0);
  }

  @Override
  public DemoJob rebuild(Graph g) {
    return new DemoJob(g, keys, tasks, expected);
  }
}
