package io.swarmshare.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.testkit.fuzz.Allocations;
import io.swarmshare.testkit.fuzz.Fuzz;
import io.swarmshare.testkit.fuzz.Gen;
import io.swarmshare.testkit.fuzz.Mutation;
import io.swarmshare.testkit.TestManifests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ResumeRecord#read} takes a file anyone who can write the download folder may have
 * written, checksum included. Whatever it holds, the reader returns a record or throws
 * {@link IOException}; a record it accepts is exactly what its fields encode to; a change that
 * does not fix the checksum is always refused; and a block length is never allocated before its
 * bytes are there. Each property runs {@link Fuzz#cases()} seeded cases (docs/TESTING.md).
 */
class ResumeRecordPropertiesTest {
  @TempDir
  static Path dir;

  @Test
  void recordsRoundTrip() {
    Fuzz.check(c -> {
      ResumeRecord r = c.draw("record", ResumeRecordPropertiesTest::record);
      ResumeRecord back = ResumeRecord.read(StoreFiles.put(dir.resolve("x.resume"), StoreFiles.record(r.name(), r.manifest(), r.verified())));
      assertEquals(r.name(), back.name());
      assertArrayEquals(r.manifest().canonicalBytes(), back.manifest().canonicalBytes());
      assertEquals(r.verified(), back.verified());
    });
  }

  /** A tenth of the cases, as each syncs a file and a directory: enough to show the test's encoder is the store's. */
  @Test
  void theStoreWritesWhatTheseTestsEncode() {
    Fuzz.check(Fuzz.cases() / 10, c -> {
      ResumeRecord r = c.draw("record", ResumeRecordPropertiesTest::record);
      Path file = dir.resolve("written.resume");
      r.write(file);
      assertArrayEquals(StoreFiles.record(r.name(), r.manifest(), r.verified()), Files.readAllBytes(file));
    });
  }

  @Test
  void arbitraryChecksummedFilesAreRejectedCleanlyOrReencodeIdentically() {
    Fuzz.check(c -> readsAsItselfOrIsRejected(StoreFiles.checksummed(c.draw("body", ResumeRecordPropertiesTest::body))));
  }

  @Test
  void arbitraryFilesAreRejectedCleanly() {
    Fuzz.check(c -> readsAsItselfOrIsRejected(c.draw("bytes", r -> Gen.bytes(r, 600))));
  }

  /** Someone who can write the folder can also fix the checksum: the fields must hold up alone. */
  @Test
  void mutatedRecordsWithAFixedChecksumAreRejectedCleanlyOrReencodeIdentically() {
    Fuzz.check(c -> {
      ResumeRecord r = c.draw("record", ResumeRecordPropertiesTest::record);
      List<Mutation> mutations = c.draw("mutations", Mutation::some);
      byte[] whole = StoreFiles.record(r.name(), r.manifest(), r.verified());
      byte[] body = Arrays.copyOf(whole, whole.length - 32);
      readsAsItselfOrIsRejected(StoreFiles.checksummed(Mutation.apply(mutations, body)));
    });
  }

  @Test
  void aTornOrGarbledRecordIsAlwaysRefused() {
    Fuzz.check(c -> {
      ResumeRecord r = c.draw("record", ResumeRecordPropertiesTest::record);
      List<Mutation> mutations = c.draw("mutations", Mutation::some);
      byte[] whole = StoreFiles.record(r.name(), r.manifest(), r.verified());
      byte[] changed = Mutation.apply(mutations, whole);
      if (!Arrays.equals(whole, changed)) {
        Path file = StoreFiles.put(dir.resolve("x.resume"), changed);
        assertThrows(IOException.class, () -> ResumeRecord.read(file));
      }
    });
  }

  @Test
  void aHugeBlockLengthIsRefusedWithoutAllocatingIt() {
    Fuzz.check(c -> {
      int claim = c.draw("claim", r -> Gen.intIn(r, 1 << 20, Integer.MAX_VALUE));
      boolean inTheManifestBlock = c.draw("inTheManifestBlock", Random::nextBoolean);
      byte[] rest = c.draw("rest", r -> Gen.bytes(r, 200));
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
    });
  }

  /**
   * Found by {@link #mutatedRecordsWithAFixedChecksumAreRejectedCleanlyOrReencodeIdentically}
   * (FLIP_BIT@28/bit7, in a run of 3,000 cases): a name that was not UTF-8 was read as another
   * name, with U+FFFD in it.
   */
  @Test
  void aNameThatIsNotUtf8IsRefused() {
    Manifest m = TestManifests.random(1, 3);
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

  /** A record of up to 40 chunks, some of them verified. */
  static ResumeRecord record(Random r) {
    Manifest m = StoreFiles.manifest(r, 40);
    return new ResumeRecord(StoreFiles.name(r), m, StoreFiles.bitfield(r, m.chunkCount()));
  }

  /** Bodies from junk to nearly right: the magic, then blocks whose lengths may or may not fit. */
  static byte[] body(Random r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(StoreFiles.RECORD_MAGIC);
    for (int n = Gen.intIn(r, 0, 4); n > 0; n--) {
      switch (r.nextInt(5)) {
        case 0 -> out.writeBytes(Gen.bytes(r, 300));
        case 1, 2 -> {
          byte[] b = Gen.bytes(r, 300);
          out.writeBytes(ByteBuffer.allocate(4 + b.length).putInt(Gen.intIn(r, -2, 200)).put(b).array());
        }
        default -> {
          byte[] m = StoreFiles.manifest(r, 8).canonicalBytes();
          out.writeBytes(ByteBuffer.allocate(4 + m.length).putInt(m.length).put(m).array());
        }
      }
    }
    return out.toByteArray();
  }
}
