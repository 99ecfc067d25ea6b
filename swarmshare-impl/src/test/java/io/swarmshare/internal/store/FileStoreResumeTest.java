package io.swarmshare.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.StorageException;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.testkit.ForwardingFileChannel;
import io.swarmshare.testkit.TestFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the file store keeps, trusts and refuses across runs: the store alone, no network. */
@Timeout(30)
class FileStoreResumeTest {
  private static final int CHUNK = Manifest.MIN_CHUNK_SIZE;

  @TempDir Path tmp;
  private Path dir;
  private byte[] content;
  private Manifest manifest;

  @BeforeEach
  void file() throws Exception {
    Path source = TestFiles.random(tmp.resolve("src"), "x.bin", 40 * CHUNK + 123, 11);
    content = Files.readAllBytes(source);
    manifest = ManifestBuilder.build(source, CHUNK, n -> { });
    dir = tmp.resolve("out");
  }

  private ByteBuffer chunk(int i) {
    return ByteBuffer.wrap(content, i * CHUNK, manifest.chunkLength(i)).slice();
  }

  private FileStore open() throws StorageException {
    return FileStore.download(dir, "x.bin", manifest, false);
  }

  private void write(FileStore store, int from, int to) throws StorageException {
    for (int i = from; i < to; i++) {
      store.writeChunk(i, chunk(i));
    }
  }

