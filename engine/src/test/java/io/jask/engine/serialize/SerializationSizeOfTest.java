package io.jask.engine.serialize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code sizeOf} against hand-computed heap sizes (64-bit HotSpot, compressed oops: 16-byte array
 * header, 16-byte {@code Double}, 24-byte {@code String} plus its byte array).
 */
class SerializationSizeOfTest {

  private final Serialization s = Serialization.get();

  private static void assertWithinFactor(long expected, long actual, double factor) {
    assertTrue(
        actual >= expected / factor && actual <= expected * factor,
        "estimate " + actual + " not within x" + factor + " of " + expected);
  }

  @Test
  void sizeOf_byteArray_closeToLength() {
    assertWithinFactor(1_000_016, s.sizeOf(new byte[1_000_000]), 1.1);
  }

  @Test
  void sizeOf_doubleArray_closeToEightBytesPerElement() {
    assertWithinFactor(800_016, s.sizeOf(new double[100_000]), 1.1);
  }

  @Test
  void sizeOf_strings_latin1AndUtf16() {
    assertWithinFactor(100_040, s.sizeOf("a".repeat(100_000)), 1.2);
    assertWithinFactor(200_040, s.sizeOf("中".repeat(100_000)), 1.2);
  }

  @Test
  void sizeOf_listOfBoxedDoubles_countsElements() {
    List<Double> l = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      l.add(i * 0.5);
    }
    // ArrayList 24 + Object[] 16 + 4n + n Doubles of 16
    assertWithinFactor(24 + 16 + 4L * 100_000 + 16L * 100_000, s.sizeOf(l), 1.5);
  }

  @Test
  void sizeOf_mapOfStringsToArrays_sampledButCloseToTotal() {
    Map<String, double[]> m = new HashMap<>();
    for (int i = 0; i < 1_000; i++) {
      m.put("key-" + i, new double[100]);
    }
    long arrays = 1_000L * (16 + 800);
    assertWithinFactor(arrays + 1_000L * (48 + 32), s.sizeOf(m), 1.5);
  }

  @Test
  void sizeOf_nullAndSmallValues_nonNegativeAndSmall() {
    assertTrue(s.sizeOf(null) == 0);
    assertTrue(s.sizeOf(42) > 0 && s.sizeOf(42) <= 32);
    assertTrue(s.sizeOf(List.of(1, 2, 3)) < 200);
  }

  /** A split output whose parts are nested objects, as a shuffle's split output of tables is. */
  record Split(List<Object> pieces) implements io.jask.engine.Parted {
    @Override
    public int parts() {
      return pieces.size();
    }

    @Override
    public Object part(int i) {
      return pieces.get(i);
    }
  }

  @Test
  void sizeOf_parted_isTheSumOfItsPartsEachSizedByItsCodec() {
    // TestShapes.CircleCodec says 1234 bytes for any circle; an object walk would say ~100
    List<Object> parts = new ArrayList<>();
    for (int p = 0; p < 3; p++) {
      parts.add(new TestShapes.Circle(p, new double[4]));
    }
    assertEquals(1234, s.sizeOf(parts.get(0)));
    assertEquals(64 + 3 * 1234, s.sizeOf(new Split(parts)));
  }
}
