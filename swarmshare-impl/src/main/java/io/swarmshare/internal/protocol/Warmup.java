package io.swarmshare.internal.protocol;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a JIT warm-up once per JVM on a low-priority daemon thread, so start-up never waits for
 * it. A fresh JVM runs a hot path in the interpreter, then in profiling code, until it has been
 * called often enough to compile; a few thousand calls of a tiny input on the side get there
 * before real work needs the speed.
 */
public final class Warmup {
  private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

  private Warmup() {}

  /** Starts {@code work} on a thread named {@code name}, unless a warm-up of that name ran. */
  public static void once(String name, Runnable work) {
    if (!STARTED.add(name)) {
      return;
    }
    Thread t = new Thread(work, name);
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }
}
