package io.swarmshare.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.swarmshare.api.Manifest;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.testkit.TestFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chunks written around the page cache: the bytes that land are the bytes given, whichever way
 * each chunk went (aligned direct buffers around the cache; heap, misaligned and short ones through
 * it, and a chunk to be read back soon), and the file completes against the manifest.
 */
@Timeout(30)
class DirectWritesTest {
  private static final int CHUNK = 64 * 1024;
  /** File systems on which direct writes must work; on others the tests run only if they do. */
  private static final java.util.Set<String> DISKS = java.util.Set.of("ext4", "xfs", "btrfs");

  @TempDir Path tmp;
  private byte[] content;
  private Manifest manifest;

  @BeforeEach
  void file() throws Exception {
    Path source = TestFiles.random(tmp.resolve("src"), "d.bin", 12 * CHUNK + 1000, 5);
    content = Files.readAllBytes(source);
    manifest = ManifestBuilder.build(source, CHUNK, n -> { });
  }

  @Test
  void everyKindOfBufferLandsWhereItBelongsAndTheFileCompletes() throws Exception {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    String fs = Files.getFileStore(out).type();
    assumeFalse(fs.equals("tmpfs") || fs.equals("ramfs"), "the temporary directory is on " + fs
        + ", where chunks always go through the page cache; nothing to test here");
    try (FileStore store = FileStore.download(out, "d.bin", manifest, false)) {
      if (DISKS.contains(fs)) {
        assertTrue(store.writesDirect(), "a disk-backed " + fs + " directory takes direct writes");
      } else {
        assumeTrue(store.writesDirect(), "the temporary directory is on " + fs + ", which took no direct writes here");
      }
      for (int i = manifest.chunkCount() - 1; i >= 0; i--) {
        ByteBuffer data = switch (i % 3) {
          case 0 -> aligned(i); // around the page cache, unless it is the last, short chunk
          case 1 -> ByteBuffer.wrap(content, i * CHUNK, manifest.chunkLength(i)).slice(); // the heap
          default -> misaligned(i); // direct, but not at a block boundary
        };
        if (i == 3) {
          store.writeChunk(i, data, true); // aligned, but to be read back soon: through the page cache
        } else {
          store.writeChunk(i, data);
        }
        assertFalse(data.hasRemaining(), "chunk " + i + " was consumed");
      }
      assertTrue(store.writesDirect(), "no direct write failed");
      for (int i = 0; i < manifest.chunkCount(); i++) {
        ByteBuffer back = ByteBuffer.allocate(CHUNK);
        store.readChunk(i, back);
        byte[] expected = new byte[manifest.chunkLength(i)];
        System.arraycopy(content, i * CHUNK, expected, 0, expected.length);
        assertArrayEquals(expected, java.util.Arrays.copyOf(back.array(), back.position()), "chunk " + i);
      }
      store.complete(); // hashes the file as it is on disk, against the manifest
      assertFalse(store.writesDirect(), "a complete store, seeding on, keeps one descriptor");
    }
    assertArrayEquals(content, Files.readAllBytes(out.resolve("d.bin")));
  }

  @Test
  void theSystemPropertyAndAFileWithoutAnIdentityTurnItOff() throws IOException {
    Path part = Files.createFile(tmp.resolve("p.part"));
    Object key = Files.readAttributes(part, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    assertNull(DirectWrites.open(part, null, CHUNK), "no identity to check a swap against");
    String before = System.getProperty("swarmshare.directWrites");
    System.setProperty("swarmshare.directWrites", "false");
    try {
      assertNull(DirectWrites.open(part, key, CHUNK));
    } finally {
      if (before == null) {
        System.clearProperty("swarmshare.directWrites");
      } else {
        System.setProperty("swarmshare.directWrites", before);
      }
    }
    assertNull(DirectWrites.open(part, key, 1000), "a chunk size no block size divides");
  }

  @Test
  void aDirectWriteThatFailsLeavesTheChunkToTheBufferedWayAndTheRestToo() throws Exception {
    Path part = Files.createFile(tmp.resolve("f.part"));
    String fs = Files.getFileStore(part).type();
    assumeFalse(fs.equals("tmpfs") || fs.equals("ramfs"), "the temporary directory is on " + fs
        + ", where no direct channel is opened; nothing to test here");
    Object key = Files.readAttributes(part, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    DirectWrites direct = DirectWrites.open(part, key, CHUNK);
    if (DISKS.contains(fs)) {
      assertTrue(direct != null && direct.working());
    } else {
      assumeTrue(direct != null, "the temporary directory is on " + fs + ", which took no direct writes here");
    }
    direct.close(); // the next write fails as a failing disk would
    ByteBuffer data = aligned(0);
    assertFalse(direct.write(data, 0), "nothing taken");
    assertTrue(data.hasRemaining(), "the chunk is left whole for the buffered way");
    assertFalse(direct.working(), "after a failure every chunk goes the buffered way");
    assertFalse(direct.write(aligned(1), CHUNK));
  }

  private ByteBuffer aligned(int i) {
    ByteBuffer b = ByteBuffer.allocateDirect(CHUNK + 2 * DirectWrites.MAX_BLOCK).alignedSlice(DirectWrites.MAX_BLOCK);
    b.put(content, i * CHUNK, manifest.chunkLength(i)).flip();
    return b;
  }

  private ByteBuffer misaligned(int i) {
    ByteBuffer b = ByteBuffer.allocateDirect(CHUNK + 2 * DirectWrites.MAX_BLOCK).alignedSlice(DirectWrites.MAX_BLOCK);
    b.position(1);
    b = b.slice();
    b.put(content, i * CHUNK, manifest.chunkLength(i)).flip();
    return b;
  }
}
