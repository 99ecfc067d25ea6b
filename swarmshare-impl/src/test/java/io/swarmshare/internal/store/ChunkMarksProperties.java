package io.swarmshare.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.testkit.Allocations;
import io.swarmshare.testkit.Mutation;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@link ChunkMarks#read} takes {@code NAME.marks}, which a crash, a power cut or anyone who can
 * write the folder may have left in any state. Whatever it holds, the reader returns null (not
 * marks for this file) or exactly the chunks whose byte is the mark, and it never reads a file of
 * another length than the manifest implies. The number of tries comes from
 * {@code junit-platform.properties} (docs/TESTING.md).
 */
class ChunkMarksProperties {
  private static final int HEADER = StoreFiles.MARKS_MAGIC.length + 32;
  private static Path dir;

  @BeforeContainer
  static void makeDir() {
    dir = StoreFiles.tempDir();
  }

  @AfterContainer
  static void removeDir() throws IOException {
    StoreFiles.delete(dir);
  }

  @Property
  void markedChunksAreReadBack(@ForAll("marked") Marked m) throws IOException {
    Path file = dir.resolve("x.marks");
    try (ChunkMarks marks = ChunkMarks.create(file, m.manifest())) {
      for (int i = m.chunks().nextSet(0); i >= 0; i = m.chunks().nextSet(i + 1)) {
        marks.mark(i);
      }
    }
    assertEquals(m.chunks(), ChunkMarks.read(file, m.manifest()));
  }

  @Property
  void arbitraryFilesReadAsExactlyTheirMarksOrAsNone(@ForAll("manifests") Manifest manifest, @ForAll("files") byte[] bytes)
      throws IOException {
    readsAsWhatItHolds(manifest, bytes);
  }

  @Property
  void mutatedFilesReadAsExactlyTheirMarksOrAsNone(@ForAll("marked") Marked m, @ForAll("mutations") List<Mutation> mutations)
      throws IOException {
    Path file = dir.resolve("x.marks");
    try (ChunkMarks marks = ChunkMarks.create(file, m.manifest())) {
      for (int i = m.chunks().nextSet(0); i >= 0; i = m.chunks().nextSet(i + 1)) {
        marks.mark(i);
      }
    }
    readsAsWhatItHolds(m.manifest(), Mutation.apply(mutations, Files.readAllBytes(file)));
  }

  /** A marks file of the wrong length, however long, is refused without being read. */
  @Property
  void aFileOfAnotherLengthIsNotRead(@ForAll("manifests") Manifest manifest,
      @ForAll @LongRange(min = 0, max = 1L << 32) long length) throws IOException {
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

  @Provide
  static Arbitrary<Marked> marked() {
    return StoreFiles.manifests(300).flatMap(m -> StoreFiles.bitfields(m.chunkCount()).map(b -> new Marked(m, b)));
  }

  @Provide
  static Arbitrary<Manifest> manifests() {
    return StoreFiles.manifests(300);
  }

  /** Junk, and files with the magic and some file id followed by mark, zero or random bytes. */
  @Provide
  static Arbitrary<byte[]> files() {
    Arbitrary<byte[]> junk = Arbitraries.bytes().array(byte[].class).ofMaxSize(400);
    Arbitrary<byte[]> marks = Arbitraries.bytes().between((byte) 'V', (byte) 'X').array(byte[].class).ofMaxSize(320);
    Arbitrary<byte[]> shaped = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(32), marks).as((id, m) -> {
      byte[] out = new byte[HEADER + m.length];
      System.arraycopy(StoreFiles.MARKS_MAGIC, 0, out, 0, StoreFiles.MARKS_MAGIC.length);
      System.arraycopy(id, 0, out, StoreFiles.MARKS_MAGIC.length, 32);
      System.arraycopy(m, 0, out, HEADER, m.length);
      return out;
    });
    return Arbitraries.oneOf(junk, shaped);
  }

  @Provide
  static Arbitrary<List<Mutation>> mutations() {
    return Mutation.some();
  }
}
