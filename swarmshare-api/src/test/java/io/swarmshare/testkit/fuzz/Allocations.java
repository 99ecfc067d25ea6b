package io.swarmshare.testkit.fuzz;

import java.lang.reflect.Method;

/**
 * How many bytes the current thread has allocated, to show that a decoder does not allocate what
 * a hostile length field claims. Reached by reflection because the modules under test do not
 * read {@code java.management}.
 */
public final class Allocations {
  private static final Object BEAN;
  private static final Method ALLOCATED;

  static {
    try {
      BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
      ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Allocations() {}

  /** Bytes allocated by this thread since it started. */
  public static long soFar() {
    try {
      return (long) ALLOCATED.invoke(BEAN);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this JVM does not count allocated bytes", e);
    }
  }
}
