package io.jask.engine.distributed.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** {@link SmallSet} against {@link LinkedHashSet} (the oracle) under random operation sequences. */
class SmallSetTest {

  static LongStream seeds() {
    return LongStream.range(0, 30);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomOperations_behaveAsLinkedHashSet(long seed) {
    Random r = new Random(seed);
    int universe = 1 + r.nextInt(seed % 3 == 0 ? 6 : 40); // small sets stay in the array, large ones spill
    SmallSet<Integer> s = new SmallSet<>();
    LinkedHashSet<Integer> oracle = new LinkedHashSet<>();
    for (int step = 0; step < 3_000; step++) {
      Integer x = r.nextInt(universe + 1) == universe ? null : r.nextInt(universe);
      switch (r.nextInt(10)) {
        case 0, 1, 2, 3 -> assertEquals(oracle.add(x), s.add(x), "add " + x);
        case 4, 5 -> assertEquals(oracle.remove(x), s.remove(x), "remove " + x);
        case 6 -> assertEquals(oracle.contains(x), s.contains(x), "contains " + x);
        case 7 -> {
          // remove through the iterator every element the coin picks
          Iterator<Integer> a = oracle.iterator();
          Iterator<Integer> b = s.iterator();
          while (a.hasNext()) {
            assertEquals(a.next(), b.next());
            if (r.nextInt(3) == 0) {
              a.remove();
              b.remove();
            }
          }
          assertEquals(false, b.hasNext());
        }
        case 8 -> {
          if (r.nextInt(20) == 0) {
            oracle.clear();
            s.clear();
          }
        }
        default -> {
          if (!oracle.isEmpty()) {
            assertEquals(oracle.iterator().next(), s.first());
          }
        }
      }
      assertEquals(oracle.size(), s.size());
      assertEquals(oracle.isEmpty(), s.isEmpty());
      assertEquals(new ArrayList<>(oracle), new ArrayList<>(s), "same elements in insertion order at step " + step);
      assertEquals(oracle, s);
      assertEquals(oracle.hashCode(), s.hashCode());
    }
  }

  @Test
  void modificationWhileIterating_failsFast() {
    for (int n : new int[] {3, SmallSet.SMALL + 3}) {
      SmallSet<Integer> s = new SmallSet<>();
      for (int i = 0; i < n; i++) {
        s.add(i);
      }
      assertThrows(ConcurrentModificationException.class, () -> {
        for (Integer x : s) {
          s.add(100 + x);
        }
      }, "size " + n);
    }
  }

  @Test
  void iteratorRemoveWithoutNext_isRejected() {
    SmallSet<String> s = new SmallSet<>();
    s.add("a");
    Iterator<String> it = s.iterator();
    assertThrows(IllegalStateException.class, it::remove);
    it.next();
    it.remove();
    assertThrows(IllegalStateException.class, it::remove);
    assertEquals(List.of(), new ArrayList<>(s));
  }

  /**
   * The shared empty set ({@link SmallSet#none}): reads, removes and clears leave it empty, an add
   * fails, and a record's relations start as it and become their own set at the first add.
   */
  @Test
  void sharedEmptySet_refusesAdds_andRecordsReplaceItBeforeAdding() {
    SmallSet<String> none = SmallSet.none();
    assertEquals(0, none.size());
    assertFalse(none.contains("a"));
    assertFalse(none.remove("a"));
    none.clear();
    none.removeIf(x -> true);
    assertFalse(none.iterator().hasNext());
    assertThrows(UnsupportedOperationException.class, () -> none.add("a"));
    assertTrue(none.isEmpty());
    TaskRecord a = new TaskRecord(io.jask.engine.Key.of("a"), null, null);
    TaskRecord b = new TaskRecord(io.jask.engine.Key.of("b"), null, null);
    assertSame(SmallSet.none(), a.dependencies);
    assertSame(SmallSet.none(), b.whoWants);
    a.mutableDependencies().add(b);
    b.mutableDependents().add(a);
    b.mutableWhoWants().add("client-1");
    assertEquals(List.of(b), new ArrayList<>(a.dependencies));
    assertEquals(List.of(a), new ArrayList<>(b.dependents));
    assertEquals(List.of("client-1"), new ArrayList<>(b.whoWants));
    assertSame(a.dependencies, a.mutableDependencies(), "one set per relation once it is made");
    assertTrue(SmallSet.none().isEmpty(), "the shared set stays empty");
    assertSame(SmallSet.none(), a.whoHas);
  }
}
