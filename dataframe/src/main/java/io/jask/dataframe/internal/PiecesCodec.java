package io.jask.dataframe.internal;

import io.jask.engine.serialize.PartedCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * Encodes a shuffle split's {@link Pieces} so a worker can spill it, read it back and send it;
 * registered with the engine's codec SPI as {@code "pieces"}. Frame 0 is a header (the number of
 * pieces {@code n}, then for each piece the number of frames it uses, all big-endian ints);
 * then come each piece's own frames as {@link ArrowTableCodec} writes them, in part order. So
 * part {@code j} can be decoded from its frames alone ({@link #decodePart}), and a worker reads
 * or sends one part of a spilled value from the spill file without the others ({@link
 * #partFrames}). {@link #sizeOf} is the sum of the pieces' sizes.
 *
 * <pre>{@code
 * Encoded e = Serialization.get().encode(pieces);   // codec "pieces"
 * Pieces back = (Pieces) Serialization.get().decode(e);
 * }</pre>
 */
public final class PiecesCodec implements PartedCodec<Pieces> {
  private final ArrowTableCodec tables = new ArrowTableCodec();

  /** Needed by {@link java.util.ServiceLoader}. */
  public PiecesCodec() {}

  @Override
  public String name() {
    return "pieces";
  }

  @Override
  public Class<Pieces> type() {
    return Pieces.class;
  }

  @Override
  public List<ByteBuffer> encode(Pieces value) {
    int n = value.parts();
    ByteBuffer header = ByteBuffer.allocate(4 + 4 * n);
    header.putInt(n);
    List<ByteBuffer> frames = new ArrayList<>(1 + n);
    frames.add(header);
    for (int i = 0; i < n; i++) {
      // one piece at a time: a cut writes piece i straight from its input, without building it
      List<ByteBuffer> f = value.isCut() ? value.encodeCut(i, tables) : tables.encode((Table) value.part(i));
      header.putInt(f.size());
      frames.addAll(f);
    }
    header.flip();
    return frames;
  }

  /**
   * Part {@code part} alone, as the "arrow-table" codec encodes it; a cut writes it without building
   * the table. The stream is named {@code "arrow-piece"} ({@link ArrowPieceCodec}) when the output
   * tasks read pieces as arrays (a sort's), so the receiving worker decodes it so.
   */
  @Override
  public io.jask.engine.serialize.Encoded encodePart(Pieces value, int part) {
    if (!value.isCut()) {
      return null;
    }
    if (part < 0 || part >= value.parts()) {
      throw new IllegalArgumentException("a pieces value has " + value.parts() + " parts; part " + part + " asked");
    }
    // a sort's output task reads the piece as arrays: decoded so on the receiving worker (same stream)
    String codec = value.readsSlices() ? ArrowPieceCodec.NAME : tables.name();
    return new io.jask.engine.serialize.Encoded(codec, value.encodeCut(part, tables));
  }

  @Override
  public Pieces decode(List<ByteBuffer> frames) {
    int[] counts = counts(frames);
    List<Table> out = new ArrayList<>(counts.length);
    int at = 1;
    for (int c : counts) {
      out.add(tables.decode(frames.subList(at, at + c)));
      at += c;
    }
    if (at != frames.size()) {
      throw new IllegalArgumentException("a pieces value has " + frames.size() + " frames; its header accounts for " + at);
    }
    return new Pieces(out);
  }

  /**
   * Decodes only part {@code part} of an encoded {@link Pieces}: the same table as {@code
   * decode(frames).part(part)}, reading just that part's frames.
   */
  public Table decodePart(List<ByteBuffer> frames, int part) {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("a pieces value needs a header frame");
    }
    PartFrames at = partFrames(frames.get(0), part);
    return tables.decode(frames.subList(at.from(), at.to()));
  }

  @Override
  public PartFrames partFrames(ByteBuffer first, int part) {
    int[] counts = counts(first);
    if (part < 0 || part >= counts.length) {
      throw new IllegalArgumentException("a pieces value has " + counts.length + " parts; part " + part + " asked");
    }
    int at = 1;
    for (int i = 0; i < part; i++) {
      at += counts[i];
    }
    return new PartFrames(tables.name(), at, at + counts[part]);
  }

  private static int[] counts(List<ByteBuffer> frames) {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("a pieces value needs a header frame");
    }
    return counts(frames.get(0));
  }

  private static int[] counts(ByteBuffer first) {
    ByteBuffer h = first.duplicate();
    int n = h.getInt();
    if (n < 0 || h.remaining() != 4L * n) {
      throw new IllegalArgumentException("bad pieces header: " + n + " parts in " + (h.remaining() + 4) + " bytes");
    }
    int[] counts = new int[n];
    for (int i = 0; i < n; i++) {
      counts[i] = h.getInt();
    }
    return counts;
  }

  @Override
  public long sizeOf(Pieces value) {
    long bytes = 16;
    for (int i = 0; i < value.parts(); i++) {
      bytes += value.sizeOf(i, tables); // a cut is sized without building its pieces
    }
    return bytes;
  }
}
