package io.jask.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.jask.engine.Fn;
import io.jask.engine.Key;
import io.jask.engine.Tokenize;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client serializes a map's function once and a worker decodes it once and shares it: the
 * results still equal a plain loop here (the oracle), functions that differ only in what they
 * capture never get mixed up on a worker, and the keys are the names {@link Tokenize#name} gives
 * (the per-class cache of functions that capture nothing changes no key).
 */
@ExtendWith(ClusterExtension.class)
class ClientPayloadTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void mapsOfFunctionsThatDifferByCapture_eachComputeTheirOwn(long seed, Client client) {
    Random r = new Random(seed);
    List<Long> items = new ArrayList<>();
    for (int i = r.nextInt(300); i > 0; i--) {
      items.add(r.nextLong() >> 8);
    }
    int fns = 2 + r.nextInt(3);
    List<List<Future<Long>>> maps = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    for (int f = 0; f < fns; f++) {
      long offset = r.nextInt(1000) * 1_000_003L + f; // distinct per function
      offsets.add(offset);
      maps.add(client.map((Long x) -> x * 3 + offset, items));
    }
    for (int f = 0; f < fns; f++) {
      List<Long> expected = new ArrayList<>();
      for (long x : items) {
        expected.add(x * 3 + offsets.get(f));
      }
      assertEquals(expected, client.gather(maps.get(f)), "function " + f);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void submitKeys_areTheTokenizedNames_andResultsMatch(long seed, Client client) {
    Random r = new Random(seed);
    Fn.F1<Long, Long> inc = x -> x + 1; // captures nothing: cached per class
    Fn.F1<Long, Long> abs = Math::abs;
    for (int i = 0; i < 20; i++) {
      long a = r.nextLong() >> 4;
      Future<Long> f = client.submit(inc, a);
      assertEquals(Key.of(Tokenize.name("lambda", inc, List.of(new Object[] {a}))), f.key());
      assertEquals(f.key(), client.submit(inc, a).key(), "pure: the same key again");
      assertEquals(a + 1, f.result());
      Future<Long> g = client.submit(abs, a);
      assertEquals(Key.of(Tokenize.name("abs", abs, List.of(new Object[] {a}))), g.key());
      assertEquals(Math.abs(a), g.result());
      long c = r.nextInt(100) + 1;
      Fn.F1<Long, Long> plusC = x -> x + c; // captures: not cached
      Future<Long> h = client.submit(plusC, a);
      assertEquals(a + c, h.result());
      assertNotEquals(f.key(), h.key());
    }
  }
}
