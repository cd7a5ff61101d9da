package io.jask.distributed;

import io.jask.engine.Fn;
import io.jask.engine.Graph;
import io.jask.engine.Jask;
import io.jask.engine.JaskCancelledException;
import io.jask.engine.JaskCollection;
import io.jask.engine.JaskTaskException;
import io.jask.engine.Key;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import io.jask.engine.config.Config;
import io.jask.engine.distributed.comm.Comms;
import io.jask.engine.distributed.comm.Connection;
import io.jask.engine.distributed.comm.Message;
import io.jask.engine.distributed.comm.MessageHandler;
import io.jask.engine.distributed.internal.InlineTasks;
import io.jask.engine.distributed.internal.KryoHeaderCodec;
import io.jask.engine.distributed.internal.PeerData;
import io.jask.engine.distributed.internal.TaskPayloads;
import io.jask.engine.distributed.protocol.Msg;
import io.jask.engine.internal.CompiledGraph;
import io.jask.engine.scheduler.Optimizer;
import io.jask.engine.scheduler.Scheduler;
import io.jask.engine.scheduler.Schedulers;
import io.jask.engine.serialize.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to a Jask cluster, like {@code distributed.Client}: submit functions, map them over
 * inputs, gather and scatter data, and compute or persist collections on the cluster. While a
 * client is open (and no {@code scheduler} key is configured) {@code compute()} of any collection
 * runs on it, as in Dask. {@code Client} is also an {@link ExecutorService} whose tasks run on the
 * cluster (the callables must be serializable).
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.builder().workers(2).threadsPerWorker(1).build();
 *      Client client = Client.connect(cluster)) {
 *   List<Future<Integer>> fs = client.map((Integer x) -> x + 1, List.of(0, 1, 2, 3));
 *   List<Integer> out = client.gather(fs);                    // [1, 2, 3, 4]
 *   Future<Integer> total = client.submit((List<Integer> xs) -> xs.stream().mapToInt(i -> i).sum(), fs);
 *   total.result();                                           // 10, summed on a worker
 * }
 * }</pre>
 */
