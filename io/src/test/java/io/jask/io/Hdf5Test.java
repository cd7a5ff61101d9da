package io.jask.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hdf5 against two oracles: a file written by the reference HDF5 library (h5py, checked in with the
 * script that made it) read back element by element, and random arrays written in random blocks and
 * read back in random hyperslabs, compared with plain row-major index arithmetic; plus, where
 * Debian's python3-h5py is installed, h5py reading the files Hdf5 writes.
 */
class Hdf5Test {
  @TempDir Path dir;

  private Path fixture() throws IOException {
    Path f = dir.resolve("fixture.h5");
    try (InputStream in = Hdf5Test.class.getResourceAsStream("/hdf5/fixture.h5")) {
      Files.copy(in, f);
    }
    return f;
  }

  @Test
  void read_h5pyFile_everyHyperslabMatchesTheFormulas() throws IOException {
    Path f = fixture();
    Hdf5.Info info = Hdf5.info(f, "f64");
    assertArrayEquals(new long[] {7, 5}, info.shape());
    assertEquals(Hdf5.ElementType.FLOAT64, info.type());
    assertArrayEquals(new int[] {3, 2}, info.storageChunks().orElseThrow());
    for (int r0 = 0; r0 < 7; r0++) {
      for (int c0 = 0; c0 < 5; c0++) {
        for (int h = 1; r0 + h <= 7; h += 2) {
          for (int w = 1; c0 + w <= 5; w += 2) {
            double[] got = (double[]) Hdf5.read(f, "f64", new long[] {r0, c0}, new int[] {h, w});
            for (int i = 0; i < h; i++) {
              for (int j = 0; j < w; j++) {
                int r = r0 + i;
                int c = c0 + j;
                double expected = r == 2 && c == 3 ? Double.NaN : r * 5 + c + 0.5;
                assertEquals(expected, got[i * w + j], "f64[" + r + "," + c + "] via slab " + r0 + "," + c0 + " " + h + "x" + w);
              }
            }
          }
        }
      }
    }
    int[] i32 = (int[]) Hdf5.read(f, "/grp/sub/i32", new long[] {3}, new int[] {7});
    for (int i = 0; i < 7; i++) {
      assertEquals((3 + i) * -3, i32[i]);
    }
    Hdf5.Info small = Hdf5.info(f, "i16");
    assertEquals(Hdf5.ElementType.INT32, small.type());
    assertTrue(small.storageChunks().isEmpty(), "contiguous");
    assertArrayEquals(new int[] {-2, -1, 0, 1, 2, 3, 4, 5}, (int[]) Hdf5.read(f, "i16", new long[] {1, 0}, new int[] {2, 4}));
    float[] f32 = (float[]) Hdf5.read(f, "f32", new long[] {1, 1, 1}, new int[] {1, 2, 3});
    assertArrayEquals(new float[] {17 / 4f, 18 / 4f, 19 / 4f, 21 / 4f, 22 / 4f, 23 / 4f}, f32);
    long[] i64 = (long[]) Hdf5.read(f, "i64", new long[] {0, 0}, new int[] {2, 3});
    assertEquals(5_000_000_000_000L, i64[5]);
  }

