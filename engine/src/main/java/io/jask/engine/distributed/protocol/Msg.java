package io.jask.engine.distributed.protocol;

import io.jask.engine.Key;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every message of the distributed protocol, as records (the header of a transport {@code
 * Message}; values travel as separate buffers, see {@link DataHeader}). The scheduler never sees
 * user classes: a task travels to it as opaque bytes ({@link TaskSpec#payload}) that only workers
 * decode.
 *
 * <p>Who sends what:
 *
 * <ul>
 *   <li>client → scheduler: {@link RegisterClient}, {@link UpdateGraph}, {@link ReleaseKeys},
 *       {@link CancelKeys}, {@link ScatterDone}, {@link WhoHasRequest}, {@link Ping}, {@link WorkerMemoryRequest}
 *   <li>scheduler → client: {@link ClientWelcome}, {@link KeyInMemory}, {@link KeyErred},
 *       {@link KeyCancelled}, {@link WhoHasReply}, {@link Pong}, {@link WorkerMemoryReply}
 *   <li>worker → scheduler: {@link RegisterWorker}, {@link TaskFinished}, {@link TaskErred},
 *       {@link Heartbeat}, {@link MissingData}, {@link StealResponse}, {@link ReleasedFromWorker}
 *   <li>scheduler → worker: {@link WorkerWelcome}, {@link ComputeTask}, {@link FreeKeys},
 *       {@link StealRequest}, {@link CloseWorker}
 *   <li>anyone → worker (data port): {@link GetData} answered by {@link DataHeader} + buffers;
 *       {@link PutData} (scatter) answered by {@link PutDataAck}; {@link UploadJar} answered by
 *       {@link UploadJarAck}
 * </ul>
 */
public sealed interface Msg {

  /**
   * Several messages in one frame (like dask's {@code BatchedSend}): a sender that has many small
   * messages for one peer at once sends them together, which costs one header encoding and one
   * write instead of many. Receivers handle the messages in order.
   */
  record Batch(List<Msg> messages) implements Msg {}

  /**
   * A task as the scheduler sees it: key, dependencies, ordering and the opaque payload. {@code
   * parts} names, for a dependency the task uses only parts of ({@link io.jask.engine.KeyPart}),
   * those part indices: a worker that does not hold the dependency fetches just those parts.
   *
   * <p>{@code head}, if not null, is the first part of the payload, one array shared by the tasks
   * of one function (the tasks of a {@code client.map}): the task's bytes are {@code head} then
   * {@code payload}. The function's bytes are then held once, not once per task, and a message
   * carrying many such tasks writes each head once.
   */
  record TaskSpec(
      Key key,
      byte[] payload,
      List<Key> dependencies,
      long priority,
      int retries,
      Set<String> allowedWorkers,
      boolean pure,
      Map<Key, List<Integer>> parts,
      byte[] head) {

    public TaskSpec(Key key, byte[] payload, List<Key> dependencies, long priority, int retries, Set<String> allowedWorkers,
        boolean pure) {
      this(key, payload, dependencies, priority, retries, allowedWorkers, pure, Map.of(), null);
    }

    public TaskSpec(Key key, byte[] payload, List<Key> dependencies, long priority, int retries, Set<String> allowedWorkers,
        boolean pure, Map<Key, List<Integer>> parts) {
      this(key, payload, dependencies, priority, retries, allowedWorkers, pure, parts, null);
    }

    /** The parts of {@code dep} this task needs, or null if it needs the whole value. */
    public List<Integer> partsOf(Key dep) {
      return parts == null ? null : parts.get(dep);
    }

    /**
     * The parts the task names, by dependency, or an empty map; a dependency that the task also
     * names whole is left out (it needs the whole value).
     */
    public static Map<Key, List<Integer>> partsOf(io.jask.engine.Task task) {
      List<io.jask.engine.KeyPart> ps = task.parts();
      if (ps.isEmpty()) {
        return Map.of();
      }
      Map<Key, List<Integer>> out = new java.util.LinkedHashMap<>();
      for (io.jask.engine.KeyPart p : ps) {
        out.computeIfAbsent(p.key(), k -> new java.util.ArrayList<>()).add(p.part());
      }
      // a key also named whole needs the whole value
      for (Object a : task.args()) {
        dropWhole(a, out);
      }
      return out;
    }

    private static void dropWhole(Object arg, Map<Key, List<Integer>> out) {
      if (arg instanceof Key k) {
        out.remove(k);
      } else if (arg instanceof List<?> list) {
        for (Object o : list) {
          dropWhole(o, out);
        }
      }
    }
  }

  // ---- client → scheduler
  record RegisterClient(String clientId) implements Msg {}

  /**
   * New tasks (or known keys wanted again) from a client. {@code wanted} are the keys the client
   * holds futures for; {@code userPriority} is the user's priority (higher runs first).
   */
  record UpdateGraph(String clientId, List<TaskSpec> tasks, List<Key> wanted, int userPriority) implements Msg {}

  /** The client no longer holds futures for these keys. */
  record ReleaseKeys(String clientId, List<Key> keys) implements Msg {}

  /** Cancel these keys (and what depends on them) for this client. */
  record CancelKeys(String clientId, List<Key> keys, boolean force) implements Msg {}

  /** The client stored these keys on these workers itself (scatter); the scheduler records them. */
  record ScatterDone(String clientId, Map<Key, String> workerOf, Map<Key, Long> nbytes) implements Msg {}

  /**
   * Keep computing these keys even after every client released them or went away, until each is
   * done (like {@code distributed.fire_and_forget}).
   */
  record FireAndForget(List<Key> keys) implements Msg {}

  /** Which workers hold these keys? */
  record WhoHasRequest(long requestId, List<Key> keys) implements Msg {}

  /** A liveness / latency probe. */
  record Ping(long requestId) implements Msg {}

  /** What memory does each worker report? Answered with {@link WorkerMemoryReply}. */
  record WorkerMemoryRequest(long requestId) implements Msg {}

  // ---- scheduler → client
  /** Reply to registration: the workers' data addresses known now. */
  record ClientWelcome(String clientId, List<String> workers) implements Msg {}

  /**
   * A wanted key is in memory on a worker ({@code workerAddress} is its data address). A small
   * result comes along ({@code inline}, Kryo bytes, else null), so the client needs no fetch.
   */
  record KeyInMemory(Key key, List<String> workerAddresses, long nbytes, String type, byte[] inline) implements Msg {
    public KeyInMemory(Key key, List<String> workerAddresses, long nbytes, String type) {
      this(key, workerAddresses, nbytes, type, null);
    }
  }

  /** A wanted key failed: the exception as bytes (Kryo) plus its class and message in text. */
  record KeyErred(Key key, Key failedKey, byte[] exception, String exceptionClass, String message) implements Msg {}

  /** A wanted key was cancelled or lost for good. */
  record KeyCancelled(Key key, String reason) implements Msg {}

  /** Reply to {@link WhoHasRequest}. */
  record WhoHasReply(long requestId, Map<Key, List<String>> whoHas) implements Msg {}

  /** Reply to {@link Ping}. */
  record Pong(long requestId) implements Msg {}

  /** Reply to {@link WorkerMemoryRequest}: the last report of each worker, by data address. */
  record WorkerMemoryReply(long requestId, Map<String, WorkerMemory> workers) implements Msg {}

  // ---- worker → scheduler
  /** A worker announces itself; {@code address} is where it serves data to peers and clients. */
  record RegisterWorker(String name, String address, int nthreads, long memoryLimit, long pid, List<Key> heldKeys) implements Msg {}

  /**
   * A task finished; its result is stored on the worker. A small result also travels here
   * ({@code inline}, Kryo bytes, else null) so that the scheduler can pass it to waiting clients.
   */
  record TaskFinished(Key key, long nbytes, String type, long startNanos, long durationNanos, byte[] inline) implements Msg {
    public TaskFinished(Key key, long nbytes, String type, long startNanos, long durationNanos) {
      this(key, nbytes, type, startNanos, durationNanos, null);
    }
  }

  /** A task failed on the worker. */
  record TaskErred(Key key, byte[] exception, String exceptionClass, String message, long durationNanos) implements Msg {}

  /**
   * Periodic liveness and load report. {@code memory} is the worker's memory accounting (null from
   * a worker that does not report it); {@code memoryBytes} is its process memory.
   */
  record Heartbeat(int executing, int ready, long memoryBytes, long managedBytes, long spilledBytes, double cpu,
      WorkerMemory memory) implements Msg {
    public Heartbeat(int executing, int ready, long memoryBytes, long managedBytes, long spilledBytes, double cpu) {
      this(executing, ready, memoryBytes, managedBytes, spilledBytes, cpu, null);
    }
  }

  /**
   * A worker's memory, in bytes, as it reports it with each heartbeat (dask's managed / unmanaged
   * / spilled split). Not a message of its own: it travels in {@link Heartbeat} and {@link
   * WorkerMemoryReply}.
   *
   * @param managed the estimated size of the values held in memory
   * @param unmanaged process memory minus {@code managed}: the JVM itself, garbage not collected
   *     yet, running tasks' temporaries, buffers
   * @param spilled the bytes of values spilled to disk (as written, after compression)
   * @param limit the worker's memory limit (0 for none)
   * @param paused whether the worker starts no new task (process memory above {@code pause})
   */
  record WorkerMemory(long managed, long unmanaged, long spilled, long limit, boolean paused) {
    /** Process memory: managed plus unmanaged. */
    public long process() {
      return managed + unmanaged;
    }
  }

  /** The worker could not get {@code key} from any of the workers the scheduler named. */
  record MissingData(Key forTask, Key key, List<String> triedWorkers) implements Msg {}

  /** Answer to a steal request: {@code stolen} when the task was taken back before it started. */
  record StealResponse(Key key, boolean stolen) implements Msg {}

  /** The worker dropped these keys on its own (e.g. after a failure to keep them). */
  record ReleasedFromWorker(List<Key> keys) implements Msg {}

  /** Where the worker serves its Prometheus {@code /metrics} (an {@code http://} URL); for the dashboard. */
  record WorkerMetricsAddress(String url) implements Msg {}

  // ---- scheduler → worker
  /** Reply to registration. */
  record WorkerWelcome(String workerId, long heartbeatIntervalMillis) implements Msg {}

  /**
   * Run this task; its dependencies are on the named workers (data addresses). {@code pendingHere}
   * names dependencies that are not computed yet but were assigned to this same worker (speculative
   * assignment): the task waits for them to finish here, and is dropped without a report if one of
   * them fails or goes away (the scheduler takes the task back itself).
   */
  record ComputeTask(TaskSpec spec, Map<Key, List<String>> whoHas, Map<Key, Long> nbytes, List<Key> pendingHere)
      implements Msg {

    public ComputeTask(TaskSpec spec, Map<Key, List<String>> whoHas, Map<Key, Long> nbytes) {
      this(spec, whoHas, nbytes, List.of());
    }

    /** Whether {@code dep} is computed on this worker before the task can start. */
    public boolean pendingHere(Key dep) {
      return pendingHere != null && pendingHere.contains(dep);
    }
  }

  /** Forget these keys (results and queued tasks). */
  record FreeKeys(List<Key> keys) implements Msg {}

  /** Give back this task if it has not started. */
  record StealRequest(Key key) implements Msg {}

  /** Shut down. */
  record CloseWorker(String reason) implements Msg {}

  // ---- data port
  /** Ask a worker for the values of these keys. */
  record GetData(long requestId, List<Key> keys) implements Msg {}

  /**
   * Values follow this header as buffers: value {@code i} uses codec {@code codecs.get(i)} and the
   * next {@code frameCounts[i]} buffers. Keys the worker does not hold are in {@code missing}.
   */
  record DataHeader(long requestId, List<Key> keys, List<String> codecs, int[] frameCounts, List<Key> missing) implements Msg {}

  /** Store these values (scatter); buffers follow as in {@link DataHeader}. */
  record PutData(long requestId, List<Key> keys, List<String> codecs, int[] frameCounts) implements Msg {}

  /** Reply to {@link PutData}. */
  record PutDataAck(long requestId, Map<Key, Long> nbytes) implements Msg {}

  /** Add a jar (the one buffer that follows) to the class path tasks are decoded with. */
  record UploadJar(long requestId, String name) implements Msg {}

  /** Reply to {@link UploadJar}; {@code error} is empty on success. */
  record UploadJarAck(long requestId, String error) implements Msg {}
}
