package io.jask.engine.serialize.internal;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;

/**
 * Kryo with Jask's choice of default serializers, made by class before Kryo's own: JDK
 * collection wrappers by content, exceptions, and refusals for values bound to this JVM.
 */
final class JaskKryo extends Kryo {

  private final KryoFactory factory;

  JaskKryo(KryoFactory factory) {
    this.factory = factory;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Serializer getDefaultSerializer(Class type) {
    Serializer<?> s = JdkCollectionSerializers.forClass(type);
    if (s != null) {
      return s;
    }
    if (Throwable.class.isAssignableFrom(type)) {
      return new ThrowableSerializer(factory, type);
    }
    String refusal = RefusingSerializer.reason(type);
    if (refusal != null) {
      return new RefusingSerializer(refusal);
    }
    return super.getDefaultSerializer(type);
  }
}