  @Test
  void badInput_failsNamingTheFileAndDataset() throws IOException {
    Path f = fixture();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hdf5.info(f, "nope"));
    assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("'nope'") && e.getMessage().contains("f64"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Hdf5.info(f, "text"));
    assertTrue(e.getMessage().contains("'text'") && e.getMessage().contains("supported"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Hdf5.info(f, "scalar"));
    assertTrue(e.getMessage().contains("scalar"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Hdf5.info(f, "grp"));
    assertTrue(e.getMessage().contains("not a dataset"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Hdf5.read(f, "f64", new long[] {5, 0}, new int[] {3, 5}));
    assertTrue(e.getMessage().contains("[5, 0]") && e.getMessage().contains("[7, 5]"), e.getMessage());
    Path missing = dir.resolve("missing.h5");
    e = assertThrows(IllegalArgumentException.class, () -> Hdf5.info(missing, "x"));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    Path junk = dir.resolve("junk.h5");
    Files.writeString(junk, "not hdf5 at all");
    e = assertThrows(IllegalArgumentException.class, () -> Hdf5.info(junk, "x"));
    assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
  }

  @Test
  void write_blocksThatDoNotFit_failsAndLeavesNoFile() throws IOException {
    Path out = dir.resolve("w/out.h5");
    List<Hdf5.Block> gap = List.of(new Hdf5.Block(new long[] {0, 0}, new int[] {1, 3}, new double[3]));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Hdf5.write(out, "x", Hdf5.ElementType.FLOAT64, new long[] {2, 3}, new int[] {1, 3}, gap));
    assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("'x'"), e.getMessage());
    List<Hdf5.Block> outside = List.of(new Hdf5.Block(new long[] {1, 1}, new int[] {1, 3}, new double[3]));
    e = assertThrows(IllegalArgumentException.class,
        () -> Hdf5.write(out, "x", Hdf5.ElementType.FLOAT64, new long[] {2, 3}, new int[] {1, 3}, outside));
    assertTrue(e.getMessage().contains("outside"), e.getMessage());
    List<Hdf5.Block> wrongType = List.of(new Hdf5.Block(new long[] {0, 0}, new int[] {2, 3}, new float[6]));
    e = assertThrows(IllegalArgumentException.class,
        () -> Hdf5.write(out, "x", Hdf5.ElementType.FLOAT64, new long[] {2, 3}, new int[] {1, 3}, wrongType));
    assertTrue(e.getMessage().contains("float[]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Hdf5.write(out, "x", Hdf5.ElementType.FLOAT64, new long[] {0, 3}, new int[] {1, 3}, List.of()));
    assertTrue(e.getMessage().contains("[0, 3]"), e.getMessage());
    assertTrue(!Files.exists(out), "no file after failed writes");
    try (Stream<Path> s = Files.exists(out.getParent()) ? Files.list(out.getParent()) : Stream.empty()) {
      assertEquals(List.of(), s.toList(), "no temporary file left");
    }
  }

  // ------------------------------------------------------------------ round trips over random cases

  record Case(long seed, Hdf5.ElementType type, long[] shape, int[][] blockSizes, int[] storageChunks) {
    @Override
    public String toString() {
      return "seed=" + seed + " " + type + " shape=" + Arrays.toString(shape) + " blocks="
          + Arrays.deepToString(blockSizes) + " storage=" + Arrays.toString(storageChunks);
    }
  }

  static Stream<Case> cases() {
    return LongStream.range(0, 60).mapToObj(seed -> {
      Random r = new Random(seed);
      Hdf5.ElementType type = Hdf5.ElementType.values()[r.nextInt(Hdf5.ElementType.values().length)];
      int rank = 1 + r.nextInt(3);
      long[] shape = new long[rank];
      int[][] blocks = new int[rank][];
      int[] storage = new int[rank];
      for (int a = 0; a < rank; a++) {
        shape[a] = 1 + r.nextInt(rank == 1 ? 40 : 12);
        List<Integer> sizes = new ArrayList<>();
        long left = shape[a];
        while (left > 0) { // uneven blocks, sometimes one block for the axis
          int s = r.nextInt(4) == 0 ? (int) left : 1 + r.nextInt((int) left);
          sizes.add(s);
          left -= s;
        }
        blocks[a] = sizes.stream().mapToInt(Integer::intValue).toArray();
        storage[a] = 1 + r.nextInt((int) shape[a]);
      }
      return new Case(seed, type, shape, blocks, storage);
    });
  }

  /** The value at flat position {@code i} of a case's array (NaN now and then for floats). */
  static Object fill(Hdf5.ElementType type, int n, Random r) {
    Object a = type.newBlock(n);
    for (int i = 0; i < n; i++) {
      switch (type) {
        case FLOAT64 -> ((double[]) a)[i] = r.nextInt(15) == 0 ? Double.NaN : r.nextGaussian() * 1e3;
        case FLOAT32 -> ((float[]) a)[i] = r.nextInt(15) == 0 ? Float.NaN : (float) r.nextGaussian();
        case INT64 -> ((long[]) a)[i] = r.nextLong();
        case INT32 -> ((int[]) a)[i] = r.nextInt();
        case BOOL -> ((boolean[]) a)[i] = r.nextBoolean();
      }
    }
    return a;
  }

  /** Cuts the whole flat array into the case's grid of blocks. */
  static List<Hdf5.Block> cut(Case c, Object whole) {
    int rank = c.shape().length;
    List<Hdf5.Block> out = new ArrayList<>();
    int[] grid = new int[rank];
    while (true) {
      long[] off = new long[rank];
      int[] shp = new int[rank];
      for (int a = 0; a < rank; a++) {
        for (int k = 0; k < grid[a]; k++) {
          off[a] += c.blockSizes()[a][k];
        }
        shp[a] = c.blockSizes()[a][grid[a]];
      }
      out.add(new Hdf5.Block(off, shp, slab(whole, c.shape(), off, shp)));
      int a = rank - 1;
      while (a >= 0 && ++grid[a] == c.blockSizes()[a].length) {
        grid[a--] = 0;
      }
      if (a < 0) {
        return out;
      }
    }
  }

  /** The hyperslab of a flat row-major array by index arithmetic (the oracle). */
  static Object slab(Object whole, long[] shape, long[] off, int[] shp) {
    int rank = shape.length;
    int n = 1;
    for (int s : shp) {
      n *= s;
    }
    Object out = Array.newInstance(whole.getClass().getComponentType(), n);
    int[] idx = new int[rank];
    for (int k = 0; k < n; k++) {
      long flat = 0;
      for (int a = 0; a < rank; a++) {
        flat = flat * shape[a] + off[a] + idx[a];
      }
      Array.set(out, k, Array.get(whole, (int) flat));
      for (int a = rank - 1; a >= 0 && ++idx[a] == shp[a]; a--) {
        idx[a] = 0;
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void write_thenReadRandomHyperslabs_matchesIndexArithmetic(Case c) {
    Random r = new Random(c.seed() * 31 + 7);
    long total = Arrays.stream(c.shape()).reduce(1, (x, y) -> x * y);
    Object whole = fill(c.type(), (int) total, r);
    List<Hdf5.Block> blocks = cut(c, whole);
    java.util.Collections.shuffle(blocks, r);
    Path f = dir.resolve("rt" + c.seed() + ".h5");
    String name = r.nextBoolean() ? "x" : "/g/h/x";
    Hdf5.write(f, name, c.type(), c.shape(), c.storageChunks(), blocks);
    Hdf5.Info info = Hdf5.info(f, name);
    assertArrayEquals(c.shape(), info.shape(), c.toString());
    assertEquals(c.type(), info.type(), c.toString());
    for (int t = 0; t < 10; t++) {
      long[] off = new long[c.shape().length];
      int[] shp = new int[c.shape().length];
      for (int a = 0; a < off.length; a++) {
        off[a] = r.nextInt((int) c.shape()[a]);
        shp[a] = 1 + r.nextInt((int) (c.shape()[a] - off[a]));
      }
      Object expected = slab(whole, c.shape(), off, shp);
      Object got = Hdf5.read(f, name, off, shp);
      assertTrue(Arrays.deepEquals(new Object[] {expected}, new Object[] {got}),
          c + " slab " + Arrays.toString(off) + " " + Arrays.toString(shp));
    }
  }

  // ------------------------------------------------------------------ h5py reads what Hdf5 writes

  private static boolean h5pyInstalled() {
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import h5py").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void write_isReadByH5py_withTheSameValuesAndChunks() throws Exception {
    Assumptions.assumeTrue(h5pyInstalled(), "Debian's python3-h5py is not installed (apt-get install python3-h5py)");
    Path f = dir.resolve("for-h5py.h5");
    long[] shape = {9, 7};
    double[] whole = new double[63];
    for (int i = 0; i < whole.length; i++) {
      whole[i] = i == 17 ? Double.NaN : i * 0.25 - 3;
    }
    Case c = new Case(0, Hdf5.ElementType.FLOAT64, shape, new int[][] {{4, 4, 1}, {7}}, new int[] {4, 7});
    Hdf5.write(f, "/grp/data", Hdf5.ElementType.FLOAT64, shape, new int[] {4, 7}, cut(c, whole));
    int[] ints = {5, -1, 7, Integer.MIN_VALUE, Integer.MAX_VALUE};
    Path g = dir.resolve("ints.h5");
    Hdf5.write(g, "i", Hdf5.ElementType.INT32, new long[] {5}, new int[] {2},
        List.of(new Hdf5.Block(new long[] {0}, new int[] {5}, ints)));
    String script = String.join("\n",
        "import h5py, sys",
        "f = h5py.File(sys.argv[1], 'r'); d = f['grp/data']",
        "print(d.shape, d.dtype, d.chunks)",
        "print(' '.join(repr(float(v)) for v in d[...].ravel()))",
        "g = h5py.File(sys.argv[2], 'r')['i']",
        "print(g.dtype, g.chunks, ' '.join(str(int(v)) for v in g[...]))");
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", script, f.toString(), g.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "h5py did not finish");
    assertEquals(0, p.exitValue(), out);
    String[] lines = out.strip().split("\n");
    assertEquals("(9, 7) float64 (4, 7)", lines[0], out);
    String[] values = lines[1].split(" ");
    assertEquals(63, values.length, out);
    for (int i = 0; i < 63; i++) {
      assertEquals(whole[i], Double.parseDouble(values[i].replace("nan", "NaN")), "element " + i);
    }
    assertEquals("int32 (2,) 5 -1 7 -2147483648 2147483647", lines[2], out);
  }
}
