package io.jask.dataframe.internal;

import io.jask.engine.Parted;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * The output of a shuffle's split task: one table per output partition. It stays where it was
 * computed; output task {@code j} receives only part {@code j} (a Tablesaw table, which travels
 * between processes as Arrow IPC), through a {@link io.jask.engine.KeyPart} dependency.
 *
 * <p>Either the tables themselves, or a <em>cut</em> ({@link #cut}): the input partition, the
 * row order that groups its rows by piece, and where each piece starts. A cut gathers piece
 * {@code j} only when {@link #part} asks for it, so a split does not copy its input: on the local
 * schedulers the pieces a shuffle holds are row numbers (4 bytes a row) next to the input
 * partition, and each piece is built once, for its output task, when that task runs. {@link
 * #tables} and the codec ({@link PiecesCodec}) build every piece.
 */
public final class Pieces implements Parted {
  private final Table[] tables;
  private final Take.Cut cut;
  /** Whether a task in this process receives a cut's piece as a {@link Take.Slice} ({@link #localPart}). */
  private final boolean localSlices;

  /** Pieces that are these tables, in output order. */
  public Pieces(List<Table> tables) {
    this.tables = tables.toArray(new Table[0]);
    this.cut = null;
    this.localSlices = false;
  }

  private Pieces(Take.Cut cut, boolean localSlices) {
    this.tables = null;
    this.cut = cut;
    this.localSlices = localSlices;
  }

  /** Pieces cut from one table, gathered when asked for. */
  static Pieces cut(Take.Cut cut) {
    return new Pieces(cut, false);
  }

  /**
   * These pieces, but a task in this process that asks for one ({@link #localPart}, a worker's
   * output task whose split ran here) receives a cut's piece as a {@link Take.Slice}, not built:
   * for output tasks that read slices ({@link ShuffleFns.SortPieces}). Peers still receive tables.
   */
  public Pieces withLocalSlices() {
    return cut == null || localSlices ? this : new Pieces(cut, true);
  }

  /**
   * Whether the output tasks read pieces unbuilt ({@link #withLocalSlices}, a sort's): a peer then
   * receives its piece as an {@link ArrowPieceCodec} value, decoded into arrays, not a table.
   */
  boolean readsSlices() {
    return localSlices;
  }

  /** Whether the pieces are gathered only when asked for (a cut of the input), not held as tables. */
  public boolean isCut() {
    return cut != null;
  }

  /** Every piece as a table, in output order (a cut builds them now, each call anew). */
  public List<Table> tables() {
    if (cut == null) {
      return Collections.unmodifiableList(Arrays.asList(tables));
    }
    List<Table> out = new ArrayList<>(cut.parts());
    for (int j = 0; j < cut.parts(); j++) {
      out.add(cut.piece(j));
    }
    return Collections.unmodifiableList(out);
  }

  /** The pieces as tables held in memory: these pieces if they are tables, else every piece built now. */
  public Pieces materialized() {
    return cut == null ? this : new Pieces(tables());
  }

  @Override
  public int parts() {
    return cut == null ? tables.length : cut.parts();
  }

  /** Piece {@code i} (a cut gathers it now). */
  @Override
  public Object part(int i) {
    return cut == null ? tables[i] : cut.piece(i);
  }

  /** Piece {@code i} for a task in this process: a slice of the cut if {@link #withLocalSlices}, else {@link #part}. */
  @Override
  public Object localPart(int i) {
    if (localSlices && (i < 0 || i >= cut.parts())) {
      throw new IndexOutOfBoundsException("piece " + i + " of " + cut.parts());
    }
    return localSlices ? new Take.Slice(cut, i) : part(i);
  }

  /** Piece {@code i} not built yet ({@link Take.Slice}) if these are a cut, else the table. */
  Object slice(int i) {
    return cut == null ? tables[i] : new Take.Slice(cut, i);
  }

  /**
   * Piece {@code i} as {@code codec} encodes it, written straight from the cut (no table built), or
   * null if these pieces are tables.
   */
  List<java.nio.ByteBuffer> encodeCut(int i, ArrowTableCodec codec) {
    return cut == null ? null : codec.encode(cut, i);
  }

  /** The rows of piece {@code i}. */
  public int rows(int i) {
    return cut == null ? tables[i].rowCount() : cut.rows(i);
  }

  /**
   * The estimated bytes of piece {@code i} as a table ({@link ArrowTableCodec#sizeOf}); for a cut,
   * without building it (a string column counts its input partition's distinct values, at most
   * one per row).
   */
  public long sizeOf(int i, ArrowTableCodec codec) {
    return cut == null ? codec.sizeOf(tables[i]) : cut.sizeOf(i);
  }

  /** Drops table {@code i} (handed out for good; a local shuffle's {@link ShuffleBuffer.HeldPieces}). */
  void forget(int i) {
    if (cut == null) {
      tables[i] = null;
    }
  }

  @Override
  public String toString() {
    return "Pieces(" + parts() + (cut == null ? " tables)" : " cut from " + cut.rows() + " rows)");
  }
}
