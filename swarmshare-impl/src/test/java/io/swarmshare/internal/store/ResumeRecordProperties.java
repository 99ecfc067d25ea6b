package io.swarmshare.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.testkit.Allocations;
import io.swarmshare.testkit.Mutation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * {@link ResumeRecord#read} takes a file anyone who can write the download folder may have
 * written, checksum included. Whatever it holds, the reader returns a record or throws
 * {@link IOException}; a record it accepts is exactly what its fields encode to; a change that
 * does not fix the checksum is always refused; and a block length is never allocated before its
 * bytes are there. The number of tries comes from {@code junit-platform.properties} (docs/TESTING.md).
 */
class ResumeRecordProperties {
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
  void recordsRoundTrip(@ForAll("records") ResumeRecord r) throws IOException {
    ResumeRecord back = ResumeRecord.read(StoreFiles.put(dir.resolve("x.resume"), StoreFiles.record(r.name(), r.manifest(), r.verified())));
    assertEquals(r.name(), back.name());
    assertArrayEquals(r.manifest().canonicalBytes(), back.manifest().canonicalBytes());
    assertEquals(r.verified(), back.verified());
  }

  /** Few tries, as each syncs a file and a directory: enough to show the test's encoder is the store's. */
  @Property(tries = 20)
  void theStoreWritesWhatTheseTestsEncode(@ForAll("records") ResumeRecord r) throws IOException {
    Path file = dir.resolve("written.resume");
    r.write(file);
    assertArrayEquals(StoreFiles.record(r.name(), r.manifest(), r.verified()), Files.readAllBytes(file));
  }

  @Property
  void arbitraryChecksummedFilesAreRejectedCleanlyOrReencodeIdentically(@ForAll("bodies") byte[] body) {
    readsAsItselfOrIsRejected(StoreFiles.checksummed(body));
  }

  @Property
  void arbitraryFilesAreRejectedCleanly(@ForAll @Size(max = 600) byte[] bytes) {
    readsAsItselfOrIsRejected(bytes);
  }

  /** Someone who can write the folder can also fix the checksum: the fields must hold up alone. */
  @Property
  void mutatedRecordsWithAFixedChecksumAreRejectedCleanlyOrReencodeIdentically(
      @ForAll("records") ResumeRecord r, @ForAll("mutations") List<Mutation> mutations) {
    byte[] whole = StoreFiles.record(r.name(), r.manifest(), r.verified());
    byte[] body = Arrays.copyOf(whole, whole.length - 32);
    readsAsItselfOrIsRejected(StoreFiles.checksummed(Mutation.apply(mutations, body)));
  }

  @Property
  void aTornOrGarbledRecordIsAlwaysRefused(@ForAll("records") ResumeRecord r, @ForAll("mutations") List<Mutation> mutations) {
    byte[] whole = StoreFiles.record(r.name(), r.manifest(), r.verified());
    byte[] changed = Mutation.apply(mutations, whole);
    if (!Arrays.equals(whole, changed)) {
      Path file = StoreFiles.put(dir.resolve("x.resume"), changed);
      assertThrows(IOException.class, () -> ResumeRecord.read(file));
    }
  }

  @Property
  void aHugeBlockLengthIsRefusedWithoutAllocatingIt(
      @ForAll @IntRange(min = 1 << 20, max = Integer.MAX_VALUE) int claim, @ForAll boolean inTheManifestBlock,
      @ForAll @Size(max = 200) byte[] rest) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(StoreFiles.RECORD_MAGIC);
    if (inTheManifestBlock) {
      body.writeBytes(new byte[] {0, 0, 0, 1, 'x'});
    }
    body.writeBytes(ByteBuffer.allocate(4).putInt(claim).array());
    body.writeBytes(rest);
    Path file = StoreFiles.put(dir.resolve("x.resume"), StoreFiles.checksummed(body.toByteArray()));
    long before = Allocations.soFar();
    assertThrows(IOException.class, () -> ResumeRecord.read(file));
    long allocated = Allocations.soFar() - before;
    assertTrue(allocated < 1024 * 1024, "a block claiming " + claim + " bytes allocated " + allocated);
  }

  /**
   * Found by {@link #mutatedRecordsWithAFixedChecksumAreRejectedCleanlyOrReencodeIdentically}
   * (seed -3514140904079896771 at 3000 tries, FLIP_BIT@28/bit7): a name that was not UTF-8 was
   * read as another name, with U+FFFD in it.
   */
  @Example
  void aNameThatIsNotUtf8IsRefused() {
    Manifest m = io.swarmshare.testkit.TestManifests.random(1, 3);
    byte[] whole = StoreFiles.record("a", m, Bitfield.empty(3));
    byte[] body = Arrays.copyOf(whole, whole.length - 32);
    body[StoreFiles.RECORD_MAGIC.length + 4] = (byte) 0xE1;
    readsAsItselfOrIsRejected(StoreFiles.checksummed(body));
  }

  private static void readsAsItselfOrIsRejected(byte[] bytes) {
    Path file = StoreFiles.put(dir.resolve("x.resume"), bytes);
    ResumeRecord r;
    try {
      r = ResumeRecord.read(file);
    } catch (IOException expected) {
      return;
    }
    assertEquals(r.manifest().chunkCount(), r.verified().size());
    assertArrayEquals(bytes, StoreFiles.record(r.name(), r.manifest(), r.verified()),
        "accepted a record that is not the encoding of what it reads as");
  }

  @Provide
  static Arbitrary<ResumeRecord> records() {
    return StoreFiles.manifests(40).flatMap(m -> Combinators.combine(StoreFiles.names(), StoreFiles.bitfields(m.chunkCount()))
        .as((name, bits) -> new ResumeRecord(name, m, bits)));
  }

  /** Bodies from junk to nearly right: the magic, then blocks whose lengths may or may not fit. */
  @Provide
  static Arbitrary<byte[]> bodies() {
    Arbitrary<byte[]> junk = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    Arbitrary<byte[]> block = Combinators.combine(Arbitraries.integers().between(-2, 200), junk).as((n, b) ->
        ByteBuffer.allocate(4 + b.length).putInt(n).put(b).array());
    Arbitrary<byte[]> manifestBlock = StoreFiles.manifests(8).map(m -> {
      byte[] c = m.canonicalBytes();
      return ByteBuffer.allocate(4 + c.length).putInt(c.length).put(c).array();
    });
    Arbitrary<byte[]> part = Arbitraries.oneOf(junk, block, manifestBlock, block, manifestBlock);
    return part.list().ofMaxSize(4).map(parts -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.writeBytes(StoreFiles.RECORD_MAGIC);
      parts.forEach(out::writeBytes);
      return out.toByteArray();
    });
  }

  @Provide
  static Arbitrary<List<Mutation>> mutations() {
    return Mutation.some();
  }
}
