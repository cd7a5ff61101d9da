package io.jask.array;

import static io.jask.array.LinalgSupport.CASES;
import static io.jask.array.LinalgSupport.assertClose;
import static io.jask.array.LinalgSupport.describe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.JaskTaskException;
import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** blockwise in index notation against the same ND4J computation on whole arrays. */
class BlockwiseTest {

  @AllSchedulers
  void blockwise_elementwiseWithBroadcastAndRechunk_matchesNd4j(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(seed);
        long m = 1 + r.nextInt(9);
        long n = 1 + r.nextInt(9);
        INDArray x = LinalgSupport.random(r, DataType.DOUBLE, seed % 2 == 0 ? 0.1 : 0, m, n);
        INDArray y = LinalgSupport.random(r, DataType.DOUBLE, 0, m, n);
        INDArray z = LinalgSupport.random(r, DataType.DOUBLE, 0, n);
        DArray dx = DArray.fromArray(x, LinalgSupport.chunks(r, x.shape(), 1));
        DArray dy = DArray.fromArray(y, LinalgSupport.chunks(r, y.shape(), 1)); // other chunks: rechunked
        DArray dz = DArray.fromArray(z, LinalgSupport.chunks(r, z.shape(), 1));
        String what = "seed " + seed + " " + describe(dx.chunks()) + " " + describe(dy.chunks()) + " "
            + describe(dz.chunks());
        DArray out = DArray.blockwise(a -> ((INDArray) a[0]).add(((INDArray) a[1]).mulRowVector((INDArray) a[2])),
            "ij", dx, "ij", dy, "ij", dz, "j");
        assertClose(x.add(y.mulRowVector(z)), out.compute(), 1e-12, what);
        // a (1, n) array broadcasts along i
        DArray row = DArray.fromArray(z.reshape(1, n).dup(), 1, (int) n);
        DArray out2 = DArray.blockwise(a -> ((INDArray) a[0]).sub((INDArray) a[1]), "ij", dx, "ij", row, "ij");
        assertClose(x.subRowVector(z), out2.compute(), 1e-12, what + " broadcast");
      }
    }
  }

  @AllSchedulers
  void blockwise_contractedIndex_listsOrConcatenates(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(50 + seed);
        long m = 1 + r.nextInt(9);
        long n = 1 + r.nextInt(9);
        INDArray x = LinalgSupport.random(r, DataType.DOUBLE, 0, m, n);
        DArray dx = DArray.fromArray(x, LinalgSupport.chunks(r, x.shape(), 1));
        String what = "seed " + seed + " " + describe(dx.chunks());
        // without concatenate: a list of the blocks along j
        DArray sums = DArray.blockwise(a -> {
          INDArray acc = null;
          for (Object b : (List<?>) a[0]) {
            INDArray part = ((INDArray) b).sum(1);
            acc = acc == null ? part : acc.add(part);
          }
          return acc;
        }, "i", dx, "ij");
        assertArrayEquals(dx.chunks()[0], sums.chunks()[0], what);
        assertClose(x.sum(1), sums.compute(), 1e-12, what + " row sums");
        // with concatenate: one block holding the whole row band
        DArray maxes = DArray.blockwiseConcatenated(a -> ((INDArray) a[0]).max(1), "i", DataType.DOUBLE, dx, "ij");
        assertClose(x.max(1), maxes.compute(), 0, what + " row max");
        // a transposition by index order, and a literal argument
        DArray t = DArray.blockwise(a -> ((INDArray) a[0]).transpose().mul((Double) a[1]), "ji", dx, "ij", 2.0, null);
        assertClose(x.transpose().mul(2.0), t.compute(), 0, what + " transpose");
      }
    }
  }

  @Test
  void blockwise_badIndices_failNamingShapesAndChunks() {
    DArray x = DArray.fromArray(Nd4j.rand(DataType.DOUBLE, 4, 3), 2, 3);
    DArray y = DArray.fromArray(Nd4j.rand(DataType.DOUBLE, 5), 5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DArray.blockwise(a -> (INDArray) a[0], "ij", x, "ij", y, "j"));
    assertTrue(e.getMessage().contains("'j'") && e.getMessage().contains("((2, 2), (3,))"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DArray.blockwise(a -> (INDArray) a[0], "ik", x, "ij"));
    assertTrue(e.getMessage().contains("'k'"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> DArray.blockwise(a -> (INDArray) a[0], "i", x, "i"));
    assertTrue(e.getMessage().contains("(4, 3)"), e.getMessage());
  }

  @AllSchedulers
  void blockwise_wrongBlockShape_failsNamingIt(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      DArray x = DArray.fromArray(Nd4j.rand(DataType.DOUBLE, 4, 3), 2, 3);
      JaskTaskException e = assertThrows(JaskTaskException.class,
          () -> DArray.blockwise(a -> ((INDArray) a[0]).sum(0), "ij", x, "ij").compute());
      assertTrue(e.getMessage().contains("expected [2, 3]"), e.getMessage());
      assertEquals(DataType.DOUBLE, x.dtype());
    }
  }
}
