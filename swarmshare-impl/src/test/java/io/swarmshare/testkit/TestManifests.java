package io.swarmshare.testkit;

import io.swarmshare.api.Manifest;
import java.util.HexFormat;
import java.util.Random;

/** Manifests for tests, made from a seed without touching a disk. */
public final class TestManifests {
  private TestManifests() {}

  /**
   * A well-formed manifest of {@code chunks} chunks of 16 KiB with hashes drawn from {@code seed};
   * no real file has it, which is all a tracker needs.
   */
  public static Manifest random(long seed, int chunks) {
    Random r = new Random(seed);
    byte[] whole = new byte[32];
    r.nextBytes(whole);
    byte[] hashes = new byte[chunks * 32];
    r.nextBytes(hashes);
    long size = chunks == 0 ? 0 : (long) (chunks - 1) * Manifest.MIN_CHUNK_SIZE + 1 + r.nextInt(Manifest.MIN_CHUNK_SIZE);
    return Manifest.of(size, Manifest.MIN_CHUNK_SIZE, HexFormat.of().formatHex(whole), hashes);
  }
}
