package io.jask.array;

/**
 * The reductions of {@link DArray#reduce(Reduction, int[], boolean, int, int)}.
 *
 * <pre>{@code
 * DArray v = x.reduce(Reduction.VAR, new int[] {1}, false, 8, 1);   // sample variance of each row
 * }</pre>
 */
public enum Reduction {
  SUM, PROD, MIN, MAX, MEAN, VAR, STD, ANY, ALL, NANSUM, NANMEAN, NANMIN, NANMAX, ARGMIN, ARGMAX
}
