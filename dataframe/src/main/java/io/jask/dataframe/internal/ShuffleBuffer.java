package io.jask.dataframe.internal;

import io.jask.engine.Parted;
import io.jask.engine.TaskFn;
import io.jask.engine.config.Config;
import io.jask.engine.scheduler.local.LocalCompute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import tech.tablesaw.api.Table;

/**
 * The in-process bound on a shuffle's pieces for the local schedulers ({@code sync}, {@code
 * threads}); distributed workers spill through their own data store instead.
 *
 * <p>Design: every split task of a shuffle is wrapped in {@link Split}. While a split runs inside a
 * local computation ({@link LocalCompute}), the sizes of the {@link Pieces} it keeps in memory
 * are added up per shuffle, and a piece leaves the sum when its output task takes it ({@link
 * HeldPieces}: each piece is handed out once and dropped, so its memory is free from then on; the sum
 * is what the shuffle holds). Once the next split would take the sum
 * past {@code dataframe.shuffle.buffer} bytes, that split's pieces are written to one file in the
 * {@code temporary-directory} instead, each piece as its Arrow IPC frames ({@link
 * ArrowTableCodec}) preceded by their lengths, and the task returns {@link Spilled}, which reads
 * back only the piece an output task asks for. The file is deleted when every piece has been
 * read, and in any case when the computation ends, also when a task failed or it was cancelled.
 * Splits outside a local computation (a child JVM, a worker) return their pieces unchanged.
 */
public final class ShuffleBuffer {
  private ShuffleBuffer() {}

  /** The configuration key of the bound, in bytes. */
  public static final String KEY = "dataframe.shuffle.buffer";

  /** The bound when the setting is {@code auto} (the default): a quarter of this JVM's maximum heap. */
  public static long bound() {
    String v = Config.getString(KEY, "auto");
    if (v == null || v.isBlank() || v.trim().equalsIgnoreCase("auto")) {
      return Runtime.getRuntime().maxMemory() / 4;
    }
    return Config.getBytes(KEY, 0);
  }

  private static final ArrowTableCodec CODEC = new ArrowTableCodec();
  private static final AtomicLong FILES = new AtomicLong();

  /** How many spill files this JVM has written so far (a diagnostic and test hook). */
  public static long spillFilesWritten() {
    return FILES.get();
  }

  /**
   * A split task ({@code Table -> Pieces}) whose pieces are spilled once shuffle {@code shuffle}
   * holds more than the bound in this process. With {@code slices}, a local output task receives
   * a piece cut from its input as a slice of the cut, not built as a table (its combine function,
   * a sort's, reads slices: {@link ShuffleFns.SortPieces}).
   */
  public record Split(TaskFn split, String shuffle, boolean slices) implements TaskFn {
    /** Output tasks receive tables. */
    public Split(TaskFn split, String shuffle) {
      this(split, shuffle, false);
    }

    @Override
    public Object apply(Object[] args) throws Exception {
      Object out = split.apply(args);
      if (!(out instanceof Pieces p)) {
        return out;
      }
      LocalCompute c = LocalCompute.current().orElse(null);
      if (c == null || c.ended()) {
        // not local: a worker keeps the cut (4 bytes a row next to its input partition, which the
        // cut keeps alive), sized as its pieces would be (PiecesCodec#sizeOf), so the store counts
        // the input a second time while both are held, never less than what the cut pins; a peer's
        // piece is built when asked for, and a spill writes the pieces one at a time (PiecesCodec),
        // which frees the input too. Or a straggler of a failed computation: nobody reads these.
        // An output task on this worker that reads slices gets its piece unbuilt (Pieces#localPart).
        return slices ? p.withLocalSlices() : out;
      }
      long bound = bound();
      AtomicLong held = c.state(List.of(ShuffleBuffer.class, shuffle), k -> new AtomicLong());
      long[] sizes = new long[p.parts()];
      long size = 0;
      for (int i = 0; i < sizes.length; i++) {
        sizes[i] = p.sizeOf(i, CODEC);
        size += sizes[i];
      }
      long now = held.addAndGet(size);
      if (now <= bound) {
        return new HeldPieces(p, sizes, held, slices);
      }
      held.addAndGet(-size);
      return spill(p, c);
    }
  }

  /**
   * Shuffle pieces kept in memory by a local computation: each part is handed out once (only
   * output task {@code i} asks for part {@code i}, and the local schedulers do not rerun tasks) and
   * dropped then, so a piece's memory is free as soon as its output task has it, not only when
   * the last output task of the shuffle started; its estimated size leaves the shuffle's count.
   */
  public static final class HeldPieces implements Parted {
    private Pieces pieces;
    private final boolean[] taken;
    private int left;
    private final long[] sizes;
    private final AtomicLong held;
    private final boolean slices;

