package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Download;
import io.swarmshare.api.DownloadCancelledException;
import io.swarmshare.api.DownloadEvent;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.api.UnfinishedDownload;
import io.swarmshare.internal.client.Client;
import io.swarmshare.internal.download.DownloadSettings;
import io.swarmshare.internal.download.DownloadTask;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.internal.store.FileStore;
import io.swarmshare.internal.store.ResumeRecord;
import io.swarmshare.internal.transport.TcpTransport;
import io.swarmshare.testkit.Await;
import io.swarmshare.testkit.ForwardingFileChannel;
import io.swarmshare.testkit.LoopbackSwarm;
import io.swarmshare.testkit.PacedTransport;
import io.swarmshare.testkit.TestFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Downloads that find leftovers of an earlier run, good or damaged, and a disk that fills up:
 * through a real client on real sockets, each ends with the right file or a clear error.
 */
@Timeout(60)
class ResumeTest {
  private static final int SIZE = 2 * 1024 * 1024 + 777;
  private static final Duration DEADLINE = Duration.ofSeconds(40);

  @TempDir Path tmp;

  /** Leaves what a run that verified {@code chunks} chunks and then stopped would leave. */
  private static void earlierRun(Path dir, Path source, Manifest m, int chunks) throws Exception {
    byte[] content = Files.readAllBytes(source);
    try (FileStore store = FileStore.download(dir, source.getFileName().toString(), m, false)) {
      for (int i = 0; i < chunks; i++) {
        store.writeChunk(i, ByteBuffer.wrap(content, (int) m.chunkOffset(i), m.chunkLength(i)).slice());
      }
    }
  }

