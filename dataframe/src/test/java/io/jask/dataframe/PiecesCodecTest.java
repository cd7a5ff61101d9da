package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.dataframe.internal.Pieces;
import io.jask.dataframe.internal.PiecesCodec;
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
}
