package io.jask.engine.distributed.comm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaked a Netty {@link ByteBuf}: turns leak detection to PARANOID (every
 * buffer tracked), listens to the ByteBuf leak detector, and after the class forces garbage
 * collection and a few allocations (the detector reports collected unreleased buffers on the next
 * allocation).
 */
final class NettyLeakCheck implements BeforeAllCallback, AfterAllCallback {

  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    try {
      Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
      f.setAccessible(true);
      ((ResourceLeakDetector<?>) f.get(null))
          .setLeakListener((type, records) -> LEAKS.add(type + ": " + records));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    LEAKS.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      ByteBufAllocator.DEFAULT.directBuffer(16).release();
      ByteBufAllocator.DEFAULT.heapBuffer(16).release();
    }
    assertEquals(List.of(), LEAKS, "Netty ByteBuf leaks");
  }
}
