package io.jask.engine.diagnostics;

/**
 * Colours by task prefix, the same for the dashboard (which has a JavaScript copy of this
 * function) and the performance report: a hash of the prefix picks a hue.
 */
public final class Palette {
  private Palette() {}

  /** The hue in degrees (0–359) for a prefix: FNV-1a of its characters modulo 360. */
  public static int hue(String prefix) {
    int h = 0x811c9dc5;
    for (int i = 0; i < prefix.length(); i++) {
      h ^= prefix.charAt(i);
      h *= 16777619;
    }
    return Math.floorMod(h, 360);
  }

  /** A CSS colour for a prefix. */
  public static String color(String prefix) {
    return "hsl(" + hue(prefix) + ",65%,55%)";
  }
}
