package io.jask.engine.serialize.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.Channel;
import java.util.concurrent.ExecutorService;

/**
 * Refuses values that only mean something inside this JVM (threads, class loaders, open streams,
 * sockets, executors), so they fail on write with an explanation instead of being copied field
 * by field into a broken object on the other side.
 */
final class RefusingSerializer extends Serializer<Object> {

  private final String reason;

  RefusingSerializer(String reason) {
    this.reason = reason;
  }

  /** Why values of this class cannot travel, or {@code null} if they can. */
  static String reason(Class<?> type) {
    if (Thread.class.isAssignableFrom(type) || ThreadGroup.class.isAssignableFrom(type)) {
      return "a thread belongs to this JVM; pass the data it works on, not the thread";
    }
    if (ExecutorService.class.isAssignableFrom(type)) {
      return "an executor belongs to this JVM; submit work to Jask instead of capturing the pool";
    }
    if (ClassLoader.class.isAssignableFrom(type)) {
      return "a class loader belongs to this JVM; pass class names or Class objects instead";
    }
    if (InputStream.class.isAssignableFrom(type)
        || OutputStream.class.isAssignableFrom(type)
        || Reader.class.isAssignableFrom(type)
        || Writer.class.isAssignableFrom(type)
        || Channel.class.isAssignableFrom(type)
        || Socket.class.isAssignableFrom(type)
        || ServerSocket.class.isAssignableFrom(type)) {
      return "an open stream, channel or socket belongs to this JVM; pass a path or URL and open"
          + " it inside the task";
    }
    return null;
  }

  @Override
  public void write(Kryo kryo, Output output, Object object) {
    throw new NotSerializable(object.getClass().getName() + " cannot be serialized: " + reason);
  }

  @Override
  public Object read(Kryo kryo, Input input, Class<? extends Object> type) {
    throw new NotSerializable(type.getName() + " cannot be deserialized: " + reason);
  }
}
