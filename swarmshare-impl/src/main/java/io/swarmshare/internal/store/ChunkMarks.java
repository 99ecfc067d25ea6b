package io.swarmshare.internal.store;

import io.swarmshare.api.Bitfield;
import io.swarmshare.api.Manifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * {@code NAME.marks}: one byte per chunk, set right after the chunk's verified bytes were
 * written to the {@code .part}. Never synced: its job is a kill -9, which the page cache
 * outlives, so a killed download loses only the chunks in flight rather than everything since
 * the last resume record. After a power cut its bytes may be stale or garbage; that is harmless,
 * because marks only nominate chunks for re-hashing, exactly like the record does.
 *
 * <p>Layout: {@code "swarmshare-marks-v1\n"}, the 32-byte file id, then one byte per chunk:
 * {@link #MARK} if written, anything else if not. The file is written in full when created, so
 * marking never needs a new disk block and cannot fail for lack of space.
 *
 * <p>Thread-safe: marks are single-byte positional writes.
 */
final class ChunkMarks implements AutoCloseable {
  private static final byte[] MAGIC = "swarmshare-marks-v1\n".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = MAGIC.length + 32;
  private static final byte MARK = 'W';

  private final FileChannel channel;

  private ChunkMarks(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * Starts an empty set of marks for {@code manifest}'s file in a new file, replacing whatever
   * was at {@code path} (a link is replaced itself, never followed).
   */
  static ChunkMarks create(Path path, Manifest manifest) throws IOException {
    FileChannel ch = LocalFiles.createFresh(path, StandardOpenOption.READ);
    try {
      ByteBuffer b = ByteBuffer.allocate(HEADER + manifest.chunkCount());
      b.put(MAGIC).put(manifest.id().bytes()).position(b.capacity()).flip();
      while (b.hasRemaining()) {
        ch.write(b, b.position());
      }
      return new ChunkMarks(ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Marks chunk {@code index} as written. */
  void mark(int index) throws IOException {
    channel.write(ByteBuffer.wrap(new byte[] {MARK}), HEADER + (long) index);
  }

  /**
   * The chunks marked in {@code path}, or null if there is no marks file for {@code manifest}'s
   * file there (missing, for another file, cut short, or not a plain file: a link is not followed).
   */
  static @Nullable Bitfield read(Path path, Manifest manifest) throws IOException {
    BasicFileAttributes a = LocalFiles.attributes(path);
    if (a == null || !LocalFiles.isPlainFile(path, a) || a.size() != HEADER + (long) manifest.chunkCount()) {
      return null;
    }
    byte[] all = new byte[HEADER + manifest.chunkCount()];
    try (FileChannel ch = LocalFiles.openPlain(path, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.wrap(all);
      while (b.hasRemaining()) {
        if (ch.read(b, b.position()) < 0) {
          return null; // shrank since we looked
        }
      }
    }
    if (!Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
        || !Arrays.equals(all, MAGIC.length, HEADER, manifest.id().bytes(), 0, 32)) {
      return null;
    }
    byte[] bits = new byte[Bitfield.byteLength(manifest.chunkCount())];
    for (int i = 0; i < manifest.chunkCount(); i++) {
      if (all[HEADER + i] == MARK) {
        bits[i >>> 3] |= (byte) (0x80 >>> (i & 7));
      }
    }
    return Bitfield.fromBytes(manifest.chunkCount(), bits);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing was promised about marks beyond the page cache
    }
  }
}
