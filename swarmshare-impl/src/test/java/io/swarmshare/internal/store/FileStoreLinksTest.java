package io.swarmshare.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.StorageException;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.testkit.TestFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store against a directory someone else can write into (issue 15, attack 1), the store
 * alone: hard links, pipes and links swapped in while a download runs are never written through.
 * {@code SymlinkedDownloadFolderTest} does the planted symbolic links through a real download.
 */
@Timeout(30)
class FileStoreLinksTest {
  private static final int CHUNK = Manifest.MIN_CHUNK_SIZE;

  @TempDir Path tmp;
  private Path dir;
  private byte[] content;
  private Manifest manifest;
  private Path victim;
  private byte[] victimBytes;

  @BeforeEach
  void file() throws Exception {
    Path source = TestFiles.random(tmp.resolve("src"), "x.bin", 20 * CHUNK + 77, 5);
    content = Files.readAllBytes(source);
    manifest = ManifestBuilder.build(source, CHUNK, n -> { });
    dir = Files.createDirectories(tmp.resolve("out"));
    victim = TestFiles.random(tmp.resolve("elsewhere"), "victim", content.length, 6);
    victimBytes = Files.readAllBytes(victim);
  }

  private FileStore downloadAll() throws StorageException {
    FileStore store = FileStore.download(dir, "x.bin", manifest, false);
    for (int i = 0; i < manifest.chunkCount(); i++) {
      store.writeChunk(i, ByteBuffer.wrap(content, i * CHUNK, manifest.chunkLength(i)).slice());
    }
    return store;
  }

  @Test
  void aHardLinkedPartIsTakenForJunkAndLeftToItsOtherName() throws Exception {
    new ResumeRecord("x.bin", manifest, Bitfield.full(manifest.chunkCount())).write(dir.resolve("x.bin.resume"));
    try {
      Files.createLink(dir.resolve("x.bin.part"), victim);
    } catch (UnsupportedOperationException | IOException e) {
      assumeTrue(false, "no hard links here: " + e);
    }
    try (FileStore store = downloadAll()) {
      assertTrue(store.resumeNote().contains("removed x.bin.part"), store.resumeNote());
      assertEquals(0, store.resumedChunks());
      store.complete();
    }
    assertArrayEquals(victimBytes, Files.readAllBytes(victim), "the other name's file is untouched");
    assertArrayEquals(content, Files.readAllBytes(dir.resolve("x.bin")));
  }

  @Test
  void aPipeUnderTheStoresNamesIsRemovedNotOpened() throws Exception {
    for (String suffix : List.of(".lock", ".marks", ".resume", ".part")) {
      Path fifo = dir.resolve("x.bin" + suffix);
      try {
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo works");
      } catch (IOException e) {
        assumeTrue(false, "no mkfifo here: " + e);
      }
    }
    try (FileStore store = downloadAll()) {
      store.complete();
    }
    assertArrayEquals(content, Files.readAllBytes(dir.resolve("x.bin")));
    try (var left = Files.list(dir)) {
      assertEquals(List.of("x.bin"), left.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void aPartSwappedForALinkWhileDownloadingIsNeverMovedIntoPlace() throws Exception {
    FileStore store = downloadAll();
    try (store) {
      Path part = dir.resolve("x.bin.part");
      Files.delete(part);
      Files.createSymbolicLink(part, victim);
      StorageException e = assertThrows(StorageException.class, store::complete);
      assertTrue(e.getMessage().contains("was replaced while downloading"), e.getMessage());
    }
    assertArrayEquals(victimBytes, Files.readAllBytes(victim));
    assertFalse(Files.exists(dir.resolve("x.bin"), LinkOption.NOFOLLOW_LINKS), "nothing under the final name");
  }

  @Test
  void recordsAndMarksAreNotReadThroughALink() throws Exception {
    Path real = tmp.resolve("elsewhere").resolve("record");
    new ResumeRecord("x.bin", manifest, Bitfield.full(manifest.chunkCount())).write(real);
    Path link = Files.createSymbolicLink(dir.resolve("x.bin.resume"), real);
    IOException e = assertThrows(IOException.class, () -> ResumeRecord.read(link));
    assertTrue(e.getMessage().contains("not a plain file"), e.getMessage());

    Path marks = tmp.resolve("elsewhere").resolve("marks");
    ChunkMarks.create(marks, manifest).close();
    Path marksLink = Files.createSymbolicLink(dir.resolve("x.bin.marks"), marks);
    assertNull(ChunkMarks.read(marksLink, manifest));
    assertEquals(0, ChunkMarks.read(marks, manifest).cardinality(), "the same file read directly is fine");
  }
}
