package io.swarmshare.benchmarks.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's leecher store: it takes only the seeder's bytes, and serves them back. */
class SharedCopyStoreTest {
  private static final int CHUNK = 16_384;

  @TempDir Path dir;

  @Test
  void takesTheSeedersBytesOnlyAndServesThemByEveryWayOut() throws IOException {
    byte[] bytes = new byte[40_000];
    new Random(7).nextBytes(bytes);
    Path file = Files.write(dir.resolve("seeder.bin"), bytes);
    Manifest manifest = SwarmShare.manifest(file, CHUNK, n -> { });
    SharedCopyStore.Original original = new SharedCopyStore.Original(file);
    try (SharedCopyStore store = new SharedCopyStore(manifest, original)) {
      assertTrue(store.problem().contains("3 of 3 chunks were never written"), store.problem());
      assertThrows(StorageException.class, () -> store.readChunk(0, ByteBuffer.allocate(CHUNK)));

      byte[] wrong = chunk(bytes, manifest, 1);
      wrong[100] ^= 1;
      StorageException refused = assertThrows(StorageException.class,
          () -> store.writeChunk(1, ByteBuffer.wrap(wrong)));
      assertTrue(refused.getMessage().contains("chunk 1 differs"), refused.getMessage());
      assertFalse(store.has(1));
      byte[] tooShort = Arrays.copyOf(chunk(bytes, manifest, 2), 100);
      assertThrows(StorageException.class, () -> store.writeChunk(2, ByteBuffer.wrap(tooShort)));

      for (int i = 0; i < manifest.chunkCount(); i++) {
        ByteBuffer data = ByteBuffer.wrap(chunk(bytes, manifest, i));
        store.writeChunk(i, data);
        assertFalse(data.hasRemaining(), "the buffer is consumed, as the PieceStore contract says");
      }
      assertTrue(store.verified().isComplete());
      assertEquals("chunk 1 differs from the seeder's bytes", store.problem(), "a refused chunk is not forgotten");
      for (int round = 0; round < 2; round++) { // serving must not use a chunk up
        for (int i = 0; i < manifest.chunkCount(); i++) {
          ByteBuffer target = ByteBuffer.allocate(CHUNK);
          store.readChunk(i, target);
          assertArrayEquals(chunk(bytes, manifest, i), Arrays.copyOf(target.array(), target.position()));
          ByteArrayOutputStream sent = new ByteArrayOutputStream();
          store.transferChunk(i, Channels.newChannel(sent));
          assertArrayEquals(chunk(bytes, manifest, i), sent.toByteArray());
        }
      }
    }
    try (SharedCopyStore clean = new SharedCopyStore(manifest, original)) {
      for (int i = manifest.chunkCount() - 1; i >= 0; i--) {
        clean.writeChunk(i, ByteBuffer.wrap(chunk(bytes, manifest, i)));
      }
      assertNull(clean.problem());
    }
  }

  private static byte[] chunk(byte[] bytes, Manifest manifest, int index) {
    int from = (int) manifest.chunkOffset(index);
    return Arrays.copyOfRange(bytes, from, from + manifest.chunkLength(index));
  }
}
