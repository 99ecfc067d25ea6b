package io.swarmshare.internal.transport;

import io.swarmshare.internal.protocol.Warmup;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets the JIT to compile AES-GCM early, as {@code Sha256Warmup} does for hashing. The JDK's
 * AES-GCM runs its vectorised (AES-NI, carry-less multiply) code only from compiled code; until a
 * transfer has run long enough to trigger compilation, a fresh JVM encrypts and decrypts TLS
 * records in the interpreter's GHASH and counter-mode loops, at tens of MB/s. A few thousand
 * small seals and opens on a background thread at start-up reach the compile thresholds first.
 */
final class AesGcmWarmup {
  private static final int ROUNDS = 3000;
  private static final int RECORD = 1024;

  private AesGcmWarmup() {}

  /** Starts the warm-up once per JVM; returns at once. */
  static void start() {
    Warmup.once("swarmshare-aes-gcm-warmup", AesGcmWarmup::run);
  }

  private static void run() {
    try {
      // The record layer's own calls: AES/GCM/NoPadding, doFinal on heap buffers, both ways.
      SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
      byte[] iv = new byte[12];
      ByteBuffer plain = ByteBuffer.allocate(RECORD);
      ByteBuffer sealed = ByteBuffer.allocate(RECORD + 16);
      ByteBuffer opened = ByteBuffer.allocate(RECORD + 16);
      Cipher seal = Cipher.getInstance("AES/GCM/NoPadding");
      Cipher open = Cipher.getInstance("AES/GCM/NoPadding");
      for (int i = 0; i < ROUNDS; i++) {
        iv[0] = (byte) i;
        iv[1] = (byte) (i >>> 8);
        seal.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        plain.clear();
        sealed.clear();
        seal.doFinal(plain, sealed);
        sealed.flip();
        opened.clear();
        open.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
        open.doFinal(sealed, opened);
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      // only a warm-up: TLS works without it, just slower at first
    }
  }
}
