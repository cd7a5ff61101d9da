package io.jask.benchmarks;

import io.jask.io.ByteRange;
import io.jask.io.CsvOptions;
import io.jask.io.CsvReader;
import io.jask.io.internal.DoubleParse;
import io.jask.io.internal.RangeBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import tech.tablesaw.api.Table;

/**
 * The CSV reader's per-row and per-field costs on one file of the D-workloads' data ({@code
 * /tmp/peerdata/csv/part-00.csv}: 500,000 rows of id, key, x, y; {@code shared/peers/dask/gen_data.py}),
 * in nanoseconds per row (per field for {@code parseX}), one thread, without the scheduler and the
 * machine's other work between: what D1 and D1b pay per row on each core.
 *
 * <ul>
 *   <li>{@code readD1}: {@code CsvReader.read} of id and x (D1's projection); {@code readAll}: all
 *       four columns (D1b).
 *   <li>{@code rangeBytes}: only the block's bytes ({@code RangeBytes.read} into a reused array, as
 *       the reader does); {@code channelRead}: the same bytes by {@code FileChannel.read} into the
 *       heap array (the reader's path before the mapped copy).
 *   <li>{@code parseX}: {@code DoubleParse.parse} of every x field, bounds found beforehand.
 * </ul>
 *
 * <pre>
 * java $(cat benchmarks/target/jvm.flags) -jar benchmarks/target/jask-benchmarks.jar CsvKernelBenchmark
 * </pre>
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CsvKernelBenchmark extends JaskBenchmark {
  static final Path FILE = Path.of("/tmp/peerdata/csv/part-00.csv");
  static final int ROWS = 500_000;

  private CsvOptions d1;
  private CsvOptions all;
  private ByteRange range;
  private byte[] reuse;
  private byte[] bytes;
  private int[] xStart;
  private int[] xEnd;

  @Setup
  public void load() throws IOException {
    Stats.check(Files.isRegularFile(FILE), "no " + FILE + ": run shared/peers/dask/gen_data.py first");
    d1 = CsvReader.resolve(FILE, CsvOptions.defaults().withColumns("id", "x"));
    all = CsvReader.resolve(FILE, CsvOptions.defaults());
    range = new ByteRange(FILE.toString(), 0, Files.size(FILE), false, 0);
    reuse = new byte[(int) Files.size(FILE) + 8192];
    bytes = Files.readAllBytes(FILE);
    xStart = new int[ROWS];
    xEnd = new int[ROWS];
    int p = 0;
    while (bytes[p] != '\n') {
      p++;
    }
    p++;
    int n = 0;
    while (p < bytes.length) {
      int col = 0;
      while (bytes[p] != '\n') {
        if (bytes[p] == ',') {
          col++;
          if (col == 2) {
            xStart[n] = p + 1;
          } else if (col == 3) {
            xEnd[n] = p;
          }
        }
        p++;
      }
      p++;
      n++;
    }
    Stats.check(n == ROWS, "rows " + n + ", expected " + ROWS);
    Stats.check(CsvReader.read(FILE, d1).rowCount() == ROWS, "readD1 rows");
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public Table readD1() {
    return CsvReader.read(FILE, d1);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public Table readAll() {
    return CsvReader.read(FILE, all);
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public int rangeBytes() {
    return RangeBytes.read(range, reuse).to();
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public int channelRead() throws IOException {
    try (FileChannel ch = FileChannel.open(FILE, StandardOpenOption.READ)) {
      ByteBuffer bb = ByteBuffer.wrap(reuse, 0, bytes.length);
      long pos = 0;
      while (bb.hasRemaining()) {
        pos += ch.read(bb, pos);
      }
      return (int) pos;
    }
  }

  @Benchmark
  @OperationsPerInvocation(ROWS)
  public double parseX() {
    double s = 0;
    for (int i = 0; i < ROWS; i++) {
      s += DoubleParse.parse(bytes, xStart[i], xEnd[i]);
    }
    return s;
  }
}
