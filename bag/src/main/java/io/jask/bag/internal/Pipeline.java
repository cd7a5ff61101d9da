package io.jask.bag.internal;

import io.jask.engine.TaskFn;
import java.util.ArrayList;
import java.util.List;

/**
 * The function of one fused partition task: the head (which reads or receives the partition) and
 * then every element-wise step, element by element, into one output list.
 *
 * @param head produces the input partition (an {@code Iterable}) from the task's arguments
 * @param steps the element-wise steps, in order
 */
public record Pipeline(TaskFn head, Step[] steps) implements TaskFn {
  @Override
  public Object apply(Object[] args) throws Exception {
    Iterable<?> in = (Iterable<?>) head.apply(args);
    List<Object> out = new ArrayList<>(in instanceof List<?> l ? l.size() : 16);
    Step.Sink sink = out::add;
    for (int i = steps.length - 1; i >= 0; i--) {
      Step s = steps[i];
      Step.Sink down = sink;
      sink = x -> s.push(x, down);
    }
    for (Object x : in) {
      sink.accept(x);
    }
    return out;
  }

  /** The head of a partition that is another task's result: the argument itself. */
  public enum Identity implements TaskFn {
    INSTANCE;

    @Override
    public Object apply(Object[] args) {
      return args[0];
    }
  }
}
