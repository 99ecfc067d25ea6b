package io.swarmshare.internal.store;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PieceStore;
import io.swarmshare.api.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A {@link PieceStore} in the heap, one array per chunk: for tests and for small files an
 * application keeps in memory. Thread-safe. Nothing survives the process.
 */
public final class MemoryStore implements PieceStore {
  private final Manifest manifest;
  private final AtomicReferenceArray<ByteBuffer> chunks;
  private final ChunkSet verified;

  /** A store whose chunks live in the heap. */
  public MemoryStore(Manifest manifest) {
    this.manifest = manifest;
    this.chunks = new AtomicReferenceArray<>(manifest.chunkCount());
    this.verified = new ChunkSet(manifest.chunkCount());
  }

  @Override
  public Manifest manifest() {
    return manifest;
  }

  @Override
  public Bitfield verified() {
    return verified.toBitfield();
  }

  @Override
  public boolean has(int index) {
    return verified.contains(index);
  }

  @Override
  public void writeChunk(int index, ByteBuffer data) {
    ByteBuffer copy = ByteBuffer.allocate(data.remaining());
    copy.put(data).flip();
    chunks.set(index, copy);
    verified.add(index);
  }

  @Override
  public void readChunk(int index, ByteBuffer target) throws StorageException {
    target.put(held(index));
  }

  /** A copy of chunk {@code index}'s bytes, or none if it is not held. */
  public byte[] chunk(int index) {
    ByteBuffer c = chunks.get(index);
    if (c == null) {
      return new byte[0];
    }
    byte[] bytes = new byte[c.remaining()];
    c.duplicate().get(bytes);
    return bytes;
  }

  @Override
  public void flush() {
    // nothing to make durable
  }

  /** Serves the chunk's buffer as it is: no copy on the way to the socket. */
  @Override
  public void transferChunk(int index, WritableByteChannel target) throws IOException {
    ByteBuffer buffer = held(index);
    while (buffer.hasRemaining()) {
      target.write(buffer);
    }
  }

  /** A duplicate of chunk {@code index}'s buffer, to read without disturbing others. */
  private ByteBuffer held(int index) throws StorageException {
    ByteBuffer c = chunks.get(index);
    if (c == null) {
      throw new StorageException("chunk " + index + " is not held");
    }
    return c.duplicate();
  }

  @Override
  public void complete() {
    // The engine checked the whole-file SHA-256 as the chunks came; nothing to move or sync.
  }

  @Override
  public void close() {
    // heap memory goes with the last reference
  }
}