  /** What a kill -9 leaves, taken while the store is still open: the page cache holds every write. */
  private Path crashCopy() throws IOException {
    Path copy = tmp.resolve("crash-" + System.nanoTime());
    Files.createDirectories(copy);
    for (String suffix : List.of(".part", ".resume", ".marks")) {
      Path f = dir.resolve("x.bin" + suffix);
      if (Files.exists(f)) {
        Files.copy(f, copy.resolve("x.bin" + suffix), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    // Not copied: opening the lock file here would drop this process's lock on it (POSIX).
    Files.writeString(copy.resolve("x.bin.lock"), "pid 1\n");
    return copy;
  }

  @Test
  void chunksRecordedBeforeACloseAreKeptAfterRehashing() throws Exception {
    try (FileStore store = open()) {
      write(store, 0, 10);
    }
    try (FileStore again = open()) {
      assertEquals(10, again.resumedChunks());
      assertEquals(0, again.discardedChunks());
      assertEquals("", again.resumeNote());
      write(again, 10, manifest.chunkCount());
      again.complete();
    }
    assertArrayEquals(content, Files.readAllBytes(dir.resolve("x.bin")));
    try (var left = Files.list(dir)) {
      assertEquals(List.of("x.bin"), left.map(p -> p.getFileName().toString()).toList(),
          "a finished download leaves only its file");
    }
  }

  @Test
  void chunksWrittenSinceTheLastRecordSurviveAKillThroughTheirMarks() throws Exception {
    Path killed;
    try (FileStore store = open()) {
      write(store, 0, 5);
      store.flush();
      write(store, 5, 12); // marked, never recorded
      killed = crashCopy();
    }
    assertEquals(5, ResumeRecord.read(killed.resolve("x.bin.resume")).verified().cardinality(),
        "the record names only what was synced at the last flush");
    try (FileStore resumed = FileStore.download(killed, "x.bin", manifest, false)) {
      assertEquals(12, resumed.resumedChunks(), "record and marks together name every written chunk");
    }
  }

  @Test
  void aRecordThatClaimsChunksWithWrongBytesKeepsOnlyTheChunksThatVerify() throws Exception {
    try (FileStore store = open()) {
      write(store, 0, 8);
    }
    try (FileChannel part = FileChannel.open(dir.resolve("x.bin.part"), StandardOpenOption.WRITE)) {
      part.write(ByteBuffer.wrap(new byte[] {42, 42, 42}), 3L * CHUNK + 100);
    }
    // And a record that names chunks never written at all.
    ResumeRecord lying = new ResumeRecord("x.bin", manifest, Bitfield.full(manifest.chunkCount()));
    lying.write(dir.resolve("x.bin.resume"));
    try (FileStore again = open()) {
      assertEquals(7, again.resumedChunks());
      assertEquals(manifest.chunkCount() - 7, again.discardedChunks());
      assertFalse(again.has(3), "the chunk whose bytes were changed is fetched again");
      assertTrue(again.has(2));
    }
  }

  @Test
  void aTruncatedRecordIsDiscardedWithItsPartAndSaysSo() throws Exception {
    try (FileStore store = open()) {
      write(store, 0, 8);
    }
    Path record = dir.resolve("x.bin.resume");
    byte[] bytes = Files.readAllBytes(record);
    Files.write(record, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    try (FileStore again = open()) {
      assertEquals(0, again.resumedChunks());
      assertTrue(again.resumeNote().contains("torn or garbled"), again.resumeNote());
      assertTrue(again.resumeNote().contains("starting over"), again.resumeNote());
      assertEquals(0, again.verifiedCount());
    }
  }

  @Test
  void aRecordOfAnotherFileIsNotTrusted() throws Exception {
    Path other = TestFiles.random(tmp.resolve("src2"), "y.bin", 40 * CHUNK + 123, 12);
    Manifest otherManifest = ManifestBuilder.build(other, CHUNK, n -> { });
    try (FileStore store = open()) {
      write(store, 0, 8);
    }
    new ResumeRecord("x.bin", otherManifest, Bitfield.full(otherManifest.chunkCount())).write(dir.resolve("x.bin.resume"));
    try (FileStore again = open()) {
      assertEquals(0, again.resumedChunks());
      assertTrue(again.resumeNote().contains("another file"), again.resumeNote());
    }
  }

  @Test
  void aPartOfTheWrongSizeIsDiscardedEitherWay() throws Exception {
    for (long delta : new long[] {-CHUNK, +CHUNK, -1}) {
      try (FileStore store = open()) {
        write(store, 0, 8);
      }
      try (FileChannel part = FileChannel.open(dir.resolve("x.bin.part"), StandardOpenOption.WRITE)) {
        if (delta < 0) {
          part.truncate(manifest.size() + delta);
        } else {
          part.write(ByteBuffer.wrap(new byte[CHUNK]), manifest.size());
        }
      }
      try (FileStore again = open()) {
        assertEquals(0, again.resumedChunks(), "delta " + delta);
        assertTrue(again.resumeNote().contains("bytes instead of " + manifest.size()), again.resumeNote());
        assertEquals(manifest.size(), Files.size(dir.resolve("x.bin.part")));
      }
      Files.delete(dir.resolve("x.bin.resume"));
    }
  }

  @Test
  void aPartWithoutARecordIsDiscarded() throws Exception {
    Files.createDirectories(dir);
    Files.write(dir.resolve("x.bin.part"), new byte[(int) manifest.size()]);
    try (FileStore store = open()) {
      assertEquals(0, store.resumedChunks());
      assertTrue(store.resumeNote().contains("without a resume record"), store.resumeNote());
    }
  }

  @Test
  void leftoversOfAKilledProcessBlockNobody() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("x.bin.lock"), "pid 999999 deadbeef\n"); // nobody holds it
    Files.writeString(dir.resolve("x.bin.resume.tmp"), "half a record");
    try (FileStore store = open()) {
      write(store, 0, 3);
      assertFalse(Files.exists(dir.resolve("x.bin.resume.tmp")), "a record that was never moved into place is removed");
      assertTrue(Files.exists(dir.resolve("x.bin.resume")), "a record exists before any chunk is written");
    }
    assertFalse(Files.exists(dir.resolve("x.bin.lock")), "the lock file goes when the store closes");
  }

  @Test
  void aSecondStoreForTheSameFileAndDirectoryIsRefusedInProcess() throws Exception {
    try (FileStore first = open()) {
      write(first, 0, 3);
      StorageException e = assertThrows(StorageException.class, this::open);
      assertTrue(e.getMessage().contains("already being downloaded"), e.getMessage());
      write(first, 3, 6); // the first goes on unharmed
    }
    try (FileStore after = open()) {
      assertEquals(6, after.resumedChunks(), "once the first closed the lock is free");
    }
  }

  @Test
  void aFinishedFileWithARecordLeftByACrashIsNotResumedOrCorrupted() throws Exception {
    try (FileStore store = open()) {
      write(store, 0, manifest.chunkCount());
      store.complete();
    }
    // A crash between the rename to the final name and deleting the record.
    new ResumeRecord("x.bin", manifest, Bitfield.full(manifest.chunkCount())).write(dir.resolve("x.bin.resume"));
    StorageException e = assertThrows(StorageException.class, this::open);
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("x.bin.resume")), "the stale record is removed");
    assertArrayEquals(content, Files.readAllBytes(dir.resolve("x.bin")));
  }

