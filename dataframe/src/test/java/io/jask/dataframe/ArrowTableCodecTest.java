package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jask.engine.serialize.Encoded;
import io.jask.engine.serialize.Serialization;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class ArrowTableCodecTest {

  @Test
  void table_roundTripsThroughArrow_withNullsOfEveryType() {
    Serialization s = Serialization.get();
    for (int seed = 0; seed < 20; seed++) {
      Random r = new Random(seed);
      Table t = Frames.random(r, seed == 0 ? 0 : r.nextInt(500));
      Encoded e = s.encode(t);
      assertEquals("arrow-table", e.codec());
      Table back = (Table) s.decode(e);
      assertEquals(t.name(), back.name());
      Frames.assertTableEquals(t, back, "seed " + seed);
      assertEquals(true, s.sizeOf(t) >= 64);
    }
  }

  @Test
  void decode_doesNotMoveTheFrames() {
    Serialization s = Serialization.get();
    Table t = Frames.random(new Random(3), 50);
    Encoded e = s.encode(t);
    int pos = e.frames().get(0).position();
    s.decode(e);
    s.decode(e);
    assertEquals(pos, e.frames().get(0).position());
  }
}
