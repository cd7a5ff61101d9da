package io.jask.engine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One unit of work: a serializable function and its arguments. An argument that is a {@link Key},
 * or a {@link List} that contains keys (at any depth), is a dependency: the scheduler runs the
 * tasks that produce those keys first and passes their results in place of the keys. A {@link
 * KeyPart} is a dependency on its key, replaced by that part of the key's value. Any other
 * argument is a literal and is passed as it is.
 *
 * <pre>{@code
 * Map<Key, Task> graph = Map.of(
 *     Key.of("x"), Task.literal(1),
 *     Key.of("y"), Task.of(args -> (Integer) args[0] + 1, Key.of("x")));
 * }</pre>
 */
public final class Task implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Key[] NO_KEYS = new Key[0];

  private final TaskFn fn;
  private final Object[] args;
  private transient volatile Key[] dependencies; // written after substitutes: publishes it
  private transient boolean substitutes;

  private Task(TaskFn fn, Object[] args) {
    if (fn == null) {
      throw new IllegalArgumentException("a task needs a function");
    }
    this.fn = fn;
    this.args = args;
  }

  /** A task that calls {@code fn} with {@code args} (keys and lists of keys are dependencies). */
  public static Task of(TaskFn fn, Object... args) {
    return new Task(fn, args.clone());
  }

  /** A task whose result is {@code value}, with no dependencies. */
  public static Task literal(Object value) {
    return new Task(new Literal(value), new Object[0]);
  }

  /** A task whose result is the result of {@code key}. */
  public static Task alias(Key key) {
    return new Task(Alias.INSTANCE, new Object[] {key});
  }

  /** The function. */
  public TaskFn fn() {
    return fn;
  }

  /** A copy of the arguments as given (keys not substituted). */
  public Object[] args() {
    return args.clone();
  }

  /** Whether this task is a literal value (see {@link #literal}). */
  public boolean isLiteral() {
    return fn instanceof Literal;
  }

  /** The keys this task depends on, each once, in the order they first appear in the arguments. */
  public Key[] dependencies() {
    Key[] deps = dependencies;
    if (deps == null) {
      boolean flat = true;
      int keys = 0;
      for (Object a : args) {
        if (a instanceof List || a instanceof KeyPart) {
          flat = false;
          break;
        }
        if (a instanceof Key) {
          keys++;
        }
      }
      if (flat && keys <= 1) {
        // the common case (no lists, at most one key): no set needed
        Key only = null;
        for (Object a : args) {
          if (a instanceof Key k) {
            only = k;
          }
        }
        substitutes = only != null;
        dependencies = deps = only == null ? NO_KEYS : new Key[] {only};
        return deps;
      }
      Set<Key> found = new LinkedHashSet<>();
      boolean subst = false;
      for (Object a : args) {
        subst |= collect(a, found);
      }
      deps = found.isEmpty() ? NO_KEYS : found.toArray(NO_KEYS);
      substitutes = subst;
      dependencies = deps;
    }
    return deps;
  }

  /**
   * Runs the function with every key in the arguments replaced by {@code resolve.apply(key)}.
   *
   * @throws Exception whatever the function throws
   */
  public Object execute(Function<Key, Object> resolve) throws Exception {
    return execute(resolve, kp -> kp.extract(resolve.apply(kp.key())));
  }

  /**
   * Runs the function with every key in the arguments replaced by {@code resolve.apply(key)} and
   * every {@link KeyPart} by {@code resolvePart.apply(part)} (a distributed worker that fetched only
   * a part resolves it here).
   *
   * @throws Exception whatever the function throws
   */
  public Object execute(Function<Key, Object> resolve, Function<KeyPart, Object> resolvePart) throws Exception {
    dependencies();
    if (!substitutes) {
      return fn.apply(args.clone());
    }
    Object[] resolved = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      resolved[i] = substitute(args[i], resolve, resolvePart);
    }
    return fn.apply(resolved);
  }

  /** The {@link KeyPart}s among the arguments (at any depth), each once, in order of appearance. */
  public List<KeyPart> parts() {
    boolean nested = false;
    for (Object a : args) {
      if (a instanceof KeyPart || a instanceof List) {
        nested = true;
        break;
      }
    }
    if (!nested) {
      return List.of(); // the common case: no set per task (a client.map of 50,000 asks 50,000 times)
    }
    Set<KeyPart> found = new LinkedHashSet<>();
    for (Object a : args) {
      collectParts(a, found);
    }
    return List.copyOf(found);
  }

  private static void collectParts(Object arg, Set<KeyPart> out) {
    if (arg instanceof KeyPart p) {
      out.add(p);
    } else if (arg instanceof List<?> list) {
      for (Object o : list) {
        collectParts(o, out);
      }
    }
  }

  private static boolean collect(Object arg, Set<Key> out) {
    if (arg instanceof Key k) {
      out.add(k);
      return true;
    }
    if (arg instanceof KeyPart p) {
      out.add(p.key());
      return true;
    }
    if (arg instanceof List<?> list) {
      boolean any = false;
      for (Object o : list) {
        any |= collect(o, out);
      }
      return any;
    }
    return false;
  }

  private static Object substitute(Object arg, Function<Key, Object> resolve, Function<KeyPart, Object> resolvePart) {
    if (arg instanceof Key k) {
      return resolve.apply(k);
    }
    if (arg instanceof KeyPart p) {
      return resolvePart.apply(p);
    }
    if (arg instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(substitute(o, resolve, resolvePart));
      }
      return out;
    }
    return arg;
  }

  /** A copy of this task with every occurrence of {@code from} in the arguments replaced by {@code to}. */
  public Task withArgument(Key from, Object to) {
    Object[] copy = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      copy[i] = replace(args[i], from, to);
    }
    return new Task(fn, copy);
  }

  private static Object replace(Object arg, Key from, Object to) {
    if (arg instanceof Key k) {
      return k.equals(from) ? to : k;
    }
    if (arg instanceof KeyPart p && p.key().equals(from)) {
      return to instanceof Key k ? KeyPart.of(k, p.part()) : p.extract(to);
    }
    if (arg instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(replace(o, from, to));
      }
      return out;
    }
    return arg;
  }

  @Override
  public String toString() {
    return "Task(" + fn.getClass().getSimpleName() + ", " + Arrays.toString(args) + ")";
  }

  /** The function of {@link #literal}. */
  record Literal(Object value) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return value;
    }
  }

  /** The function of {@link #alias}. */
  enum Alias implements TaskFn {
    INSTANCE;

    @Override
    public Object apply(Object[] args) {
      return args[0];
    }
  }
}
