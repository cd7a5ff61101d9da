package io.jask.array.internal;

import org.nd4j.linalg.api.buffer.DataType;

/** NumPy's type promotion, restricted to the five DArray dtypes. */
public final class DTypes {
  private DTypes() {}

  public static boolean isFloat(DataType t) {
    return t == DataType.DOUBLE || t == DataType.FLOAT;
  }

  public static boolean isInt(DataType t) {
    return t == DataType.LONG || t == DataType.INT;
  }

  /** The result type of arithmetic between two arrays ({@code np.result_type}); bool with bool gives int64 here. */
  public static DataType promote(DataType a, DataType b) {
    if (isFloat(a) || isFloat(b)) {
      if (a == DataType.DOUBLE || b == DataType.DOUBLE) {
        return DataType.DOUBLE;
      }
      // one is float32: with bool or float32 it stays float32, with any integer NumPy goes to float64
      DataType other = a == DataType.FLOAT ? b : a;
      return other == DataType.FLOAT || other == DataType.BOOL ? DataType.FLOAT : DataType.DOUBLE;
    }
    if (a == DataType.LONG || b == DataType.LONG) {
      return DataType.LONG;
    }
    if (a == DataType.INT || b == DataType.INT) {
      return DataType.INT;
    }
    return DataType.LONG; // bool op bool in arithmetic: counted as integers
  }

  /** Arithmetic with a Java {@code double}: floats keep their type, integers and bool become float64. */
  public static DataType withDouble(DataType a) {
    return isFloat(a) ? a : DataType.DOUBLE;
  }

  /** Arithmetic with a Java {@code long}: numbers keep their type, bool becomes int64. */
  public static DataType withLong(DataType a) {
    return a == DataType.BOOL ? DataType.LONG : a;
  }

  /** True division and math functions: floats keep their type, the rest become float64. */
  public static DataType floating(DataType a) {
    return isFloat(a) ? a : DataType.DOUBLE;
  }

  /** The dtype of a sum or product (integers and bool accumulate in int64). */
  public static DataType sumType(DataType a) {
    return isFloat(a) ? a : DataType.LONG;
  }

  /** NumPy's name of the dtype. */
  public static String name(DataType t) {
    return switch (t) {
      case DOUBLE -> "float64";
      case FLOAT -> "float32";
      case LONG -> "int64";
      case INT -> "int32";
      case BOOL -> "bool";
      default -> t.toString();
    };
  }
}
