package io.jask.array;

import io.jask.array.internal.Chunks;
import io.jask.engine.Graph;
import io.jask.engine.Jask;
import io.jask.engine.JaskCollection;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.Task;
import io.jask.engine.TaskFn;
import io.jask.engine.Tokenize;
import io.jask.io.Hdf5;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code DArray.fromHdf5} and {@code toHdf5}: the array side of {@link Hdf5} (module {@code io}).
 * Reading is one task per chunk, each reading its own hyperslab of the dataset (only the storage
 * chunks it overlaps are decoded). Writing computes the blocks and hands them to one task that
 * writes the chunked dataset to a temporary file and renames it at the end: a failing block fails
 * the computation before anything is written, a failing write leaves no file. jHDF writes a file in
 * one go, so the writing task holds the whole array (a chunked dataset holds at most 2 GiB).
 */
final class Hdf5Arrays {
  private Hdf5Arrays() {}

  static DArray fromHdf5(Path path, String dataset, int... chunks) {
    Hdf5.Info info = Hdf5.info(path, dataset);
    long[] shape = info.shape();
    int[] sizes = chunks;
    if (chunks.length == 0) {
      sizes = info.storageChunks().orElse(new int[shape.length]); // contiguous: one chunk (0 = whole axis)
    }
    long[][] grid = Chunks.regular(shape, sizes);
    DataType dtype = dtypeOf(info.type());
    long modified;
    long size;
    try {
      modified = Files.getLastModifiedTime(path).toMillis();
      size = Files.size(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read HDF5 file " + path, e);
    }
    String file = path.toAbsolutePath().toString();
    String name = Tokenize.name("from-hdf5", file, dataset, modified, size, grid);
    Map<Key, Task> tasks = new LinkedHashMap<>();
    for (int[] idx : Chunks.indices(Chunks.numBlocks(grid))) {
      long[] offset = new long[shape.length];
      int[] blockShape = new int[shape.length];
      for (int a = 0; a < shape.length; a++) {
        long[] offs = Chunks.offsets(grid[a]);
        offset[a] = offs[idx[a]];
        blockShape[a] = (int) grid[a][idx[a]];
      }
      tasks.put(Key.of(name, idx), Task.of(new ReadBlock(file, dataset, offset, blockShape)));
    }
    Graph g = Graph.of(Layer.of(name, Set.of(), tasks));
    return DArray.fromGraph(name, g, grid, dtype);
  }

  static void toHdf5(DArray x, Path path, String dataset) {
    if (!Chunks.allKnown(x.chunks())) {
      throw new IllegalArgumentException("toHdf5 " + path + " dataset '" + dataset + "': unknown chunk sizes "
          + Chunks.describe(x.chunks()));
    }
    Hdf5.ElementType type = typeOf(x.dtype(), path, dataset);
    long[][] chunks = x.chunks();
    int[] storage = new int[chunks.length];
    List<long[]> offsets = new ArrayList<>();
    List<Key> keys = new ArrayList<>();
    for (int a = 0; a < chunks.length; a++) {
      storage[a] = (int) Math.max(1, java.util.Arrays.stream(chunks[a]).max().orElse(1));
    }
    for (int[] idx : Chunks.indices(Chunks.numBlocks(chunks))) {
      long[] off = new long[chunks.length];
      for (int a = 0; a < chunks.length; a++) {
        off[a] = Chunks.offsets(chunks[a])[idx[a]];
      }
      offsets.add(off);
      keys.add(x.blockKey(idx));
    }
    String file = path.toAbsolutePath().toString();
    String name = Tokenize.name("to-hdf5", x.name(), file, dataset);
    Key key = Key.of(name);
    TaskFn write = new WriteFile(file, dataset, type, x.shape(), storage, offsets);
    Graph g = Graph.of(Layer.of(name, Set.of(x.name()), Map.of(key, Task.of(write, keys))), x.graph());
    Jask.compute(new Job(g, key));
  }

  static DataType dtypeOf(Hdf5.ElementType t) {
    return switch (t) {
      case FLOAT64 -> DataType.DOUBLE;
      case FLOAT32 -> DataType.FLOAT;
      case INT64 -> DataType.LONG;
      case INT32 -> DataType.INT;
      case BOOL -> DataType.BOOL;
    };
  }

  private static Hdf5.ElementType typeOf(DataType t, Path path, String dataset) {
    return switch (t) {
      case DOUBLE -> Hdf5.ElementType.FLOAT64;
      case FLOAT -> Hdf5.ElementType.FLOAT32;
      case LONG -> Hdf5.ElementType.INT64;
      case INT -> Hdf5.ElementType.INT32;
      case BOOL -> Hdf5.ElementType.BOOL;
      default -> throw new IllegalArgumentException("toHdf5 " + path + " dataset '" + dataset + "': dtype " + t
          + " cannot be written");
    };
  }

  /** A flat primitive block as an INDArray of the given shape. */
  static INDArray toNd(Object flat, long[] shape) {
    INDArray v;
    if (flat instanceof double[] d) {
      v = Nd4j.createFromArray(d);
    } else if (flat instanceof float[] f) {
      v = Nd4j.createFromArray(f);
    } else if (flat instanceof long[] l) {
      v = Nd4j.createFromArray(l);
    } else if (flat instanceof int[] i) {
      v = Nd4j.createFromArray(i);
    } else {
      v = Nd4j.createFromArray((boolean[]) flat);
    }
    return v.reshape('c', shape);
  }

  /** An INDArray's elements as a flat row-major primitive array of the element type. */
  static Object toFlat(INDArray a, Hdf5.ElementType type) {
    boolean plain = a.ordering() == 'c' && !a.isView() && a.offset() == 0 && a.data().length() == a.length();
    INDArray c = plain ? a : a.dup('c');
    try {
      return switch (type) {
        case FLOAT64 -> c.data().asDouble();
        case FLOAT32 -> c.data().asFloat();
        case INT64 -> c.data().asLong();
        case INT32 -> c.data().asInt();
        case BOOL -> {
          boolean[] out = new boolean[(int) c.length()];
          int[] ints = c.castTo(DataType.INT).data().asInt();
          for (int i = 0; i < out.length; i++) {
            out[i] = ints[i] != 0;
          }
          yield out;
        }
      };
    } finally {
      if (c != a) {
        c.close();
      }
    }
  }

  /** Task: reads one hyperslab. */
  record ReadBlock(String file, String dataset, long[] offset, int[] shape) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      long[] s = new long[shape.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = shape[i];
      }
      return toNd(Hdf5.read(Path.of(file), dataset, offset, shape), s);
    }
  }

  /** Task: writes all blocks (its argument, in row-major block order) as one dataset. */
  record WriteFile(String file, String dataset, Hdf5.ElementType type, long[] shape, int[] storage, List<long[]> offsets)
      implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      List<?> blocks = (List<?>) args[0];
      List<Hdf5.Block> out = new ArrayList<>(blocks.size());
      long n = 0;
      for (int i = 0; i < blocks.size(); i++) {
        INDArray b = (INDArray) blocks.get(i);
        int[] bs = new int[shape.length];
        for (int a = 0; a < bs.length; a++) {
          bs[a] = (int) b.size(a);
        }
        out.add(new Hdf5.Block(offsets.get(i), bs, toFlat(b, type)));
        n += b.length();
      }
      Hdf5.write(Path.of(file), dataset, type, shape, storage, out);
      return n;
    }
  }

  /** The write as a collection of one key, for {@link Jask#compute}. */
  private record Job(Graph graph, Key key) implements JaskCollection<Object> {
    @Override
    public List<Key> keys() {
      return List.of(key);
    }

    @Override
    public Object finalize(List<Object> results) {
      return results.get(0);
    }

    @Override
    public JaskCollection<Object> rebuild(Graph g) {
      return new Job(g, key);
    }
  }
}
