package io.jask.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Deterministic tokens, like {@code dask.base.tokenize}: the same operation on the same inputs gets
 * the same token, so the same key, and shared work is computed once.
 *
 * <p>Values are hashed by content: strings, numbers, booleans, enums, keys, primitive arrays,
 * lists, sets and maps (order-independent for sets and maps), records (by components), serializable
 * lambdas and method references (by implementation method and captured values), objects that
 * implement {@link Tokenizable}, and other {@link Serializable} objects by their serialized bytes.
 * An object that is none of these gets a random token, so it never collides with another.
 *
 * <pre>{@code
 * String t = Tokenize.token("add", 1, 2);   // same string every run
 * Key k = Key.of("add-" + t);
 * }</pre>
 */
public final class Tokenize {
  private Tokenize() {}

  /** Objects that know their own token (for example a file's path, size and modification time). */
  public interface Tokenizable {
    /** A deterministic description of this object's content. */
    Object tokenParts();
  }

  /** A 32-hex-digit token of the parts. */
  public static String token(Object... parts) {
    MessageDigest md = md5();
    feed(md, Arrays.asList(parts), 0);
    return hex(md.digest());
  }

  /**
   * The tokens of many part lists that begin with the same parts, those hashed once: {@code
   * Tokenize.shared(n, f).name(prefix, rest...)} equals {@code Tokenize.name(prefix, f, rest...)}
   * when {@code rest} has {@code n - 1} parts. For a {@code map} of one function over many items.
   *
   * @param totalParts the number of parts of every list, the shared ones included
   * @param first the shared first parts
   */
  public static Shared shared(int totalParts, Object... first) {
    if (first.length > totalParts) {
      throw new IllegalArgumentException(first.length + " shared parts of " + totalParts);
    }
    MessageDigest md = md5();
    tag(md, 'L');
    lng(md, totalParts);
    for (Object o : first) {
      feed(md, o, 1);
    }
    return new Shared(md, totalParts - first.length);
  }

  /** The hashed first parts of {@link #shared}; thread-safe. */
  public static final class Shared {
    private final MessageDigest head;
    private final int rest;

    private Shared(MessageDigest head, int rest) {
      this.head = head;
      this.rest = rest;
    }

    /** {@link Tokenize#token} of the shared parts followed by {@code parts}. */
    public String token(Object... parts) {
      if (parts.length != rest) {
        throw new IllegalArgumentException("expected " + rest + " more parts, got " + parts.length);
      }
      MessageDigest md;
      try {
        synchronized (head) {
          md = (MessageDigest) head.clone();
        }
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException("MD5 digest cannot be cloned", e);
      }
      for (Object o : parts) {
        feed(md, o, 1);
      }
      return hex(md.digest());
    }

    /** {@code prefix-}{@link #token}. */
    public String name(String prefix, Object... parts) {
      return prefix + "-" + token(parts);
    }
  }

  private static String hex(byte[] d) {
    StringBuilder b = new StringBuilder(32);
    for (byte x : d) {
      b.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
    }
    return b.toString();
  }

  /** A key name {@code prefix-token(parts)}, like dask's {@code f"{name}-{tokenize(...)}"}. */
  public static String name(String prefix, Object... parts) {
    return prefix + "-" + token(parts);
  }

