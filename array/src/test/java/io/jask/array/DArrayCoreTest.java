package io.jask.array;

import static io.jask.array.Arrays2.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Key;
import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The core: chunks, keys, fromArray/compute round trips, one element-wise op and one reduction against ND4J. */
class DArrayCoreTest {
  private static final int CASES = 8;

  @Test
  void fromArray_regularChunks_likeDask() {
    INDArray x = Arrays2.doubles(new Random(1), new long[] {10, 7}, 0);
    DArray d = DArray.fromArray(x, 4, 3);
    assertArrayEquals(new long[] {10, 7}, d.shape());
    assertArrayEquals(new long[][] {{4, 4, 2}, {3, 3, 1}}, d.chunks());
    assertArrayEquals(new int[] {3, 3}, d.numBlocks());
    assertEquals(DataType.DOUBLE, d.dtype());
    assertEquals(9, d.keys().size());
    assertEquals(Key.of(d.name(), 0, 0), d.keys().get(0));
    assertEquals(Key.of(d.name(), 2, 1), d.blockKey(2, 1));
  }

  @Test
  void badChunks_failNamingShapeAndChunks() {
    INDArray x = Arrays2.doubles(new Random(1), new long[] {5, 3}, 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DArray.fromArray(x, new long[][] {{2, 2}, {3}}));
    assertTrue(e.getMessage().contains("(5, 3)") && e.getMessage().contains("((2, 2), (3,))"), e.getMessage());
  }

  @AllSchedulers
  void compute_anyChunking_givesTheArrayBack(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(seed);
        long[] shape = Arrays2.shape(r, 3, 9);
        DataType dt = new DataType[] {DataType.DOUBLE, DataType.FLOAT, DataType.LONG, DataType.INT, DataType.BOOL}[seed % 5];
        INDArray x = Arrays2.of(r, shape, dt);
        long[][] chunks = Arrays2.chunks(r, shape);
        DArray d = DArray.fromArray(x, chunks);
        assertClose(x, d.compute(), 0, "seed " + seed + " chunks " + Arrays2.describe(chunks));
      }
    }
  }

  @AllSchedulers
  void add_andSum_matchNd4j(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(100 + seed);
        long[] shape = Arrays2.shape(r, 3, 9);
        INDArray x = Arrays2.doubles(r, shape, seed % 3 == 0 ? 0.1 : 0);
        INDArray y = Arrays2.doubles(r, shape, 0);
        DArray dx = DArray.fromArray(x, Arrays2.chunks(r, shape));
        DArray dy = DArray.fromArray(y, Arrays2.chunks(r, shape));
        String what = "seed " + seed + " chunks " + Arrays2.describe(dx.chunks()) + " + " + Arrays2.describe(dy.chunks());
        assertClose(x.add(y), dx.add(dy).compute(), 1e-12, what);
        assertClose(x.add(y).sum(), dx.add(dy).sum().compute(), 1e-9, what + " sum");
      }
    }
  }
}
