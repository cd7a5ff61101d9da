package io.jask.engine.distributed.worker;

import io.jask.engine.Key;
import io.jask.engine.KeyPart;
import io.jask.engine.serialize.Encoded;
import io.jask.engine.serialize.PartedCodec;
import io.jask.engine.serialize.Serialization;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import net.jpountz.lz4.LZ4BlockInputStream;
import net.jpountz.lz4.LZ4BlockOutputStream;
import net.jpountz.lz4.LZ4Factory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values a worker holds, by key, each with its estimated size in memory, and the least
 * recently used of them spilled to disk when memory runs short (dask's {@code SpillBuffer});
 * thread-safe (task threads put results and read dependencies, I/O threads read values to serve
 * them and put fetched or scattered ones, the worker loop removes freed ones).
 *
 * <p>{@link #managedBytes()} is the sum of the sizes of the values held in memory (dask's
 * "managed memory"); {@link #spilledBytes()} the bytes of the spill files. When a put takes managed
 * memory above the target ({@link Spill#targetBytes()}), the least recently used values (put or
 * read) are written to disk until it is back below; the worker's memory monitor calls {@link
 * #evict} when the process as a whole is above its spill threshold. A spilled value is read back
 * transparently: {@link #get} loads it into memory again (it is then the most recently used),
 * {@link #getEncoded} serves it to a peer straight from the file's frames without keeping it.
 *
 * <p>Spill files are written and read by the thread that calls {@code put}, {@code get}, {@code
 * getEncoded} or {@code evict}, never under this store's lock; {@link #remove} does no I/O itself
 * (the file of a removed value is deleted on the executor given). A file holds the value's codec
 * name and frames ({@link Serialization#encode}; a value Kryo encodes is streamed with {@link
 * Serialization#writeTo}, with no array of the whole value), LZ4-compressed if {@link
 * Spill#compress()}. The
 * spill directory is created on first use and deleted, with every file in it, by {@link #close()}.
 *
 * <pre>{@code
 * DataStore store = new DataStore();                        // memory only
 * store.put(Key.of("x"), 42, 16);
 * store.get(Key.of("x"));   // Optional[Entry[value=42, nbytes=16]]
 * store.managedBytes();     // 16
 *
 * DataStore spilling = new DataStore(new DataStore.Spill(
 *     Path.of("/tmp/jask-spill-w1"), true, 100 << 20, Serialization.get()), Runnable::run);
 * }</pre>
 */
public final class DataStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DataStore.class);

  /** A stored value and its estimated size in bytes. */
  public record Entry(Object value, long nbytes) {}

  /**
   * How values are spilled.
   *
   * @param directory where spill files go; created on first spill, deleted by {@link #close()}
   * @param compress whether spill files are LZ4-compressed
   * @param targetBytes managed memory above which a put spills least recently used values (0 or
   *     less: only {@link #evict} spills)
   * @param serialization encodes values into files and decodes them back
   */
  public record Spill(Path directory, boolean compress, long targetBytes, Serialization serialization) {}

  /** One key's value: in memory ({@code value} set, {@code file} null) or on disk. */
  private static final class Slot {
    final long nbytes;
    final long generation; // which put stored it (putIfAbsent / removeIf)
    Object value;
    Path file;
    long fileBytes;
    boolean spilling; // being written out: still in memory until the write ends
    boolean unspillable; // its codec failed once: kept in memory
    boolean removed;

    Slot(Object value, long nbytes, long generation) {
      this.value = value;
      this.nbytes = nbytes;
      this.generation = generation;
    }
  }

  private final Spill spill; // null: memory only
  private final Executor deleter;
  private final Object lock = new Object();
  /** Access order: iteration starts at the least recently used key. */
  private final LinkedHashMap<Key, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);
  private long managed;
  private long spillingBytes;
  private long spilledFileBytes;
  private int spilledCount;
  private long fileSeq;
  private long generations;
  private boolean closed;

  /** An empty store that never spills. */
  public DataStore() {
    this(null, Runnable::run);
  }

  /**
   * An empty store that spills as {@code spill} says ({@code null}: never).
   *
   * @param deleter runs the deletion of a removed value's file (so that {@link #remove}, called
   *     under the worker's state lock, does no I/O)
   */
  public DataStore(Spill spill, Executor deleter) {
    this.spill = spill;
    this.deleter = deleter;
  }

  /**
   * Stores (or replaces) the value of {@code key}, then spills if managed memory is above target. A
   * null value is allowed. Returns the value's generation, for {@link #removeIf}.
   */
  public long put(Key key, Object value, long nbytes) {
    Slot prev;
    Slot next;
    synchronized (lock) {
      next = new Slot(value, Math.max(0, nbytes), ++generations);
      prev = slots.put(key, next);
      managed += next.nbytes;
      if (prev != null) {
        forget(prev);
      }
    }
    deleteFileOf(prev);
    spillForTarget();
    return next.generation;
  }

  /**
   * Stores the value of {@code key} unless one is held (that one is kept), then spills as {@link
   * #put} does (if that fails, the value is dropped again before the failure propagates). Returns
   * the generation of the value stored, for {@link #removeIf}, or -1 if a value was held: a worker
   * stores what a peer sent so, since the key may have been computed or fetched here meanwhile, and
   * must not drop that one when it undoes a failed fetch.
   */
  public long putIfAbsent(Key key, Object value, long nbytes) {
    long generation;
    synchronized (lock) {
      if (slots.containsKey(key)) {
        return -1;
      }
      generation = ++generations;
      slots.put(key, new Slot(value, Math.max(0, nbytes), generation));
      managed += Math.max(0, nbytes);
    }
    try {
      spillForTarget();
    } catch (RuntimeException | Error e) {
      removeIf(key, generation); // all or nothing: the caller gets no generation to undo it with
      throw e;
    }
    return generation;
  }

  /**
   * Drops {@code key} if it still holds the value of {@code generation} (as {@link #put} or {@link
   * #putIfAbsent} returned it; in memory or spilled since), not a value put after it; returns
   * whether it did.
   */
  public boolean removeIf(Key key, long generation) {
    Slot prev;
    synchronized (lock) {
      prev = slots.get(key);
      if (prev == null || prev.generation != generation) {
        return false;
      }
      slots.remove(key);
      forget(prev);
    }
    deleteFileOf(prev);
    return true;
  }

  /**
   * The value of {@code key} and its size, if held; a spilled value is read back from disk into
   * memory (which may spill others). The key becomes the most recently used.
   *
   * @throws UncheckedIOException if a spill file cannot be read
   */
  public Optional<Entry> get(Key key) {
    while (true) {
      Slot s;
      Path file;
      synchronized (lock) {
        s = slots.get(key);
        if (s == null) {
          return Optional.empty();
        }
        if (s.file == null) {
          return Optional.of(new Entry(s.value, s.nbytes));
        }
        file = s.file;
      }
      Object value;
      try {
        value = readValue(file);
      } catch (NoSuchFileException gone) {
        continue; // removed, replaced or loaded by another thread meanwhile: look again
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the spilled value of " + key + " from " + file, e);
      }
      boolean loaded = false;
      synchronized (lock) {
        if (!s.removed && s.file == file) {
          s.value = value;
          s.file = null;
          managed += s.nbytes;
          spilledFileBytes -= s.fileBytes;
          spilledCount--;
          s.fileBytes = 0;
          loaded = true;
        } else if (!s.removed && s.file == null) {
          value = s.value; // another thread loaded it first: use that copy
        }
      }
      if (loaded) {
        deleteQuietly(file);
        spillForTarget();
      }
      return Optional.of(new Entry(value, s.nbytes));
    }
  }

  /** Spills least recently used values while managed memory is above the target. */
  private void spillForTarget() {
    if (spill != null && spill.targetBytes() > 0) {
      long excess;
      synchronized (lock) {
        excess = managed - spillingBytes - spill.targetBytes();
      }
      if (excess > 0) {
        evict(excess);
      }
    }
  }

  /**
   * The value of {@code key} encoded for the wire: from memory with {@code serialization}, or the
   * frames of its spill file as they are (no decoding, not loaded into memory).
   *
   * @throws UncheckedIOException if a spill file cannot be read
   */
  public Optional<Encoded> getEncoded(Key key, Serialization serialization) {
    while (true) {
      Object value;
      Path file;
      synchronized (lock) {
        Slot s = slots.get(key);
        if (s == null) {
          return Optional.empty();
        }
        value = s.value;
        file = s.file;
      }
      if (file == null) {
        return Optional.of(serialization.encode(value));
      }
      try {
        return Optional.of(readFile(file));
      } catch (NoSuchFileException gone) {
        continue; // loaded back or removed meanwhile: look again
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the spilled value of " + key + " from " + file, e);
      }
    }
  }

  /**
   * Part {@code part.part()} of the value of {@code part.key()}, encoded for the wire: cut from the
   * value in memory; when the value is spilled and its codec is a {@link PartedCodec}, that part's
   * frames are read from the spill file alone (the other parts are skipped and the value stays on
   * disk); otherwise the value is read back first. Empty if the key is not held.
   *
   * @throws UncheckedIOException if a spill file cannot be read
   */
  public Optional<Encoded> getPartEncoded(KeyPart part, Serialization serialization) {
    Encoded spilled = spilledPart(part);
    if (spilled != null) {
      return Optional.of(spilled);
    }
    return get(part.key()).map(w -> w.value() instanceof io.jask.engine.Parted
        ? serialization.encodePart(w.value(), part.part()) : serialization.encode(part.extract(w.value())));
  }

  /**
   * Part {@code part.part()} of the value of {@code part.key()}, read like {@link #getPartEncoded}
   * (from the spill file alone when its codec allows) and decoded. Empty if the key is not held.
   * For a task on this worker only: a value in memory gives its {@link
   * io.jask.engine.Parted#localPart}, which need not be serializable.
   *
   * @throws UncheckedIOException if a spill file cannot be read
   */
  public Optional<Object> getPart(KeyPart part) {
    Encoded spilled = spilledPart(part);
    if (spilled != null) {
      return Optional.ofNullable(spill.serialization().decode(spilled));
    }
    return get(part.key()).map(w -> part.extractLocal(w.value()));
  }

  /** The part's frames from the value's spill file, or null if it is not spilled or its codec reads whole values only. */
  private Encoded spilledPart(KeyPart part) {
    while (true) {
      Path file;
      synchronized (lock) {
        Slot s = slots.get(part.key());
        if (s == null || s.file == null) {
          return null;
        }
        file = s.file;
      }
      try {
        return readPart(file, part);
      } catch (NoSuchFileException gone) {
        continue; // loaded back or removed meanwhile: look again
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + part + " from the spill file " + file, e);
      }
    }
  }

  private Encoded readPart(Path file, KeyPart part) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
         DataInputStream in = new DataInputStream(new BufferedInputStream(
             spill.compress() ? lz4In(raw) : raw, 1 << 16))) {
      String codec = in.readUTF();
      int n = in.readInt();
      if (n < 1) {
        return null; // a Kryo stream (or no frames): read back whole
      }
      if (!(spill.serialization().codec(codec) instanceof PartedCodec<?> pc)) {
        return null;
      }
      ByteBuffer first = ByteBuffer.wrap(readFrame(file, 0, in));
      PartedCodec.PartFrames at = pc.partFrames(first, part.part());
      if (at.to() > n) {
        throw new IOException("corrupt spill file " + file + ": " + part + " is in frames [" + at.from() + ", "
            + at.to() + ") of " + n);
      }
      for (int i = 1; i < at.from(); i++) {
        int len = in.readInt();
        if (len < 0) {
          throw new IOException("corrupt spill file " + file + ": frame " + i + " of " + len + " bytes");
        }
        in.skipNBytes(len);
      }
      List<ByteBuffer> frames = new ArrayList<>(at.to() - at.from());
      for (int i = at.from(); i < at.to(); i++) {
        frames.add(ByteBuffer.wrap(readFrame(file, i, in)));
      }
      return new Encoded(at.codec(), frames);
    }
  }

  private static byte[] readFrame(Path file, int i, DataInputStream in) throws IOException {
    int len = in.readInt();
    if (len < 0) {
      throw new IOException("corrupt spill file " + file + ": frame " + i + " of " + len + " bytes");
    }
    byte[] bytes = new byte[len];
    in.readFully(bytes);
    return bytes;
  }

  /** Whether {@code key} is held (in memory or spilled). */
  public boolean contains(Key key) {
    synchronized (lock) {
      return slots.containsKey(key);
    }
  }

  /** Whether {@code key} is held and spilled to disk now. */
  public boolean isSpilled(Key key) {
    synchronized (lock) {
      Slot s = slots.get(key);
      return s != null && s.file != null;
    }
  }

  /** Drops {@code key} (its spill file is deleted on the deleter); returns whether it was held. */
  public boolean remove(Key key) {
    Slot prev;
    synchronized (lock) {
      prev = slots.remove(key);
      if (prev == null) {
        return false;
      }
      forget(prev);
    }
    deleteFileOf(prev);
    return true;
  }

  /**
   * Spills least recently used values held in memory until about {@code bytes} of managed memory
   * are freed (fewer if not enough can be spilled); returns the managed bytes spilled. Values
   * another thread is spilling already count as freed. The writing happens on the calling thread.
   */
  public long evict(long bytes) {
    if (spill == null || bytes <= 0) {
      return 0;
    }
    List<Map.Entry<Key, Slot>> chosen = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        return 0;
      }
      long picked = 0;
      for (Map.Entry<Key, Slot> e : slots.entrySet()) { // least recently used first
        if (picked >= bytes) {
          break;
        }
        Slot s = e.getValue();
        if (s.file == null && !s.spilling && !s.unspillable && s.nbytes > 0) {
          s.spilling = true;
          spillingBytes += s.nbytes;
          picked += s.nbytes;
          chosen.add(e);
        }
      }
    }
    long freed = 0;
    for (Map.Entry<Key, Slot> e : chosen) {
      freed += spillOne(e.getKey(), e.getValue());
    }
    return freed;
  }

  private long spillOne(Key key, Slot s) {
    Path file;
    long fileBytes;
    try {
      synchronized (lock) {
        file = spill.directory().resolve("v" + (fileSeq++) + ".spill");
      }
      Files.createDirectories(spill.directory());
      fileBytes = writeFile(file, s.value);
    } catch (IOException | RuntimeException | Error e) {
      log.warn("Cannot spill {} ({} bytes); keeping it in memory", key, s.nbytes, e);
      synchronized (lock) {
        s.spilling = false;
        s.unspillable = !(e instanceof IOException || e instanceof Error); // its codec failed: do not retry
        spillingBytes -= s.nbytes;
      }
      return 0;
    }
    boolean keep;
    synchronized (lock) {
      s.spilling = false;
      spillingBytes -= s.nbytes;
      keep = !s.removed && !closed;
      if (keep) {
        s.value = null;
        s.file = file;
        s.fileBytes = fileBytes;
        managed -= s.nbytes;
        spilledFileBytes += fileBytes;
        spilledCount++;
      }
    }
    if (!keep) {
      deleteQuietly(file); // removed while it was being written
      return 0;
    }
    return s.nbytes;
  }

  /** A snapshot of the keys held (in memory or spilled). */
  public List<Key> keys() {
    synchronized (lock) {
      return List.copyOf(slots.keySet());
    }
  }

  /** A snapshot of the sizes in memory of the values held, spilled ones included. */
  public Map<Key, Long> sizes() {
    synchronized (lock) {
      Map<Key, Long> out = new HashMap<>();
      slots.forEach((k, s) -> out.put(k, s.nbytes));
      return out;
    }
  }

  /** The number of values held (in memory or spilled). */
  public int size() {
    synchronized (lock) {
      return slots.size();
    }
  }

  /** The sum of the sizes of the values held in memory, in bytes. */
  public long managedBytes() {
    synchronized (lock) {
      return managed;
    }
  }

  /** The bytes of the spill files of the values spilled now. */
  public long spilledBytes() {
    synchronized (lock) {
      return spilledFileBytes;
    }
  }

  /** The number of values spilled now. */
  public int spilledCount() {
    synchronized (lock) {
      return spilledCount;
    }
  }

  /** Drops everything (spill files are deleted on the deleter). */
  public void clear() {
    for (Key k : keys()) {
      remove(k);
    }
  }

  /** Drops everything and deletes the spill directory with every file in it. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      for (Slot s : slots.values()) {
        forget(s);
      }
      slots.clear();
    }
    if (spill != null) {
      deleteTree(spill.directory());
    }
  }

  // ---- helpers

  /** Accounting for a slot leaving the map; the caller deletes its file. Under the lock. */
  private void forget(Slot s) {
    s.removed = true;
    if (s.file == null) {
      managed -= s.nbytes;
    } else {
      spilledFileBytes -= s.fileBytes;
      spilledCount--;
    }
  }

  private void deleteFileOf(Slot s) {
    if (s == null) {
      return;
    }
    Path file;
    synchronized (lock) {
      file = s.file;
    }
    if (file != null) {
      try {
        deleter.execute(() -> deleteQuietly(file));
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        deleteQuietly(file);
      }
    }
  }

  /**
   * Writes a spill file: the codec name, then {@value #STREAMED} and the Kryo stream for a value
   * Kryo encodes (no array of the whole value in memory), else the frame count and the frames.
   */
  private long writeFile(Path file, Object value) throws IOException {
    Serialization ser = spill.serialization();
    String codec = ser.codecName(value);
    try (OutputStream raw = Files.newOutputStream(file);
         DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
             spill.compress() ? new LZ4BlockOutputStream(raw, 1 << 16) : raw, 1 << 16))) {
      if (KRYO.equals(codec)) {
        out.writeUTF(codec);
        out.writeInt(STREAMED);
        ser.writeTo(value, out);
      } else {
        writeFrames(out, ser.encode(value));
      }
    } catch (IOException | RuntimeException | Error e) {
      deleteQuietly(file); // no partial file stays behind
      throw e;
    }
    return Files.size(file);
  }

  private static final String KRYO = "kryo";
  /** The frame count that marks a Kryo stream. */
  private static final int STREAMED = -1;

  private static void writeFrames(DataOutputStream out, Encoded encoded) throws IOException {
    out.writeUTF(encoded.codec());
    out.writeInt(encoded.frames().size());
    byte[] chunk = null;
    for (ByteBuffer f : encoded.frames()) {
      ByteBuffer b = f.duplicate();
      out.writeInt(b.remaining());
      if (b.hasArray()) {
        out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
      } else {
        if (chunk == null) {
          chunk = new byte[1 << 16];
        }
        while (b.hasRemaining()) {
          int n = Math.min(chunk.length, b.remaining());
          b.get(chunk, 0, n);
          out.write(chunk, 0, n);
        }
      }
    }
  }

  /** Reads a spill file back into a value. */
  private Object readValue(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
         DataInputStream in = new DataInputStream(new BufferedInputStream(
             spill.compress() ? lz4In(raw) : raw, 1 << 16))) {
      String codec = in.readUTF();
      int n = in.readInt();
      if (n == STREAMED) {
        return spill.serialization().readFrom(in);
      }
      return spill.serialization().decode(readFrames(file, codec, n, in));
    }
  }

  private Encoded readFile(Path file) throws IOException {
    try (InputStream raw = Files.newInputStream(file);
         DataInputStream in = new DataInputStream(new BufferedInputStream(
             spill.compress() ? lz4In(raw) : raw, 1 << 16))) {
      String codec = in.readUTF();
      int n = in.readInt();
      if (n == STREAMED) {
        return new Encoded(codec, List.of(ByteBuffer.wrap(in.readAllBytes())));
      }
      return readFrames(file, codec, n, in);
    }
  }

  private static Encoded readFrames(Path file, String codec, int n, DataInputStream in) throws IOException {
    if (n < 0) {
      throw new IOException("corrupt spill file " + file + ": " + n + " frames");
    }
    List<ByteBuffer> frames = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int len = in.readInt();
      if (len < 0) {
        throw new IOException("corrupt spill file " + file + ": frame " + i + " of " + len + " bytes");
      }
      byte[] bytes = new byte[len];
      in.readFully(bytes);
      frames.add(ByteBuffer.wrap(bytes));
    }
    return new Encoded(codec, frames);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Cannot delete spill file {}: {}", file, e.toString());
    }
  }

  /** Deletes a directory and everything in it; logs what cannot be deleted. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(DataStore::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      log.warn("Cannot delete spill directory {}: {}", dir, e.toString());
    }
  }

  /**
   * A spill file's decompressing stream: the fastest <em>safe</em> decompressor (JNI where it loads).
   * The stream's default is the "fast" decompressor, which lz4-java 1.10+ serves from a slow pure-Java
   * implementation since the fast decoders' advisories (CVE-2025-12183, CVE-2025-66566).
   */
  private static InputStream lz4In(InputStream raw) {
    return LZ4BlockInputStream.newBuilder().withDecompressor(LZ4Factory.fastestInstance().safeDecompressor()).build(raw);
  }
}
