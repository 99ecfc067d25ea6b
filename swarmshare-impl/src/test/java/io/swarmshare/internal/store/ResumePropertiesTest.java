package io.swarmshare.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.testkit.fuzz.Fuzz;
import io.swarmshare.testkit.fuzz.Gen;
import io.swarmshare.testkit.TestManifests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Resume#examine} decides what an earlier run's leftovers are worth: a resume record,
 * marks and a {@code .part}, each possibly missing, stale, for another file or forged. Whatever
 * they are, it keeps exactly the chunks that the record or the marks name and whose bytes match
 * the manifest, and discards all three files when the record or the {@code .part} cannot be used.
 * Each property runs {@link Fuzz#cases()} seeded cases (docs/TESTING.md).
 */
class ResumePropertiesTest {
  private static final int CHUNK = Manifest.MIN_CHUNK_SIZE;

  @TempDir
  static Path dir;

  enum RecordKind { VALID, OTHER_FILE, GARBAGE, ABSENT }

  enum MarksKind { VALID, GARBAGE, ABSENT }

  enum PartKind { RIGHT, SHORT, LONG, ABSENT }

  /** What an earlier run left: the file's content, which chunks of the {@code .part} are wrong, and the three files' states. */
  record Leftovers(long seed, int chunks, int lastLength, Bitfield corrupt, RecordKind record, Bitfield recorded,
      MarksKind marks, byte[] markBytes, PartKind part) {}

  @Test
  void onlyNamedChunksWhoseBytesMatchAreKept() {
    Fuzz.check(c -> onlyNamedChunksWhoseBytesMatchAreKept(c.draw("leftovers", ResumePropertiesTest::leftovers)));
  }

  private static void onlyNamedChunksWhoseBytesMatchAreKept(Leftovers l) throws IOException {
    Path d = Files.createTempDirectory(dir, "run");
    byte[] content = new byte[l.chunks() == 0 ? 0 : (l.chunks() - 1) * CHUNK + l.lastLength()];
    new Random(l.seed()).nextBytes(content);
    Manifest manifest = manifestOf(content);
    Path part = d.resolve("x.part");
    Path record = d.resolve("x.resume");
    Path marks = d.resolve("x.marks");

    byte[] onDisk = content.clone();
    for (int i = l.corrupt().nextSet(0); i >= 0; i = l.corrupt().nextSet(i + 1)) {
      onDisk[i * CHUNK] ^= 1;
    }
    switch (l.part()) {
      case RIGHT -> StoreFiles.put(part, onDisk);
      case SHORT -> StoreFiles.put(part, Arrays.copyOf(onDisk, Math.max(0, onDisk.length - 1)));
      case LONG -> StoreFiles.put(part, Arrays.copyOf(onDisk, onDisk.length + 1));
      case ABSENT -> { }
    }
    switch (l.record()) {
      case VALID -> StoreFiles.put(record, StoreFiles.record("x", manifest, l.recorded()));
      case OTHER_FILE -> StoreFiles.put(record, StoreFiles.record("x", TestManifests.random(l.seed(), l.chunks()), l.recorded()));
      case GARBAGE -> StoreFiles.put(record, Arrays.copyOf(l.markBytes(), l.markBytes().length + 40));
      case ABSENT -> { }
    }
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.writeBytes(StoreFiles.MARKS_MAGIC);
    m.writeBytes(manifest.id().bytes());
    m.writeBytes(l.markBytes());
    switch (l.marks()) {
      case VALID -> StoreFiles.put(marks, m.toByteArray());
      case GARBAGE -> StoreFiles.put(marks, Arrays.copyOf(m.toByteArray(), m.size() - 1));
      case ABSENT -> { }
    }

    ChunkSet verified = new ChunkSet(manifest.chunkCount());
    Resume resume = Resume.examine(record, marks, part, manifest, verified);

    boolean partUsable = Files.exists(part) && Files.size(part) == content.length;
    if (l.record() != RecordKind.VALID || !partUsable) {
      assertEquals(0, verified.count());
      assertEquals(0, resume.kept());
      assertFalse(Files.exists(record) || Files.exists(marks) || Files.exists(part), "unusable leftovers are discarded");
    } else {
      Bitfield named = l.recorded();
      if (l.marks() == MarksKind.VALID) {
        for (int i = 0; i < l.chunks(); i++) {
          if (l.markBytes()[i] == 'W') {
            named = named.with(i);
          }
        }
      }
      Bitfield expected = Bitfield.empty(l.chunks());
      int discarded = 0;
      for (int i = named.nextSet(0); i >= 0; i = named.nextSet(i + 1)) {
        if (l.corrupt().get(i)) {
          discarded++;
        } else {
          expected = expected.with(i);
        }
      }
      assertEquals(expected, verified.toBitfield());
      assertEquals(expected.cardinality(), resume.kept());
      assertEquals(discarded, resume.discarded());
    }
    StoreFiles.delete(d);
  }

  private static Manifest manifestOf(byte[] content) {
    int count = (content.length + CHUNK - 1) / CHUNK;
    byte[] hashes = new byte[32 * count];
    for (int i = 0; i < count; i++) {
      var sha = ManifestBuilder.sha256();
      sha.update(content, i * CHUNK, Math.min(CHUNK, content.length - i * CHUNK));
      System.arraycopy(sha.digest(), 0, hashes, 32 * i, 32);
    }
    return Manifest.of(content.length, CHUNK, HexFormat.of().formatHex(ManifestBuilder.sha256().digest(content)), hashes);
  }

  /** Up to 6 chunks, and any mix of states for the record, the marks and the {@code .part}. */
  static Leftovers leftovers(Random r) {
    int chunks = Gen.intIn(r, 0, 6);
    return new Leftovers(r.nextLong(), chunks, Gen.intIn(r, 1, CHUNK), StoreFiles.bitfield(r, chunks),
        Gen.oneOf(r, RecordKind.values()), StoreFiles.bitfield(r, chunks), Gen.oneOf(r, MarksKind.values()),
        StoreFiles.bytesIn(r, chunks, 'V', 'X'), Gen.oneOf(r, PartKind.values()));
  }
}
