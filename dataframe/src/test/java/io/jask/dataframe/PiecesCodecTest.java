package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.dataframe.internal.Pieces;
import io.jask.dataframe.internal.ArrowTableCodec;
import io.jask.dataframe.internal.PiecesCodec;
import io.jask.dataframe.internal.Take;
import io.jask.engine.Key;
import io.jask.engine.KeyPart;
import io.jask.engine.distributed.worker.DataStore;
import io.jask.engine.serialize.Encoded;
import io.jask.engine.serialize.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tech.tablesaw.api.Table;

class PiecesCodecTest {

  @TempDir Path tmp;

  static Stream<Integer> seeds() {
    return IntStream.range(0, 12).boxed();
  }

  /** Random pieces of one random schema: some empty, some with nulls of every type and strings. */
  private static Pieces random(int seed) {
    Random r = new Random(seed);
    Table whole = Frames.random(r, 40 + r.nextInt(300));
    int n = seed == 0 ? 0 : seed == 1 ? 1 : 1 + r.nextInt(12);
    List<Table> tables = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (r.nextInt(4) == 0) {
        tables.add(whole.emptyCopy());
      } else {
        tables.add(whole.rows(r.ints(1 + r.nextInt(whole.rowCount()), 0, whole.rowCount()).toArray()));
      }
    }
    return new Pieces(tables);
  }

  private static void assertPiecesEqual(Pieces expected, Object actual, String context) {
    Pieces back = (Pieces) actual;
    assertEquals(expected.parts(), back.parts(), context);
    for (int i = 0; i < expected.parts(); i++) {
      Frames.assertTableEquals(expected.tables().get(i), back.tables().get(i), context + ", part " + i);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void pieces_roundTripThroughFramesAndBytes(int seed) {
    Serialization s = Serialization.get();
    Pieces p = random(seed);
    String context = "seed " + seed + ", " + p.parts() + " parts";
    Encoded e = s.encode(p);
    assertEquals("pieces", e.codec(), context);
    assertPiecesEqual(p, s.decode(e), context);
    // decoding one part reads only its frames and gives the same table
    PiecesCodec codec = new PiecesCodec();
    for (int j = 0; j < p.parts(); j++) {
      Frames.assertTableEquals(p.tables().get(j), codec.decodePart(e.frames(), j), context + ", decodePart " + j);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void sizeOf_isTheSumOfThePieces(int seed) {
    Serialization s = Serialization.get();
    Pieces p = random(seed);
    long parts = 0;
    for (Table t : p.tables()) {
      parts += s.sizeOf(t);
    }
    long size = s.sizeOf(p);
    assertTrue(size >= parts && size <= parts + 64, "seed " + seed + ": sizeOf " + size + ", pieces " + parts);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void partOfASpilledValue_isReadFromItsFile_andTheValueStaysSpilled(int seed) {
    Serialization s = Serialization.get();
    Pieces p = random(seed);
    String context = "seed " + seed + ", " + p.parts() + " parts";
    boolean compress = seed % 2 == 0;
    try (DataStore store = new DataStore(new DataStore.Spill(tmp.resolve("spill"), compress, 1, s), Runnable::run)) {
      Key k = Key.of("split", seed);
      store.put(k, p, s.sizeOf(p));
      store.put(Key.of("other"), new long[] {1, 2, 3}, 100); // pushes the split out
      assertTrue(store.isSpilled(k), context);
      for (int j = 0; j < p.parts(); j++) {
        KeyPart part = KeyPart.of(k, j);
        Encoded e = store.getPartEncoded(part, s).orElseThrow();
        assertEquals("arrow-table", e.codec(), context);
        Frames.assertTableEquals(p.tables().get(j), (Table) s.decode(e), context + ", encoded part " + j);
        Frames.assertTableEquals(p.tables().get(j), (Table) store.getPart(part).orElseThrow(), context + ", part " + j);
        assertTrue(store.isSpilled(k), context + ": reading part " + j + " does not load the value");
      }
      assertTrue(store.getPart(KeyPart.of(Key.of("none"), 0)).isEmpty());
      // in memory, parts are cut from the value
      assertPiecesEqual(p, store.get(k).orElseThrow().value(), context + " (loaded back)");
      for (int j = 0; j < p.parts(); j++) {
        Frames.assertTableEquals(p.tables().get(j), (Table) store.getPart(KeyPart.of(k, j)).orElseThrow(),
            context + ", in-memory part " + j);
      }
    }
  }

  /**
   * A random table cut by random piece numbers ({@link Take#split}: a cut, gathered when asked),
   * and the oracle: for each piece, Tablesaw's own {@code rows(...)} of the rows with that number,
   * in input order. Some pieces are empty; seed 0 cuts an empty table, seed 1 into one piece.
   */
  private static Pieces[] randomCut(int seed) {
    Random r = new Random(1000 + seed);
    Table whole = Frames.random(r, seed == 0 ? 0 : 1 + r.nextInt(400));
    int m = seed == 1 ? 1 : 1 + r.nextInt(9);
    int[] part = new int[whole.rowCount()];
    for (int i = 0; i < part.length; i++) {
      part[i] = r.nextInt(3) == 0 ? 0 : r.nextInt(m); // skewed: piece 0 holds more
    }
    List<Table> expected = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      final int jj = j;
      int[] rows = IntStream.range(0, part.length).filter(i -> part[i] == jj).toArray();
      expected.add(rows.length == 0 ? whole.emptyCopy() : whole.rows(rows)); // Tablesaw's rows() refuses none
    }
    return new Pieces[] {Take.split(whole, part.clone(), m), new Pieces(expected)};
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void cut_piecesAreTheRowsOfEachPart_sizedWithoutBuildingThem(int seed) {
    Pieces[] pe = randomCut(seed);
    Pieces cut = pe[0];
    Pieces expected = pe[1];
    String context = "seed " + seed + ", " + expected.parts() + " parts";
    assertTrue(cut.isCut(), context);
    assertFalse(expected.isCut(), context);
    assertEquals(expected.parts(), cut.parts(), context);
    ArrowTableCodec codec = new ArrowTableCodec();
    long sum = 0;
    for (int j = 0; j < expected.parts(); j++) {
      Table want = expected.tables().get(j);
      assertEquals(want.rowCount(), cut.rows(j), context + ", rows of part " + j);
      Frames.assertTableEquals(want, (Table) cut.part(j), context + ", part " + j);
      Frames.assertTableEquals(want, (Table) cut.part(j), context + ", part " + j + " asked again");
      // the estimate of a cut's piece: the table's own, a string column counting at most the input's distinct values
      long own = codec.sizeOf(want);
      long est = cut.sizeOf(j, codec);
      boolean strings = want.columns().stream().anyMatch(c -> c instanceof tech.tablesaw.api.StringColumn);
      assertTrue(strings ? est >= own : est == own, context + ", part " + j + ": estimate " + est + ", table " + own);
      sum += est;
    }
    assertPiecesEqual(expected, cut.materialized(), context + " (materialized)");
    assertFalse(cut.materialized().isCut(), context);
    assertEquals(16 + sum, Serialization.get().sizeOf(cut), context + ": sized by the codec");
    assertThrows(IndexOutOfBoundsException.class, () -> cut.part(expected.parts()), context);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void cut_roundTripsAndSpillsAsItsPieces(int seed) {
    Serialization s = Serialization.get();
    Pieces[] pe = randomCut(seed);
    String context = "seed " + seed + ", cut into " + pe[1].parts();
    Encoded e = s.encode(pe[0]);
    assertEquals("pieces", e.codec(), context);
    assertPiecesEqual(pe[1], s.decode(e), context);
    try (DataStore store = new DataStore(new DataStore.Spill(tmp.resolve("cut"), seed % 2 == 0, 1, s), Runnable::run)) {
      Key k = Key.of("cut", seed);
      store.put(k, pe[0], s.sizeOf(pe[0]));
      store.put(Key.of("other"), new long[] {1, 2, 3}, 100); // pushes the split out
      assertTrue(store.isSpilled(k), context);
      for (int j = 0; j < pe[1].parts(); j++) {
        Frames.assertTableEquals(pe[1].tables().get(j), (Table) store.getPart(KeyPart.of(k, j)).orElseThrow(),
            context + ", spilled part " + j);
      }
    }
  }

  /**
   * A worker's cut sends each part alone, written straight from the input (PiecesCodec.encodePart,
   * DataStore.getPartEncoded), as the "arrow-table" stream of the piece's table; a sort's cut
   * (withLocalSlices) names the same stream "arrow-piece", which the receiver decodes into arrays
   * that read as the piece; an output task on the same worker gets a slice with withLocalSlices
   * (Parted.localPart), which reads as the piece.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void cut_partsAreSentAlone_andLocalTasksGetSlices(int seed) {
    Serialization s = Serialization.get();
    Pieces[] pe = randomCut(seed);
    Pieces cut = pe[0];
    String context = "seed " + seed + ", cut into " + pe[1].parts();
    try (DataStore store = new DataStore(new DataStore.Spill(tmp.resolve("sent"), false, 1L << 40, s), Runnable::run)) {
      Key k = Key.of("sent", seed);
      store.put(k, cut.withLocalSlices(), s.sizeOf(cut));
      for (int j = 0; j < pe[1].parts(); j++) {
        Table want = pe[1].tables().get(j);
        Encoded e = store.getPartEncoded(KeyPart.of(k, j), s).orElseThrow();
        assertEquals("arrow-piece", e.codec(), context);
        Object received = s.decode(e);
        assertFalse(received instanceof Table, context + ": a sort's piece arrives as arrays");
        Frames.assertTableEquals(want, io.jask.dataframe.internal.ShuffleFns.concat(List.of(received)),
            context + ", sent part " + j);
        Frames.assertTableEquals(want, io.jask.dataframe.internal.ShuffleFns.concat(List.of(s.decode(s.encode(received)))),
            context + ", sent part " + j + " encoded again");
        Encoded plain = s.encodePart(cut, j);
        assertEquals("arrow-table", plain.codec(), context);
        assertEquals(e.frames(), plain.frames(), context + ": the same stream");
        Frames.assertTableEquals(want, (Table) s.decode(s.encodePart(cut, j)), context + ", encodePart " + j);
        Object local = store.getPart(KeyPart.of(k, j)).orElseThrow();
        assertFalse(local instanceof Table, context + ": a local task gets the piece unbuilt");
        Frames.assertTableEquals(want, io.jask.dataframe.internal.ShuffleFns.concat(List.of(local)), context + ", local part " + j);
        Frames.assertTableEquals(want, (Table) cut.withLocalSlices().part(j), context + ", part " + j + " is still a table");
      }
      int m = pe[1].parts();
      assertThrows(IllegalArgumentException.class, () -> s.encodePart(cut, m), context);
      assertThrows(IllegalArgumentException.class, () -> s.encodePart(cut, -1), context);
    }
    Pieces tables = pe[1];
    for (int j = 0; j < tables.parts(); j++) {
      assertTrue(tables.localPart(j) instanceof Table, context + ": pieces that are tables hand out tables");
      Frames.assertTableEquals(tables.tables().get(j), (Table) s.decode(s.encodePart(tables, j)), context + ", tables part " + j);
    }
  }

  /**
   * A sort's output task over the pieces of several cuts as a worker receives them: some decoded
   * from a peer's "arrow-piece" stream (arrays), some slices of its own cuts, some tables (a
   * spilled split's); the same rows as a stable sort of their concatenation (SortTest's oracle),
   * on every column of the random schema (strings with missing values, booleans, ints, longs,
   * doubles with NaN), ascending and descending, one key column and two.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void sortOutput_overReceivedSlicedAndTablePieces_isAStableSortOfTheirRows(int seed) {
    Serialization s = Serialization.get();
    Random r = new Random(5000 + seed);
    List<String> names = List.of("k", "g", "i", "x", "b");
    try (DataStore store = new DataStore(new DataStore.Spill(tmp.resolve("sort"), false, 1L << 40, s), Runnable::run)) {
      for (int round = 0; round < 4; round++) {
        int cuts = 1 + r.nextInt(4);
        int j = 0;
        List<Object> parts = new ArrayList<>();
        List<Table> expected = new ArrayList<>();
        for (int c = 0; c < cuts; c++) {
          Pieces[] pe = randomCut(seed * 7 + round * 3 + c);
          int jj = Math.min(j, pe[1].parts() - 1);
          Key k = Key.of("sort", seed, round, c);
          store.put(k, pe[0].withLocalSlices(), s.sizeOf(pe[0]));
          int how = r.nextInt(3);
          parts.add(how == 0 ? s.decode(store.getPartEncoded(KeyPart.of(k, jj), s).orElseThrow())
              : how == 1 ? store.getPart(KeyPart.of(k, jj)).orElseThrow() : pe[1].tables().get(jj));
          expected.add(pe[1].tables().get(jj));
          j = r.nextInt(3);
        }
        List<String> by = r.nextBoolean() ? List.of(names.get(r.nextInt(5))) : List.of(names.get(r.nextInt(5)), names.get(r.nextInt(5)));
        if (by.size() == 2 && by.get(0).equals(by.get(1))) {
          by = List.of(by.get(0));
        }
        List<Boolean> asc = by.size() == 1 ? List.of(r.nextBoolean()) : List.of(r.nextBoolean(), r.nextBoolean());
        Table all = expected.get(0).emptyCopy();
        for (Table t : expected) {
          all.append(t);
        }
        String context = "seed " + seed + ", round " + round + ", by " + by + " " + asc + ", " + all.rowCount() + " rows";
        Table got = (Table) new io.jask.dataframe.internal.ShuffleFns.SortPieces(by, asc).apply(new Object[] {parts});
        assertEquals(SortTest.oracle(all, by, asc), Frames.rows(got), context);
      }
    }
  }
}
