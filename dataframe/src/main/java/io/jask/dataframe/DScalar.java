package io.jask.dataframe;

import io.jask.engine.Graph;
import io.jask.engine.Key;
import io.jask.engine.SingleValue;
import java.util.List;

/**
 * A lazy single value computed from a frame, such as {@code df.sum("x")}; compute it alone or
 * together with other collections in one graph ({@code Jask.compute(a, b)}).
 *
 * <pre>{@code
 * DScalar<Double> total = df.sum("x");
 * DScalar<Long> n = df.count("x");
 * List<Object> both = Jask.compute(total, n);   // one pass over the shared partitions
 * double t = total.compute();
 * }</pre>
 *
 * @param <T> the value's type
 */
public final class DScalar<T> extends SingleValue<T> {

  DScalar(Key key, Graph graph) {
    super(key, graph);
  }





  @Override
  public DScalar<T> rebuild(Graph graph) {
    return new DScalar<>(key(), graph);
  }


}
