package io.swarmshare.internal.manifest;

import io.swarmshare.internal.protocol.Warmup;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * Gets the JIT to compile SHA-256 early. The JDK's SHA-NI code runs only from compiled code;
 * a fresh JVM hashes its first megabytes in the interpreter, at a few MB/s, until a long loop
 * triggers compilation. A few thousand tiny updates reach the compile threshold by invocation
 * count instead, in well under a millisecond of hashing, on a background thread at start-up.
 */
public final class Sha256Warmup {
  private Sha256Warmup() {}

  /** Starts the warm-up once per JVM; returns at once. */
  public static void start() {
    Warmup.once("swarmshare-sha-warmup", Sha256Warmup::run);
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
    ByteBuffer direct = ByteBuffer.allocateDirect(block.length);
    for (int i = 0; i < 4000; i++) {
      sha.update(direct.clear());
    }
    sha.digest();
  }
}
