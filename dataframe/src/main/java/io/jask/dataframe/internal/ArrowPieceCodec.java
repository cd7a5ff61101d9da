package io.jask.dataframe.internal;

import io.jask.engine.serialize.ValueCodec;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The codec of a sort's shuffle piece sent from one worker to another, registered with the
 * engine's codec SPI as {@code "arrow-piece"}: the same Arrow IPC stream as {@code "arrow-table"}
 * ({@link ArrowTableCodec}), decoded into a {@link Take.Decoded} (arrays and dictionary codes) for
 * the output task, which reads those directly ({@link ShuffleFns.SortPieces}), instead of into a
 * Tablesaw table that it would read back into arrays. A split whose pieces go to a sort's output
 * tasks names this codec for the parts it sends ({@link PiecesCodec#encodePart}).
 *
 * <pre>{@code
 * Encoded e = new Encoded("arrow-piece", piecesCodec.encodePart(pieces, j).frames());
 * Object piece = Serialization.get().decode(e);   // a Take.Decoded
 * }</pre>
 */
public final class ArrowPieceCodec implements ValueCodec<Take.Decoded> {
  static final String NAME = "arrow-piece";

  private final ArrowTableCodec tables = new ArrowTableCodec();

  /** Needed by {@link java.util.ServiceLoader}. */
  public ArrowPieceCodec() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Class<Take.Decoded> type() {
    return Take.Decoded.class;
  }

  @Override
  public List<ByteBuffer> encode(Take.Decoded value) {
    return tables.encode(value.table());
  }

  /** The piece; a stream of several record batches (not written by Jask) comes back as a table's columns. */
  @Override
  public Take.Decoded decode(List<ByteBuffer> frames) {
    if (frames.size() != 1) {
      throw new IllegalArgumentException("an arrow-piece value is one frame, got " + frames.size());
    }
    Take.Decoded d = tables.decodeColumns(frames);
    if (d != null) {
      return d;
    }
    tech.tablesaw.api.Table t = tables.decode(frames);
    List<Take.Source> sources = new java.util.ArrayList<>();
    for (tech.tablesaw.columns.Column<?> c : t.columns()) {
      sources.add(Take.Source.of(c));
    }
    return new Take.Decoded(t.name(), t.columnNames(), sources, t.rowCount());
  }

  @Override
  public long sizeOf(Take.Decoded value) {
    long n = value.rows();
    long bytes = 64;
    for (Take.Source s : value.sources()) {
      bytes += switch (s.type()) {
        case INT -> 4L * n;
        case LONG, DOUBLE, DATETIME -> 8L * n;
        case BOOLEAN -> n;
        case STRING -> 4L * n + 48L * ((StringDict) s.values()).dict().length;
      };
    }
    return bytes;
  }
}
