package io.swarmshare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.api.FileExistsException;
import io.swarmshare.api.Bitfield;
import io.swarmshare.api.DownloadOption;
import io.swarmshare.api.DownloadResult;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.SharedFile;
import io.swarmshare.api.StorageException;
import io.swarmshare.api.SwarmClient;
import io.swarmshare.internal.store.ResumeRecord;
import io.swarmshare.testkit.LoopbackSwarm;
import io.swarmshare.testkit.TestFiles;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 15, attack 1: someone who can write into the download directory plants symbolic links
 * where the store keeps its files, each pointing at a victim file outside the directory. A real
 * download from a seeder on loopback must never write through them: the victim keeps its bytes,
 * the download completes verified as a regular file inside the directory, and the links are gone.
 */
@Timeout(60)
class SymlinkedDownloadFolderTest {
  private static final int SIZE = 512 * 1024 + 333;
  private static final Duration DEADLINE = Duration.ofSeconds(40);

  @TempDir Path tmp;

  /** Where the attacker plants its link, beside a download of {@code data.bin}. */
  enum Planted {
    LOCK("data.bin.lock"),
    /** With a forged {@code data.bin.resume} and a {@code .part} of the right size, so marks are read and rewritten. */
    MARKS("data.bin.marks"),
    /** With a forged {@code data.bin.resume} that names chunks, so the {@code .part} is kept. */
    PART("data.bin.part"),
    RESUME("data.bin.resume"),
    RECORD_TEMPORARY("data.bin.resume.tmp");

    final String file;

    Planted(String file) {
      this.file = file;
    }
  }

  @ParameterizedTest
  @EnumSource(Planted.class)
  void aLinkBesideTheDownloadIsRemovedNeverFollowed(Planted planted) throws Exception {
    Path out = Files.createDirectories(tmp.resolve("shared-folder"));
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(tmp.resolve("seed"), "data.bin", SIZE, 1);
      SharedFile shared = swarm.client("seeder").share(file);
      Manifest m = shared.manifest();
      // The victim has the file's size, so a .part that points at it passes the size check.
      Path victim = TestFiles.random(tmp.resolve("elsewhere"), "victim", SIZE, 99);
      byte[] before = Files.readAllBytes(victim);
      if (planted == Planted.PART || planted == Planted.MARKS) {
        new ResumeRecord("data.bin", m, Bitfield.full(m.chunkCount())).write(out.resolve("data.bin.resume"));
      }
      if (planted == Planted.MARKS) {
        Files.write(out.resolve("data.bin.part"), new byte[SIZE]);
      }
      Files.createSymbolicLink(out.resolve(planted.file), victim);

      DownloadResult r = swarm.client("leech").download(shared.id(), out).await(DEADLINE);

      assertArrayEquals(before, Files.readAllBytes(victim), "the victim outside the folder is untouched");
      assertDownloadedIntoTheFolder(out, r, file);
      assertEquals(List.of("data.bin"), listing(out), "the planted link is gone, nothing else is left");
    }
  }

  @Test
  void aLinkAtTheFinalNameIsRefusedWithoutOverwriteAndReplacedItselfWithIt() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("shared-folder"));
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(tmp.resolve("seed"), "data.bin", SIZE, 2);
      SharedFile shared = swarm.client("seeder").share(file);
      Path victim = TestFiles.random(tmp.resolve("elsewhere"), "victim", 1000, 98);
      byte[] before = Files.readAllBytes(victim);
      Path link = Files.createSymbolicLink(out.resolve("data.bin"), victim);
      SwarmClient leech = swarm.client("leech");

      StorageException e = assertThrows(StorageException.class,
          () -> leech.download(shared.id(), out).await(DEADLINE));
      assertTrue(e instanceof FileExistsException && e.getMessage().contains("already exists"), e.getMessage());
      assertTrue(Files.isSymbolicLink(link), "the link is left as it was");
      assertArrayEquals(before, Files.readAllBytes(victim));

      DownloadResult r = leech.download(shared.id(), out, DownloadOption.OVERWRITE).await(DEADLINE);
      assertArrayEquals(before, Files.readAllBytes(victim), "--overwrite replaces the link, never its target");
      assertDownloadedIntoTheFolder(out, r, file);
      assertEquals(List.of("data.bin"), listing(out));
    }
  }

  @Test
  void aDanglingLinkAtTheFinalNameIsRefusedWithoutOverwrite() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("shared-folder"));
    try (LoopbackSwarm swarm = new LoopbackSwarm()) {
      Path file = TestFiles.random(tmp.resolve("seed"), "data.bin", SIZE, 3);
      SharedFile shared = swarm.client("seeder").share(file);
      Path nowhere = tmp.resolve("elsewhere").resolve("not-yet");
      Path link = Files.createSymbolicLink(out.resolve("data.bin"), nowhere);

      StorageException e = assertThrows(StorageException.class,
          () -> swarm.client("leech").download(shared.id(), out).await(DEADLINE));
      assertTrue(e instanceof FileExistsException && e.getMessage().contains("symbolic link"), e.getMessage());
      assertTrue(Files.isSymbolicLink(link), "the link is left as it was");
      assertFalse(Files.exists(nowhere, LinkOption.NOFOLLOW_LINKS), "nothing was created through the link");
    }
  }

  private static void assertDownloadedIntoTheFolder(Path out, DownloadResult r, Path original) {
    Path name = out.resolve("data.bin");
    assertEquals(name.toAbsolutePath(), r.path().toAbsolutePath());
    assertTrue(Files.isRegularFile(name, LinkOption.NOFOLLOW_LINKS), "data.bin is a regular file, not a link");
    assertEquals(TestFiles.sha256(original), TestFiles.sha256(name), "the download is verified and complete");
  }

  private static List<String> listing(Path dir) throws java.io.IOException {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
