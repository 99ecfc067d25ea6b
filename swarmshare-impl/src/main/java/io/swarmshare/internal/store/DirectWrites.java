package io.swarmshare.internal.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A second channel on a download's {@code .part} that writes chunks around the page cache
 * ({@code O_DIRECT}): the disk takes each chunk while the download runs, instead of all of them
 * at the final sync, and no page-cache memory is filled for bytes the download itself does not
 * read back (the engine hashes them from its own buffers; a chunk another peer asks for is then
 * read from the disk once). On this project's VM, writing 1 GiB through the page cache took
 * 1.3–1.6 s of CPU and 1.8–2.2 s with its sync; around it, 0.2 s and 1.2–1.4 s.
 *
 * <p>Used only where it can help and is sure to work: a file system backed by a disk (not tmpfs,
 * whose page cache is the storage), a block size that divides the chunk size, and a buffer that
 * is direct and aligned to it (the engine's pooled chunk buffers are, see BufferPool). Anything
 * else, and any failure, takes the buffered way, which then reports what is wrong. The system
 * property {@code swarmshare.directWrites=false} turns it off.
 */
final class DirectWrites implements Closeable {
  /** The largest block size used; the engine aligns its chunk buffers to it. */
  static final int MAX_BLOCK = 4096;

  /**
   * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT} (module jdk.unsupported), looked up at run
   * time because javac and javadoc warn about every mention of it; null on a JDK without it.
   */
  private static final @Nullable OpenOption DIRECT = directOption();

  private final FileChannel channel;
  private final int block;
  private volatile boolean failed;

  private DirectWrites(FileChannel channel, int block) {
    this.channel = channel;
    this.block = block;
  }

  /**
   * Opens {@code part} for direct writes, or returns null where they would not help or cannot be
   * had; never throws.
   *
   * @param part the {@code .part} file, already open through the buffered channel
   * @param partKey the identity of that file, so a file swapped in between is not written; null
   *     where the platform has none, and then no direct channel is opened
   * @param chunkSize the download's chunk size
   */
  static @Nullable DirectWrites open(Path part, @Nullable Object partKey, int chunkSize) {
    OpenOption direct = DIRECT;
    if (direct == null || partKey == null
        || "false".equalsIgnoreCase(System.getProperty("swarmshare.directWrites"))) {
      return null;
    }
    FileChannel ch = null;
    try {
      java.nio.file.FileStore fs = Files.getFileStore(part);
      if (fs.type().equals("tmpfs") || fs.type().equals("ramfs")) {
        return null;
      }
      long block = fs.getBlockSize();
      if (block <= 0 || block > MAX_BLOCK || Long.bitCount(block) != 1 || chunkSize % block != 0) {
        return null;
      }
      // Checked to be a plain file first (a FIFO swapped in would block the open), then to be the
      // very file the buffered channel writes.
      ch = LocalFiles.openPlain(part, StandardOpenOption.WRITE, direct);
      BasicFileAttributes a = LocalFiles.attributes(part);
      if (a == null || !Objects.equals(partKey, a.fileKey())) {
        ch.close();
        return null;
      }
      return new DirectWrites(ch, (int) block);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // never used
        }
      }
      return null;
    }
  }

  private static @Nullable OpenOption directOption() {
    try {
      return (OpenOption) Class.forName("com.sun.nio.file.ExtendedOpenOption").getField("DIRECT").get(null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  /**
   * Writes {@code data} (position to limit) at {@code offset} around the page cache and consumes
   * it, if the buffer and the offset allow.
   *
   * @return false if nothing was taken and the caller must write the buffered way
   */
  boolean write(ByteBuffer data, long offset) {
    if (failed || !data.isDirect() || offset % block != 0 || data.remaining() % block != 0
        || data.alignmentOffset(data.position(), block) != 0) {
      return false;
    }
    ByteBuffer view = data.duplicate();
    try {
      for (long at = offset; view.hasRemaining(); ) {
        at += channel.write(view, at);
      }
    } catch (IOException | RuntimeException e) {
      // The buffered way writes the whole chunk again and says what is wrong if it fails too.
      failed = true;
      return false;
    }
    data.position(data.limit());
    return true;
  }

  /** {@return false once a direct write failed, after which every chunk goes the buffered way} */
  boolean working() {
    return !failed;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
