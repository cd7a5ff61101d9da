package io.jask.engine.serialize.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.jask.engine.Key;
import io.jask.engine.distributed.protocol.Msg;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-written Kryo serializers for the messages of every task's path ({@link Msg.Batch}, {@link
 * Msg.TaskSpec}, {@link Msg.UpdateGraph}, {@link Msg.ComputeTask}, {@link Msg.TaskFinished},
 * {@link Msg.KeyInMemory}, {@link Msg.FreeKeys}): fields in a fixed order, no reflective record
 * access, no reference-table entry, collections as a count and their elements. Measured before:
 * Kryo's record serializer (an accessor call per component, a reference per message and per
 * collection) was most of the header encoding and decoding time of a tiny task.
 *
 * <p>Collections come back as {@code ArrayList}, {@code LinkedHashSet} and {@code LinkedHashMap}
 * (mutable, in the order written); null collections and null keys travel as null. A count larger
 * than the bytes left (every element takes at least one), a negative count or an announced array
 * longer than the stream fails the read with a {@link KryoException} naming the field, before
 * anything is allocated for it.
 */
final class ProtocolSerializers {
  private ProtocolSerializers() {}

  /** The messages these serializers handle; they travel by value, without references. */
  static final Set<Class<?>> CLASSES = Set.of(Msg.Batch.class, Msg.TaskSpec.class, Msg.UpdateGraph.class,
      Msg.ComputeTask.class, Msg.TaskFinished.class, Msg.KeyInMemory.class, Msg.FreeKeys.class);

  /** Elements of a collection read from a stream (not an array) at most: no count is checked there. */
  private static final int MAX_STREAMED = 1 << 26;

  /** Installs the serializers on a Kryo whose well-known classes are registered. */
  static void install(Kryo kryo) {
    kryo.getRegistration(Msg.Batch.class).setSerializer(new BatchSerializer());
    kryo.getRegistration(Msg.TaskSpec.class).setSerializer(new TaskSpecSerializer());
    kryo.getRegistration(Msg.UpdateGraph.class).setSerializer(new UpdateGraphSerializer());
    kryo.getRegistration(Msg.ComputeTask.class).setSerializer(new ComputeTaskSerializer());
    kryo.getRegistration(Msg.TaskFinished.class).setSerializer(new TaskFinishedSerializer());
    kryo.getRegistration(Msg.KeyInMemory.class).setSerializer(new KeyInMemorySerializer());
    kryo.getRegistration(Msg.FreeKeys.class).setSerializer(new FreeKeysSerializer());
  }

  // ---- fields

  /** A count written as count + 1 (0 = null). */
  private static void count(Output out, Object collection, int size) {
    out.writeVarInt(collection == null ? 0 : size + 1, true);
  }

  /** A count written by {@link #count}: -1 for null; checked against the bytes left. */
  private static int count(Input in, String field) {
    int n = in.readVarInt(true) - 1;
    if (n < -1) {
      throw new KryoException("corrupt " + field + ": count " + n);
    }
    if (n > 0) {
      long left = in.getInputStream() == null ? in.limit() - in.position() : MAX_STREAMED;
      if (n > left) {
        throw new KryoException("corrupt " + field + ": " + n + " elements announced, " + left + " bytes left");
      }
    }
    return n;
  }

  private static void bytes(Output out, byte[] b) {
    count(out, b, b == null ? 0 : b.length);
    if (b != null) {
      out.writeBytes(b);
    }
  }

  private static byte[] bytes(Input in, String field) {
    int n = count(in, field);
    return n < 0 ? null : in.readBytes(n);
  }

  private static void key(Kryo kryo, Output out, Key k) {
    kryo.writeObjectOrNull(out, k, Key.class);
  }

  private static Key key(Kryo kryo, Input in) {
    return kryo.readObjectOrNull(in, Key.class);
  }

  private static void keys(Kryo kryo, Output out, List<Key> keys) {
    count(out, keys, keys == null ? 0 : keys.size());
    if (keys instanceof java.util.RandomAccess) {
      for (int i = 0, n = keys.size(); i < n; i++) { // no iterator per list: one per task written
        key(kryo, out, keys.get(i));
      }
    } else if (keys != null) {
      for (Key k : keys) {
        key(kryo, out, k);
      }
    }
  }