  @Test
  void anUnfinishedDownloadIsListedAndDownloadingItAgainResumesIt() throws Exception {
    Path out = tmp.resolve("out");
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(tmp.resolve("seed"), "data.bin", SIZE, 1);
      SwarmClient seeder = swarm.track(swarm.clientBuilder("seeder")
          .transport(new PacedTransport(new TcpTransport(), 2 * 1024 * 1024)).start());
      SharedFile shared = seeder.share(file);
      SwarmClient first = swarm.client("first");
      Download d = first.download(shared.id(), out);
      Await.until(() -> d.progress().verifiedChunks() >= 20, DEADLINE, () -> "chunks arrive");
      d.cancel();
      assertThrows(DownloadCancelledException.class, () -> d.await(DEADLINE));
      int before = d.progress().verifiedChunks();

      SwarmClient later = swarm.client("later");
      List<UnfinishedDownload> unfinished = later.unfinished(out);
      assertEquals(1, unfinished.size(), unfinished.toString());
      UnfinishedDownload u = unfinished.get(0);
      assertEquals(shared.id(), u.id());
      assertEquals("data.bin", u.name());
      assertEquals(before, u.chunksRecorded(), "a cancelled download records every verified chunk");
      assertEquals(shared.manifest().chunkCount(), u.chunks());

      DownloadResult r = later.download(u.id(), u.directory()).await(DEADLINE);
      assertEquals(before, r.chunksResumed());
      assertEquals(shared.manifest().chunkCount() - before, r.chunksDownloaded());
      assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
      assertEquals(List.of(), later.unfinished(out), "a finished download is no longer unfinished");
      try (var left = Files.list(out)) {
        assertEquals(List.of("data.bin"), left.map(p -> p.getFileName().toString()).toList());
      }
    }
  }

  /** Ways the leftovers of an earlier run can be damaged. */
  enum Damage {
    RECORD_LIES, RECORD_TRUNCATED, RECORD_OF_ANOTHER_FILE, PART_TRUNCATED, PART_EXTENDED
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void damagedLeftoversAreNeverTrustedAndTheFileArrivesIntact(Damage damage) throws Exception {
    Path out = tmp.resolve("out");
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(tmp.resolve("seed"), "data.bin", SIZE, 2);
      SharedFile shared = swarm.client("seeder").share(file);
      Manifest m = shared.manifest();
      earlierRun(out, file, m, 40);
      Path part = out.resolve("data.bin.part");
      Path record = out.resolve("data.bin.resume");
      String expectedNote = "";
      int expectedKept = 0;
      switch (damage) {
        case RECORD_LIES -> {
          // Names every chunk; two of the 40 written ones have had bytes changed since.
          new ResumeRecord("data.bin", m, Bitfield.full(m.chunkCount())).write(record);
          try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), m.chunkOffset(5) + 10);
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), m.chunkOffset(39));
          }
          expectedKept = 38;
        }
        case RECORD_TRUNCATED -> {
          byte[] bytes = Files.readAllBytes(record);
          Files.write(record, java.util.Arrays.copyOf(bytes, bytes.length - 7));
          expectedNote = "torn or garbled";
        }
        case RECORD_OF_ANOTHER_FILE -> {
          Path other = TestFiles.random(tmp.resolve("other"), "data.bin", SIZE, 3);
          Manifest om = ManifestBuilder.build(other, m.chunkSize(), n -> { });
          new ResumeRecord("data.bin", om, Bitfield.full(om.chunkCount())).write(record);
          expectedNote = "for another file";
        }
        case PART_TRUNCATED -> {
          try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.truncate(m.size() / 2);
          }
          expectedNote = "bytes instead of " + m.size();
        }
        case PART_EXTENDED -> {
          try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[4096]), m.size());
          }
          expectedNote = "bytes instead of " + m.size();
        }
        default -> throw new AssertionError(damage);
      }

      List<DownloadEvent> events = new CopyOnWriteArrayList<>();
      Download d = swarm.client("leech").download(shared.id(), out);
      d.onEvent(events::add);
      DownloadResult r = d.await(DEADLINE);

      DownloadEvent.ResumeChecked checked = events.stream().filter(DownloadEvent.ResumeChecked.class::isInstance)
          .map(DownloadEvent.ResumeChecked.class::cast).findFirst().orElse(null);
      assertNotNull(checked, "a resume check is reported: " + events.stream().limit(3).toList());
      assertEquals(expectedKept, checked.kept(), checked.toString());
      assertEquals(expectedKept, r.chunksResumed());
      assertTrue(checked.note().contains(expectedNote), checked.note());
      if (damage == Damage.RECORD_LIES) {
        assertEquals(m.chunkCount() - expectedKept, checked.discarded(), "every named chunk that failed is counted");
      } else {
        assertTrue(checked.note().endsWith("starting over"), checked.note());
      }
      assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
    }
  }

  /** Lets {@code limit} bytes into the {@code .part}, then fails every write the way a full disk does. */
  private static FileStore.PartOpener diskWithRoomFor(long limit) {
    AtomicLong room = new AtomicLong(limit);
    return part -> new ForwardingFileChannel(FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      @Override
      public int write(ByteBuffer src, long position) throws IOException {
        long left = room.get();
        if (left <= 0) {
          throw new IOException("No space left on device");
        }
        int n = (int) Math.min(left, src.remaining());
        ByteBuffer slice = src.slice().limit(n);
        int written = super.write(slice, position);
        src.position(src.position() + written);
        room.addAndGet(-written);
        return written;
      }
    };
  }

  @Test
  void aDiskThatFillsUpFailsTheDownloadClearlyKeepsVerifiedChunksAndResumesOnceThereIsRoom() throws Exception {
    Path out = tmp.resolve("out");
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(tmp.resolve("seed"), "data.bin", SIZE, 4);
      SharedFile shared = swarm.client("seeder").share(file);
      Manifest m = shared.manifest();
      Client leech = (Client) swarm.client("leech");

      // Room for the preallocation byte, 30 whole chunks and half of the next.
      long room = 1 + 30L * m.chunkSize() + m.chunkSize() / 2;
      FileStore full = FileStore.download(out, "data.bin", m, false, diskWithRoomFor(room));
      DownloadTask task = new DownloadTask(leech, full, "data.bin", full.finalPath(),
          DownloadSettings.DEFAULTS.withTrackerInterval(Duration.ofMillis(100)));
      task.start();
      StorageException e = assertThrows(StorageException.class, () -> task.await(DEADLINE));
      assertTrue(e.getMessage().contains("the disk is full (No space left on device); free some space and run the same"
          + " command again to resume"), e.getMessage());
      assertFalse(Files.exists(out.resolve("data.bin")), "no file under the final name");
      assertFalse(Files.exists(out.resolve("data.bin.lock")), "the failed download let go of the directory");
      Bitfield kept = ResumeRecord.read(out.resolve("data.bin.resume")).verified();
      int recorded = kept.cardinality();
      long recordedBytes = 0;
      for (int i = kept.nextSet(0); i >= 0; i = kept.nextSet(i + 1)) {
        recordedBytes += m.chunkLength(i);
      }
      assertTrue(recorded >= 30 && recordedBytes < room, "every chunk that fitted is recorded on the way out, and"
          + " none that did not: " + recorded + " chunks, " + recordedBytes + " bytes, room for " + room);

      DownloadResult r = leech.download(shared.id(), out).await(DEADLINE);
      assertEquals(recorded, r.chunksResumed());
      assertEquals(TestFiles.sha256(file), TestFiles.sha256(r.path()));
    }
  }
}
