package io.jask.engine.serialize.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import java.io.Serializable;

/**
 * Kryo's {@link ClosureSerializer} with a clear error for lambdas that cannot travel: only a
 * lambda whose target type is {@link Serializable} has the {@code writeReplace} method Kryo needs.
 */
final class CheckedClosureSerializer extends ClosureSerializer {

  @Override
  public void write(Kryo kryo, Output output, Object object) {
    if (!(object instanceof Serializable)) {
      throw new NotSerializable(
          "lambda " + object.getClass().getName() + " (implementing "
              + interfaces(object.getClass()) + ") is not serializable: make its functional"
              + " interface extend java.io.Serializable, or cast it, e.g."
              + " (Function<A, B> & Serializable) x -> ...");
    }
    super.write(kryo, output, object);
  }

  private static String interfaces(Class<?> c) {
    StringBuilder sb = new StringBuilder();
    for (Class<?> i : c.getInterfaces()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(i.getName());
    }
    return sb.toString();
  }
}