  /**
   * A short name for a function object, for key prefixes: the implementation method of a method
   * reference ({@code "parseInt"}), {@code "lambda"} for a lambda, else the simple class name.
   */
  public static String functionName(Object fn) {
    if (fn instanceof Serializable s) {
      SerializedLambda l = lambdaOf(s);
      if (l != null) {
        String m = l.getImplMethodName();
        return m.startsWith("lambda$") ? "lambda" : m;
      }
    }
    String n = fn.getClass().getSimpleName();
    return n.isEmpty() ? "call" : n.toLowerCase(java.util.Locale.ROOT);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void tag(MessageDigest md, char t) {
    md.update((byte) t);
  }

  private static void str(MessageDigest md, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    lng(md, b.length);
    md.update(b);
  }

  private static void lng(MessageDigest md, long v) {
    for (int i = 0; i < 8; i++) {
      md.update((byte) (v >>> (8 * i)));
    }
  }

  private static void feed(MessageDigest md, Object o, int depth) {
    if (depth > 64) {
      throw new IllegalArgumentException("value too deeply nested to tokenize");
    }
    if (o == null) {
      tag(md, 'N');
    } else if (o instanceof String s) {
      tag(md, 'S');
      str(md, s);
    } else if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) {
      tag(md, 'I');
      lng(md, ((Number) o).longValue());
    } else if (o instanceof Double || o instanceof Float) {
      tag(md, 'D');
      lng(md, Double.doubleToLongBits(((Number) o).doubleValue()));
    } else if (o instanceof Boolean b) {
      tag(md, b ? 'T' : 'F');
    } else if (o instanceof Character c) {
      tag(md, 'C');
      lng(md, c);
    } else if (o instanceof Enum<?> e) {
      tag(md, 'E');
      str(md, e.getDeclaringClass().getName());
      str(md, e.name());
    } else if (o instanceof Key k) {
      tag(md, 'K');
      str(md, k.toString());
    } else if (o instanceof Tokenizable t) {
      tag(md, 'Z');
      str(md, o.getClass().getName());
      feed(md, t.tokenParts(), depth + 1);
    } else if (o instanceof Class<?> c) {
      tag(md, 'c');
      str(md, c.getName());
    } else if (o.getClass().isArray()) {
      array(md, o, depth);
    } else if (o instanceof List<?> l) {
      tag(md, 'L');
      lng(md, l.size());
      for (Object x : l) {
        feed(md, x, depth + 1);
      }
    } else if (o instanceof Set<?> s) {
      tag(md, 's');
      List<String> tokens = new ArrayList<>(s.size());
      for (Object x : s) {
        tokens.add(token(x));
      }
      sorted(md, tokens);
    } else if (o instanceof Map<?, ?> m) {
      tag(md, 'M');
      List<String> tokens = new ArrayList<>(m.size());
      m.forEach((k, v) -> tokens.add(token(k) + token(v)));
      sorted(md, tokens);
    } else if (o instanceof Record r) {
      tag(md, 'R');
      str(md, r.getClass().getName());
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          Method acc = c.getAccessor();
          acc.setAccessible(true);
          feed(md, acc.invoke(r), depth + 1);
        } catch (ReflectiveOperationException | RuntimeException e) {
          random(md);
        }
      }
    } else if (o instanceof Serializable s) {
      SerializedLambda lambda = lambdaOf(s);
      if (lambda != null) {
        tag(md, 'λ');
        str(md, lambda.getImplClass());
        str(md, lambda.getImplMethodName());
        str(md, lambda.getImplMethodSignature());
        for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
          feed(md, lambda.getCapturedArg(i), depth + 1);
        }
      } else {
        serialized(md, s);
      }
    } else {
      random(md);
    }
  }

  private static void sorted(MessageDigest md, List<String> tokens) {
    tokens.sort(null);
    lng(md, tokens.size());
    for (String t : tokens) {
      str(md, t);
    }
  }

  private static void array(MessageDigest md, Object a, int depth) {
    tag(md, 'A');
    str(md, a.getClass().getComponentType().getName());
    if (a instanceof byte[] b) {
      lng(md, b.length);
      md.update(b);
    } else if (a instanceof int[] x) {
      lng(md, x.length);
      for (int v : x) {
        lng(md, v);
      }
    } else if (a instanceof long[] x) {
      lng(md, x.length);
      for (long v : x) {
        lng(md, v);
      }
    } else if (a instanceof double[] x) {
      lng(md, x.length);
      for (double v : x) {
        lng(md, Double.doubleToLongBits(v));
      }
    } else if (a instanceof float[] x) {
      lng(md, x.length);
      for (float v : x) {
        lng(md, Float.floatToIntBits(v));
      }
    } else if (a instanceof Object[] x) {
      lng(md, x.length);
      for (Object v : x) {
        feed(md, v, depth + 1);
      }
    } else {
      int n = java.lang.reflect.Array.getLength(a);
      lng(md, n);
      for (int i = 0; i < n; i++) {
        feed(md, java.lang.reflect.Array.get(a, i), depth + 1);
      }
    }
  }

  /** The {@code writeReplace} method of each serializable lambda class, looked up once per class. */
  private static final ClassValue<Method> WRITE_REPLACE = new ClassValue<>() {
    @Override
    protected Method computeValue(Class<?> c) {
      if (!c.isSynthetic() && !c.getName().contains("$$Lambda")) {
        return null;
      }
      try {
        Method m = c.getDeclaredMethod("writeReplace");
        m.setAccessible(true);
        return m;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  };

  private static SerializedLambda lambdaOf(Serializable s) {
    Method m = WRITE_REPLACE.get(s.getClass());
    if (m == null) {
      return null;
    }
    try {
      Object r = m.invoke(s);
      return r instanceof SerializedLambda l ? l : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static void serialized(MessageDigest md, Serializable s) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(s);
      }
      tag(md, 'J');
      md.update(bytes.toByteArray());
    } catch (IOException | RuntimeException e) {
      random(md);
    }
  }

  private static void random(MessageDigest md) {
    tag(md, '?');
    str(md, UUID.randomUUID().toString());
  }
}