public final class Client implements ExecutorService, Scheduler, Jask.Persisting, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Client.class);
  private static final Cleaner CLEANER = Cleaner.create();
  private static final AtomicInteger CALLBACK_THREADS = new AtomicInteger();

  private final String id = "client-" + UUID.randomUUID();
  private final String address;
  private final Serialization serialization;
  private final KryoHeaderCodec codec;
  private final Duration timeout;
  private final Map<Key, KeyState> keys = new ConcurrentHashMap<>();
  private final CompletableFuture<Msg.ClientWelcome> welcome = new CompletableFuture<>();
  private final ExecutorService callbacks = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "jask-client-callback-" + CALLBACK_THREADS.incrementAndGet());
    t.setDaemon(true);
    return t;
  });
  private final PeerData peers;
  private volatile Connection scheduler;
  private volatile boolean closed;
  private volatile boolean shutdown;

  private Client(String address, boolean setAsDefault) throws IOException {
    this.address = address;
    this.serialization = Serialization.get();
    this.codec = new KryoHeaderCodec(serialization);
    this.timeout = Config.getDuration("distributed.comm.timeouts.connect", Duration.ofSeconds(30));
    this.peers = new PeerData(codec, serialization, timeout);
    connectToScheduler();
    if (setAsDefault) {
      Schedulers.setDefault(this);
    }
  }

  /** Connects to the scheduler at {@code address}, e.g. {@code tcp://127.0.0.1:8786}. */
  public static Client connect(String address) {
    return connect(address, true);
  }

  /**
   * Connects to the scheduler at {@code address}; with {@code setAsDefault} false, {@code
   * compute()} keeps using the configured scheduler (Dask's {@code set_as_default=False}).
   */
  public static Client connect(String address, boolean setAsDefault) {
    try {
      return new Client(address, setAsDefault);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to the Jask scheduler at " + address + ": " + e.getMessage(), e);
    }
  }

  /** Connects to a local cluster's scheduler. */
  public static Client connect(LocalCluster cluster) {
    return connect(cluster.schedulerAddress());
  }

  /** The scheduler's address. */
  public String schedulerAddress() {
    return address;
  }

  /** This client's id at the scheduler. */
  public String id() {
    return id;
  }

  /**
   * Configuration key: whether a client in the same JVM as its scheduler (a {@link LocalCluster}'s,
   * or one started with {@code SchedulerServer.start}) talks to it in memory instead of over TCP,
   * when both have the same security settings. Default true.
   */
  public static final String INPROC_SHORTCUT = "distributed.comm.inproc-shortcut";

  /** Connects, installs the handler and registers; the scheduler answers with ClientWelcome. */
  private Connection openScheduler() throws IOException {
    Connection c = Comms.connect(address, timeout, codec, io.jask.engine.distributed.comm.CommOptions.fromConfig(),
        Config.getBoolean(INPROC_SHORTCUT, true));
    c.setHandler(new MessageHandler() {
      @Override
      public void onMessage(Connection conn, Message m) {
        onSchedulerMessage(m);
      }

      @Override
      public void onClose(Connection conn, Throwable cause) {
        onSchedulerLost(conn, cause);
      }
    });
    scheduler = c;
    c.send(Message.of(new Msg.RegisterClient(id)));
    return c;
  }

  private void connectToScheduler() throws IOException {
    InlineTasks.checkMayBlock("connecting to the scheduler at " + address);
    Connection c = openScheduler();
    try {
      welcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      c.close();
      throw new java.io.InterruptedIOException("interrupted while registering with " + address);
    } catch (ExecutionException | TimeoutException e) {
      c.close();
      throw new IOException("the scheduler at " + address + " did not answer the registration", e);
    }
  }

  // ------------------------------------------------------------------ submit / map

  /** Runs {@code f(a)} on the cluster; {@code a} may be a {@link Future} (a dependency). */
  public <A, R> Future<R> submit(Fn.F1<A, R> f, Object a) {
    return submit(SubmitOptions.defaults(), f, a);
  }

  /** Runs {@code f(a, b)} on the cluster. */
  public <A, B, R> Future<R> submit(Fn.F2<A, B, R> f, Object a, Object b) {
    return submit(SubmitOptions.defaults(), f, a, b);
  }

  /** Runs {@code f(a, b, c)} on the cluster. */
  public <A, B, C, R> Future<R> submit(Fn.F3<A, B, C, R> f, Object a, Object b, Object c) {
    return one(SubmitOptions.defaults(), f, Fn.task(f), a, b, c);
  }

  /** Runs {@code f(args)} on the cluster. */
  public <R> Future<R> submitN(Fn.FN<R> f, Object... args) {
    return one(SubmitOptions.defaults(), f, Fn.task(f), args);
  }

  /** Runs {@code f(a)} with options (key, purity, retries, priority, workers). */
  public <A, R> Future<R> submit(SubmitOptions options, Fn.F1<A, R> f, Object a) {
    return one(options, f, Fn.task(f), a);
  }

  /** Runs {@code f(a, b)} with options. */
  public <A, B, R> Future<R> submit(SubmitOptions options, Fn.F2<A, B, R> f, Object a, Object b) {
    return one(options, f, Fn.task(f), a, b);
  }

  /** Runs {@code f} on every item, one task each (one message to the scheduler for all). */
  public <A, R> List<Future<R>> map(Fn.F1<A, R> f, Collection<?> items) {
    return map(SubmitOptions.defaults(), f, items);
  }

  /** {@link #map(Fn.F1, Collection)} with options (an explicit key is used as a prefix). */
  public <A, R> List<Future<R>> map(SubmitOptions options, Fn.F1<A, R> f, Collection<?> items) {
    List<Msg.TaskSpec> specs = new ArrayList<>(items.size());
    List<Future<R>> out = new ArrayList<>(items.size());
    String prefix = options.key() != null ? options.key() : Tokenize.functionName(f);
    TaskFn fn = Fn.task(f);
    // the function is tokenized and serialized once for all items; each task adds its argument
    Tokenize.Shared token = options.key() == null && options.pure() ? Tokenize.shared(2, f) : null;
    TaskPayloads.Encoder payloads = new TaskPayloads.Encoder(serialization);
    int i = 0;
    for (Object item : items) {
      SubmitOptions o = options.key() == null ? options : options.withKey(prefix + "-" + i);
      Object arg = toArg(item);
      Key key = token != null ? Key.of(token.name(prefix, List.of(new Object[] {arg}))) : keyFor(o, prefix, f, new Object[] {arg});
      specs.add(spec(key, Task.of(fn, arg), o, payloads));
      out.add(future(key, specs.get(specs.size() - 1)));
      i++;
    }
    send(new Msg.UpdateGraph(id, specs, keysOf(out), options.priority()));
    return out;
  }

  private <R> Future<R> one(SubmitOptions options, Object f, TaskFn fn, Object... args) {
    ensureOpen();
    Object[] converted = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      converted[i] = toArg(args[i]);
    }
    Task task = Task.of(fn, converted);
    Key key;
    byte[] head;
    byte[] payload;
    if (STATELESS.get(f.getClass())) {
      // a function that captures nothing: named, tokenized and serialized once per class
      Stateless known = stateless.get(f.getClass());
      if (known == null) {
        known = new Stateless(Tokenize.functionName(f), Tokenize.shared(2, f), TaskPayloads.head(serialization, fn));
        if (stateless.size() >= 256) {
          stateless.clear();
        }
        stateless.put(f.getClass(), known);
      }
      key = options.key() != null || !options.pure() ? keyFor(options, known.prefix, f, converted)
          : Key.of(known.token.name(known.prefix, List.of(converted)));
      head = known.head;
      payload = serialization.toBytes(converted);
    } else {
      key = keyFor(options, Tokenize.functionName(f), f, converted);
      TaskPayloads.Encoder payloads = new TaskPayloads.Encoder(serialization);
      head = payloads.headOf(task);
      payload = payloads.args(task);
    }
    Msg.TaskSpec spec = spec(key, task, options, head, payload);
    Future<R> future = future(key, spec);
    send(new Msg.UpdateGraph(id, singleton(spec), singleton(key), options.priority()));
    return future;
  }

  private Key keyFor(SubmitOptions o, String prefix, Object f, Object[] args) {
    if (o.key() != null) {
      return Key.of(o.key());
    }
    return Key.of(o.pure() ? Tokenize.name(prefix, f, List.of(args)) : prefix + "-" + UUID.randomUUID().toString().replace("-", ""));
  }

  /** A Future becomes its key (a dependency); lists are converted element-wise. */
  private Object toArg(Object a) {
    if (a instanceof Future<?> f) {
      if (f.client() != this) {
        throw new IllegalArgumentException("future " + f.key() + " belongs to another client");
      }
      return f.key();
    }
    if (a instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(toArg(o));
      }
      return out;
    }
    return a;
  }

  /**
   * Function classes without instance fields (lambdas and method references that capture nothing):
   * their serialized form never changes, so {@link #one} serializes each such class once.
   */
  private static final ClassValue<Boolean> STATELESS = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> c) {
      for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
        for (java.lang.reflect.Field fd : k.getDeclaredFields()) {
          if (!java.lang.reflect.Modifier.isStatic(fd.getModifiers())) {
            return false;
          }
        }
      }
      return c.isSynthetic() || c.getName().contains("$$Lambda");
    }
  };

  /** A stateless function class's key prefix, token of the function and payload head. */
  private record Stateless(String prefix, Tokenize.Shared token, byte[] head) {}

  /** By stateless function class (see {@link #STATELESS}); thread-safe. */
  private final Map<Class<?>, Stateless> stateless = new java.util.concurrent.ConcurrentHashMap<>();

  private Msg.TaskSpec spec(Key key, Task task, SubmitOptions o, TaskPayloads.Encoder payloads) {
    return spec(key, task, o, payloads.headOf(task), payloads.args(task));
  }

  /** The spec of {@code task}, whose payload is {@code head} (shared, or null) then {@code payload}. */
  private Msg.TaskSpec spec(Key key, Task task, SubmitOptions o, byte[] head, byte[] payload) {
    return new Msg.TaskSpec(key, payload, List.of(task.dependencies()), 0, o.retries(), o.workers(), o.pure(), Msg.TaskSpec.partsOf(task),
        head);
  }

  private <R> Future<R> future(Key key, Msg.TaskSpec spec) {
    KeyState st = keys.compute(key, (k, s) -> {
      KeyState state = s == null ? new KeyState(this, k) : s;
      state.refs++;
      if (spec != null && !state.status.equals("finished")) {
        state.spec = spec;
      }
      return state;
    });
    return new Future<>(this, key, st);
  }

  /**
   * A one-element list of the class {@link #map} sends ({@code ArrayList}). An in-JVM scheduler
   * gets the very lists, and its hot methods are compiled for the lists it saw: after a long
   * {@code map} a first {@code List.of} made them deoptimize, and their recompilation (half a
   * second of the JIT's time on 2 cores) slowed the {@code submit(...).result()} round trips it
   * overlapped.
   */
  private static <T> List<T> singleton(T x) {
    List<T> l = new ArrayList<>(1);
    l.add(x);
    return l;
  }

  private static <R> List<Key> keysOf(List<Future<R>> futures) {
    List<Key> out = new ArrayList<>(futures.size());
    for (Future<R> f : futures) {
      out.add(f.key());
    }
    return out;
  }

  // ------------------------------------------------------------------ gather / scatter

  /** Waits for the futures and fetches their results from the workers (one request per worker). */
  public <T> List<T> gather(List<Future<T>> futures) {
    Map<Key, KeyState> states = new LinkedHashMap<>();
    for (Future<T> f : futures) {
      KeyState st = keys.get(f.key());
      if (st == null) {
        throw new IllegalStateException("future " + f.key() + " was released");
      }
      states.put(f.key(), st);
    }
    for (KeyState st : states.values()) {
      awaitDone(st, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }
    Map<Key, Object> values = fetchAll(states);
    List<T> out = new ArrayList<>(futures.size());
    for (Future<T> f : futures) {
      @SuppressWarnings("unchecked")
      T v = (T) values.get(f.key());
      out.add(v);
    }
    return out;
  }

  /** Waits for one future and fetches its result. */
  public <T> T gather(Future<T> future) {
    return future.result();
  }

  /** Sends {@code value} to a worker and returns a future for it. */
  public <T> Future<T> scatter(T value) {
    return scatter(List.of(value)).get(0);
  }

  /** Sends the values to the workers (spread round-robin) and returns a future for each. */
  public <T> List<Future<T>> scatter(List<T> values) {
    ensureOpen();
    List<String> workers = workers();
    if (workers.isEmpty()) {
      throw new IllegalStateException("cannot scatter: the cluster at " + address + " has no workers");
    }
    Map<String, List<Integer>> byWorker = new LinkedHashMap<>();
    List<Key> keyList = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      Object v = values.get(i);
      Key k = Key.of(Tokenize.name(v == null ? "scatter" : v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT), v));
      keyList.add(k);
      byWorker.computeIfAbsent(workers.get(i % workers.size()), w -> new ArrayList<>()).add(i);
    }
    Map<Key, String> workerOf = new HashMap<>();
    Map<Key, Long> nbytes = new HashMap<>();
    for (Map.Entry<String, List<Integer>> e : byWorker.entrySet()) {
      List<Key> ks = new ArrayList<>();
      List<Object> vs = new ArrayList<>();
      for (int i : e.getValue()) {
        ks.add(keyList.get(i));
        vs.add(values.get(i));
      }
      nbytes.putAll(peers.put(e.getKey(), ks, vs));
      for (Key k : ks) {
        workerOf.put(k, e.getKey());
      }
    }
    List<Future<T>> out = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      Key k = keyList.get(i);
      KeyState st = keys.compute(k, (kk, s) -> {
        KeyState state = s == null ? new KeyState(this, kk) : s;
        state.refs++;
        return state;
      });
      st.value = values.get(i);
      st.hasValue = true;
      st.finished(List.of(workerOf.get(k)));
      out.add(new Future<>(this, k, st));
    }
    send(new Msg.ScatterDone(id, workerOf, nbytes));
    return out;
  }

  /** The data addresses of the workers the scheduler knows. */
  public List<String> workers() {
    Msg.WhoHasReply r = request(rid -> new Msg.WhoHasRequest(rid, List.of()), Msg.WhoHasReply.class);
    List<String> ws = r.whoHas().get(io.jask.engine.distributed.server.SchedulerServer.WORKERS);
    return ws == null ? welcome.join().workers() : ws;
  }


  // ------------------------------------------------------------------ collections

  /** Starts computing a collection on the cluster and returns a future of its final result. */
  public <R> Future<R> compute(JaskCollection<R> collection) {
    List<Key> outs = collection.keys();
    List<Future<Object>> parts = submitGraph(collection.graph(), outs);
    Fn.F1<List<Object>, R> finish = collection::finalize;
    return submit(SubmitOptions.defaults().withKey(Tokenize.name("finalize", outs)), finish, parts);
  }

  /** Computes the collection's keys and keeps them on the workers; returns the collection over them. */
  @SuppressWarnings("unchecked")
  public <C extends JaskCollection<?>> C persist(C collection) {
    return (C) collection.rebuild(persist(collection.graph(), collection.keys()));
  }

  @Override
  public Graph persist(Graph graph, List<Key> outputs) {
    Map<Key, Task> held = new LinkedHashMap<>();
    for (Future<Object> f : submitGraph(graph, outputs)) {
      held.put(f.key(), Task.of(new Persisted(f)));
    }
    return Graph.fromTasks(held);
  }

  /**
   * The task function of a persisted result: on the cluster it names a key that is already there;
   * on a local scheduler it fetches the result from the cluster.
   */
  static final class Persisted implements TaskFn.Held {
    private static final long serialVersionUID = 1L;
    final transient Future<?> future;

    Persisted(Future<?> future) {
      this.future = future;
    }

    @Override
    public Object apply(Object[] args) {
      return future.result();
    }
  }

  /** Submits every task of a graph the outputs need and returns held futures of the outputs. */
  public List<Future<Object>> submitGraph(Graph graph, List<Key> outputs) {
    return submitTasks(Optimizer.optimize(graph, outputs), outputs);
  }

  /** Submits a culled task graph and returns held futures of the outputs. */
  private List<Future<Object>> submitTasks(Map<Key, Task> tasks, List<Key> outputs) {
    ensureOpen();
    Map<Key, Task> toSend = new LinkedHashMap<>();
    for (Map.Entry<Key, Task> e : tasks.entrySet()) {
      if (!(e.getValue().fn() instanceof Persisted)) {
        toSend.put(e.getKey(), e.getValue()); // a persisted result is on the cluster already: referenced, not resubmitted
      }
    }
    List<Msg.TaskSpec> specs = new ArrayList<>(toSend.size());
    if (!toSend.isEmpty()) {
      Map<Key, Task> withInputs = new LinkedHashMap<>(toSend);
      for (Task t : toSend.values()) {
        for (Key d : t.dependencies()) {
          withInputs.putIfAbsent(d, Task.literal(null)); // held on the cluster already
        }
      }
      CompiledGraph cg = CompiledGraph.compile(withInputs, new ArrayList<>(toSend.keySet()));
      TaskPayloads.Encoder payloads = new TaskPayloads.Encoder(serialization); // a function shared by tasks: once
      for (int i = 0; i < cg.size; i++) {
        Task t = toSend.get(cg.keys[i]);
        if (t != null) {
          specs.add(new Msg.TaskSpec(cg.keys[i], payloads.args(t), List.of(t.dependencies()), cg.priority[i], 0, Set.of(), true,
              Msg.TaskSpec.partsOf(t), payloads.headOf(t)));
        }
      }
    }
    List<Future<Object>> out = new ArrayList<>(outputs.size());
    Map<Key, Msg.TaskSpec> specOf = new HashMap<>();
    for (Msg.TaskSpec s : specs) {
      specOf.put(s.key(), s);
    }
    for (Key k : outputs) {
      out.add(future(k, specOf.get(k)));
    }
    send(new Msg.UpdateGraph(id, specs, outputs, 0));
    return out;
  }

  // ------------------------------------------------------------------ Scheduler SPI

  @Override
  public String name() {
    return "distributed";
  }

  @Override
  public Map<Key, Object> get(Map<Key, Task> tasks, List<Key> outputs) {
    return run(submitTasks(CompiledGraph.cull(tasks, outputs), outputs), outputs);
  }

  @Override
  public Map<Key, Object> compute(Graph graph, List<Key> outputs) {
    return run(submitGraph(graph, outputs), outputs);
  }

  private Map<Key, Object> run(List<Future<Object>> futures, List<Key> outputs) {
    try {
      List<Object> values = gather(futures);
      Map<Key, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < outputs.size(); i++) {
        out.put(outputs.get(i), values.get(i));
      }
      return out;
    } catch (JaskCancelledException e) {
      cancel(futures);
      throw e;
    } finally {
      for (Future<Object> f : futures) {
        f.release();
      }
    }
  }

  // ------------------------------------------------------------------ cancel, fire and forget, jars

  /** Cancels the futures' tasks (and what depends on them) unless other futures still want them. */
  public void cancel(Collection<? extends Future<?>> futures) {
    List<Key> ks = new ArrayList<>();
    for (Future<?> f : futures) {
      ks.add(f.key());
    }
    send(new Msg.CancelKeys(id, ks, false));
  }

  /**
   * Lets the future's task run to completion even if nothing holds the future any more and this
   * client disconnects (like {@code distributed.fire_and_forget}): the scheduler keeps the key
   * wanted until it is done, then releases it.
   */
  public void fireAndForget(Future<?> future) {
    send(new Msg.FireAndForget(List.of(future.key())));
  }

  /**
   * Makes the classes in {@code jar} loadable by tasks on every worker of a standalone cluster
   * (a {@link LocalCluster} starts its workers with this JVM's class path already).
   */
  public void uploadJar(Path jar) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(jar);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read jar " + jar, e);
    }
    for (String w : workers()) {
      peers.uploadJar(w, jar.getFileName().toString(), bytes);
    }
  }

  // ------------------------------------------------------------------ ExecutorService

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    ensureNotShutdown();
    Fn.F1<Callable<T>, T> call = Callable::call;
    return one(SubmitOptions.defaults().withPure(false), call, Fn.task(call), task);
  }

  @Override
  public Future<?> submit(Runnable task) {
    return submit(task, null);
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    ensureNotShutdown();
    Fn.F2<Runnable, T, T> run = (r, v) -> {
      r.run();
      return v;
    };
    return one(SubmitOptions.defaults().withPure(false), run, Fn.task(run), task, result);
  }

  @Override
  public void execute(Runnable command) {
    fireAndForget(submit(command));
  }

  @Override
  public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
    List<java.util.concurrent.Future<T>> out = new ArrayList<>();
    List<Future<T>> fs = new ArrayList<>();
    for (Callable<T> c : tasks) {
      Future<T> f = submit(c);
      fs.add(f);
      out.add(f);
    }
    Futures.waitAll(fs);
    return out;
  }

  @Override
  public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long t, TimeUnit unit) throws InterruptedException {
    List<java.util.concurrent.Future<T>> out = new ArrayList<>();
    List<Future<T>> fs = new ArrayList<>();
    for (Callable<T> c : tasks) {
      Future<T> f = submit(c);
      fs.add(f);
      out.add(f);
    }
    try {
      Futures.waitAll(fs, t, unit);
    } catch (TimeoutException e) {
      for (Future<T> f : fs) {
        f.cancel(true);
      }
    }
    return out;
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
    try {
      return invokeAny(tasks, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long t, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    List<Future<T>> fs = new ArrayList<>();
    for (Callable<T> c : tasks) {
      fs.add(submit(c));
    }
    long deadline = t == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + unit.toNanos(t);
    ExecutionException last = null;
    for (Future<T> f : Futures.asCompleted(fs)) {
      try {
        T v = deadline == Long.MAX_VALUE ? f.get() : f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        for (Future<T> other : fs) {
          if (other != f) {
            other.cancel(true);
          }
        }
        return v;
      } catch (ExecutionException e) {
        last = e;
      }
    }
    throw last != null ? last : new ExecutionException("no task completed", null);
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    List<Key> pending = new ArrayList<>();
    keys.forEach((k, s) -> {
      if (!s.done.isDone()) {
        pending.add(k);
      }
    });
    if (!pending.isEmpty()) {
      send(new Msg.CancelKeys(id, pending, true));
    }
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown && keys.values().stream().allMatch(s -> s.done.isDone());
  }

  @Override
  public boolean awaitTermination(long t, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(t);
    while (!isTerminated()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  private void ensureNotShutdown() {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("client " + id + " is shut down");
    }
  }

  // ------------------------------------------------------------------ internals

  /**
   * What the client knows of one key: its status, where it is, and how many futures hold it. As a
   * cleaning action ({@link #track}) it drops one future's reference.
   */
  static final class KeyState implements Runnable {
    final Client client;
    final Key key;
    int refs; // guarded by the keys map's compute
    volatile Msg.TaskSpec spec;
    volatile CompletableFuture<Void> done = new CompletableFuture<>();
    volatile String status = "pending";
    volatile List<String> who = List.of();
    volatile Throwable error;
    volatile Object value;
    volatile boolean hasValue;

    KeyState(Client client, Key key) {
      this.client = client;
      this.key = key;
    }

    /** A future for this key was released or collected ({@link #track}). */
    @Override
    public void run() {
      client.decref(key);
    }

    CompletableFuture<Void> done() {
      return done;
    }

    String status() {
      return status;
    }

    Throwable error() {
      return error;
    }

    void finished(List<String> workers) {
      who = workers;
      status = "finished";
      done.complete(null);
    }

    void failed(Throwable e, String s) {
      error = e;
      status = s;
      done.complete(null);
    }

    synchronized void lost() {
      if (done.isDone() && "finished".equals(status)) {
        status = "pending";
        hasValue = false;
        done = new CompletableFuture<>();
      }
    }
  }

  /**
   * Registers {@code future} with the cleaner: when it is released or collected, {@code state}'s key
   * loses one reference, once. The cleanable is all the future keeps for this (two fewer objects
   * per future than a wrapper and a flag: a {@code map} of 50,000 makes 50,000 of them).
   */
  Cleaner.Cleanable track(Future<?> future, KeyState state) {
    return CLEANER.register(future, state);
  }

  private void decref(Key key) {
    boolean[] gone = {false};
    keys.computeIfPresent(key, (k, s) -> {
      if (--s.refs <= 0) {
        gone[0] = true;
        return null;
      }
      return s;
    });
    if (gone[0] && !closed) {
      pendingReleases.add(key);
      if (releaseScheduled.compareAndSet(false, true)) {
        try {
          callbacks.execute(this::flushReleases);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
          releaseScheduled.set(false);
        }
      }
    }
  }

  /**
   * Keys whose last future was released, not yet told to the scheduler. Releasing 50,000 futures
   * in a loop costs a few messages instead of 50,000: one flush on a callback thread sends what
   * has piled up by then, and every other message to the scheduler sends them first, so a key
   * released and then submitted again reaches the scheduler in that order.
   */
  private final java.util.concurrent.ConcurrentLinkedQueue<Key> pendingReleases = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final java.util.concurrent.atomic.AtomicBoolean releaseScheduled = new java.util.concurrent.atomic.AtomicBoolean();
  /** Orders the release batches against the other messages to the scheduler. */
  private final Object sendLock = new Object();

  private void flushReleases() {
    releaseScheduled.set(false);
    synchronized (sendLock) {
      Connection c = scheduler;
      if (!closed && c != null) {
        sendReleasesLocked(c);
      }
    }
  }

  /** Sends the pending releases as one message; the caller holds {@link #sendLock}. */
  private void sendReleasesLocked(Connection c) {
    if (pendingReleases.isEmpty()) {
      return;
    }
    List<Key> batch = new ArrayList<>();
    for (Key k; (k = pendingReleases.poll()) != null; ) {
      batch.add(k);
    }
    c.send(Message.of(new Msg.ReleaseKeys(id, batch)));
  }

  java.util.concurrent.Executor callbackExecutor() {
    return callbacks;
  }

  void awaitDone(KeyState st, long t, TimeUnit unit) {
    if (!st.done.isDone()) {
      InlineTasks.checkMayBlock("waiting for " + st.key);
    }
    try {
      if (t == Long.MAX_VALUE) {
        st.done.get();
      } else {
        st.done.get(t, unit);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JaskCancelledException("interrupted while waiting for " + st.key);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new JaskCancelledException("timed out waiting for " + st.key);
    }
    if ("error".equals(st.status)) {
      Throwable err = st.error;
      throw err instanceof JaskTaskException j ? j : new JaskTaskException(st.key.toString(), err);
    }
    if ("cancelled".equals(st.status)) {
      throw new JaskCancelledException(st.key + " was cancelled" + (st.error == null ? "" : ": " + st.error.getMessage()));
    }
  }

  Object fetch(Key key, KeyState st) {
    if (st.hasValue) {
      return st.value;
    }
    Map<Key, KeyState> one = new HashMap<>();
    one.put(key, st);
    return fetchAll(one).get(key);
  }

  private Map<Key, Object> fetchAll(Map<Key, KeyState> states) {
    Map<Key, Object> out = new HashMap<>();
    Map<Key, KeyState> todo = new LinkedHashMap<>();
    states.forEach((k, s) -> {
      if (s.hasValue) {
        out.put(k, s.value);
      } else {
        todo.put(k, s);
      }
    });
    for (int attempt = 0; !todo.isEmpty(); attempt++) {
      Map<String, List<Key>> byWorker = new LinkedHashMap<>();
      for (KeyState s : todo.values()) {
        awaitDone(s, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        List<String> who = s.who;
        if (who.isEmpty()) {
          continue;
        }
        byWorker.computeIfAbsent(who.get(attempt % who.size()), w -> new ArrayList<>()).add(s.key);
      }
      Map<Key, Object> got = peers.getAll(byWorker);
      got.forEach((k, v) -> {
        KeyState s = todo.remove(k);
        out.put(k, v);
        if (s != null) {
          s.value = v;
          s.hasValue = true;
        }
      });
      if (!todo.isEmpty()) {
        if (attempt >= 20) {
          throw new JaskTaskException(todo.keySet().iterator().next().toString(),
              new IllegalStateException("could not fetch the result from any worker after " + attempt + " attempts"));
        }
        // the holders are gone: the scheduler recomputes lost keys and reports them again
        for (KeyState s : todo.values()) {
          s.lost();
        }
        request(rid -> new Msg.WhoHasRequest(rid, new ArrayList<>(todo.keySet())), Msg.WhoHasReply.class).whoHas().forEach((k, ws) -> {
          KeyState s = todo.get(k);
          if (s != null && !ws.isEmpty()) {
            s.finished(ws);
          }
        });
      }
    }
    return out;
  }

  private final Map<Long, CompletableFuture<Msg>> requests = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong requestIds = new java.util.concurrent.atomic.AtomicLong();

  private <T extends Msg> T request(java.util.function.LongFunction<Msg> make, Class<T> reply) {
    long rid = requestIds.incrementAndGet();
    CompletableFuture<Msg> cf = new CompletableFuture<>();
    requests.put(rid, cf);
    send(make.apply(rid));
    if (!cf.isDone()) {
      InlineTasks.checkMayBlock("waiting for the scheduler's reply");
    }
    try {
      return reply.cast(cf.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JaskCancelledException("interrupted waiting for the scheduler");
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("no answer from the scheduler at " + address, e);
    } finally {
      requests.remove(rid);
    }
  }

  /** Round-trip latency probe to the scheduler, in nanoseconds. */
  public long ping() {
    long t0 = System.nanoTime();
    request(Msg.Ping::new, Msg.Pong.class);
    return System.nanoTime() - t0;
  }

  /**
   * The memory of each worker as it last reported it (about once per heartbeat interval), by data
   * address: managed bytes (values held in memory), unmanaged bytes (the rest of the process),
   * spilled bytes and the limit; see {@code docs/memory.md}.
   *
   * <pre>{@code
   * client.workerMemory().forEach((w, m) ->
   *     System.out.printf("%s managed %d unmanaged %d spilled %d of %d%n",
   *         w, m.managed(), m.unmanaged(), m.spilled(), m.limit()));
   * }</pre>
   */
  public Map<String, Msg.WorkerMemory> workerMemory() {
    return request(Msg.WorkerMemoryRequest::new, Msg.WorkerMemoryReply.class).workers();
  }

  private void onSchedulerMessage(Message m) {
    if (m.header() instanceof Msg msg) {
      onSchedulerMessage(msg);
    }
  }

  private void onSchedulerMessage(Msg msg) {
    if (msg instanceof Msg.Batch b) {
      for (Msg one : b.messages()) {
        onSchedulerMessage(one);
      }
    } else if (msg instanceof Msg.ClientWelcome w) {
      welcome.complete(w);
    } else if (msg instanceof Msg.KeyInMemory k) {
      KeyState s = keys.get(k.key());
      if (s != null) {
        if (s.done.isDone() && !"finished".equals(s.status)) {
          s.lost();
        }
        if (k.inline() != null && !s.hasValue) {
          try {
            s.value = serialization.fromBytes(k.inline());
            s.hasValue = true;
          } catch (RuntimeException e) {
            log.debug("cannot decode the inline result of {}; it will be fetched", k.key(), e);
          }
        }
        s.finished(k.workerAddresses());
      }
    } else if (msg instanceof Msg.KeyErred e) {
      KeyState s = keys.get(e.key());
      if (s != null) {
        Throwable cause = decodeError(e.exception());
        // a fused chain reports the inner task that failed: keep that key and that exception
        s.failed(cause instanceof JaskTaskException inner ? inner
            : new JaskTaskException(e.failedKey().toString(), e.exceptionClass(), e.message(), cause), "error");
      }
    } else if (msg instanceof Msg.KeyCancelled c) {
      KeyState s = keys.get(c.key());
      if (s != null) {
        s.failed(new IllegalStateException(c.reason()), "cancelled");
      }
    } else if (msg instanceof Msg.WhoHasReply r) {
      complete(r.requestId(), r);
    } else if (msg instanceof Msg.Pong p) {
      complete(p.requestId(), p);
    } else if (msg instanceof Msg.WorkerMemoryReply r) {
      complete(r.requestId(), r);
    } else {
      log.debug("client ignores {}", msg.getClass().getSimpleName());
    }
  }

  private Throwable decodeError(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return null;
    }
    try {
      return serialization.fromBytes(bytes) instanceof Throwable t ? t : null;
    } catch (RuntimeException ignored) {
      return null; // the exception's class is not on this class path: keep its name and message
    }
  }

  private void complete(long rid, Msg m) {
    CompletableFuture<Msg> cf = requests.get(rid);
    if (cf != null) {
      cf.complete(m);
    }
  }

  private void onSchedulerLost(Connection conn, Throwable cause) {
    if (closed || conn != scheduler) {
      return;
    }
    log.warn("lost the connection to the scheduler at {}: {}; reconnecting", address, cause == null ? "closed" : cause.toString());
    callbacks.execute(this::reconnect);
  }

  /**
   * Opens a new connection to the scheduler's address and tells it again what this client wants.
   * An attempt that fails (nothing listens yet, or the old scheduler's listener accepted and then
   * reset the connection while it closed) is retried with a growing pause until the connect
   * timeout ({@code distributed.comm.timeouts.connect}) has passed, as Dask's client does; only then
   * do the futures fail.
   */
  private void reconnect() {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMillis = 20;
    while (true) {
      try {
        reconnectOnce();
        return;
      } catch (IOException e) {
        if (closed || System.nanoTime() + pauseMillis * 1_000_000 >= deadline) {
          log.error("could not reconnect to the scheduler at {}: {}", address, e.toString());
          keys.values().forEach(s -> s.failed(new IllegalStateException("lost the scheduler at " + address, e), "cancelled"));
          return;
        }
        log.debug("reconnecting to {} failed ({}); retrying in {} ms", address, e, pauseMillis);
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return; // the client is closing
        }
        pauseMillis = Math.min(1_000, pauseMillis * 2);
      }
    }
  }

  private void reconnectOnce() throws IOException {
    Connection c = openScheduler();
    // tell the (possibly new) scheduler again what this client wants
    List<Msg.TaskSpec> specs = new ArrayList<>();
    List<Key> wanted = new ArrayList<>();
    keys.forEach((k, s) -> {
      wanted.add(k);
      if (s.spec != null) {
        specs.add(s.spec);
      }
    });
    if (!wanted.isEmpty()) {
      c.send(Message.of(new Msg.UpdateGraph(id, specs, wanted, 0)));
    }
    log.info("reconnected to the scheduler at {}", address);
  }

  private void send(Msg msg) {
    ensureOpen();
    synchronized (sendLock) {
      Connection c = scheduler;
      sendReleasesLocked(c);
      c.send(Message.of(msg));
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("client " + id + " is closed");
    }
  }

  /** Closes the connection; the scheduler releases everything this client held. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Schedulers.clearDefault(this);
    scheduler.close();
    peers.close();
    callbacks.shutdownNow();
  }

  @Override
  public String toString() {
    return "Client(" + address + ", " + id + ")";
  }
}
