package io.jask.dataframe.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * The radix argsort against a stable boxed sort ({@code Arrays.sort} of row numbers by {@code
 * Long.compareUnsigned}), over seeded keys whose varying bits sit in different digits: all 64
 * bits, only low bits, only high bits, few distinct values, all equal; and the multi-table keys
 * against the keys of the concatenation.
 */
class RadixSortTest {
  static long[] keys(Random r, int n, int kind) {
    long[] k = new long[n];
    for (int i = 0; i < n; i++) {
      k[i] = switch (kind) {
        case 0 -> r.nextLong();
        case 1 -> r.nextInt(5000);
        case 2 -> ((long) r.nextInt(300)) << 54;
        case 3 -> r.nextInt(3) == 0 ? -1L : 42L << (r.nextInt(4) * 11);
        case 4 -> 7;
        // crowded: one key far away, the rest within 2^16 of each other (long runs of equal prefixes)
        case 6 -> i == 0 ? 0x9000_0000_0000_0000L : 0x1234_5678_0000_0000L + r.nextInt(1 << 16);
        // a few rows per prefix: clusters of 2^22 spread over the full range
        case 7 -> (((long) r.nextInt(1 << 12)) << 50) + r.nextInt(1 << 22) + (r.nextInt(9) == 0 ? 0 : r.nextInt(3));
        // one output partition of doubles: a narrow range, some NaN (missing)
        case 8 -> RadixSort.doubleKey(r.nextInt(50) == 0 ? Double.NaN : 0.3 + 0.2 * r.nextDouble());
        default -> RadixSort.doubleKey(r.nextInt(10) == 0 ? Double.NaN : r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4));
      };
    }
    return k;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5})
  void argsort_randomKeys_matchesStableBoxedSort(int kind) {
    for (int seed = 0; seed < 6; seed++) {
      Random r = new Random(70 * kind + seed);
      int n = seed == 0 ? r.nextInt(3) : 1 + r.nextInt(seed < 3 ? 50 : 200_000);
      long[] k = keys(r, n, kind);
      Integer[] expected = new Integer[n];
      for (int i = 0; i < n; i++) {
        expected[i] = i;
      }
      long[] copy = k.clone();
      Arrays.sort(expected, (a, b) -> Long.compareUnsigned(copy[a], copy[b])); // stable
      int[] got = RadixSort.argsort(k);
      assertArrayEquals(Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), got, "kind " + kind + " seed " + seed);
      long[] sorted = new long[n];
      for (int i = 0; i < n; i++) {
        sorted[i] = copy[expected[i]];
      }
      assertArrayEquals(sorted, k, "keys reordered, kind " + kind + " seed " + seed);
    }
  }

  /** The prefix argsort: the same stable order as the boxed sort, keys untouched, also when prefixes collide. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8})
  void argsortByPrefix_randomKeys_matchesStableBoxedSort(int kind) {
    for (int seed = 0; seed < 6; seed++) {
      Random r = new Random(90 * kind + seed);
      int n = seed == 0 ? r.nextInt(3) : 1 + r.nextInt(seed < 3 ? 60 : 300_000);
      long[] k = keys(r, n, kind);
      Integer[] expected = new Integer[n];
      for (int i = 0; i < n; i++) {
        expected[i] = i;
      }
      long[] copy = k.clone();
      Arrays.sort(expected, (a, b) -> Long.compareUnsigned(copy[a], copy[b])); // stable
      int[] got = RadixSort.argsortByPrefix(k);
      assertArrayEquals(Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), got, "kind " + kind + " seed " + seed + " n " + n);
      assertArrayEquals(copy, k, "keys unchanged, kind " + kind + " seed " + seed);
    }
  }

  @Test
  void keysOfSeveralTables_equalKeysOfTheirConcatenation() {
    Random r = new Random(5);
    for (boolean asc : List.of(true, false)) {
      Table a = Table.create("a", DoubleColumn.create("x", 1.5, Double.NaN, -0.0, -3.0));
      Table b = Table.create("b", DoubleColumn.create("x", new double[0]));
      double[] v = new double[1000];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.nextInt(7) == 0 ? Double.NaN : r.nextGaussian();
      }
      Table c = Table.create("c", DoubleColumn.create("x", v));
      Table all = a.copy().append(b).append(c);
      assertArrayEquals(RadixSort.keys(all.column("x"), asc), RadixSort.keys(List.of(a, b, c), "x", asc), "asc " + asc);
    }
  }
}
