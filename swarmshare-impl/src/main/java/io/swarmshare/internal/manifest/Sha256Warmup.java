package io.swarmshare.internal.manifest;

import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the JIT to compile SHA-256 early. The JDK's SHA-NI code runs only from compiled code;
 * a fresh JVM hashes its first megabytes in the interpreter, at a few MB/s, until a long loop
 * triggers compilation. A few thousand tiny updates reach the compile threshold by invocation
 * count instead, in well under a millisecond of hashing, on a background thread at start-up.
 */
public final class Sha256Warmup {
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private Sha256Warmup() {}

  /** Starts the warm-up once per JVM; returns at once. */
  public static void start() {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(Sha256Warmup::run, "swarmshare-sha-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private static void run() {
    MessageDigest sha = ManifestBuilder.sha256();
    byte[] block = new byte[128];
    for (int i = 0; i < 4000; i++) {
      sha.update(block, 0, block.length);
      if ((i & 255) == 0) {
        sha.digest();
      }
    }
    sha.digest();
    // Downloads over plain TCP hash chunks held in direct buffers, a path of its own.
    java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(block.length);
    for (int i = 0; i < 4000; i++) {
      sha.update(direct.clear());
    }
    sha.digest();
  }
}
