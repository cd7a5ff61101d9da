package io.jask.engine.serialize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.serialize.TestShapes.Circle;
import io.jask.engine.serialize.TestShapes.CircleCodec;
import io.jask.engine.serialize.TestShapes.Square;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecSelectionTest {

  private final Serialization s = Serialization.get();

  @Test
  void serviceLoader_findsTestCodecs_besideKryo() {
    assertEquals(List.of("kryo", "test-circle", "test-shape"), s.codecNames());
  }

  @Test
  void encode_circle_usesMostSpecificCodec_andPassesFramesThrough() {
    Circle c = new Circle(2.0, new double[] {1, 2, 3});
    Encoded e = s.encode(c);
    assertEquals("test-circle", e.codec());
    assertEquals(2, e.frames().size());
    assertSame(CircleCodec.lastDataFrame, e.frames().get(1), "data frame must not be copied");
    assertEquals(12 + 24, e.byteSize());
    Circle back = (Circle) s.decode(e);
    assertEquals(2.0, back.radius());
    assertArrayEquals(c.samples(), back.samples());
    assertEquals(1234, s.sizeOf(c));
  }

  @Test
  void encode_square_usesInterfaceCodec() {
    Encoded e = s.encode(new Square(3));
    assertEquals("test-shape", e.codec());
    assertEquals(new Square(3), s.decode(e));
    assertEquals(24, s.sizeOf(new Square(3)));
  }

  @Test
  void encode_shapeInsideList_goesThroughKryo() {
    Encoded e = s.encode(List.of(new Square(1)));
    assertEquals("kryo", e.codec());
    assertEquals(List.of(new Square(1)), s.decode(e));
  }

  @Test
  void encode_otherValuesAndNull_useKryo() {
    assertEquals("kryo", s.encode("text").codec());
    Encoded nul = s.encode(null);
    assertEquals("kryo", nul.codec());
    assertEquals(null, s.decode(nul));
  }

  @Test
  void decode_unknownCodec_namesItAndTheKnownOnes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> s.decode(new Encoded("parquet-magic", List.of(ByteBuffer.allocate(1)))));
    assertTrue(e.getMessage().contains("'parquet-magic'"), e.getMessage());
    assertTrue(e.getMessage().contains("[kryo, test-circle, test-shape]"), e.getMessage());
  }

  @Test
  void create_withLoader_seesSameServices() {
    Serialization other = Serialization.create(getClass().getClassLoader());
    assertEquals(s.codecNames(), other.codecNames());
    assertEquals("test-circle", other.encode(new Circle(1, new double[0])).codec());
  }
}
