package io.jask.benchmarks;

import io.jask.engine.serialize.Encoded;
import io.jask.engine.serialize.Serialization;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The Tablesaw ⇄ Arrow IPC codec on one partition shaped like the D-workloads' data ({@code id}
 * int64 0..999, {@code key} string of 1,000 values, {@code x} ~ N(0,1), {@code y} ~ U(0,1)):
 * what a worker pays to send or spill a partition, and to receive or unspill one.
 *
 * <pre>
 * mvn -Pbench package -DskipTests
 * java $(cat benchmarks/target/jvm.flags) -jar benchmarks/target/jask-benchmarks.jar ArrowCodecBenchmark
 * </pre>
 */
public class ArrowCodecBenchmark extends JaskBenchmark {
  @Param({"500000"})
  public int rows;

  private Serialization codecs;
  private Table table;
  private Encoded encoded;

  @Setup
  public void build() {
    Random r = new Random(42);
    long[] id = new long[rows];
    String[] key = new String[rows];
    double[] x = new double[rows];
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      id[i] = r.nextInt(1000);
      key[i] = String.format("k%03d", r.nextInt(1000));
      x[i] = r.nextGaussian();
      y[i] = r.nextDouble();
    }
    table = Table.create("part", LongColumn.create("id", id), StringColumn.create("key", key),
        DoubleColumn.create("x", x), DoubleColumn.create("y", y));
    codecs = Serialization.get();
    encoded = codecs.encode(table);
    Stats.check("arrow-table".equals(encoded.codec()), "codec is arrow-table");
    Table back = (Table) codecs.decode(encoded);
    Stats.check(back.rowCount() == rows && back.stringColumn("key").get(rows - 1).equals(key[rows - 1])
        && back.doubleColumn("x").get(rows / 2) == x[rows / 2], "round trip");
  }

  @Benchmark
  public Encoded encode() {
    return codecs.encode(table);
  }

  @Benchmark
  public Object decode() {
    return codecs.decode(encoded);
  }
}
