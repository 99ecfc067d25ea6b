package io.swarmshare.internal.manifest;

import org.jspecify.annotations.Nullable;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.StorageException;
import io.swarmshare.internal.protocol.Warmup;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Hashes a file into a {@link Manifest}, reading each byte once.
 *
 * <p>The calling thread reads the file front to back into a small ring of reused heap buffers
 * and runs the whole-file SHA-256 over each buffer; a bounded pool hashes the chunks of the
 * same buffer in parallel. A buffer goes back to the ring when both are done with it, so memory
 * stays at a few read units whatever the file size. On two cores that is one core per hash,
 * which is why building a manifest costs about the wall time of one {@code openssl dgst}.
 * Plain reads beat memory-mapping here: page faults on a mapping cost more than the copy.
 */
public final class ManifestBuilder {
  /** Reads are at least 1 MiB, so small chunk sizes do not mean many small tasks. */
  private static final int MIN_READ_UNIT = 1024 * 1024;

  private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(ManifestBuilder::sha256);

  private ManifestBuilder() {}

  /** Hashes {@code file} with {@code chunkSize} chunks, reporting hashed bytes to {@code progress}. */
  public static Manifest build(Path file, int chunkSize, LongConsumer progress) throws StorageException {
    if (Files.isDirectory(file)) {
      throw new StorageException(file + " is a directory, not a file");
    }
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ExecutorService pool = Executors.newFixedThreadPool(threads, ManifestBuilder::daemon)) {
      long size = channel.size();
      if (size >= Warmup.WORTH_BYTES) {
        Sha256Warmup.start();
      }
      int count;
      try {
        count = Manifest.checkLayout(size, chunkSize);
      } catch (IllegalArgumentException e) {
        throw new StorageException(file + ": " + e.getMessage(), e);
      }
      byte[] chunkHashes = new byte[count * 32];
      MessageDigest whole = sha256();
      int unit = Math.max(chunkSize, MIN_READ_UNIT);
      // Enough buffers to keep every hashing thread busy, but never more than 64 MiB of them.
      long budget = Math.max(2, (64L << 20) / unit);
      int buffers = (int) Math.min(Math.min(threads * 2L + 2, budget), Math.max(1, (size + unit - 1) / unit));
      BlockingQueue<byte[]> ring = new ArrayBlockingQueue<>(Math.max(1, buffers));
      for (int i = 0; i < buffers; i++) {
        ring.add(new byte[(int) Math.min(unit, size)]);
      }
      AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
      long position = 0;
      while (position < size) {
        byte[] buffer = ring.take();
        int length = (int) Math.min(buffer.length, size - position);
        readFully(channel, ByteBuffer.wrap(buffer, 0, length), position);
        int firstChunk = (int) (position / chunkSize);
        // Two users of the buffer: the chunk task and this thread's whole-file hash.
        AtomicInteger users = new AtomicInteger(2);
        pool.execute(() -> {
          try {
            MessageDigest digest = DIGESTS.get();
            for (int off = 0, index = firstChunk; off < length; off += chunkSize, index++) {
              digest.update(buffer, off, Math.min(chunkSize, length - off));
              digest.digest(chunkHashes, index * 32, 32);
            }
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
          } finally {
            if (users.decrementAndGet() == 0) {
              ring.add(buffer);
            }
          }
        });
        whole.update(buffer, 0, length);
        if (users.decrementAndGet() == 0) {
          ring.add(buffer);
        }
        position += length;
        progress.accept(length);
      }
      pool.shutdown();
      while (!pool.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) {
        // keep waiting: hashing is bounded by the file size
      }
      Throwable failed = failure.get();
      if (failed != null) {
        throw new StorageException("hashing " + file + " failed: " + failed, failed);
      }
      if (channel.size() != size) {
        throw new StorageException(file + " changed size while it was being hashed; share it once it is complete");
      }
      return Manifest.of(size, chunkSize, HexFormat.of().formatHex(whole.digest()), chunkHashes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while hashing " + file, e);
    } catch (NoSuchFileException e) {
      throw new StorageException("no such file: " + file, e);
    } catch (IOException e) {
      throw new StorageException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer target, long position) throws IOException {
    while (target.hasRemaining()) {
      int n = channel.read(target, position);
      if (n < 0) {
        throw new IOException("file shrank while it was being hashed");
      }
      position += n;
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "swarmshare-hash");
    t.setDaemon(true);
    return t;
  }

  /** A fresh SHA-256 digest; every JDK has one. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
