package io.jask.array;

import static io.jask.array.Arrays2.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.Graph;
import io.jask.engine.Key;
import io.jask.engine.Layer;
import io.jask.engine.SingleValue;
import io.jask.engine.Task;
import io.jask.engine.config.Config;
import io.jask.engine.serialize.Encoded;
import io.jask.engine.serialize.Serialization;
import io.jask.testing.AllSchedulers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Creation functions, fromDelayed, persist and the INDArray codec. */
class CreationAndCodecTest {

  @AllSchedulers
  void creationFunctions_matchNd4jAndNumpy(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      assertClose(Nd4j.zeros(DataType.DOUBLE, 5, 3), DArray.zeros(new long[] {5, 3}, new int[] {2}).compute(), 0, "zeros");
      assertClose(Nd4j.ones(DataType.INT, 4), DArray.ones(new long[] {4}, new int[] {3}, DataType.INT).compute(), 0, "ones int");
      assertClose(Nd4j.valueArrayOf(new long[] {3, 2}, 7.5, DataType.DOUBLE), DArray.full(new long[] {3, 2}, new int[] {2, 1}, 7.5, DataType.DOUBLE)
          .compute(), 0, "full");
      double[] ar = new double[20];
      for (int i = 0; i < 20; i++) {
        ar[i] = i * 0.5;
      }
      DArray a = DArray.arange(0, 10, 0.5, 7);
      assertArrayEquals(new long[][] {{7, 7, 6}}, a.chunks());
      assertClose(Nd4j.createFromArray(ar), a.compute(), 0, "arange");
      assertClose(Nd4j.createFromArray(0L, 1L, 2L, 3L, 4L), DArray.arange(5, 2).compute(), 0, "arange int64");
      assertEquals(0, DArray.arange(3, 1, 1, 2).shape()[0]);
      double[] ls = new double[11];
      for (int i = 0; i < 11; i++) {
        ls[i] = i * 0.1;
      }
      ls[10] = 1.0;
      assertClose(Nd4j.createFromArray(ls), DArray.linspace(0, 1, 11, 4).compute(), 1e-15, "linspace");
      assertClose(Nd4j.eye(5).castTo(DataType.DOUBLE), DArray.eye(5, 2).compute(), 0, "eye");
      INDArray e = Nd4j.zeros(DataType.DOUBLE, 3, 5);
      e.putScalar(0, 1, 1);
      e.putScalar(1, 2, 1);
      e.putScalar(2, 3, 1);
      assertClose(e, DArray.eye(3, 5, 1, 2, DataType.DOUBLE).compute(), 0, "eye k=1");
    }
  }

  @AllSchedulers
  void random_isSeededPerBlock_andInRange(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      DArray x = DArray.random(new long[] {50, 40}, new int[] {20, 15}, 42);
      INDArray a = x.compute();
      assertClose(a, DArray.random(new long[] {50, 40}, new int[] {20, 15}, 42).compute(), 0, "same seed, same values");
      assertNotEquals(a.sumNumber().doubleValue(), DArray.random(new long[] {50, 40}, new int[] {20, 15}, 43).compute()
          .sumNumber().doubleValue());
      assertTrue(a.minNumber().doubleValue() >= 0 && a.maxNumber().doubleValue() < 1);
      // one block computed alone equals the same block of the whole array
      INDArray block = x.get(Slice.of(20, 40), Slice.of(15, 30)).compute();
      assertClose(a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(20, 40),
          org.nd4j.linalg.indexing.NDArrayIndex.interval(15, 30)).dup('c'), block, 0, "block (1, 1)");
      INDArray g = DArray.normal(new long[] {20_000}, new int[] {3_000}, 1, 3, 2).compute();
      assertEquals(3, g.meanNumber().doubleValue(), 0.1);
      assertEquals(2, g.stdNumber().doubleValue(), 0.1);
      INDArray u = DArray.uniform(new long[] {1000}, new int[] {300}, 5, -2, -1).compute();
      assertTrue(u.minNumber().doubleValue() >= -2 && u.maxNumber().doubleValue() < -1);
    }
  }

  /** A lazy single value, standing in for a Delayed (which lives in another module). */
  static final class Lazy extends SingleValue<INDArray> {
    Lazy(Key key, Graph graph) {
      super(key, graph);
    }

    static Lazy of(String name, INDArray value) {
      Key k = Key.of(name);
      return new Lazy(k, Graph.of(Layer.of(name, Set.of(), Map.of(k, Task.of(io.jask.array.internal.ArrayFns.Literal.of(value))))));
    }

    @Override
    public Lazy rebuild(Graph g) {
      return new Lazy(key(), g);
    }
  }

  @AllSchedulers
  void fromDelayed_gridOfBlocks_andShapeChecks(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(5);
      INDArray x = Arrays2.doubles(r, new long[] {5, 4}, 0);
      long[][] chunks = {{2, 3}, {4}};
      List<Lazy> blocks = new ArrayList<>();
      blocks.add(Lazy.of("b0-" + scheduler, x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)).dup('c')));
      blocks.add(Lazy.of("b1-" + scheduler, x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 5)).dup('c')));
      DArray d = DArray.fromDelayed(blocks, chunks, DataType.DOUBLE);
      assertClose(x, d.compute(), 0, "fromDelayed");
      assertClose(x.sum(0), d.sum(0).compute(), 1e-12, "fromDelayed sum(0)");
      DArray wrong = DArray.fromDelayed(blocks, new long[][] {{3, 2}, {4}}, DataType.DOUBLE);
      Exception e = assertThrows(Exception.class, wrong::compute);
      assertTrue(String.valueOf(e.getMessage()).contains("(2, 4)") && e.getMessage().contains("(3, 4)"), e.getMessage());
    }
  }

  @AllSchedulers
  void persist_keepsTheValues(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(6);
      INDArray x = Arrays2.doubles(r, new long[] {7, 5}, 0.1);
      DArray d = DArray.fromArray(x, 3, 2).mul(2.0);
      DArray p = d.persist();
      assertArrayEquals(d.chunks(), p.chunks());
      assertClose(x.mul(2.0), p.compute(), 0, "persisted");
      assertClose(x.mul(2.0).add(1.0), p.add(1.0).compute(), 0, "on the persisted array");
    }
  }

  @AllSchedulers
  void mapBlocks_declaredChunks_andWrongShapesFail(String scheduler) {
    try (Config.Scope s = Config.set("scheduler", scheduler)) {
      Random r = new Random(7);
      INDArray x = Arrays2.doubles(r, new long[] {7, 5}, 0);
      DArray d = DArray.fromArray(x, 3, 2);
      assertClose(x.mul(3.0), d.mapBlocks(b -> b.mul(3.0)).compute(), 1e-15, "mapBlocks");
      DArray rowSums = d.mapBlocks(b -> b.sum(true, 1), new long[][] {d.chunks()[0], {1, 1, 1}}, DataType.DOUBLE);
      assertArrayEquals(new long[] {7, 3}, rowSums.shape());
      assertClose(x.sum(1), rowSums.sum(1).compute(), 1e-12, "row sums via mapBlocks");
      DArray bad = d.mapBlocks(b -> b.sum(true, 0));
      Exception e = assertThrows(Exception.class, bad::compute);
      assertTrue(String.valueOf(e.getMessage()).contains("declared chunks need"), e.getMessage());
    }
  }

  @Test
  void codec_roundTripsEveryDtypeViewsAndEmptyArrays_asTwoFrames() {
    Serialization ser = Serialization.get();
    Random r = new Random(8);
    for (DataType dt : new DataType[] {DataType.DOUBLE, DataType.FLOAT, DataType.LONG, DataType.INT, DataType.BOOL}) {
      INDArray x = Arrays2.of(r, new long[] {4, 3}, dt);
      Encoded e = ser.encode(x);
      assertEquals("nd4j-array", e.codec());
      assertEquals(2, e.frames().size());
      assertEquals(12L * dt.width(), e.frames().get(1).remaining());
      assertClose(x, (INDArray) ser.decode(e), 0, dt.toString());
      INDArray t = x.transpose();
      assertClose(t.dup('c'), (INDArray) ser.decode(ser.encode(t)), 0, dt + " transpose");
      INDArray v = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3));
      assertClose(v.dup('c'), (INDArray) ser.decode(ser.encode(v)), 0, dt + " view");
      byte[] packed = io.jask.engine.serialize.Frames.pack(e.frames());
      assertClose(x, (INDArray) ser.decode(new Encoded(e.codec(), io.jask.engine.serialize.Frames.unpack(packed))), 0, dt + " packed");
    }
    INDArray empty = Nd4j.create(DataType.DOUBLE, 0, 3);
    INDArray back = (INDArray) ser.decode(ser.encode(empty));
    assertArrayEquals(new long[] {0, 3}, back.shape());
    INDArray scalar = Nd4j.scalar(2.5);
    assertEquals(2.5, ((INDArray) ser.decode(ser.encode(scalar))).getDouble(0));
    assertTrue(ser.sizeOf(Nd4j.zeros(DataType.DOUBLE, 100)) >= 800);
  }

  @Test
  void unsupportedDtype_failsNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DArray.fromArray(Nd4j.zeros(DataType.SHORT, 3), 2));
    assertTrue(e.getMessage().contains("SHORT"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DArray.arange(0, 1, 0, 1));
  }
}
