package io.swarmshare.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.testkit.fuzz.Allocations;
import io.swarmshare.testkit.fuzz.Fuzz;
import io.swarmshare.testkit.fuzz.Gen;
import io.swarmshare.testkit.fuzz.Mutation;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChunkMarks#read} takes {@code NAME.marks}, which a crash, a power cut or anyone who can
 * write the folder may have left in any state. Whatever it holds, the reader returns null (not
 * marks for this file) or exactly the chunks whose byte is the mark, and it never reads a file of
 * another length than the manifest implies. Each property runs {@link Fuzz#cases()} seeded cases
 * (docs/TESTING.md).
 */
class ChunkMarksPropertiesTest {
  private static final int HEADER = StoreFiles.MARKS_MAGIC.length + 32;

  @TempDir
  static Path dir;

  @Test
  void markedChunksAreReadBack() {
    Fuzz.check(c -> {
      Marked m = c.draw("marked", ChunkMarksPropertiesTest::marked);
      Path file = write(m);
      assertEquals(m.chunks(), ChunkMarks.read(file, m.manifest()));
    });
  }

  @Test
  void arbitraryFilesReadAsExactlyTheirMarksOrAsNone() {
    Fuzz.check(c -> {
      Manifest manifest = c.draw("manifest", r -> StoreFiles.manifest(r, 300));
      readsAsWhatItHolds(manifest, c.draw("bytes", r -> file(r, manifest)));
    });
  }

  @Test
  void mutatedFilesReadAsExactlyTheirMarksOrAsNone() {
    Fuzz.check(c -> {
      Marked m = c.draw("marked", ChunkMarksPropertiesTest::marked);
      List<Mutation> mutations = c.draw("mutations", Mutation::some);
      readsAsWhatItHolds(m.manifest(), Mutation.apply(mutations, Files.readAllBytes(write(m))));
    });
  }

  /** A marks file of the wrong length, however long, is refused without being read. */
  @Test
  void aFileOfAnotherLengthIsNotRead() {
    Fuzz.check(c -> {
      Manifest manifest = c.draw("manifest", r -> StoreFiles.manifest(r, 300));
      // Lengths near the right one (one short, one over) as well as any up to 4 GiB.
      long length = c.draw("length", r -> r.nextBoolean() ? HEADER + manifest.chunkCount() + Gen.intIn(r, -2, 2)
          : Gen.longIn(r, 0, 1L << 32));
      if (length == HEADER + (long) manifest.chunkCount()) {
        return;
      }
      Path file = dir.resolve("x.marks");
      Files.deleteIfExists(file);
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
        f.setLength(length); // sparse: costs no disk
      }
      long before = Allocations.soFar();
      assertNull(ChunkMarks.read(file, manifest));
      long allocated = Allocations.soFar() - before;
      assertTrue(allocated < 1024 * 1024, "a marks file of " + length + " bytes allocated " + allocated);
    });
  }

  /** Marks for {@code m}'s chunks, written by the store into {@code x.marks}. */
  private static Path write(Marked m) throws IOException {
    Path file = dir.resolve("x.marks");
    try (ChunkMarks marks = ChunkMarks.create(file, m.manifest())) {
      for (int i = m.chunks().nextSet(0); i >= 0; i = m.chunks().nextSet(i + 1)) {
        marks.mark(i);
      }
    }
    return file;
  }

  private static void readsAsWhatItHolds(Manifest manifest, byte[] bytes) throws IOException {
    Bitfield read = ChunkMarks.read(StoreFiles.put(dir.resolve("x.marks"), bytes), manifest);
    boolean ours = bytes.length == HEADER + manifest.chunkCount()
        && Arrays.equals(bytes, 0, StoreFiles.MARKS_MAGIC.length, StoreFiles.MARKS_MAGIC, 0, StoreFiles.MARKS_MAGIC.length)
        && Arrays.equals(bytes, StoreFiles.MARKS_MAGIC.length, HEADER, manifest.id().bytes(), 0, 32);
    if (!ours) {
      assertNull(read);
      return;
    }
    Bitfield expected = Bitfield.empty(manifest.chunkCount());
    for (int i = 0; i < manifest.chunkCount(); i++) {
      if (bytes[HEADER + i] == 'W') {
        expected = expected.with(i);
      }
    }
    assertEquals(expected, read);
  }

  /** A manifest and the chunks marked for it. */
  record Marked(Manifest manifest, Bitfield chunks) {}

  /** A manifest of up to 300 chunks and some of them marked. */
  static Marked marked(Random r) {
    Manifest m = StoreFiles.manifest(r, 300);
    return new Marked(m, StoreFiles.bitfield(r, m.chunkCount()));
  }

  /**
   * Junk, or the magic and a file id followed by bytes around the mark ('V' to 'X'): some other
   * file's id and any number of marks, or {@code manifest}'s id and one mark per chunk.
   */
  static byte[] file(Random r, Manifest manifest) {
    if (r.nextBoolean()) {
      return Gen.bytes(r, 400);
    }
    boolean ours = r.nextBoolean();
    byte[] marks = StoreFiles.bytesIn(r, ours ? manifest.chunkCount() : Gen.size(r, 320), 'V', 'X');
    byte[] out = new byte[HEADER + marks.length];
    System.arraycopy(StoreFiles.MARKS_MAGIC, 0, out, 0, StoreFiles.MARKS_MAGIC.length);
    System.arraycopy(ours ? manifest.id().bytes() : Gen.exactBytes(r, 32), 0, out, StoreFiles.MARKS_MAGIC.length, 32);
    System.arraycopy(marks, 0, out, HEADER, marks.length);
    return out;
  }
}
