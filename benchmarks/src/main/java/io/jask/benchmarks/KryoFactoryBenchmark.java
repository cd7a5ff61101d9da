package io.jask.benchmarks;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import io.jask.engine.serialize.internal.KryoFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One small value (a task's arguments, {@code Object[]{Long}}) written and read back, as every task
 * payload and message header is: through {@link KryoFactory} (its lock-free slots of idle Kryo
 * instances) and through what it did before, a Kryo taken from and returned to Kryo's thread-safe
 * {@link Pool} (a {@code LinkedBlockingQueue}: two lock round trips per value) around the same
 * calls; on one thread and on two threads at once (a worker's event loop and its task thread).
 *
 * <pre>
 * java $(cat benchmarks/target/jvm.flags) -jar benchmarks/target/jask-benchmarks.jar KryoFactoryBenchmark
 * </pre>
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KryoFactoryBenchmark extends JaskBenchmark {

  private KryoFactory factory;
  private Pool<Kryo> pool;
  private final Object[] args = {10_000_001L};

  @Setup
  public void build() {
    factory = new KryoFactory(KryoFactoryBenchmark.class.getClassLoader());
    pool = new Pool<>(true, false, 64) {
      @Override
      protected Kryo create() {
        return factory.newKryo();
      }
    };
    Stats.check(((Object[]) factory.fromBytes(factory.toBytes(args)))[0].equals(10_000_001L), "round trip");
  }

  /** Per thread: its output and input for the pooled variant (as the factory keeps them). */
  @State(Scope.Thread)
  public static class Buffers {
    final Output out = new Output(1024, -1);
    final Input in = new Input(new byte[0]);
  }

  private Object pooledRoundTrip(Buffers b) {
    Kryo kryo = pool.obtain();
    byte[] bytes;
    try {
      b.out.reset();
      kryo.writeClassAndObject(b.out, args);
      bytes = b.out.toBytes();
    } finally {
      kryo.reset();
      pool.free(kryo);
    }
    kryo = pool.obtain();
    try {
      b.in.setBuffer(bytes);
      return kryo.readClassAndObject(b.in);
    } finally {
      kryo.reset();
      pool.free(kryo);
    }
  }

  @Benchmark
  @Threads(1)
  public Object factory1() {
    return factory.fromBytes(factory.toBytes(args));
  }

  @Benchmark
  @Threads(2)
  public Object factory2() {
    return factory.fromBytes(factory.toBytes(args));
  }

  @Benchmark
  @Threads(1)
  public Object pooled1(Buffers b) {
    return pooledRoundTrip(b);
  }

  @Benchmark
  @Threads(2)
  public Object pooled2(Buffers b) {
    return pooledRoundTrip(b);
  }
}
