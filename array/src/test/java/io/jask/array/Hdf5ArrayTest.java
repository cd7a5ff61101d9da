package io.jask.array;

import static io.jask.array.LinalgSupport.CASES;
import static io.jask.array.LinalgSupport.assertClose;
import static io.jask.array.LinalgSupport.describe;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.JaskTaskException;
import io.jask.engine.config.Config;
import io.jask.testing.AllSchedulers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** toHdf5 then fromHdf5 with other chunks gives the array back; failures leave no file; h5py reads our files. */
class Hdf5ArrayTest {
  @TempDir Path dir;

  @AllSchedulers
  void toHdf5_thenFromHdf5_anyChunks_anyDtype_roundTrips(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      DataType[] types = {DataType.DOUBLE, DataType.FLOAT, DataType.LONG, DataType.INT, DataType.BOOL, DataType.DOUBLE};
      for (int seed = 0; seed < CASES; seed++) {
        Random r = new Random(seed);
        int rank = 1 + r.nextInt(3);
        long[] shape = new long[rank];
        for (int a = 0; a < rank; a++) {
          shape[a] = 1 + r.nextInt(rank == 1 ? 30 : 9);
        }
        INDArray x = LinalgSupport.random(r, types[seed], seed == 5 ? 0.1 : 0, shape);
        DArray dx = DArray.fromArray(x, LinalgSupport.chunks(r, shape, 1));
        Path f = dir.resolve(scheduler + "-" + seed + ".h5");
        String dataset = seed % 2 == 0 ? "x" : "/grp/x";
        dx.toHdf5(f.toString(), dataset);
        long[][] readChunks = LinalgSupport.chunks(r, shape, 1);
        int[] sizes = new int[rank];
        for (int a = 0; a < rank; a++) {
          sizes[a] = (int) readChunks[a][0];
        }
        DArray back = DArray.fromHdf5(f.toString(), dataset, sizes);
        String what = "seed " + seed + " " + types[seed] + " written in " + describe(dx.chunks()) + " read in "
            + describe(back.chunks());
        assertEquals(x.dataType(), back.dtype(), what);
        assertArrayEquals(shape, back.shape(), what);
        assertClose(x, back.compute(), 0, what);
        // without chunks: the dataset's storage chunks (the largest written chunk per axis)
        DArray stored = DArray.fromHdf5(f.toString(), dataset);
        for (int a = 0; a < rank; a++) {
          long max = java.util.Arrays.stream(dx.chunks()[a]).max().orElseThrow();
          assertEquals(max, stored.chunks()[a][0], what + " storage chunks " + describe(stored.chunks()));
        }
        assertClose(x, stored.compute(), 0, what + " storage-chunked");
      }
    }
  }

  @AllSchedulers
  void toHdf5_failingBlock_leavesNoFileAndNoTemporary(String scheduler) throws IOException {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      DArray x = DArray.fromArray(Nd4j.rand(DataType.DOUBLE, 10, 4), 3, 4).mapBlocks(b -> {
        if (b.size(0) == 1) {
          throw new IllegalStateException("boom in the last block");
        }
        return b;
      });
      Path f = dir.resolve("fail/out.h5");
      Files.createDirectories(f.getParent());
      JaskTaskException e = assertThrows(JaskTaskException.class, () -> x.toHdf5(f.toString(), "x"));
      assertTrue(e.getMessage().contains("boom"), e.getMessage());
      assertFalse(Files.exists(f));
      try (Stream<Path> files = Files.list(f.getParent())) {
        assertEquals(List.of(), files.toList());
      }
    }
  }

  @Test
  void fromHdf5_missingFileOrDataset_failsNamingThem() {
    Path missing = dir.resolve("none.h5");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DArray.fromHdf5(missing.toString(), "x", 10));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    Path f = dir.resolve("one.h5");
    DArray.fromArray(Nd4j.rand(DataType.DOUBLE, 4), 2).toHdf5(f.toString(), "data");
    e = assertThrows(IllegalArgumentException.class, () -> DArray.fromHdf5(f.toString(), "nope", 10));
    assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains(f.toString()), e.getMessage());
  }

  @Test
  void toHdf5_isReadByH5py() throws Exception {
    boolean h5py;
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import h5py").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      h5py = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException ex) {
      h5py = false;
    }
    Assumptions.assumeTrue(h5py, "Debian's python3-h5py is not installed");
    INDArray x = Nd4j.arange(0, 60).castTo(DataType.DOUBLE).reshape(6, 10).div(4);
    Path f = dir.resolve("py.h5");
    DArray.fromArray(x, new long[][] {{4, 2}, {3, 3, 4}}).toHdf5(f.toString(), "/a/b");
    Process p = new ProcessBuilder("/usr/bin/python3", "-c",
        "import h5py, sys; d = h5py.File(sys.argv[1], 'r')['a/b']; print(d.shape, d.dtype, d.chunks, float(d[...].sum()), float(d[5, 9]))",
        f.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals("(6, 10) float64 (4, 4) " + (59 * 60 / 2 / 4.0) + " " + (59 / 4.0), out);
    // and the other way: a contiguous and a gzip-chunked dataset written by h5py
    Path g = dir.resolve("from-h5py.h5");
    Process w = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
        "import h5py, numpy as np, sys",
        "with h5py.File(sys.argv[1], 'w') as f:",
        "    f['c'] = np.arange(35, dtype='i8').reshape(7, 5)",
        "    f.create_dataset('z', data=np.arange(35, dtype='f4').reshape(7, 5) / 2, chunks=(3, 2), compression='gzip')"),
        g.toString()).redirectErrorStream(true).start();
    String wout = new String(w.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(w.waitFor(120, TimeUnit.SECONDS) && w.exitValue() == 0, wout);
    INDArray c = Nd4j.arange(0, 35).castTo(DataType.LONG).reshape(7, 5);
    DArray whole = DArray.fromHdf5(g.toString(), "c");
    assertArrayEquals(new long[][] {{7}, {5}}, whole.chunks(), "a contiguous dataset is one chunk");
    assertClose(c, whole.compute(), 0, "contiguous");
    assertClose(c, DArray.fromHdf5(g.toString(), "c", 2, 3).compute(), 0, "contiguous in chunks");
    DArray z = DArray.fromHdf5(g.toString(), "z");
    assertArrayEquals(new long[][] {{3, 3, 1}, {2, 2, 1}}, z.chunks(), "storage chunks");
    assertClose(c.castTo(DataType.FLOAT).div(2), z.compute(), 0, "gzip chunks");
  }
}