  /**
   * Many writers and a flusher: every record, read back as soon as it is written, names only
   * chunks that were written before the last sync of the {@code .part}, the invariant that makes
   * a power cut lose only unrecorded chunks.
   */
  @Test
  void aRecordNeverNamesAChunkWrittenAfterTheSyncBeforeIt() throws Exception {
    Path big = TestFiles.random(tmp.resolve("big"), "x.bin", 1024 * CHUNK, 13);
    content = Files.readAllBytes(big);
    manifest = ManifestBuilder.build(big, CHUNK, n -> { });
    Set<Long> written = ConcurrentHashMap.newKeySet();
    AtomicReference<Set<Long>> syncedAtLastForce = new AtomicReference<>(Set.of());
    FileStore.PartOpener tracking = part -> new ForwardingFileChannel(FileChannel.open(part,
        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      @Override
      public int write(ByteBuffer src, long position) throws IOException {
        int n = super.write(src, position);
        written.add(position);
        return n;
      }

      @Override
      public void force(boolean metaData) throws IOException {
        Set<Long> before = Set.copyOf(written);
        super.force(metaData);
        syncedAtLastForce.set(before);
      }
    };
    try (FileStore store = FileStore.download(dir, "x.bin", manifest, false, tracking)) {
      int threads = 4;
      CountDownLatch start = new CountDownLatch(1);
      AtomicInteger next = new AtomicInteger();
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        writers.add(Thread.ofPlatform().start(() -> {
          try {
            start.await();
            for (int i = next.getAndIncrement(); i < manifest.chunkCount(); i = next.getAndIncrement()) {
              store.writeChunk(i, chunk(i));
            }
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        }));
      }
      AtomicBoolean violated = new AtomicBoolean();
      StringBuilder why = new StringBuilder();
      start.countDown();
      int flushes = 0;
      while (writers.stream().anyMatch(Thread::isAlive) || flushes < 5) {
        store.flush();
        flushes++;
        Bitfield named = ResumeRecord.read(dir.resolve("x.bin.resume")).verified();
        Set<Long> synced = syncedAtLastForce.get();
        for (int i = named.nextSet(0); i >= 0; i = named.nextSet(i + 1)) {
          if (!synced.contains(manifest.chunkOffset(i)) && !violated.getAndSet(true)) {
            why.append("after flush ").append(flushes).append(", chunk ").append(i)
                .append(" is named by the record but was not written before the sync");
          }
        }
      }
      for (Thread w : writers) {
        w.join();
      }
      assertFalse(violated.get(), why.toString());
    }
  }

  @Test
  void afterASyncFailsNoRecordIsWrittenAgain() throws Exception {
    AtomicBoolean failNextForce = new AtomicBoolean();
    FileStore.PartOpener flaky = part -> new ForwardingFileChannel(FileChannel.open(part,
        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      @Override
      public void force(boolean metaData) throws IOException {
        if (failNextForce.getAndSet(false)) {
          throw new IOException("Input/output error");
        }
        super.force(metaData);
      }
    };
    try (FileStore store = FileStore.download(dir, "x.bin", manifest, false, flaky)) {
      write(store, 0, 4);
      store.flush();
      write(store, 4, 8);
      failNextForce.set(true);
      StorageException e = assertThrows(StorageException.class, store::flush);
      assertTrue(e.getMessage().contains("Input/output error"), e.getMessage());
      write(store, 8, 10);
      assertThrows(StorageException.class, store::flush, "a later sync may report success for pages the kernel dropped");
    }
    assertEquals(4, ResumeRecord.read(dir.resolve("x.bin.resume")).verified().cardinality(),
        "closing after a failed sync leaves the last record that was true");
  }
}
