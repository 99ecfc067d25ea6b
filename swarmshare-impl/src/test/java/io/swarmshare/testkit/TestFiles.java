package io.swarmshare.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/** Files with known content for tests, and their SHA-256 computed independently. */
public final class TestFiles {
  private TestFiles() {}

  /** Writes {@code size} bytes from a seeded random generator. */
  public static Path random(Path dir, String name, int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    try {
      Files.createDirectories(dir);
      return Files.write(dir.resolve(name), data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The SHA-256 of a file as hex, computed with one plain pass. */
  public static String sha256(Path file) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
