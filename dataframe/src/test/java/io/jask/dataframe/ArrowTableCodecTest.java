package io.jask.dataframe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jask.engine.serialize.Encoded;
import io.jask.engine.serialize.Serialization;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.StringColumn;
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

  /**
   * Dictionaries of every Tablesaw key width (byte up to 126 values, short, and past 65,534 values
   * Tablesaw's text storage, which has no keys) round-trip and stay usable.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 5, 126, 127, 300, 40_000, 70_000})
  void strings_roundTripAsDictionaries_andTheColumnStaysAppendable(int distinct) {
    Serialization s = Serialization.get();
    Random r = new Random(distinct);
    int n = Math.max(2 * distinct, 1000);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add(r.nextInt(10) == 0 ? "" : "v" + (i < distinct ? i : r.nextInt(distinct)) + (r.nextInt(50) == 0 ? "é∑" : ""));
    }
    Table t = Table.create("s", StringColumn.create("k", expected));
    StringColumn back = (StringColumn) ((Table) s.decode(s.encode(t))).column("k");
    assertEquals(expected, back.asList());
    assertEquals(t.stringColumn("k").countUnique(), back.countUnique());
    assertEquals(t.stringColumn("k").countMissing(), back.countMissing());
    assertEquals(new TreeSet<>(t.stringColumn("k").unique().asList()), new TreeSet<>(back.unique().asList()));
    for (int i = 0; i < n; i += 97) {
      assertEquals(expected.get(i).isEmpty(), back.isMissing(i), "row " + i);
      assertEquals(t.stringColumn("k").countOccurrences(expected.get(i)), back.countOccurrences(expected.get(i)));
    }
    // Tablesaw's own operations on the rebuilt dictionary: new values, an existing one, a missing one, a set
    back.append("new-value");
    back.append(expected.get(0));
    back.appendMissing();
    back.set(1, "other-new");
    expected.add("new-value");
    expected.add(expected.get(0));
    expected.add("");
    expected.set(1, "other-new");
    assertEquals(expected, back.asList());
    assertEquals(1, back.countOccurrences("other-new"));
    assertEquals(expected.stream().filter(String::isEmpty).count(), back.countMissing());
  }

  @Test
  void emptyAndAllMissingStringColumns_roundTrip() {
    Serialization s = Serialization.get();
    Table empty = Table.create("e", StringColumn.create("k"));
    assertEquals(0, ((Table) s.decode(s.encode(empty))).rowCount());
    Table missing = Table.create("m", StringColumn.create("k", List.of("", "", "")));
    Table back = (Table) s.decode(s.encode(missing));
    assertEquals(List.of("", "", ""), back.stringColumn("k").asList());
    assertEquals(3, back.stringColumn("k").countMissing());
  }

  /** Streams written by another Arrow library: a plain utf8 column and a dictionary with int8 codes. */
  @Test
  void foreignStreams_plainUtf8AndNarrowDictionaryCodes_areRead() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DictionaryEncoding enc = new DictionaryEncoding(7, false, new ArrowType.Int(8, true));
    Field plain = Field.nullable("plain", ArrowType.Utf8.INSTANCE);
    Field coded = new Field("coded", new FieldType(true, new ArrowType.Int(8, true), enc), null);
    try (BufferAllocator alloc = new RootAllocator();
        VarCharVector dict = new VarCharVector("dict", alloc);
        VectorSchemaRoot root = VectorSchemaRoot.create(new org.apache.arrow.vector.types.pojo.Schema(List.of(plain, coded)), alloc)) {
      dict.allocateNew(2);
      dict.setSafe(0, "red".getBytes(StandardCharsets.UTF_8));
      dict.setSafe(1, "blue".getBytes(StandardCharsets.UTF_8));
      dict.setValueCount(2);
      VarCharVector p = (VarCharVector) root.getVector(0);
      TinyIntVector c = (TinyIntVector) root.getVector(1);
      p.allocateNew(3);
      c.allocateNew(3);
      p.setSafe(0, "a".getBytes(StandardCharsets.UTF_8));
      p.setNull(1);
      p.setSafe(2, "a".getBytes(StandardCharsets.UTF_8));
      c.set(0, 1);
      c.set(1, 0);
      c.setNull(2);
      p.setValueCount(3);
      c.setValueCount(3);
      root.setRowCount(3);
      DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider(new Dictionary(dict, enc));
      try (ArrowStreamWriter w = new ArrowStreamWriter(root, provider, Channels.newChannel(out))) {
        w.start();
        w.writeBatch();
        w.end();
      }
    }
    Table t = (Table) Serialization.get().decode(new Encoded("arrow-table", List.of(ByteBuffer.wrap(out.toByteArray()))));
    assertEquals(List.of("a", "", "a"), t.stringColumn("plain").asList());
    assertEquals(List.of("blue", "red", ""), t.stringColumn("coded").asList());
    assertTrue(t.stringColumn("coded").isMissing(2));
  }

  @Test
  void truncatedFrame_failsInsteadOfReturningAPartialTable() {
    Serialization s = Serialization.get();
    Encoded e = s.encode(Frames.random(new Random(9), 300));
    ByteBuffer f = e.frames().get(0);
    ByteBuffer cut = f.duplicate();
    cut.limit(f.position() + f.remaining() / 2);
    assertThrows(RuntimeException.class, () -> s.decode(new Encoded("arrow-table", List.of(cut.slice()))));
  }
}
