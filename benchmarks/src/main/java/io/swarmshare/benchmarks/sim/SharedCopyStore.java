package io.swarmshare.benchmarks.sim;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PieceStore;
import io.swarmshare.api.StorageException;
import io.swarmshare.internal.store.ChunkSet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A simulated leecher's store that keeps no bytes of its own: each chunk written must equal the
 * seeder's, byte for byte, and is then served from the seeder's file, mapped once for every
 * leecher. A copy per leecher would fault in N times the file of fresh memory (3.2 GiB for 200
 * leechers of 16 MiB), which on this VM took a third of the run's CPU; the simulator measures
 * links, and a real node has its own disk. The engine still hashes every chunk and every whole
 * file as it would.
 */
final class SharedCopyStore implements PieceStore {
  private final Manifest manifest;
  private final Original original;
  private final ChunkSet held;
  private final AtomicReference<@Nullable String> difference = new AtomicReference<>();

  SharedCopyStore(Manifest manifest, Original original) {
    this.manifest = manifest;
    this.original = original;
    this.held = new ChunkSet(manifest.chunkCount());
  }

  /**
   * The seeder's file, mapped read-only in windows of 1 GiB (a buffer holds at most 2 GiB); a
   * chunk, a power of two of at most 16 MiB, never straddles two windows.
   */
  static final class Original {
    private static final int WINDOW_SHIFT = 30;
    private final MappedByteBuffer[] windows;

    Original(Path file) throws IOException {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        long size = channel.size();
        windows = new MappedByteBuffer[(int) ((size + (1L << WINDOW_SHIFT) - 1) >>> WINDOW_SHIFT)];
        for (int w = 0; w < windows.length; w++) {
          long from = (long) w << WINDOW_SHIFT;
          windows[w] = channel.map(FileChannel.MapMode.READ_ONLY, from, Math.min(1L << WINDOW_SHIFT, size - from));
        }
      }
    }

    /** {@return a buffer of its own over {@code length} bytes at {@code offset}} */
    ByteBuffer slice(long offset, int length) {
      return windows[(int) (offset >>> WINDOW_SHIFT)].slice((int) (offset & ((1L << WINDOW_SHIFT) - 1)), length);
    }
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  @Override
  public Bitfield verified() {
    return held.toBitfield();
  }

  @Override
  public boolean has(int index) {
    return held.contains(index);
  }

  @Override
  public void writeChunk(int index, ByteBuffer data) throws StorageException {
    ByteBuffer expected = chunk(index);
    if (data.remaining() != expected.remaining() || data.mismatch(expected) >= 0) {
      String what = "chunk " + index + " differs from the seeder's bytes";
      difference.compareAndSet(null, what);
      throw new StorageException(what);
    }
    data.position(data.limit());
    held.add(index);
  }

  @Override
  public void readChunk(int index, ByteBuffer target) throws StorageException {
    target.put(heldChunk(index));
  }

  /** Serves the seeder's mapped bytes: no copy on the way to the socket. */
  @Override
  public void transferChunk(int index, WritableByteChannel target) throws IOException {
    ByteBuffer buffer = heldChunk(index);
    while (buffer.hasRemaining()) {
      target.write(buffer);
    }
  }

  /**
   * {@return null if every chunk was written and each equalled the seeder's, else what was
   * wrong}
   */
  @Nullable String problem() {
    String d = difference.get();
    return d != null ? d : held.count() < manifest.chunkCount()
        ? (manifest.chunkCount() - held.count()) + " of " + manifest.chunkCount() + " chunks were never written" : null;
  }

  private ByteBuffer heldChunk(int index) throws StorageException {
    if (!held.contains(index)) {
      throw new StorageException("chunk " + index + " is not held");
    }
    return chunk(index);
  }

  private ByteBuffer chunk(int index) {
    return original.slice(manifest.chunkOffset(index), manifest.chunkLength(index));
  }

  @Override
  public void flush() {
    // nothing to make durable
  }

  @Override
  public void complete() {
    // the engine checked the whole-file SHA-256 as the chunks came
  }

  @Override
  public void close() {
    // the mapping belongs to the simulator and goes with it
  }
}
