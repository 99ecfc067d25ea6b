package io.swarmshare.internal.store;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.testkit.fuzz.Gen;
import io.swarmshare.testkit.TestManifests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/** Generators and encoders shared by the property tests of the files a download keeps beside its {@code .part}. */
final class StoreFiles {
  static final byte[] RECORD_MAGIC = "swarmshare-resume-v1\n".getBytes(StandardCharsets.US_ASCII);
  static final byte[] MARKS_MAGIC = "swarmshare-marks-v1\n".getBytes(StandardCharsets.US_ASCII);

  private StoreFiles() {}

  /**
   * A resume record's bytes as {@link ResumeRecord#write} lays them out (the round-trip property
   * checks that it does), without the temp file and fsyncs: name, manifest and bitfield blocks,
   * then the SHA-256 of everything before.
   */
  static byte[] record(String name, Manifest manifest, Bitfield verified) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(RECORD_MAGIC);
    block(out, name.getBytes(StandardCharsets.UTF_8));
    block(out, manifest.canonicalBytes());
    out.writeBytes(ByteBuffer.allocate(4).putInt(verified.size()).array());
    out.writeBytes(verified.toByteArray());
    return checksummed(out.toByteArray());
  }

  /** {@code body} followed by its SHA-256, as a record ends. */
  static byte[] checksummed(byte[] body) {
    byte[] digest = ManifestBuilder.sha256().digest(body);
    byte[] out = new byte[body.length + digest.length];
    System.arraycopy(body, 0, out, 0, body.length);
    System.arraycopy(digest, 0, out, body.length, digest.length);
    return out;
  }

  private static void block(ByteArrayOutputStream out, byte[] block) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(block.length).array());
    out.writeBytes(block);
  }

  /** A manifest of 0 to {@code maxChunks} chunks of 16 KiB (no real file has it). */
  static Manifest manifest(Random r, int maxChunks) {
    return TestManifests.random(r.nextLong(), Gen.intIn(r, 0, maxChunks));
  }

  /** Random bits at a random density for a bitfield of {@code size} chunks, the empty and the full one among them. */
  static Bitfield bitfield(Random r, int size) {
    int density = Gen.intIn(r, 0, 8);
    byte[] bits = new byte[Bitfield.byteLength(size)];
    for (int i = 0; i < size; i++) {
      if (r.nextInt(8) < density) {
        bits[i >>> 3] |= (byte) (0x80 >>> (i & 7));
      }
    }
    return Bitfield.fromBytes(size, bits);
  }

  /** A name of up to 12 pieces: printable ASCII, two- and three-byte characters, a surrogate pair, NUL, "/", "..". */
  static String name(Random r) {
    StringBuilder b = new StringBuilder();
    for (int n = Gen.size(r, 12); n > 0; n--) {
      b.append(r.nextBoolean() ? String.valueOf((char) (' ' + r.nextInt(95)))
          : Gen.oneOf(r, "\u00e9", "\u2603", "\ud83d\ude00", "\u0000", "/", ".."));
    }
    return b.toString();
  }

  /** Bytes of {@code length}, each in {@code [lo, hi]}. */
  static byte[] bytesIn(Random r, int length, char lo, char hi) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (lo + r.nextInt(hi - lo + 1));
    }
    return b;
  }

  /** Writes {@code bytes} to {@code file}, replacing what was there. */
  static Path put(Path file, byte[] bytes) {
    try {
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes {@code dir} and everything under it. */
  static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
