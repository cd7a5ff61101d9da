package io.jask.engine.distributed.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenBLAS core type a child JVM gets ({@link JvmLauncher#passBlasCoreType}): SkylakeX exactly
 * when the CPU's flags list the four AVX-512 subsets its kernels use, nothing otherwise, and a value
 * the user set is never replaced.
 */
class BlasCoreTypeTest {
  private static final String BASE = "fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 bmi2";

  @Test
  void skylakeX_onlyWithTheFourAvx512Subsets(@TempDir Path dir) throws Exception {
    assertEquals("SkylakeX", coreType(dir, BASE + " avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16"));
    assertNull(coreType(dir, BASE + " avx512f avx512dq avx512cd avx512vl"), "no avx512bw");
    assertNull(coreType(dir, BASE), "AVX2 only (OpenBLAS's own choice stands)");
    assertNull(coreType(dir, BASE + " avx512fx avx512dq avx512bw avx512vl"), "a longer flag name is not avx512f");
    assertNull(JvmLauncher.blasCoreType(dir.resolve("missing")), "no cpuinfo");
  }

  @Test
  void aValueTheUserSet_isPassedOnUnchanged() {
    Map<String, String> env = new HashMap<>(Map.of("OPENBLAS_CORETYPE", "Haswell"));
    JvmLauncher.passBlasCoreType(env);
    assertEquals("Haswell", env.get("OPENBLAS_CORETYPE"));
    Map<String, String> empty = new HashMap<>();
    JvmLauncher.passBlasCoreType(empty);
    assertEquals(JvmLauncher.blasCoreType(Path.of("/proc/cpuinfo")), empty.get("OPENBLAS_CORETYPE"), empty.toString());
  }

  private static String coreType(Path dir, String flags) throws Exception {
    Path f = dir.resolve("cpuinfo");
    Files.writeString(f, "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: " + flags + "\nbugs\t\t: sysret_ss_attrs\n\n"
        + "processor\t: 1\nflags\t\t: " + flags + "\n");
    return JvmLauncher.blasCoreType(f);
  }
}
