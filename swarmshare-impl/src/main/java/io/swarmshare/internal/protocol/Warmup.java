package io.swarmshare.internal.protocol;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a JIT warm-up once per JVM on a low-priority daemon thread, so start-up never waits for
 * it. A fresh JVM runs a hot path in the interpreter, then in profiling code, until it has been
 * called often enough to compile; a few thousand calls of a tiny input on the side get there
 * before real work needs the speed.
 *
 * <p>Off unless asked for ({@link #enable()}, from {@code ClientBuilder.warmUp(true)}, or the
 * system property {@code swarmshare.warmup=true}): a library does not start threads and burn
 * CPU unasked. The CLI asks, since its processes are short and move large files.
 */
public final class Warmup {
  /**
   * The smallest file whose transfer or hashing repays a warm-up: 64 MiB. A few megabytes go
   * faster in the interpreter than the warm-up's own compilations cost; a gigabyte does not.
   */
  public static final long WORTH_BYTES = 64L << 20;

  private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();
  private static volatile boolean enabled = Boolean.getBoolean("swarmshare.warmup");

  private Warmup() {}

  /** Lets warm-ups run in this JVM from now on. */
  public static void enable() {
    enabled = true;
  }

  /** Starts {@code work} on a thread named {@code name}, if warm-ups are enabled and none of that name ran. */
  public static void once(String name, Runnable work) {
    if (!enabled || !STARTED.add(name)) {
      return;
    }
    Thread t = new Thread(work, name);
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }
}