  private static List<Key> keys(Kryo kryo, Input in, String field) {
    int n = count(in, field);
    if (n < 0) {
      return null;
    }
    List<Key> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(key(kryo, in));
    }
    return out;
  }

  private static void strings(Output out, java.util.Collection<String> strings) {
    count(out, strings, strings == null ? 0 : strings.size());
    if (strings != null) {
      for (String s : strings) {
        out.writeString(s);
      }
    }
  }

  private static List<String> stringList(Input in, String field) {
    int n = count(in, field);
    if (n < 0) {
      return null;
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.readString());
    }
    return out;
  }

  private static Set<String> stringSet(Input in, String field) {
    List<String> l = stringList(in, field);
    return l == null ? null : new LinkedHashSet<>(l);
  }

  // ---- messages

  private abstract static class MsgSerializer<T> extends Serializer<T> {
    MsgSerializer() {
      super(false, true);
    }
  }

  static final class BatchSerializer extends MsgSerializer<Msg.Batch> {
    @Override
    public void write(Kryo kryo, Output out, Msg.Batch b) {
      List<Msg> ms = b.messages();
      count(out, ms, ms == null ? 0 : ms.size());
      if (ms != null) {
        for (Msg m : ms) {
          kryo.writeClassAndObject(out, m);
        }
      }
    }

    @Override
    public Msg.Batch read(Kryo kryo, Input in, Class<? extends Msg.Batch> type) {
      int n = count(in, "Batch.messages");
      if (n < 0) {
        return new Msg.Batch(null);
      }
      List<Msg> ms = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Object o = kryo.readClassAndObject(in);
        if (!(o instanceof Msg m)) {
          throw new KryoException("corrupt Batch: message " + i + " is a " + (o == null ? "null" : o.getClass().getName()));
        }
        ms.add(m);
      }
      return new Msg.Batch(ms);
    }
  }

  static final class TaskSpecSerializer extends MsgSerializer<Msg.TaskSpec> {
    @Override
    public void write(Kryo kryo, Output out, Msg.TaskSpec t) {
      key(kryo, out, t.key());
      bytes(out, t.payload());
      keys(kryo, out, t.dependencies());
      out.writeVarLong(t.priority(), false);
      out.writeVarInt(t.retries(), false);
      strings(out, t.allowedWorkers());
      out.writeBoolean(t.pure());
      head(kryo, out, t.head());
      Map<Key, List<Integer>> parts = t.parts();
      count(out, parts, parts == null ? 0 : parts.size());
      if (parts != null) {
        for (Map.Entry<Key, List<Integer>> e : parts.entrySet()) {
          key(kryo, out, e.getKey());
          List<Integer> ps = e.getValue();
          count(out, ps, ps == null ? 0 : ps.size());
          if (ps != null) {
            for (Integer p : ps) {
              out.writeVarInt(p, true);
            }
          }
        }
      }
    }

    @Override
    public Msg.TaskSpec read(Kryo kryo, Input in, Class<? extends Msg.TaskSpec> type) {
      Key key = key(kryo, in);
      byte[] payload = bytes(in, "TaskSpec.payload");
      List<Key> deps = keys(kryo, in, "TaskSpec.dependencies");
      long priority = in.readVarLong(false);
      int retries = in.readVarInt(false);
      Set<String> allowed = stringSet(in, "TaskSpec.allowedWorkers");
      boolean pure = in.readBoolean();
      byte[] head = head(kryo, in);
      int n = count(in, "TaskSpec.parts");
      Map<Key, List<Integer>> parts = null;
      if (n >= 0) {
        parts = n == 0 ? Map.of() : new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          Key k = key(kryo, in);
          int m = count(in, "TaskSpec.parts of " + k);
          List<Integer> ps = null;
          if (m >= 0) {
            ps = new ArrayList<>(m);
            for (int j = 0; j < m; j++) {
              ps.add(in.readVarInt(true));
            }
          }
          parts.put(k, ps);
        }
      }
      return new Msg.TaskSpec(key, payload, deps, priority, retries, allowed, pure, parts, head);
    }

    /**
     * A spec's shared head, once per message: {@code 0} none, {@code 1} a new head (its bytes
     * follow), {@code k ≥ 2} the head numbered {@code k - 2} among those this message wrote. Kryo's
     * graph context lives for one top-level object (one message, such as a batch of many tasks), so
     * the tasks of one {@code map} sent together carry their function once, and decode to tasks
     * that share one array again.
     */
    private static void head(Kryo kryo, Output out, byte[] head) {
      if (head == null) {
        out.writeVarInt(0, true);
        return;
      }
      @SuppressWarnings("unchecked")
      com.esotericsoftware.kryo.util.ObjectMap<Object, Object> context = kryo.getGraphContext();
      Object seen = context.get(head); // arrays hash and compare by identity
      if (seen != null) {
        out.writeVarInt((Integer) seen + 2, true);
        return;
      }
      int[] written = (int[]) context.get(HEADS_WRITTEN);
      if (written == null) {
        written = new int[1];
        context.put(HEADS_WRITTEN, written);
      }
      context.put(head, written[0]++);
      out.writeVarInt(1, true);
      bytes(out, head);
    }

    private static byte[] head(Kryo kryo, Input in) {
      int tag = in.readVarInt(true);
      if (tag == 0) {
        return null;
      }
      @SuppressWarnings("unchecked")
      com.esotericsoftware.kryo.util.ObjectMap<Object, Object> context = kryo.getGraphContext();
      @SuppressWarnings("unchecked")
      List<byte[]> read = (List<byte[]>) context.get(HEADS_READ);
      if (read == null) {
        read = new ArrayList<>();
        context.put(HEADS_READ, read);
      }
      if (tag == 1) {
        byte[] head = bytes(in, "TaskSpec.head");
        if (head == null) {
          throw new KryoException("corrupt TaskSpec.head: null announced as new");
        }
        read.add(head);
        return head;
      }
      if (tag < 0 || tag - 2 >= read.size()) {
        throw new KryoException("corrupt TaskSpec.head: head " + (tag - 2) + " of " + read.size() + " read so far");
      }
      return read.get(tag - 2);
    }

    /** Graph-context keys: the count of heads written, the list of heads read, in this message. */
    private static final Object HEADS_WRITTEN = new Object();
    private static final Object HEADS_READ = new Object();
  }

  static final class UpdateGraphSerializer extends MsgSerializer<Msg.UpdateGraph> {
    private final TaskSpecSerializer specs = new TaskSpecSerializer();

    @Override
    public void write(Kryo kryo, Output out, Msg.UpdateGraph u) {
      out.writeString(u.clientId());
      List<Msg.TaskSpec> ts = u.tasks();
      count(out, ts, ts == null ? 0 : ts.size());
      if (ts != null) {
        for (Msg.TaskSpec t : ts) {
          out.writeBoolean(t != null);
          if (t != null) {
            specs.write(kryo, out, t);
          }
        }
      }
      keys(kryo, out, u.wanted());
      out.writeVarInt(u.userPriority(), false);
    }

    @Override
    public Msg.UpdateGraph read(Kryo kryo, Input in, Class<? extends Msg.UpdateGraph> type) {
      String client = in.readString();
      int n = count(in, "UpdateGraph.tasks");
      List<Msg.TaskSpec> ts = null;
      if (n >= 0) {
        ts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          ts.add(in.readBoolean() ? specs.read(kryo, in, Msg.TaskSpec.class) : null);
        }
      }
      List<Key> wanted = keys(kryo, in, "UpdateGraph.wanted");
      return new Msg.UpdateGraph(client, ts, wanted, in.readVarInt(false));
    }
  }

  static final class ComputeTaskSerializer extends MsgSerializer<Msg.ComputeTask> {
    private final TaskSpecSerializer specs = new TaskSpecSerializer();

    @Override
    public void write(Kryo kryo, Output out, Msg.ComputeTask c) {
      out.writeBoolean(c.spec() != null);
      if (c.spec() != null) {
        specs.write(kryo, out, c.spec());
      }
      Map<Key, List<String>> whoHas = c.whoHas();
      count(out, whoHas, whoHas == null ? 0 : whoHas.size());
      if (whoHas != null) {
        for (Map.Entry<Key, List<String>> e : whoHas.entrySet()) {
          key(kryo, out, e.getKey());
          strings(out, e.getValue());
        }
      }
      Map<Key, Long> nbytes = c.nbytes();
      count(out, nbytes, nbytes == null ? 0 : nbytes.size());
      if (nbytes != null) {
        for (Map.Entry<Key, Long> e : nbytes.entrySet()) {
          key(kryo, out, e.getKey());
          out.writeBoolean(e.getValue() != null);
          if (e.getValue() != null) {
            out.writeVarLong(e.getValue(), false);
          }
        }
      }
      keys(kryo, out, c.pendingHere());
    }

    @Override
    public Msg.ComputeTask read(Kryo kryo, Input in, Class<? extends Msg.ComputeTask> type) {
      Msg.TaskSpec spec = in.readBoolean() ? specs.read(kryo, in, Msg.TaskSpec.class) : null;
      int n = count(in, "ComputeTask.whoHas");
      Map<Key, List<String>> whoHas = null;
      if (n >= 0) {
        whoHas = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          Key k = key(kryo, in);
          whoHas.put(k, stringList(in, "ComputeTask.whoHas of " + k));
        }
      }
      n = count(in, "ComputeTask.nbytes");
      Map<Key, Long> nbytes = null;
      if (n >= 0) {
        nbytes = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          Key k = key(kryo, in);
          nbytes.put(k, in.readBoolean() ? in.readVarLong(false) : null);
        }
      }
      List<Key> pending = keys(kryo, in, "ComputeTask.pendingHere");
      return new Msg.ComputeTask(spec, whoHas, nbytes, pending);
    }
  }

  static final class TaskFinishedSerializer extends MsgSerializer<Msg.TaskFinished> {
    @Override
    public void write(Kryo kryo, Output out, Msg.TaskFinished t) {
      key(kryo, out, t.key());
      out.writeVarLong(t.nbytes(), false);
      out.writeString(t.type());
      out.writeLong(t.startNanos());
      out.writeVarLong(t.durationNanos(), false);
      bytes(out, t.inline());
    }

    @Override
    public Msg.TaskFinished read(Kryo kryo, Input in, Class<? extends Msg.TaskFinished> type) {
      Key key = key(kryo, in);
      long nbytes = in.readVarLong(false);
      String t = in.readString();
      long start = in.readLong();
      long duration = in.readVarLong(false);
      return new Msg.TaskFinished(key, nbytes, t, start, duration, bytes(in, "TaskFinished.inline"));
    }
  }

  static final class KeyInMemorySerializer extends MsgSerializer<Msg.KeyInMemory> {
    @Override
    public void write(Kryo kryo, Output out, Msg.KeyInMemory k) {
      key(kryo, out, k.key());
      strings(out, k.workerAddresses());
      out.writeVarLong(k.nbytes(), false);
      out.writeString(k.type());
      bytes(out, k.inline());
    }

    @Override
    public Msg.KeyInMemory read(Kryo kryo, Input in, Class<? extends Msg.KeyInMemory> type) {
      Key key = key(kryo, in);
      List<String> where = stringList(in, "KeyInMemory.workerAddresses");
      long nbytes = in.readVarLong(false);
      String t = in.readString();
      return new Msg.KeyInMemory(key, where, nbytes, t, bytes(in, "KeyInMemory.inline"));
    }
  }

  static final class FreeKeysSerializer extends MsgSerializer<Msg.FreeKeys> {
    @Override
    public void write(Kryo kryo, Output out, Msg.FreeKeys f) {
      keys(kryo, out, f.keys());
    }

    @Override
    public Msg.FreeKeys read(Kryo kryo, Input in, Class<? extends Msg.FreeKeys> type) {
      return new Msg.FreeKeys(keys(kryo, in, "FreeKeys.keys"));
    }
  }
}
