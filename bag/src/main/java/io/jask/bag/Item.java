package io.jask.bag;

import io.jask.engine.Fn;
import io.jask.engine.Graph;
import io.jask.engine.Jask;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.SingleValue;
import io.jask.engine.Task;
import io.jask.engine.Tokenize;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One lazy value computed from a bag, like dask's {@code Item}: the result of {@link Bag#count()},
 * {@link Bag#sum()}, {@link Bag#mean()}, {@link Bag#fold}, {@link Bag#reduction} and friends.
 *
 * <pre>{@code
 * Item<Long> n = Bag.range(1000, 4).filter(x -> x % 3 == 0).count();
 * long v = n.compute();                            // 334
 * Item<String> s = n.map(c -> "count=" + c);       // still lazy
 * List<Object> both = Jask.compute(n, s);          // one graph, the count runs once
 * }</pre>
 *
 * @param <T> the value's type
 */
public final class Item<T> extends SingleValue<T> {

  Item(Key key, Graph graph) {
    super(key, graph);
  }


  /** A lazy {@code f(value)}. */
  public <R> Item<R> map(Fn.F1<? super T, ? extends R> f) {
    Key k = Key.of(Tokenize.name(Tokenize.functionName(f), key().name(), f));
    Layer layer = Layer.of(k.name(), Set.of(key().name()), Map.of(k, Task.of(Fn.task(f), key())));
    return new Item<>(k, graph().with(layer));
  }




  @Override
  public Item<T> rebuild(Graph graph) {
    return new Item<>(key(), graph);
  }


  /** Computes the value and returns an item whose graph holds it. */
  @SuppressWarnings("unchecked")
  public Item<T> persist() {
    return (Item<T>) Jask.persist(this).get(0);
  }

}
