package io.jask.bag;

import io.jask.testing.Backends;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Seeded random inputs for the bag tests: every scheduler × a few seeds. */
final class Cases {
  static final long[] SEEDS = {11, 12, 13};

  private Cases() {}

  /** (scheduler, seed) for every backend and seed. */
  static Stream<Arguments> schedulersAndSeeds() {
    List<Arguments> out = new ArrayList<>();
    Backends.names().forEach(s -> {
      for (long seed : SEEDS) {
        out.add(Arguments.of(s, seed));
      }
    });
    return out.stream();
  }

  /** Random integers in {@code [0, range)}: duplicates are likely. */
  static List<Integer> ints(Random r, int maxSize, int range) {
    int n = r.nextInt(maxSize + 1);
    List<Integer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(r.nextInt(range) - range / 4);
    }
    return out;
  }

  /**
   * A random partitioning of {@code xs}: 1 to 7 contiguous partitions (one when seed % 3 == 0),
   * cut at random points, so partitions may be empty.
   */
  static <T> List<List<T>> partition(Random r, long seed, List<T> xs) {
    int parts = seed % 3 == 0 ? 1 : 1 + r.nextInt(7);
    int[] cuts = new int[parts + 1];
    cuts[parts] = xs.size();
    for (int i = 1; i < parts; i++) {
      cuts[i] = r.nextInt(xs.size() + 1);
    }
    java.util.Arrays.sort(cuts, 1, parts);
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      out.add(new ArrayList<>(xs.subList(cuts[i], cuts[i + 1])));
    }
    if (parts > 2 && r.nextBoolean()) {
      out.add(r.nextInt(out.size()), new ArrayList<>()); // an extra empty partition
    }
    return out;
  }

  /** A random bag of integers and the same data as a list. */
  static Bag<Integer> bag(Random r, long seed, List<Integer> data) {
    return Bag.fromPartitions(partition(r, seed, data));
  }
}
