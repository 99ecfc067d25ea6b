package io.swarmshare.internal.store;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.IntegrityException;
import io.swarmshare.api.Manifest;
import io.swarmshare.api.PieceStore;
import io.swarmshare.api.StorageException;
import io.swarmshare.internal.manifest.ManifestBuilder;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A {@link PieceStore} in the heap, one array per chunk: for tests and for small files an
 * application keeps in memory. Thread-safe. Nothing survives the process.
 */
public final class MemoryStore implements PieceStore {
  private final Manifest manifest;
  private final AtomicReferenceArray<byte[]> chunks;
  private final ChunkSet verified;

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
    byte[] copy = new byte[data.remaining()];
    data.get(copy);
    chunks.set(index, copy);
    verified.add(index);
  }

  @Override
  public void readChunk(int index, ByteBuffer target) throws StorageException {
    byte[] c = chunks.get(index);
    if (c == null) {
      throw new StorageException("chunk " + index + " is not held");
    }
    target.put(c);
  }

  /** The bytes of chunk {@code index}, or null if not held; for tests. */
  public byte[] chunk(int index) {
    byte[] c = chunks.get(index);
    return c == null ? new byte[0] : c.clone();
  }

  @Override
  public void flush() {
    // nothing to make durable
  }

  @Override
  public void complete() throws IntegrityException {
    var sha = ManifestBuilder.sha256();
    for (int i = 0; i < manifest.chunkCount(); i++) {
      sha.update(chunks.get(i));
    }
    if (!HexFormat.of().formatHex(sha.digest()).equals(manifest.sha256())) {
      throw new IntegrityException("the whole file does not match the manifest's SHA-256");
    }
  }

  @Override
  public void close() {
    // heap memory goes with the last reference
  }
}
