package io.swarmshare.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Where a file's chunks live while they are downloaded and served: the seam between the
 * engine and a disk (the default file store: one preallocated {@code .part} file and a resume
 * record) or memory.
 *
 * <p>A store holds only chunks whose bytes were checked against the manifest before
 * {@link #writeChunk}; it never re-hashes them to serve them. Implementations must allow
 * concurrent reads and writes of different chunks from many threads.
 */
public interface PieceStore extends AutoCloseable {
  /** {@return the manifest of the file this store holds} */
  Manifest manifest();

  /** {@return the chunks written and verified so far} */
  Bitfield verified();

  /**
   * True if chunk {@code index} is held and verified. Called on every request a peer makes, so
   * stores answer it without copying their bitfield.
   *
   * @param index chunk index
   * @return true if the chunk can be served
   */
  default boolean has(int index) {
    return verified().get(index);
  }

  /**
   * Stores chunk {@code index}, whose bytes the caller has verified, from {@code data}'s
   * position to its limit; the buffer's position is advanced to its limit.
   *
   * @param index chunk index
   * @param data the chunk's bytes, exactly its length
   * @throws StorageException if the bytes cannot be written (the chunk is then not counted)
   */
  void writeChunk(int index, ByteBuffer data) throws StorageException;

  /**
   * Copies verified chunk {@code index} into {@code target} from its position.
   *
   * @param index chunk index
   * @param target a buffer with room for the whole chunk
   * @throws StorageException if the chunk is not held or cannot be read
   */
  void readChunk(int index, ByteBuffer target) throws StorageException;

  /**
   * Writes verified chunk {@code index} to {@code target}; stores on files use the kernel's
   * zero-copy path where the target allows it.
   *
   * @param index chunk index
   * @param target where the chunk's bytes go, typically a peer's socket
   * @throws IOException if the chunk cannot be read or {@code target} fails
   */
  default void transferChunk(int index, WritableByteChannel target) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(manifest().chunkLength(index));
    readChunk(index, buffer);
    buffer.flip();
    while (buffer.hasRemaining()) {
      target.write(buffer);
    }
  }

  /**
   * Makes the chunks written so far durable and records them, so a crash after this call
   * loses none of them. Cheap to call often: stores batch the work.
   *
   * @throws StorageException if the chunks or the record cannot be written
   */
  void flush() throws StorageException;

  /**
   * Called once every chunk is in and the engine has checked the whole file against the
   * manifest's SHA-256 (it hashes the chunks as they arrive, so stores need not read them
   * back): makes the file durable and, for a file store, moves it to its final name atomically.
   *
   * @throws SwarmException if the file cannot be made durable or moved into place
   */
  void complete() throws SwarmException;

  /** Releases files and memory; idempotent. Chunks verified so far stay for a resume. */
  @Override
  void close();

  /**
   * Opens the store a download writes into, so an application can keep a file's chunks where
   * it likes (in memory, in one preallocated file, in a blob store) while the engine fetches,
   * verifies and serves them. Given to {@code ClientBuilder.pieceStores}; called once per
   * download, on the caller's thread, once the manifest has been checked against the file id.
   */
  @FunctionalInterface
  interface Factory {
    /**
     * Opens (or creates) the store for {@code manifest}. The chunks its {@link #verified()}
     * names are trusted and not fetched again.
     *
     * @param manifest the verified manifest of the file to download
     * @param directory the directory the download was asked to land in
     * @param name the file's name, already made safe to use as a file name
     * @return the store, holding whatever it kept from an earlier run

     * @throws StorageException if the store cannot be opened
     */
    PieceStore open(Manifest manifest, java.nio.file.Path directory, String name) throws SwarmException;
  }
}
