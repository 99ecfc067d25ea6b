package io.swarmshare.internal.download;

import io.swarmshare.api.Manifest;
import io.swarmshare.api.StorageException;
import io.swarmshare.internal.manifest.ManifestBuilder;
import io.swarmshare.internal.store.FileStore;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Computes the whole-file SHA-256 while the download runs: follows the verified chunks in
 * order and hashes each as soon as it and all before it are in, reading it back from the page
 * cache. Chunks arrive nearly in order (the picker prefers low indices), so when the last one
 * lands only a short tail is left, instead of a second pass over the whole file.
 *
 * <p>Runs on a platform thread of its own: it is pure CPU work and should get its own core
 * rather than occupy a carrier of the virtual threads that move the bytes.
 */
final class WholeFileHasher implements Runnable {
  /** Reads of up to this many bytes of consecutive chunks at once. */
  private static final int READ_BYTES = 4 * 1024 * 1024;

  private final DownloadTask task;
  private final FileStore store;
  private final Manifest manifest;
  private final MessageDigest sha = ManifestBuilder.sha256();
  private volatile @Nullable String digest;
  private volatile @Nullable StorageException failure;
  private volatile int next;
  private final Thread thread;

  WholeFileHasher(DownloadTask task, FileStore store) {
    this.task = task;
    this.store = store;
    this.manifest = store.manifest();
    this.thread = new Thread(this, "swarmshare-whole-hash-" + manifest.id().shortForm());
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @Override
  public void run() {
    int count = manifest.chunkCount();
    int perRead = Math.max(1, READ_BYTES / manifest.chunkSize());
    ByteBuffer buffer = ByteBuffer.allocate(Math.min(perRead, Math.max(1, count)) * manifest.chunkSize());
    try {
      while (next < count) {
        if (!store.has(next)) {
          if (task.isAbandoned()) {
            return;
          }
          task.awaitChange(Duration.ofMillis(100));
          continue;
        }
        buffer.clear();
        int n = 0;
        while (next < count && n < perRead && store.has(next)) {
          store.readChunk(next, buffer);
          next++;
          n++;
        }
        sha.update(buffer.array(), 0, buffer.position());
      }
      digest = HexFormat.of().formatHex(sha.digest());
    } catch (StorageException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits for the hash of the whole file, once every chunk is in.
   *
   * @return the hex digest, or null if hashing was abandoned
   */
  @Nullable String await() throws StorageException, InterruptedException {
    thread.join();
    StorageException f = failure;
    if (f != null) {
      throw f;
    }
    return digest;
  }
}
