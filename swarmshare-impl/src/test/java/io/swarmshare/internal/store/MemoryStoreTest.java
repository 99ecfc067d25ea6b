package io.swarmshare.internal.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.swarmshare.SwarmShare;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.StorageException;
import io.swarmshare.testkit.TestFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory store: what goes in comes out, by every way out, as often as asked. */
class MemoryStoreTest {
  @TempDir Path dir;

  @Test
  void chunksComeBackByEveryPathAndAsOftenAsAsked() throws IOException {
    Path file = TestFiles.random(dir, "m.bin", 40_000, 7);
    byte[] bytes = Files.readAllBytes(file);
    Manifest manifest = SwarmShare.manifest(file, 16_384, n -> { });
    try (MemoryStore store = new MemoryStore(manifest)) {
      assertFalse(store.has(1));
      assertThrows(StorageException.class, () -> store.readChunk(1, ByteBuffer.allocate(16_384)));
      for (int i = manifest.chunkCount() - 1; i >= 0; i--) {
        int from = (int) manifest.chunkOffset(i);
        store.writeChunk(i, ByteBuffer.wrap(bytes, from, manifest.chunkLength(i)));
      }
      assertTrue(store.verified().isComplete());
      for (int round = 0; round < 2; round++) { // reading must not use a chunk up
        for (int i = 0; i < manifest.chunkCount(); i++) {
          byte[] expected = Arrays.copyOfRange(bytes, (int) manifest.chunkOffset(i),
              (int) manifest.chunkOffset(i) + manifest.chunkLength(i));
          ByteBuffer target = ByteBuffer.allocate(manifest.chunkSize());
          store.readChunk(i, target);
          assertArrayEquals(expected, Arrays.copyOf(target.array(), target.position()));
          ByteArrayOutputStream sent = new ByteArrayOutputStream();
          store.transferChunk(i, Channels.newChannel(sent));
          assertArrayEquals(expected, sent.toByteArray());
          assertArrayEquals(expected, store.chunk(i));
        }
      }
      store.complete();
    }
  }
}
