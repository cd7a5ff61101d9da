package io.jask.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Key#prefix()} against the split-based definition it replaced, on random and edge names. */
class KeyPrefixTest {

  /** The original definition: the oracle. */
  static String splitPrefix(String name) {
    String[] words = name.split("-");
    StringBuilder out = new StringBuilder();
    for (String w : words) {
      if (w.length() >= 8 && w.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        break;
      }
      if (out.length() > 0) {
        out.append('-');
      }
      out.append(w);
    }
    return out.length() == 0 ? name : out.toString();
  }

  static LongStream seeds() {
    return LongStream.range(0, 40);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomNames_matchTheSplitDefinition(long seed) {
    Random r = new Random(seed);
    String alphabet = "--0123456789abcdefABCDEFxyz_()' \u0660\uff21";
    for (int i = 0; i < 2_000; i++) {
      StringBuilder b = new StringBuilder();
      int words = r.nextInt(5);
      for (int w = 0; w < words; w++) {
        if (w > 0 || r.nextInt(4) == 0) {
          b.append('-');
        }
        int len = r.nextInt(4) == 0 ? 8 + r.nextInt(9) : r.nextInt(10);
        boolean hex = r.nextBoolean();
        for (int c = 0; c < len; c++) {
          b.append(hex ? "0123456789abcdef".charAt(r.nextInt(16)) : alphabet.charAt(r.nextInt(alphabet.length())));
        }
      }
      if (r.nextInt(4) == 0) {
        b.append("-".repeat(1 + r.nextInt(2)));
      }
      String name = b.toString();
      if (name.isEmpty()) {
        continue; // a key needs a name
      }
      assertEquals(splitPrefix(name), Key.of(name).prefix(), "prefix of '" + name + "'");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"-", "---", "inc", "inc-", "-inc", "--inc--", "sum-a81f", "sum-a81f0000", "a81f0000",
      "a81f0000-sum", "map-part-0123456789abcdef", "x--0123456789-y", "lambda$main$0-9e3779b97f4a7c15", "a-b-c",
      "a--deadbeef0", "-deadbeef0", "\uff21\uff21\uff21\uff21\uff21\uff21\uff21\uff21-x"})
  void edgeNames_matchTheSplitDefinition(String name) {
    assertEquals(splitPrefix(name), Key.of(name).prefix(), "prefix of '" + name + "'");
  }
}
