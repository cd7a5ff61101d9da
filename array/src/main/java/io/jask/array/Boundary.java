package io.jask.array;

/**
 * What {@link DArray#mapOverlap} puts beyond the edges of the array, like the {@code boundary}
 * argument of {@code da.map_overlap}: for the values {@code [1, 2, 3]} and depth 2,
 *
 * <ul>
 *   <li>{@link #reflect()}: {@code [2, 1 | 1, 2, 3 | 3, 2]} (mirrored, edge included, Dask's
 *       {@code "reflect"});
 *   <li>{@link #periodic()}: {@code [2, 3 | 1, 2, 3 | 1, 2]} (wrapped around);
 *   <li>{@link #constant(double)} with 0: {@code [0, 0 | 1, 2, 3 | 0, 0]};
 *   <li>{@link #nearest()}: {@code [1, 1 | 1, 2, 3 | 3, 3]};
 *   <li>{@link #none()}: nothing is added at the array's edges (edge blocks are extended only
 *       inwards).
 * </ul>
 *
 * <pre>{@code
 * DArray smooth = x.mapOverlap(b -> stencil(b), new int[] {1, 1}, Boundary.constant(0));
 * }</pre>
 *
 * @param kind the mode
 * @param value the fill value of {@link Kind#CONSTANT}
 */
public record Boundary(Kind kind, double value) implements java.io.Serializable {
  /** The boundary modes. */
  public enum Kind {
    /** Mirror the edge, edge element included. */
    REFLECT,
    /** Wrap around to the other end. */
    PERIODIC,
    /** A constant value. */
    CONSTANT,
    /** Repeat the edge element. */
    NEAREST,
    /** Add nothing at the array's edges. */
    NONE
  }

  /** Mirrored at the edges. <pre>{@code Boundary b = Boundary.reflect();}</pre> */
  public static Boundary reflect() {
    return new Boundary(Kind.REFLECT, 0);
  }

  /** Wrapped around. <pre>{@code Boundary b = Boundary.periodic();}</pre> */
  public static Boundary periodic() {
    return new Boundary(Kind.PERIODIC, 0);
  }

  /** Filled with {@code value}. <pre>{@code Boundary b = Boundary.constant(Double.NaN);}</pre> */
  public static Boundary constant(double value) {
    return new Boundary(Kind.CONSTANT, value);
  }

  /** The edge element repeated. <pre>{@code Boundary b = Boundary.nearest();}</pre> */
  public static Boundary nearest() {
    return new Boundary(Kind.NEAREST, 0);
  }

  /** Nothing added at the array's edges. <pre>{@code Boundary b = Boundary.none();}</pre> */
  public static Boundary none() {
    return new Boundary(Kind.NONE, 0);
  }
}
