package io.jask.engine.serialize;

import java.nio.ByteBuffer;
import java.util.List;

/** Test types and two test codecs, registered in test-scope META-INF/services. */
public final class TestShapes {

  private TestShapes() {}

  /** Handled by {@link ShapeCodec} unless a more specific codec exists. */
  public interface Shape {
    double area();
  }

  public record Square(double side) implements Shape {
    @Override
    public double area() {
      return side * side;
    }
  }

  public record Circle(double radius, double[] samples) implements Shape {
    @Override
    public double area() {
      return Math.PI * radius * radius;
    }
  }

  /** Codec for any shape (the tests only give it squares): one frame holding the side. */
  public static final class ShapeCodec implements ValueCodec<Shape> {
    @Override
    public String name() {
      return "test-shape";
    }

    @Override
    public Class<Shape> type() {
      return Shape.class;
    }

    @Override
    public List<ByteBuffer> encode(Shape value) {
      Square s = (Square) value;
      return List.of(ByteBuffer.allocate(8).putDouble(0, s.side()));
    }

    @Override
    public Shape decode(List<ByteBuffer> frames) {
      return new Square(frames.get(0).getDouble(0));
    }

    @Override
    public long sizeOf(Shape value) {
      return 24;
    }
  }

  /**
   * Circle codec: a small header frame and the samples as a direct buffer of their own, which it
   * remembers so that tests can check it is passed through untouched.
   */
  public static final class CircleCodec implements ValueCodec<Circle> {
    static volatile ByteBuffer lastDataFrame;

    @Override
    public String name() {
      return "test-circle";
    }

    @Override
    public Class<Circle> type() {
      return Circle.class;
    }

    @Override
    public List<ByteBuffer> encode(Circle value) {
      ByteBuffer header = ByteBuffer.allocate(12).putDouble(value.radius()).putInt(value.samples().length).flip();
      ByteBuffer data = ByteBuffer.allocateDirect(value.samples().length * 8);
      data.asDoubleBuffer().put(value.samples());
      lastDataFrame = data;
      return List.of(header, data);
    }

    @Override
    public Circle decode(List<ByteBuffer> frames) {
      ByteBuffer h = frames.get(0).duplicate();
      double r = h.getDouble();
      double[] samples = new double[h.getInt()];
      frames.get(1).duplicate().asDoubleBuffer().get(samples);
      return new Circle(r, samples);
    }

    @Override
    public long sizeOf(Circle value) {
      return 1234;
    }
  }
}