    HeldPieces(Pieces pieces, long[] sizes, AtomicLong held, boolean slices) {
      this.slices = slices;
      this.pieces = pieces;
      this.taken = new boolean[pieces.parts()];
      this.left = taken.length;
      this.sizes = sizes;
      this.held = held;
    }

    @Override
    public int parts() {
      return taken.length;
    }

    /**
     * Piece {@code i}, handed out once: a cut gathers it now from the input partition (which the
     * pieces keep until the last one is taken), tables are handed over and forgotten.
     */
    @Override
    public Object part(int i) {
      Pieces p;
      synchronized (this) {
        if (taken[i]) {
          throw new IllegalStateException("shuffle piece " + i + " was already handed to its output task; asked again");
        }
        taken[i] = true;
        p = pieces;
        if (--left == 0) {
          pieces = null; // the cut's row numbers and the input's arrays are free once every piece is out
        }
      }
      Object t = slices ? p.slice(i) : p.part(i);
      if (!p.isCut()) {
        p.forget(i);
      }
      held.addAndGet(-sizes[i]);
      return t;
    }
  }

  /** Writes {@code p} to a new file that ends with the computation {@code c}. */
  static Spilled spill(Pieces p, LocalCompute c) {
    Path dir = Path.of(Config.getString("temporary-directory", System.getProperty("java.io.tmpdir")));
    Path file = dir.resolve("jask-shuffle-" + ProcessHandle.current().pid() + "-" + FILES.incrementAndGet() + ".arrows");
    int n = p.parts();
    long[] offsets = new long[n + 1];
    try {
      Files.createDirectories(dir);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        long at = 0;
        for (int i = 0; i < n; i++) {
          offsets[i] = at;
          // a cut writes one piece at a time straight from its input
          List<ByteBuffer> frames = p.isCut() ? p.encodeCut(i, CODEC) : CODEC.encode((Table) p.part(i));
          ByteBuffer head = ByteBuffer.allocate(4 + 8 * frames.size());
          head.putInt(frames.size());
          for (ByteBuffer f : frames) {
            head.putLong(f.remaining());
          }
          head.flip();
          at += write(ch, head);
          for (ByteBuffer f : frames) {
            at += write(ch, f.duplicate());
          }
        }
        offsets[n] = at;
      }
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // best effort; the write failure is what matters
      }
      throw e instanceof IOException io ? new UncheckedIOException("cannot spill shuffle pieces to " + file, io)
          : (RuntimeException) e;
    }
    Spilled s = new Spilled(file, offsets);
    c.onEnd(s::delete);
    return s;
  }

  private static long write(FileChannel ch, ByteBuffer b) throws IOException {
    long n = b.remaining();
    while (b.hasRemaining()) {
      ch.write(b);
    }
    return n;
  }

  /** Shuffle pieces in a spill file: part {@code i} is read from its own byte range when asked for. */
  public static final class Spilled implements Parted {
    private final Path file;
    private final long[] offsets;
    private final BitSet read;
    private boolean deleted;

    Spilled(Path file, long[] offsets) {
      this.file = file;
      this.offsets = offsets;
      this.read = new BitSet(offsets.length - 1);
    }

    /** The spill file (deleted once every part was read or the computation ended). */
    public Path file() {
      return file;
    }

    @Override
    public int parts() {
      return offsets.length - 1;
    }

    @Override
    public Object part(int i) {
      Table t;
      synchronized (this) {
        if (deleted) {
          throw new IllegalStateException("shuffle spill file " + file + " was already deleted; part " + i + " asked again");
        }
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        ByteBuffer region = ByteBuffer.allocate((int) (offsets[i + 1] - offsets[i]));
        long at = offsets[i];
        while (region.hasRemaining()) {
          int got = ch.read(region, at + region.position());
          if (got < 0) {
            throw new IOException("spill file " + file + " ends before part " + i);
          }
        }
        region.flip();
        int count = region.getInt();
        long[] lengths = new long[count];
        for (int f = 0; f < count; f++) {
          lengths[f] = region.getLong();
        }
        List<ByteBuffer> frames = new ArrayList<>(count);
        for (long len : lengths) {
          ByteBuffer f = region.slice();
          f.limit((int) len);
          frames.add(f);
          region.position(region.position() + (int) len);
        }
        t = CODEC.decode(frames);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read part " + i + " of shuffle spill file " + file, e);
      }
      boolean all;
      synchronized (this) {
        read.set(i);
        all = read.cardinality() == parts();
      }
      if (all) {
        delete();
      }
      return t;
    }

    synchronized void delete() {
      if (deleted) {
        return;
      }
      deleted = true;
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        org.slf4j.LoggerFactory.getLogger(ShuffleBuffer.class).warn("cannot delete shuffle spill file {}", file, e);
      }
    }
  }
}
