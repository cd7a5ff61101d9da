package io.jask.bag.internal;

import io.jask.bag.Pair;
import io.jask.bag.io.Block;
import io.jask.bag.io.JsonLines;
import io.jask.bag.io.Lines;
import io.jask.bag.io.TextWriter;
import io.jask.engine.Fn;
import io.jask.engine.TaskFn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Task functions that make or reshape whole partitions. */
public final class PartFns {
  private PartFns() {}

  /** The lines of a text block (no arguments). */
  public record ReadLines(Block block) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return Lines.read(block);
    }
  }

  /** The JSON objects of a text block (no arguments). */
  public record ReadJson(Block block, Set<String> fields, boolean skipMalformed) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return JsonLines.read(block, fields, skipMalformed);
    }
  }

  /** The malformed JSON lines of a text block (no arguments). */
  public record ReadJsonErrors(Block block) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return JsonLines.malformed(block);
    }
  }

  /** The longs {@code [start, end)}. */
  public record Range(long start, long end) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      List<Long> out = new ArrayList<>((int) Math.max(0, end - start));
      for (long i = start; i < end; i++) {
        out.add(i);
      }
      return out;
    }
  }

  /** {@code f(partition)}, as a list. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public record MapPartition(Fn.F1 f) implements TaskFn {
    @Override
    public Object apply(Object[] args) throws Exception {
      Object r = f.apply(args[0]);
      if (!(r instanceof Iterable<?> it)) {
        throw new IllegalArgumentException("mapPartitions: the function returned " + Steps.describe(r)
            + ", not an Iterable");
      }
      if (r instanceof List<?>) {
        return r;
      }
      List<Object> out = new ArrayList<>();
      it.forEach(out::add);
      return out;
    }
  }

  /** The concatenation of the partitions given as one list argument. */
  public enum Concat implements TaskFn {
    INSTANCE;

    @Override
    public Object apply(Object[] args) {
      List<?> parts = (List<?>) args[0];
      int n = 0;
      for (Object p : parts) {
        n += ((List<?>) p).size();
      }
      List<Object> out = new ArrayList<>(n);
      for (Object p : parts) {
        out.addAll((List<?>) p);
      }
      return out;
    }
  }

  /** Piece {@code piece} of {@code pieces} near-equal contiguous pieces of the partition. */
  public record Slice(int piece, int pieces) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      List<?> p = (List<?>) args[0];
      int n = p.size();
      return new ArrayList<>(p.subList((int) ((long) n * piece / pieces), (int) ((long) n * (piece + 1) / pieces)));
    }
  }

  /** Every pair of an element of the first partition and one of the second. */
  public enum Product implements TaskFn {
    INSTANCE;

    @Override
    public Object apply(Object[] args) {
      List<?> a = (List<?>) args[0];
      List<?> b = (List<?>) args[1];
      List<Object> out = new ArrayList<>(a.size() * b.size());
      for (Object x : a) {
        for (Object y : b) {
          out.add(new Pair<>(x, y));
        }
      }
      return out;
    }
  }

  /** Writes the partition to a file; returns the path as a list of one string (a partition). */
  public record WriteText(String path) implements TaskFn {
    @Override
    public Object apply(Object[] args) {
      return List.of(TextWriter.write(Path.of(path), (List<?>) args[0]).toString());
    }
  }
}
