package io.jask.io;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.DatasetCreationOptions;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * HDF5 datasets one block at a time, on jHDF (pure Java): {@link #info} reads a dataset's shape,
 * element type and storage chunks; {@link #read} reads one hyperslab (only the storage chunks it
 * overlaps are decoded); {@link #write} writes one chunked dataset from blocks. Blocks are flat
 * row-major primitive arrays ({@code double[]}, {@code float[]}, {@code long[]}, {@code int[]},
 * {@code boolean[]}) plus a shape, so this class knows neither ND4J nor any scheduler: {@code
 * DArray.fromHdf5} turns each block into one task.
 *
 * <pre>{@code
 * Path f = Path.of("data.h5");
 * Hdf5.write(f, "/x", Hdf5.ElementType.FLOAT64, new long[] {2, 3}, new int[] {1, 3},
 *     List.of(new Hdf5.Block(new long[] {0, 0}, new int[] {2, 3}, new double[] {1, 2, 3, 4, 5, 6})));
 * Hdf5.Info info = Hdf5.info(f, "/x");                                   // shape [2, 3], FLOAT64
 * double[] row1 = (double[]) Hdf5.read(f, "/x", new long[] {1, 0}, new int[] {1, 3});  // 4, 5, 6
 * }</pre>
 *
 * <p>Writing: jHDF writes a file in one go from an in-memory array, so {@link #write} assembles the
 * blocks into one array (a chunked dataset holds at most 2 GiB), writes it to a hidden temporary
 * file next to the target and renames it over the target at the end: a failure leaves no partial
 * file. The file holds only that dataset (an existing file is replaced, not appended to).
 */
public final class Hdf5 {
  private Hdf5() {}

  /** The element types of Jask arrays, with the primitive type of their blocks. */
  public enum ElementType {
    /** 64-bit floats: {@code double[]} blocks. */
    FLOAT64(double.class),
    /** 32-bit floats: {@code float[]} blocks. */
    FLOAT32(float.class),
    /** 64-bit integers: {@code long[]} blocks. */
    INT64(long.class),
    /** 32-bit integers: {@code int[]} blocks (8- and 16-bit HDF5 integers are read as these). */
    INT32(int.class),
    /** Booleans: {@code boolean[]} blocks (an HDF5 bitfield). */
    BOOL(boolean.class);

    private final Class<?> primitive;

    ElementType(Class<?> primitive) {
      this.primitive = primitive;
    }

    /** The primitive element class, e.g. {@code double.class}. */
    public Class<?> primitive() {
      return primitive;
    }

    /** A new flat block of {@code n} elements. */
    public Object newBlock(int n) {
      return Array.newInstance(primitive, n);
    }

    /** The type whose blocks are arrays of {@code primitive}; fails for other classes. */
    public static ElementType of(Class<?> primitive) {
      for (ElementType t : values()) {
        if (t.primitive == primitive) {
          return t;
        }
      }
      throw new IllegalArgumentException("no HDF5 element type for " + primitive);
    }
  }

  /**
   * What a dataset holds.
   *
   * @param shape the dataset's dimensions
   * @param type the element type its blocks are read as
   * @param storageChunks the dataset's chunk shape on disk, empty for contiguous storage
   */
  public record Info(long[] shape, ElementType type, Optional<int[]> storageChunks) {
    /** The number of dimensions. */
    public int rank() {
      return shape.length;
    }

    @Override
    public String toString() {
      return "Info[shape=" + Arrays.toString(shape) + ", type=" + type + ", storageChunks="
          + storageChunks.map(Arrays::toString).orElse("contiguous") + "]";
    }
  }

  /**
   * One block of a dataset: its position, its shape and its elements, flat in row-major order.
   *
   * @param offset the index of the block's first element along each axis
   * @param shape the block's size along each axis
   * @param data a flat primitive array of {@code prod(shape)} elements
   */
  public record Block(long[] offset, int[] shape, Object data) {
    /** The number of elements. */
    public long size() {
      long n = 1;
      for (int s : shape) {
        n *= s;
      }
      return n;
    }
  }

  /**
   * The shape, element type and storage chunks of {@code dataset} in {@code file}.
   *
   * <pre>{@code
   * long[] shape = Hdf5.info(Path.of("data.h5"), "/group/x").shape();
   * }</pre>
   *
   * @throws IllegalArgumentException if the file cannot be opened, the dataset does not exist, or its
   *     type is not one of {@link ElementType} (the message names the file and dataset)
   */
  public static Info info(Path file, String dataset) {
    try (HdfFile hdf = open(file)) {
      Dataset ds = dataset(hdf, file, dataset);
      long[] shape = ds.getDimensionsAsLong();
      ElementType type = typeOf(ds, file, dataset);
      Optional<int[]> chunks = Optional.empty();
      if (ds instanceof io.jhdf.api.dataset.ChunkedDataset c) {
        chunks = Optional.of(c.getChunkDimensions().clone());
      }
      return new Info(shape, type, chunks);
    }
  }

  /**
   * Reads the hyperslab of {@code dataset} that starts at {@code offset} and has {@code shape}, as a
   * flat row-major primitive array of the dataset's {@link ElementType} (8- and 16-bit integers
   * widened to {@code int}).
   *
   * <pre>{@code
   * double[] block = (double[]) Hdf5.read(Path.of("data.h5"), "/x", new long[] {1000, 0}, new int[] {1000, 500});
   * }</pre>
   *
   * @throws IllegalArgumentException if the file or dataset cannot be read or the hyperslab is not
   *     inside the dataset (the message names the file, dataset, offset and shape)
   */
  public static Object read(Path file, String dataset, long[] offset, int[] shape) {
    try (HdfFile hdf = open(file)) {
      Dataset ds = dataset(hdf, file, dataset);
      ElementType type = typeOf(ds, file, dataset);
      long[] dims = ds.getDimensionsAsLong();
      if (offset.length != dims.length || shape.length != dims.length) {
        throw new IllegalArgumentException(where(file, dataset) + ": hyperslab offset " + Arrays.toString(offset)
            + " shape " + Arrays.toString(shape) + " does not match the dataset's rank " + dims.length
            + " (shape " + Arrays.toString(dims) + ")");
      }
      long n = 1;
      for (int i = 0; i < dims.length; i++) {
        if (offset[i] < 0 || shape[i] < 0 || offset[i] + shape[i] > dims[i]) {
          throw new IllegalArgumentException(where(file, dataset) + ": hyperslab offset " + Arrays.toString(offset)
              + " shape " + Arrays.toString(shape) + " is outside the dataset's shape " + Arrays.toString(dims));
        }
        n *= shape[i];
      }
      if (n > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(where(file, dataset) + ": hyperslab shape " + Arrays.toString(shape)
            + " has more than 2^31 elements; use smaller chunks");
      }
      Object flat = type.newBlock((int) n);
      if (n == 0) {
        return flat;
      }
      Object nested;
      try {
        nested = ds.getData(offset, shape);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(where(file, dataset) + ": cannot read hyperslab offset "
            + Arrays.toString(offset) + " shape " + Arrays.toString(shape) + ": " + e.getMessage(), e);
      }
      flatten(nested, shape.length, flat, new int[] {0});
      return flat;
    }
  }

  /**
   * Writes one dataset, chunked on disk with {@code chunkShape} (clipped to the shape), from blocks
   * that together cover {@code shape} exactly once, to a temporary file that is renamed to {@code
   * file} at the end (replacing it). Groups in the dataset path ({@code "/a/b/x"}) are created.
   *
   * <pre>{@code
   * Hdf5.write(Path.of("out.h5"), "x", Hdf5.ElementType.INT32, new long[] {4}, new int[] {2},
   *     List.of(new Hdf5.Block(new long[] {0}, new int[] {4}, new int[] {1, 2, 3, 4})));
   * }</pre>
   *
   * @throws IllegalArgumentException if the blocks do not fit the shape or type, or the array is
   *     empty or a scalar (the message names the file and dataset)
   * @throws UncheckedIOException if writing or renaming fails (no file is left behind)
   */
  public static void write(Path file, String dataset, ElementType type, long[] shape, int[] chunkShape,
      List<Block> blocks) {
    Object nested = assemble(file, dataset, type, shape, blocks);
    int[] chunks = new int[shape.length];
    long bytes = elementSize(type);
    for (int i = 0; i < shape.length; i++) {
      int c = i < chunkShape.length ? chunkShape[i] : (int) shape[i];
      chunks[i] = (int) Math.max(1, Math.min(c, shape[i]));
      bytes *= shape[i];
    }
    DatasetCreationOptions options = bytes < Integer.MAX_VALUE
        ? DatasetCreationOptions.builder().chunkDimensions(chunks).build()
        : DatasetCreationOptions.DEFAULT; // jHDF encodes a chunked dataset in one buffer: contiguous above 2 GiB
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    boolean done = false;
    try {
      Files.createDirectories(dir);
      try (WritableHdfFile out = HdfFile.write(tmp)) {
        WritableGroup group = out;
        String[] parts = dataset.replaceAll("^/+", "").split("/");
        for (int i = 0; i < parts.length - 1; i++) {
          group = group.putGroup(parts[i]);
        }
        group.putDataset(parts[parts.length - 1], nested, options);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + where(file, dataset) + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot write " + where(file, dataset) + ": " + e.getMessage(), e);
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the write already failed; the caller sees that error
        }
      }
    }
  }

  // ------------------------------------------------------------------ internals

  private static String where(Path file, String dataset) {
    return "HDF5 file " + file + ", dataset '" + dataset + "'";
  }

  private static HdfFile open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("HDF5 file " + file + " does not exist");
    }
    try {
      return new HdfFile(file);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot open HDF5 file " + file + ": " + e.getMessage(), e);
    }
  }

  private static Dataset dataset(HdfFile hdf, Path file, String dataset) {
    Node node;
    try {
      node = hdf.getByPath(dataset);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(where(file, dataset) + " does not exist (the root holds "
          + hdf.getChildren().keySet() + ")", e);
    }
    if (!(node instanceof Dataset ds)) {
      throw new IllegalArgumentException(where(file, dataset) + " is a " + node.getType() + ", not a dataset");
    }
    if (ds.isScalar() || ds.getDimensionsAsLong().length == 0) {
      throw new IllegalArgumentException(where(file, dataset) + " is a scalar; arrays need at least one axis");
    }
    return ds;
  }

  private static ElementType typeOf(Dataset ds, Path file, String dataset) {
    Class<?> t = ds.getJavaType();
    if (t == double.class) {
      return ElementType.FLOAT64;
    } else if (t == float.class) {
      return ElementType.FLOAT32;
    } else if (t == long.class) {
      return ElementType.INT64;
    } else if (t == int.class || t == short.class || t == byte.class) {
      return ElementType.INT32;
    } else if (t == boolean.class) {
      return ElementType.BOOL;
    }
    throw new IllegalArgumentException(where(file, dataset) + " holds " + ds.getDataType().getClass().getSimpleName()
        + " elements (" + t.getSimpleName() + "); supported are float64, float32, int64, int32 and smaller integers, bool");
  }

  private static int elementSize(ElementType t) {
    return switch (t) {
      case FLOAT64, INT64 -> 8;
      case FLOAT32, INT32 -> 4;
      case BOOL -> 1;
    };
  }

  /** Copies a nested Java array of the given rank into {@code flat} from position {@code pos[0]}. */
  private static void flatten(Object nested, int rank, Object flat, int[] pos) {
    if (rank > 1) {
      Object[] rows = (Object[]) nested;
      for (Object row : rows) {
        flatten(row, rank - 1, flat, pos);
      }
      return;
    }
    int n = Array.getLength(nested);
    if (nested.getClass().getComponentType() == flat.getClass().getComponentType()) {
      System.arraycopy(nested, 0, flat, pos[0], n);
    } else if (nested instanceof short[] s) {
      int[] out = (int[]) flat;
      for (int i = 0; i < n; i++) {
        out[pos[0] + i] = s[i];
      }
    } else if (nested instanceof byte[] b) {
      int[] out = (int[]) flat;
      for (int i = 0; i < n; i++) {
        out[pos[0] + i] = b[i];
      }
    } else {
      throw new IllegalStateException("unexpected HDF5 row type " + nested.getClass().getSimpleName());
    }
    pos[0] += n;
  }

  /** The nested Java array jHDF writes, filled from the blocks (each must lie inside the shape). */
  private static Object assemble(Path file, String dataset, ElementType type, long[] shape, List<Block> blocks) {
    if (shape.length == 0) {
      throw new IllegalArgumentException("cannot write " + where(file, dataset) + ": a scalar; arrays need at least one axis");
    }
    int[] dims = new int[shape.length];
    long total = 1;
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] <= 0 || shape[i] > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("cannot write " + where(file, dataset) + " of shape " + Arrays.toString(shape)
            + ": every axis needs 1 to 2^31 elements (jHDF writes no empty datasets)");
      }
      dims[i] = (int) shape[i];
      total *= shape[i];
    }
    Object nested = Array.newInstance(type.primitive(), dims);
    long covered = 0;
    for (Block b : blocks) {
      if (b.offset().length != shape.length || b.shape().length != shape.length) {
        throw new IllegalArgumentException("cannot write " + where(file, dataset) + ": block at " + Arrays.toString(b.offset())
            + " of shape " + Arrays.toString(b.shape()) + " does not have rank " + shape.length);
      }
      for (int i = 0; i < shape.length; i++) {
        if (b.offset()[i] < 0 || b.offset()[i] + b.shape()[i] > shape[i]) {
          throw new IllegalArgumentException("cannot write " + where(file, dataset) + ": block at "
              + Arrays.toString(b.offset()) + " of shape " + Arrays.toString(b.shape()) + " is outside the shape "
              + Arrays.toString(shape));
        }
      }
      if (b.data().getClass().getComponentType() != type.primitive() || Array.getLength(b.data()) != b.size()) {
        throw new IllegalArgumentException("cannot write " + where(file, dataset) + ": block at " + Arrays.toString(b.offset())
            + " of shape " + Arrays.toString(b.shape()) + " holds " + Array.getLength(b.data()) + " "
            + b.data().getClass().getSimpleName() + " elements, expected " + b.size() + " " + type.primitive() + "s");
      }
      covered += b.size();
      place(nested, 0, b, new int[] {0});
    }
    if (covered != total) {
      throw new IllegalArgumentException("cannot write " + where(file, dataset) + ": the blocks hold " + covered
          + " elements, the shape " + Arrays.toString(shape) + " needs " + total);
    }
    return nested;
  }

  /** Copies block {@code b} into the nested array, row by row along the last axis. */
  private static void place(Object nested, int axis, Block b, int[] pos) {
    int rank = b.shape().length;
    int start = (int) b.offset()[axis];
    if (axis == rank - 1) {
      int n = b.shape()[axis];
      System.arraycopy(b.data(), pos[0], nested, start, n);
      pos[0] += n;
      return;
    }
    Object[] rows = (Object[]) nested;
    for (int i = 0; i < b.shape()[axis]; i++) {
      place(rows[start + i], axis + 1, b, pos);
    }
  }
}
